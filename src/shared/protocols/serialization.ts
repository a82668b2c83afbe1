// The serialization lesson's formats and the logical fields of its record, shared by the engine
// (encoders, dissectors) and the renderer (format picker, byte-layout view).

export const FORMATS = [
  'json',
  'protobuf',
  'avro',
  'msgpack',
  'cbor',
  'thrift-binary',
  'thrift-compact'
] as const
export type FormatId = (typeof FORMATS)[number]

export const FORMAT_LABELS: Record<FormatId, string> = {
  json: 'JSON',
  protobuf: 'Protobuf',
  avro: 'Avro',
  msgpack: 'MessagePack',
  cbor: 'CBOR',
  'thrift-binary': 'Thrift binary',
  'thrift-compact': 'Thrift compact'
}

/** The label of a format id read from a PDU (an unknown id shows as itself). */
export const formatLabel = (format: string): string => FORMAT_LABELS[format as FormatId] ?? format

/** The protocol id a format's PDUs carry (Thrift's two protocols share `thrift`). */
export const protocolOf = (f: FormatId): string => (f.startsWith('thrift') ? 'thrift' : f)

/** The lesson's logical fields, in schema order; the same key has the same colour in every format. */
export const FIELD_KEYS = ['temperatura', 'sensor', 'timestamp', 'historico', 'unidade'] as const
