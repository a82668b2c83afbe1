// Protobuf wire format, byte by byte. `dissectProtobuf(bytes, type?)` turns a message into a field
// tree whose top-level fields tile the message: each field is its tag (field number << 3 | wire
// type), an optional length prefix and its value. With a protobufjs `Type` the values are read as
// the schema declares (zigzag for sint, IEEE-754 for double/float, UTF-8 for string, nested
// messages, packed repeated fields); without one, every value is shown with its possible readings,
// like `protoc --decode_raw`. Pure: never throws; bad bytes give a malformed range.
// Reused by later lessons (gRPC messages inside HTTP/2 DATA frames).
import protobuf from 'protobufjs'
import type { Field, Malformed } from '../../../../shared/events'
import { field, hex, hexByte } from '../../dissect/fields'
import {
  Cursor,
  LayoutError,
  asInt32,
  asInt64,
  ieeeFields,
  malformedField,
  readVarint,
  show,
  tryUtf8,
  utf8Field,
  varintField,
  varintGroups,
  zigzag,
  type Varint
} from '../serialization/codec-fields'

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
  error?: LayoutError
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
  const c = new Cursor(buf, start, end)
  const fields: RawField[] = []
  while (c.pos < end) {
    const fieldStart = c.pos
    try {
      const tag = readVarint(c, 'tag')
      if (strictTags && tag.end - tag.start > 5)
        throw new LayoutError(
          `tag varint of ${tag.end - tag.start} bytes: a tag has at most 5`,
          fieldStart,
          c.pos
        )
      // Tags are 32-bit: like protobuf's own parser, bits beyond 32 of a longer varint are dropped.
      const key = tag.value & 0xffffffffn
      const no = Number(key >> 3n)
      const wt = Number(key & 7n)
      if (no === 0) throw new LayoutError('field number 0 is not allowed', fieldStart, c.pos)
      if (wt === 4) {
        if (groupNo === no) return { fields, endTag: tag, stop: c.pos }
        throw new LayoutError(`end-group tag for field ${no} without a matching start`, fieldStart, c.pos)
      }
      const f: RawField = { no, wt, start: fieldStart, end: fieldStart, tag }
      if (wt === 0) f.bits = readVarint(c, `field ${no} varint`).value
      else if (wt === 1) f.bits = c.view(8, `field ${no} I64 value`).getBigUint64(0, true)
      else if (wt === 5) f.bits = BigInt(c.view(4, `field ${no} I32 value`).getUint32(0, true))
      else if (wt === 2) {
        f.len = readVarint(c, `field ${no} length`)
        const n = f.len.value
        if (n > BigInt(end - c.pos))
          throw new LayoutError(
            `field ${no} declares ${n} bytes but only ${end - c.pos} remain`,
            fieldStart,
            end
          )
        f.body = { start: c.pos, end: c.pos + Number(n) }
        c.pos = f.body.end
      } else if (wt === 3) {
        if (depth >= MAX_DEPTH) throw new LayoutError('groups nested too deeply', fieldStart, end)
        const inner = scanFields(buf, c.pos, end, no, depth + 1, strictTags)
        if (inner.error) throw inner.error
        if (!inner.endTag) throw new LayoutError(`group ${no} never ends`, fieldStart, end)
        f.body = { start: c.pos, end: inner.endTag.start }
        f.group = inner.fields
        f.endTag = inner.endTag
        c.pos = inner.stop
      } else
        throw new LayoutError(`wire type ${wt} does not exist (valid: 0, 1, 2, 3, 4, 5)`, fieldStart, c.pos)
      f.end = c.pos
      fields.push(f)
    } catch (err) {
      const e = err instanceof LayoutError ? err : new LayoutError(String(err), fieldStart, end)
      return { fields, error: new LayoutError(e.message, fieldStart, end), stop: fieldStart }
    }
  }
  if (groupNo !== undefined)
    return { fields, error: new LayoutError(`group ${groupNo} never ends`, start, end), stop: end }
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

// ---------------------------------------------------------------- field trees

const SCALAR_WIRE: Record<string, number> = {
  double: 1,
  float: 5,
  int32: 0,
  int64: 0,
  uint32: 0,
  uint64: 0,
  sint32: 0,
  sint64: 0,
  fixed32: 5,
  fixed64: 1,
  sfixed32: 5,
  sfixed64: 1,
  bool: 0,
  string: 2,
  bytes: 2
}

function expectedWire(f: protobuf.Field): number {
  if (f.resolvedType instanceof protobuf.Type) return 2
  if (f.resolvedType instanceof protobuf.Enum) return 0
  return SCALAR_WIRE[f.type] ?? 2
}

const isPackable = (f: protobuf.Field): boolean =>
  f.repeated &&
  (f.resolvedType instanceof protobuf.Enum ||
    (f.type in SCALAR_WIRE && f.type !== 'string' && f.type !== 'bytes'))

function tagField(buf: Uint8Array, f: RawField, key: string, prefix: string): Field {
  const t = f.tag
  const id = `${prefix}.${key}.tag`
  const wtName = WIRE_TYPES[f.wt] ?? '?'
  const single = t.end - t.start === 1
  const children: Field[] = [
    field('Field number', t.start, t.end, `${f.no}`, {
      id: `${id}.field_number`,
      ...(single ? { mask: 0xf8 } : {})
    }),
    field('Wire type', t.start, t.start + 1, `${f.wt} = ${wtName}`, { id: `${id}.wire_type`, mask: 0x07 })
  ]
  if (!single) children.push(...varintGroups(buf, t, id))
  return field(
    'Tag',
    t.start,
    t.end,
    `${single ? hexByte(buf[t.start]) : hex(buf.subarray(t.start, t.end))} = (${f.no} << 3) | ${f.wt}: field ${f.no}, wire type ${f.wt} (${wtName})`,
    {
      id,
      children
    }
  )
}

interface Typed {
  value: unknown
  shown: string
  children: Field[]
}

function varintReading(v: bigint, type: string, f?: protobuf.Field): unknown {
  switch (type) {
    case 'int32':
      return Number(asInt32(v))
    case 'uint32':
      return Number(v & 0xffffffffn)
    case 'sint32':
      return Number(asInt32(zigzag(v & 0xffffffffn)))
    case 'sint64':
      return zigzag(v)
    case 'int64':
      return asInt64(v)
    case 'uint64':
      return v
    case 'bool':
      return v !== 0n
    case 'enum': {
      const n = Number(asInt32(v))
      const e = f?.resolvedType instanceof protobuf.Enum ? f.resolvedType : null
      return e?.valuesById[n] ?? n
    }
    default:
      return v
  }
}

/** Value of one element read as `type` at the cursor (for VARINT/I64/I32 payloads). */
function scalarValue(
  buf: Uint8Array,
  f: RawField,
  type: string,
  pf: protobuf.Field | undefined,
  id: string,
  start: number
): Typed {
  if (f.wt === 0) {
    const v = f.bits!
    const r = varintReading(v, pf?.resolvedType instanceof protobuf.Enum ? 'enum' : type, pf)
    const zz = type === 'sint32' || type === 'sint64'
    const vf = readVarint(new Cursor(buf, start), 'varint')
    const children = varintGroups(buf, vf, id)
    if (zz)
      children.push(
        field('Zigzag', start, vf.end, `${v} → (${v} >> 1) ^ −(${v} & 1) = ${show(r)}`, {
          id: `${id}.zigzag`
        })
      )
    return { value: r, shown: show(r), children }
  }
  const size = f.wt === 1 ? 8 : 4
  if (type === 'double' || type === 'float') {
    const { value, children } = ieeeFields(buf, start, size as 4 | 8, true, id)
    return { value, shown: show(value), children }
  }
  const dv = new DataView(buf.buffer, buf.byteOffset + start, size)
  const r =
    size === 8
      ? type.startsWith('s')
        ? dv.getBigInt64(0, true)
        : dv.getBigUint64(0, true)
      : type.startsWith('s')
        ? dv.getInt32(0, true)
        : dv.getUint32(0, true)
  return {
    value: r,
    shown: show(r),
    children: [field(`${size * 8}-bit little-endian`, start, start + size, show(r), { id: `${id}.le` })]
  }
}

function rawReadings(buf: Uint8Array, f: RawField, id: string, depth: number): Typed {
  const children: Field[] = []
  if (f.wt === 0) {
    const v = f.bits!
    const start = f.tag.end
    const vf = readVarint(new Cursor(buf, start), 'varint')
    children.push(...varintGroups(buf, vf, id))
    const readings: [string, string][] = [
      ['uint64 / uint32', v.toString()],
      ['sint64 / sint32 (zigzag)', zigzag(v).toString()]
    ]
    if (asInt64(v) !== v) readings.push(['int64 (two’s complement)', asInt64(v).toString()])
    if (v <= 1n) readings.push(['bool', String(v === 1n)])
    for (const [what, val] of readings)
      children.push(field(`Reading as ${what}`, start, vf.end, val, { id: `${id}.reading` }))
    return { value: v, shown: `${v} (or zigzag ${zigzag(v)})`, children }
  }
  if (f.wt === 1 || f.wt === 5) {
    const size = f.wt === 1 ? 8 : 4
    const start = f.tag.end
    const dv = new DataView(buf.buffer, buf.byteOffset + start, size)
    const ieee = ieeeFields(buf, start, size as 4 | 8, true, id)
    const fixed = size === 8 ? dv.getBigUint64(0, true) : dv.getUint32(0, true)
    const sfixed = size === 8 ? dv.getBigInt64(0, true) : dv.getInt32(0, true)
    children.push(
      field(`Reading as ${size === 8 ? 'double' : 'float'}`, start, start + size, show(ieee.value), {
        id: `${id}.reading`,
        children: ieee.children
      }),
      field(`Reading as fixed${size * 8}`, start, start + size, show(fixed), { id: `${id}.reading` }),
      field(`Reading as sfixed${size * 8}`, start, start + size, show(sfixed), { id: `${id}.reading` })
    )
    return {
      value: ieee.value,
      shown: `0x${f.bits!.toString(16).padStart(size * 2, '0')} (${size === 8 ? 'double' : 'float'} ${show(ieee.value)})`,
      children
    }
  }
  // LEN: embedded message, text, packed varints, bytes.
  const { start, end } = f.body!
  const bytes = buf.subarray(start, end)
  const inner = asMessage(buf, start, end, depth + 1)
  const text = tryUtf8(bytes)
  let shown = `<${hex(bytes.subarray(0, 32))}${bytes.length > 32 ? ' …' : ''}> (${bytes.length} bytes)`
  if (inner) {
    children.push(
      field(
        'Reading as embedded message',
        start,
        end,
        `${inner.length} field${inner.length === 1 ? '' : 's'}`,
        { id: `${id}.reading`, children: inner.map((g) => rawTree(buf, g, id, depth + 1)) }
      )
    )
    shown = `message {${inner.length} field${inner.length === 1 ? '' : 's'}}`
  }
  if (text !== null) {
    children.push({ ...utf8Field('Reading as string', buf, start, end, `${id}.reading`) })
    if (!inner || /^[\x20-\x7e\u00a0-\uffff]*$/.test(text)) shown = JSON.stringify(text)
  }
  const packed = packedVarints(buf, start, end)
  if (packed && packed.length > 0)
    children.push(
      field(
        'Reading as packed varints',
        start,
        end,
        `[${packed.map((v) => v.value).join(', ')}] or zigzag [${packed.map((v) => zigzag(v.value)).join(', ')}]`,
        { id: `${id}.reading` }
      )
    )
  children.push(
    field('Reading as bytes', start, end, `<${hex(bytes.subarray(0, 64))}${bytes.length > 64 ? ' …' : ''}>`, {
      id: `${id}.reading`
    })
  )
  return { value: bytes, shown, children }
}

function packedVarints(buf: Uint8Array, start: number, end: number): Varint[] | null {
  const c = new Cursor(buf, start, end)
  const out: Varint[] = []
  try {
    while (c.pos < end) out.push(readVarint(c))
  } catch {
    return null
  }
  return out
}

function lengthField(buf: Uint8Array, f: RawField, key: string, prefix: string): Field {
  return varintField(
    'Length',
    buf,
    f.len!,
    `${f.len!.value} byte${f.len!.value === 1n ? '' : 's'}`,
    `${prefix}.${key}.length`
  )
}

/** Schema-less tree for one wire field. */
function rawTree(buf: Uint8Array, f: RawField, prefix: string, depth: number): Field {
  const key = `f${f.no}`
  const id = `${prefix}.${key}`
  const children: Field[] = [tagField(buf, f, key, prefix)]
  if (f.wt === 3) {
    const members = f.group!.map((g) => rawTree(buf, g, prefix, depth + 1))
    children.push(
      ...members,
      field('End-group tag', f.endTag!.start, f.endTag!.end, `field ${f.no}, wire type 4 (EGROUP)`, {
        id: `${id}.egroup`
      })
    )
    return field(`Field ${f.no} (group)`, f.start, f.end, `group {${members.length} fields}`, {
      id,
      children
    })
  }
  if (f.wt === 2) children.push(lengthField(buf, f, key, prefix))
  const r = rawReadings(buf, f, `${id}.value`, depth)
  const vStart = f.wt === 2 ? f.body!.start : f.tag.end
  children.push(field('Value', vStart, f.end, r.shown, { id: `${id}.value`, children: r.children }))
  return field(`Field ${f.no} (${WIRE_TYPES[f.wt]})`, f.start, f.end, r.shown, { id, children })
}

/** Tree for one wire field read with a schema. */
function typedTree(
  buf: Uint8Array,
  f: RawField,
  type: protobuf.Type,
  prefix: string,
  depth: number
): { field: Field; value?: unknown } {
  const pf = type.fieldsById[f.no]
  if (!pf) {
    const t = rawTree(buf, f, prefix, depth)
    return {
      field: {
        ...t,
        name: `Unknown field ${f.no} (${WIRE_TYPES[f.wt]})`,
        value: `${t.value} — not in ${type.name}: a reader with this schema skips it`
      }
    }
  }
  const key = pf.name
  const id = `${prefix}.${key}`
  const children: Field[] = [tagField(buf, f, key, prefix)]
  const typeName = pf.resolvedType ? pf.resolvedType.name : pf.type
  const label = `${pf.name} (${pf.repeated ? 'repeated ' : ''}${typeName} = ${pf.id})`
  const expected = expectedWire(pf)
  if (f.wt === 2) children.push(lengthField(buf, f, key, prefix))
  const packed = f.wt === 2 && isPackable(pf)
  if (f.wt !== expected && !packed) {
    const r = f.wt === 3 ? null : rawReadings(buf, f, `${id}.value`, depth)
    const reason = `the schema says ${pf.name} is ${typeName} (wire type ${expected}, ${WIRE_TYPES[expected]}) but the bytes carry wire type ${f.wt} (${WIRE_TYPES[f.wt] ?? '?'})`
    if (r)
      children.push(
        field('Value', f.wt === 2 ? f.body!.start : f.tag.end, f.end, r.shown, {
          id: `${id}.value`,
          children: r.children
        })
      )
    return {
      field: field(label, f.start, f.end, `wire type mismatch: ${r?.shown ?? 'group'}`, {
        id,
        children,
        malformed: reason
      })
    }
  }
  let value: unknown
  let shown: string
  if (packed) {
    const { start, end } = f.body!
    const elems: Field[] = []
    const values: unknown[] = []
    const c = new Cursor(buf, start, end)
    const elemWire = expectedWire(pf)
    while (c.pos < end) {
      const at = c.pos
      let raw: RawField
      if (elemWire === 0)
        raw = {
          no: f.no,
          wt: 0,
          start: at,
          end: at,
          tag: { value: 0n, start: at, end: at },
          bits: readVarint(c, 'packed element').value
        }
      else {
        c.take(elemWire === 1 ? 8 : 4, 'packed element')
        raw = { no: f.no, wt: elemWire, start: at, end: at, tag: { value: 0n, start: at, end: at } }
      }
      raw.end = c.pos
      const t = scalarValue(buf, raw, pf.type, pf, `${id}.element`, at)
      values.push(t.value)
      elems.push(
        field(`[${values.length - 1}]`, at, c.pos, t.shown, { id: `${id}.element`, children: t.children })
      )
    }
    value = values
    shown = show(values)
    children.push(
      field(`Packed values (${values.length})`, start, end, shown, { id: `${id}.value`, children: elems })
    )
  } else if (f.wt === 2) {
    const { start, end } = f.body!
    if (pf.resolvedType instanceof protobuf.Type) {
      const inner = dissectWith(buf, start, end, pf.resolvedType, id, depth + 1)
      if (inner.error) throw inner.error
      value = inner.value
      shown = `${pf.resolvedType.name} {${inner.fields.length} field${inner.fields.length === 1 ? '' : 's'}}`
      children.push(
        field(`${pf.resolvedType.name} message`, start, end, shown, {
          id: `${id}.value`,
          children: inner.fields
        })
      )
    } else if (pf.type === 'string') {
      const u = utf8Field('Value (UTF-8)', buf, start, end, `${id}.value`)
      value = tryUtf8(buf.subarray(start, end)) ?? buf.subarray(start, end)
      shown = show(value)
      children.push(u)
    } else {
      value = Uint8Array.from(buf.subarray(start, end))
      shown = show(value)
      children.push(field('Value (bytes)', start, end, shown, { id: `${id}.value` }))
    }
  } else if (f.wt === 3) {
    const t = rawTree(buf, f, prefix, depth)
    return { field: { ...t, name: label } }
  } else {
    const t = scalarValue(buf, f, pf.type, pf, `${id}.value`, f.tag.end)
    value = t.value
    shown = t.shown
    children.push(
      field(`Value (${typeName})`, f.tag.end, f.end, shown, { id: `${id}.value`, children: t.children })
    )
  }
  return { field: field(label, f.start, f.end, shown, { id, children }), value }
}

function dissectWith(
  buf: Uint8Array,
  start: number,
  end: number,
  type: protobuf.Type | undefined,
  prefix: string,
  depth: number
): { fields: Field[]; value: Record<string, unknown>; error?: LayoutError } {
  const s = scanFields(buf, start, end, undefined, depth, depth === 0)
  const fields: Field[] = []
  const value: Record<string, unknown> = {}
  for (const f of s.fields) {
    if (!type) {
      fields.push(rawTree(buf, f, prefix, depth))
      continue
    }
    try {
      const t = typedTree(buf, f, type, prefix, depth)
      fields.push(t.field)
      const pf = type.fieldsById[f.no]
      if (pf && t.value !== undefined) {
        if (pf.repeated)
          value[pf.name] = [
            ...((value[pf.name] as unknown[]) ?? []),
            ...(Array.isArray(t.value) ? t.value : [t.value])
          ]
        else value[pf.name] = t.value
      }
    } catch (err) {
      const e = err instanceof LayoutError ? err : new LayoutError(String(err), f.start, end)
      return { fields, value, error: new LayoutError(e.message, f.start, end) }
    }
  }
  return { fields, value, ...(s.error ? { error: s.error } : {}) }
}

/**
 * Dissects one Protobuf message. With `type` (a resolved protobufjs Type) fields are named and read
 * as the schema says; without it, like `protoc --decode_raw`, each value lists its possible readings.
 */
export function dissectProtobuf(
  bytes: Uint8Array,
  type?: protobuf.Type,
  prefix = 'protobuf'
): ProtobufLayout & { value: Record<string, unknown> } {
  let r: ReturnType<typeof dissectWith>
  try {
    type?.root.resolveAll()
    r = dissectWith(bytes, 0, bytes.length, type, prefix, 0)
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err)
    r = { fields: [], value: {}, error: new LayoutError(reason, 0, bytes.length) }
  }
  const fields = r.fields
  let malformed: Malformed | undefined
  if (r.error) {
    const start = Math.min(r.error.start, bytes.length)
    malformed = { reason: r.error.message, start, end: bytes.length }
    fields.push(malformedField(prefix, r.error.message, start, bytes.length))
  }
  const n = r.fields.filter((f) => !f.malformed).length
  const summary = malformed
    ? `Malformed Protobuf: ${malformed.reason}`
    : `${type ? type.name : 'Protobuf (no schema)'}: ${n} field${n === 1 ? '' : 's'}, ${bytes.length} bytes`
  return { protocol: 'protobuf', summary, fields, value: r.value, ...(malformed ? { malformed } : {}) }
}
