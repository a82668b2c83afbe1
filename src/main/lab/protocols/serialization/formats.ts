// One entry point per format: encode the record with the real library, dissect the bytes into a
// field tree. The lesson, the CLI and the tests all go through here.
import { dissectProtobuf } from '../common/protobuf-fields'
import { dissectAvro } from './avro-layout'
import { dissectCbor } from './cbor-layout'
import { dissectJson } from './json-layout'
import type { Layout } from './layout'
import { dissectMsgpack } from './msgpack-layout'
import {
  avroSchema,
  ENCODERS,
  FORMAT_LABELS,
  protoText,
  protoType,
  thriftFields,
  type FormatId,
  type Reading,
  type SchemaOptions
} from './record'
import { dissectThrift } from './thrift-layout'

export function thriftNames(o: SchemaOptions = {}): Record<number, string> {
  return Object.fromEntries(thriftFields(o).map((f) => [f.id, f.name]))
}

/** Dissects `bytes` as `format`, reading schema-based formats with the schema variant `o`. */
export function dissectFormat(format: FormatId, bytes: Uint8Array, o: SchemaOptions = {}): Layout {
  switch (format) {
    case 'json':
      return dissectJson(bytes)
    case 'protobuf':
      return dissectProtobuf(bytes, protoType(protoText(o)))
    case 'avro':
      return dissectAvro(bytes, avroSchema(o))
    case 'msgpack':
      return dissectMsgpack(bytes)
    case 'cbor':
      return dissectCbor(bytes)
    case 'thrift-binary':
      return dissectThrift(bytes, 'binary', thriftNames(o))
    case 'thrift-compact':
      return dissectThrift(bytes, 'compact', thriftNames(o))
  }
}

export interface Encoded {
  format: FormatId
  label: string
  bytes: Uint8Array
  layout: Layout
}

export function encodeAll(
  r: Reading,
  o: SchemaOptions = {},
  formats: readonly FormatId[] = Object.keys(ENCODERS) as FormatId[]
): Encoded[] {
  return formats.map((format) => {
    const bytes = ENCODERS[format](r, o)
    return { format, label: FORMAT_LABELS[format], bytes, layout: dissectFormat(format, bytes, o) }
  })
}
