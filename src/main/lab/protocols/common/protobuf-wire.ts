// Protobuf's wire format before any schema (protobuf.dev, "Encoding"): each field is a tag (field
// number << 3 | wire type) and a value; `scanFields` walks them with their byte ranges and
// `decodeRawText` prints what `protoc --decode_raw` would. A building block shared by the
// protocols that carry Protobuf (the serialization lesson, gRPC): the field trees are in
// protobuf-fields.ts.
import type { Field, Malformed } from '../../../../shared/events'
import { DissectError } from '../../dissect/error'
import { readVarint, type Varint } from './codec-fields'
import { ByteReader } from './reader'

export const WIRE_TYPES = ['VARINT', 'I64', 'LEN', 'SGROUP', 'EGROUP', 'I32'] as const

export interface ProtobufLayout {
  protocol: 'protobuf'
  summary: string
  fields: Field[]
  malformed?: Malformed
}

/** One field as it sits on the wire, before any schema gives it meaning. */
export interface RawField {
  no: number
  wt: number
  start: number
  end: number
  tag: Varint
  /** VARINT value, or I64/I32 bits. */
  bits?: bigint
  len?: Varint
  /** LEN payload range, or a group's body range. */
  body?: { start: number; end: number }
  /** Group members (SGROUP … EGROUP), the EGROUP tag included as `endTag`. */
  group?: RawField[]
  endTag?: Varint
}

interface Scan {
  fields: RawField[]
  /** Set when the bytes stopped making sense; `fields` holds what parsed before. */
  error?: DissectError
}

const MAX_DEPTH = 64

/** Splits `[start, end)` into wire-format fields, like protobuf's UnknownFieldSet parser. */
export function scanFields(
  buf: Uint8Array,
  start = 0,
  end = buf.length,
  groupNo?: number,
  depth = 0,
  /** protoc's top-level parser takes tags of at most 5 bytes; its nested-message check up to 10. */
  strictTags = false
): Scan & { endTag?: Varint; stop: number } {
  const c = new ByteReader(buf, start, end)
  const fields: RawField[] = []
  while (c.pos < end) {
    const fieldStart = c.pos
    try {
      const tag = readVarint(c, 'tag')
      if (strictTags && tag.end - tag.start > 5)
        throw new DissectError(
          `tag varint of ${tag.end - tag.start} bytes: a tag has at most 5`,
          fieldStart,
          c.pos
        )
      // Tags are 32-bit: like protobuf's own parser, bits beyond 32 of a longer varint are dropped.
      const key = tag.value & 0xffffffffn
      const no = Number(key >> 3n)
      const wt = Number(key & 7n)
      if (no === 0) throw new DissectError('field number 0 is not allowed', fieldStart, c.pos)
      if (wt === 4) {
        if (groupNo === no) return { fields, endTag: tag, stop: c.pos }
        throw new DissectError(`end-group tag for field ${no} without a matching start`, fieldStart, c.pos)
      }
      const f: RawField = { no, wt, start: fieldStart, end: fieldStart, tag }
      if (wt === 0) f.bits = readVarint(c, `field ${no} varint`).value
      else if (wt === 1) f.bits = c.view(8, `field ${no} I64 value`).getBigUint64(0, true)
      else if (wt === 5) f.bits = BigInt(c.view(4, `field ${no} I32 value`).getUint32(0, true))
      else if (wt === 2) {
        f.len = readVarint(c, `field ${no} length`)
        const n = f.len.value
        if (n > BigInt(end - c.pos))
          throw new DissectError(
            `field ${no} declares ${n} bytes but only ${end - c.pos} remain`,
            fieldStart,
            end
          )
        f.body = { start: c.pos, end: c.pos + Number(n) }
        c.pos = f.body.end
      } else if (wt === 3) {
        if (depth >= MAX_DEPTH) throw new DissectError('groups nested too deeply', fieldStart, end)
        const inner = scanFields(buf, c.pos, end, no, depth + 1, strictTags)
        if (inner.error) throw inner.error
        if (!inner.endTag) throw new DissectError(`group ${no} never ends`, fieldStart, end)
        f.body = { start: c.pos, end: inner.endTag.start }
        f.group = inner.fields
        f.endTag = inner.endTag
        c.pos = inner.stop
      } else
        throw new DissectError(`wire type ${wt} does not exist (valid: 0, 1, 2, 3, 4, 5)`, fieldStart, c.pos)
      f.end = c.pos
      fields.push(f)
    } catch (err) {
      const e = err instanceof DissectError ? err : new DissectError(String(err), fieldStart, end)
      return { fields, error: new DissectError(e.message, fieldStart, end), stop: fieldStart }
    }
  }
  if (groupNo !== undefined)
    return { fields, error: new DissectError(`group ${groupNo} never ends`, start, end), stop: end }
  return { fields, stop: end }
}

/** The payload parses as a non-empty message (the test protoc uses to print `N { … }`). */
export function asMessage(buf: Uint8Array, start: number, end: number, depth = 0): RawField[] | null {
  if (end <= start || depth > MAX_DEPTH) return null
  const s = scanFields(buf, start, end, undefined, depth)
  return s.error ? null : s.fields
}

// ---------------------------------------------------------------- protoc --decode_raw text

function cEscape(bytes: Uint8Array): string {
  let out = ''
  for (const b of bytes) {
    if (b === 0x0a) out += '\\n'
    else if (b === 0x0d) out += '\\r'
    else if (b === 0x09) out += '\\t'
    else if (b === 0x22) out += '\\"'
    else if (b === 0x27) out += "\\'"
    else if (b === 0x5c) out += '\\\\'
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b)
    else out += '\\' + b.toString(8).padStart(3, '0')
  }
  return out
}

/** The text `protoc --decode_raw` prints for these bytes, or null where protoc fails to parse. */
export function decodeRawText(bytes: Uint8Array): string | null {
  const s = scanFields(bytes, 0, bytes.length, undefined, 0, true)
  if (s.error) return null
  const lines: string[] = []
  const print = (fields: RawField[], indent: string, depth: number): void => {
    for (const f of fields) {
      if (f.wt === 0) lines.push(`${indent}${f.no}: ${f.bits!.toString()}`)
      else if (f.wt === 1) lines.push(`${indent}${f.no}: 0x${f.bits!.toString(16).padStart(16, '0')}`)
      else if (f.wt === 5) lines.push(`${indent}${f.no}: 0x${f.bits!.toString(16).padStart(8, '0')}`)
      else if (f.wt === 3) {
        lines.push(`${indent}${f.no} {`)
        print(f.group!, indent + '  ', depth + 1)
        lines.push(`${indent}}`)
      } else {
        const inner = asMessage(bytes, f.body!.start, f.body!.end, depth + 1)
        if (inner) {
          lines.push(`${indent}${f.no} {`)
          print(inner, indent + '  ', depth + 1)
          lines.push(`${indent}}`)
        } else lines.push(`${indent}${f.no}: "${cEscape(bytes.subarray(f.body!.start, f.body!.end))}"`)
      }
    }
  }
  print(s.fields, '', 0)
  return lines.map((l) => l + '\n').join('')
}

