// Decoding with the real libraries (no dissector involved): what a receiving program gets from
// the bytes. The receiver server, the schema-evolution narration and the tests use it.
import { decode as msgpackDecode } from '@msgpack/msgpack'
import cbor from 'cbor'
import thrift from 'thrift'
import { avroType, protoText, protoType, thriftFields, type FormatId, type SchemaOptions } from './record'

const T = thrift.Thrift.Type

/** Reads a Thrift struct with the library's protocol reader, as generated code does. */
export function thriftDecode(
  bytes: Uint8Array,
  compact: boolean,
  o: SchemaOptions = {}
): Record<string, unknown> {
  const names: Record<number, string> = Object.fromEntries(thriftFields(o).map((f) => [f.id, f.name]))
  let out: Record<string, unknown> | null = null
  let error: unknown = null
  thrift.TBufferedTransport.receiver((trans) => {
    try {
      const p = compact ? new thrift.TCompactProtocol(trans) : new thrift.TBinaryProtocol(trans)
      const obj: Record<string, unknown> = {}
      p.readStructBegin()
      while (true) {
        const h = p.readFieldBegin()
        if (h.ftype === T.STOP) break
        const name = names[h.fid] ?? String(h.fid)
        if (h.ftype === T.DOUBLE) obj[name] = p.readDouble()
        else if (h.ftype === T.I32) obj[name] = p.readI32()
        else if (h.ftype === T.I64) obj[name] = Number(p.readI64().toString())
        else if (h.ftype === T.STRING) obj[name] = p.readString()
        else if (h.ftype === T.LIST) {
          const l = p.readListBegin()
          const items: number[] = []
          for (let i = 0; i < l.size; i++) items.push(p.readI32())
          p.readListEnd()
          obj[name] = items
        } else p.skip(h.ftype)
        p.readFieldEnd()
      }
      p.readStructEnd()
      out = obj
    } catch (err) {
      error = err
    }
  })(Buffer.from(bytes))
  if (error) throw error instanceof Error ? error : new Error(String(error))
  if (!out) throw new Error('the Thrift reader did not run')
  return out
}

/** What the real library decodes from `bytes` with the schema variant `o`, as plain values. */
export function decodeWithLibrary(
  format: FormatId,
  bytes: Uint8Array,
  o: SchemaOptions = {}
): Record<string, unknown> {
  switch (format) {
    case 'json':
      return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as Record<string, unknown>
    case 'protobuf': {
      const type = protoType(protoText(o))
      const obj = type.toObject(type.decode(bytes), { longs: String }) as Record<string, unknown>
      if (typeof obj.timestamp === 'string') obj.timestamp = BigInt(obj.timestamp)
      return obj
    }
    case 'avro':
      return { ...(avroType(o).fromBuffer(Buffer.from(bytes)) as Record<string, unknown>) }
    case 'msgpack':
      return msgpackDecode(bytes) as Record<string, unknown>
    case 'cbor':
      return cbor.decodeFirstSync(Buffer.from(bytes)) as Record<string, unknown>
    case 'thrift-binary':
      return thriftDecode(bytes, false, o)
    case 'thrift-compact':
      return thriftDecode(bytes, true, o)
  }
}
