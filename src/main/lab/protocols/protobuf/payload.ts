// Protocol Buffers as an inner protocol (reached through `chain()`): a message an outer protocol
// carries, such as a gRPC message in HTTP/2 DATA frames. With a schema in the context (a
// protobufjs `Type`, which the outer protocol finds, e.g. from a .proto by the gRPC method path)
// fields are named and typed; without one they are read like `protoc --decode_raw`.
import protobuf from 'protobufjs'
import type { PayloadDef } from '../../dissect/types'
import { dissectProtobuf } from '../common/protobuf-fields'

export const protobufPayload: PayloadDef = {
  id: 'protobuf',
  name: 'Protocol Buffers',
  accepts: (_payload, ctx) =>
    ctx.schema instanceof protobuf.Type
      ? 0.9
      : /^application\/(x-)?protobuf\b/.test(ctx.contentType ?? '')
        ? 0.8
        : 0,
  decode(payload, ctx) {
    const layout = dissectProtobuf(payload, ctx.schema instanceof protobuf.Type ? ctx.schema : undefined)
    return layout.malformed
      ? { summary: layout.summary, fields: layout.fields, malformed: layout.malformed }
      : { summary: layout.summary, fields: layout.fields }
  }
}
