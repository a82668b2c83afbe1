// Protobuf messages as field trees. `dissectProtobuf(bytes, type?)` turns a message into a field
// tree whose top-level fields tile the message: each field is its tag (field number << 3 | wire
// type), an optional length prefix and its value. With a protobufjs `Type` the values are read as
// the schema declares (zigzag for sint, IEEE-754 for double/float, UTF-8 for string, nested
// messages, packed repeated fields); without one, every value is shown with its possible readings,
// like `protoc --decode_raw`. Pure: never throws; bad bytes give a malformed range. Shared by the
// serialization lesson and the protocols that carry Protobuf (gRPC messages in HTTP/2 DATA frames).
import protobuf from 'protobufjs'
import type { Field, Malformed } from '../../../../shared/events'
import { DissectError } from '../../dissect/error'
import { field, hex, hexByte } from '../../dissect/fields'
import { asInt32, asInt64, ieeeFields, malformedField, readVarint, show, tryUtf8, utf8Field, varintField, varintGroups, zigzag, type Varint } from './codec-fields'
import { WIRE_TYPES, asMessage, scanFields, type ProtobufLayout, type RawField } from './protobuf-wire'
import { ByteReader } from './reader'

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
    field('Field number', t.start, t.end, `${f.no}`, single ? { id: `${id}.field_number`, mask: 0xf8 } : { id: `${id}.field_number` }),
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
    const vf = readVarint(new ByteReader(buf, start), 'varint')
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
    const vf = readVarint(new ByteReader(buf, start), 'varint')
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
  const c = new ByteReader(buf, start, end)
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
    const c = new ByteReader(buf, start, end)
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
        c.bytes(elemWire === 1 ? 8 : 4, 'packed element')
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
): { fields: Field[]; value: Record<string, unknown>; error?: DissectError } {
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
      const e = err instanceof DissectError ? err : new DissectError(String(err), f.start, end)
      return { fields, value, error: new DissectError(e.message, f.start, end) }
    }
  }
  return s.error ? { fields, value, error: s.error } : { fields, value }
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
    r = { fields: [], value: {}, error: new DissectError(reason, 0, bytes.length) }
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
  return malformed
    ? { protocol: 'protobuf', summary, fields, value: r.value, malformed }
    : { protocol: 'protobuf', summary, fields, value: r.value }
}
