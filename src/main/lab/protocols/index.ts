// Every protocol the engine dissects, listed once (Wireshark registers its dissectors the same way):
// taps find them here by id, watch mode by heuristic and port, and the fuzz and fault tests
// enumerate this list, so a protocol added here is covered automatically. Inner protocols that
// outer ones reach through `dissect/chain.ts` are listed in `PAYLOADS`. A new protocol adds one
// import and one entry.
import { createDissector, registerDissector, registerPayload } from '../dissect/registry'
import type { DissectorDef, PayloadDef } from '../dissect/types'
import { h2TlsDissector } from './http2/tls-dissector'
import { grpcDissector } from './grpc/dissector'
import { grpcPayload } from './grpc/payload'
import { http2Dissector } from './http2/dissector'
import { httpDissector } from './http/dissector'
import { httpPayload } from './http/payload'
import { mqttDissector } from './mqtt/dissector'
import { amqpDissector } from './amqp/dissector'
import { zmtpDissector } from './zmtp/dissector'
import { pgsqlDef } from './pgsql/dissector'
import { protobufPayload } from './protobuf/payload'
import { respDef } from './resp/dissector'
import { s3Def } from './s3/dissector'
import { serializationWire } from './serialization/dissector'
import { httpApiDef } from './sse/api-dissector'
import { sseDef } from './sse/dissector'
import { tcpPayload } from './tcp/dissector'
import { thriftDissector } from './thrift/dissector'
import { tlsDef } from './tls/dissector'
import { udpPayload } from './udp/dissector'
import { websocketDef } from './websocket/dissector'

export const PROTOCOLS: readonly DissectorDef[] = [
  tcpPayload,
  udpPayload,
  httpDissector,
  // Before http2: a connection whose first request is gRPC ranks gRPC first on a tie.
  grpcDissector,
  http2Dissector,
  h2TlsDissector,
  websocketDef,
  sseDef,
  tlsDef,
  mqttDissector,
  serializationWire,
  thriftDissector,
  amqpDissector,
  zmtpDissector,
  pgsqlDef,
  respDef,
  s3Def,
  httpApiDef
]

export const PAYLOADS: readonly PayloadDef[] = [httpPayload, grpcPayload, protobufPayload]

for (const def of PROTOCOLS) registerDissector(def)
for (const def of PAYLOADS) registerPayload(def)

/** A fresh dissector for one connection by protocol id, guarded so a throw becomes a malformed PDU. */
export { createDissector }
