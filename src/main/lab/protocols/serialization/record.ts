// The record the lesson serializes (the course notes' sensor reading), its schema in each format,
// and the real encoders: JSON.stringify, protobufjs, avsc, @msgpack/msgpack, cbor, and Thrift's
// TBinaryProtocol / TCompactProtocol over a buffered transport.
import protobuf from 'protobufjs'
import avro from 'avsc'
import { Encoder as MsgpackEncoder } from '@msgpack/msgpack'
import cbor from 'cbor'
import thrift from 'thrift'
import { SENSOR_PROTO } from '../common/sensor-proto'

export type TemperaturaType = 'double' | 'float' | 'int32'

export interface Reading {
  temperatura: number
  sensor: string
  /** Seconds since 1970-01-01 UTC. */
  timestamp: number
  /** Previous readings in tenths of a degree. */
  historico: number[]
}

/** Schema variants: the lesson's type choice and the schema-evolution demos. */
export interface SchemaOptions {
  temperaturaType?: TemperaturaType
  /** Writer v2: a new field `unidade` (number 5 in Protobuf, with a default in Avro). */
  addUnidade?: boolean
  /** Writer that swapped the numbers of `sensor` (2) and `timestamp` (3). */
  renumber?: boolean
}

export const DEFAULT_READING: Reading = {
  temperatura: 23.5,
  sensor: 'A1',
  timestamp: 1763812800,
  historico: [231, 234, -15]
}

import type { FormatId } from '../../../../shared/protocols/serialization'
export { FIELD_KEYS, FORMATS, FORMAT_LABELS, protocolOf, type FormatId } from '../../../../shared/protocols/serialization'

/** `resources/sensor.proto`, embedded (one copy for every lesson, in protocols/common). */
export { SENSOR_PROTO }

export const MESSAGE_TYPE = 'LeituraResponse'

/** The .proto text for a schema variant (the shipped file when no option is set). */
export function protoText(o: SchemaOptions = {}): string {
  let text = SENSOR_PROTO
  const t = o.temperaturaType ?? 'double'
  if (t !== 'double')
    text = text.replace(
      'double temperatura = 1;  ',
      `${t} temperatura = 1;${' '.repeat(Math.max(1, 8 - t.length))}`
    )
  if (o.renumber)
    text = text
      .replace('string sensor = 2;      ', 'string sensor = 3;      ')
      .replace('int64 timestamp = 3;    ', 'int64 timestamp = 2;    ')
  if (o.addUnidade)
    text = text.replace(
      '(packed, zigzag)\n}',
      '(packed, zigzag)\n    string unidade = 5;               // new in v2\n}'
    )
  return text
}

const typeCache = new Map<string, protobuf.Type>()

/** Parses .proto text with protobufjs and looks a message type up (resolved). */
export function protoType(text: string, name = MESSAGE_TYPE): protobuf.Type {
  const key = `${name}\u0000${text}`
  const hit = typeCache.get(key)
  if (hit) return hit
  const root = protobuf.parse(text, { keepCase: true }).root
  const type = root.lookupType(name)
  root.resolveAll()
  if (typeCache.size > 64) typeCache.clear()
  typeCache.set(key, type)
  return type
}

export function avroSchema(o: SchemaOptions = {}): avro.Schema {
  const t = o.temperaturaType ?? 'double'
  const fields: { name: string; type: avro.Schema; default?: unknown }[] = [
    { name: 'temperatura', type: t === 'int32' ? 'int' : t },
    { name: 'sensor', type: 'string' },
    { name: 'timestamp', type: 'long' },
    { name: 'historico', type: { type: 'array', items: 'int' } }
  ]
  if (o.addUnidade) fields.push({ name: 'unidade', type: 'string', default: '°C' })
  return { type: 'record', name: MESSAGE_TYPE, fields } as avro.Schema
}

export function avroType(o: SchemaOptions = {}): avro.Type {
  return avro.Type.forSchema(avroSchema(o))
}

/** Thrift IDL of the struct the Thrift encoders write, field by field. */
export interface ThriftFieldDef {
  id: number
  name: string
  type: 'double' | 'i32' | 'i64' | 'string' | 'list<i32>'
}

export function thriftFields(o: SchemaOptions = {}): ThriftFieldDef[] {
  const t = o.temperaturaType ?? 'double'
  const defs: ThriftFieldDef[] = [
    // Thrift has no 32-bit float: `float` falls back to double.
    { id: 1, name: 'temperatura', type: t === 'int32' ? 'i32' : 'double' },
    { id: o.renumber ? 3 : 2, name: 'sensor', type: 'string' },
    { id: o.renumber ? 2 : 3, name: 'timestamp', type: 'i64' },
    { id: 4, name: 'historico', type: 'list<i32>' }
  ]
  if (o.addUnidade) defs.push({ id: 5, name: 'unidade', type: 'string' })
  return defs
}

export function thriftIdl(o: SchemaOptions = {}): string {
  return `struct ${MESSAGE_TYPE} {\n${thriftFields(o)
    .map((f) => `  ${f.id}: ${f.type} ${f.name}`)
    .join(',\n')}\n}\n`
}

/** The value each format encodes for `temperatura` under a type choice. */
export function storedTemperatura(v: number, t: TemperaturaType = 'double'): number {
  if (t === 'int32') return Math.round(v * 10)
  if (t === 'float') return Math.fround(v)
  return v
}

/** The record as the encoders see it (temperatura converted to the chosen type). */
export function recordObject(r: Reading, o: SchemaOptions = {}): Record<string, unknown> {
  const obj: Record<string, unknown> = {
    temperatura: storedTemperatura(r.temperatura, o.temperaturaType),
    sensor: r.sensor,
    timestamp: r.timestamp,
    historico: r.historico
  }
  if (o.addUnidade) obj.unidade = '°C'
  return obj
}

const u8 = (b: Uint8Array): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength).slice()

export function encodeJson(r: Reading, o: SchemaOptions = {}): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(recordObject(r, o)))
}

export function encodeProtobuf(r: Reading, o: SchemaOptions = {}): Uint8Array {
  const type = protoType(protoText(o))
  const obj = recordObject(r, o)
  const err = type.verify(obj)
  if (err) throw new Error(`Protobuf: ${err}`)
  return u8(type.encode(type.fromObject(obj)).finish())
}

export function encodeAvro(r: Reading, o: SchemaOptions = {}): Uint8Array {
  return u8(avroType(o).toBuffer(recordObject(r, o)))
}

export function encodeMsgpack(r: Reading, o: SchemaOptions = {}): Uint8Array {
  const enc = new MsgpackEncoder({ forceFloat32: o.temperaturaType === 'float' })
  return u8(enc.encode(recordObject(r, o)))
}

export function encodeCbor(r: Reading, o: SchemaOptions = {}): Uint8Array {
  return u8(cbor.encodeOne(recordObject(r, o), { canonical: false }))
}

const T = thrift.Thrift.Type

function encodeThrift(r: Reading, o: SchemaOptions, compact: boolean): Uint8Array {
  const chunks: Buffer[] = []
  const trans = new thrift.TBufferedTransport(undefined, (msg) => chunks.push(msg))
  const p = compact ? new thrift.TCompactProtocol(trans) : new thrift.TBinaryProtocol(trans)
  const obj = recordObject(r, o)
  p.writeStructBegin(MESSAGE_TYPE)
  for (const f of thriftFields(o)) {
    const v = obj[f.name]
    switch (f.type) {
      case 'double':
        p.writeFieldBegin(f.name, T.DOUBLE, f.id)
        p.writeDouble(v as number)
        break
      case 'i32':
        p.writeFieldBegin(f.name, T.I32, f.id)
        p.writeI32(v as number)
        break
      case 'i64':
        p.writeFieldBegin(f.name, T.I64, f.id)
        p.writeI64(v as number)
        break
      case 'string':
        p.writeFieldBegin(f.name, T.STRING, f.id)
        p.writeString(v as string)
        break
      case 'list<i32>': {
        const list = v as number[]
        p.writeFieldBegin(f.name, T.LIST, f.id)
        p.writeListBegin(T.I32, list.length)
        for (const x of list) p.writeI32(x)
        p.writeListEnd()
        break
      }
    }
    p.writeFieldEnd()
  }
  p.writeFieldStop()
  p.writeStructEnd()
  trans.flush()
  return u8(Buffer.concat(chunks))
}

export const encodeThriftBinary = (r: Reading, o: SchemaOptions = {}): Uint8Array => encodeThrift(r, o, false)
export const encodeThriftCompact = (r: Reading, o: SchemaOptions = {}): Uint8Array => encodeThrift(r, o, true)

export const ENCODERS: Record<FormatId, (r: Reading, o?: SchemaOptions) => Uint8Array> = {
  json: encodeJson,
  protobuf: encodeProtobuf,
  avro: encodeAvro,
  msgpack: encodeMsgpack,
  cbor: encodeCbor,
  'thrift-binary': encodeThriftBinary,
  'thrift-compact': encodeThriftCompact
}

/** Checks a reading before encoding: numbers in range for every format, sane sizes. */
export function validateReading(r: Reading, o: SchemaOptions = {}): string | null {
  if (!Number.isFinite(r.temperatura)) return 'temperatura must be a number'
  if (o.temperaturaType === 'int32' && Math.abs(r.temperatura * 10) > 2 ** 31 - 1)
    return 'temperatura ×10 must fit in int32'
  if (!Number.isSafeInteger(r.timestamp)) return 'timestamp must be a whole number of seconds'
  // avsc writes a JavaScript number as an Avro long only within ±(2^53 − 2).
  if (Math.abs(r.timestamp) > Number.MAX_SAFE_INTEGER - 1) return 'timestamp must lie within ±9007199254740990 (Avro long in JavaScript)'
  if (r.sensor.length > 1000) return 'sensor is limited to 1000 characters'
  if (r.historico.length > 100) return 'historico is limited to 100 values'
  for (const v of r.historico)
    if (!Number.isInteger(v) || v < -(2 ** 31) || v > 2 ** 31 - 1)
      return `historico: ${v} is not a 32-bit integer`
  return null
}

/** Parses "231, 234, -15" into numbers. */
export function parseList(text: string): number[] {
  const t = text.trim()
  if (!t) return []
  return t
    .split(/[\s,;]+/)
    .filter(Boolean)
    .map((s) => {
      const n = Number(s)
      if (!Number.isInteger(n)) throw new Error(`historico: "${s}" is not an integer`)
      return n
    })
}
