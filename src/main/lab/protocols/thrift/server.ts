// The lesson's Thrift server: npm `thrift`'s TCP server with the IDL-driven processor, on a hidden
// loopback port behind the tap. Protocol and transport are parameters; the binary reader is strict
// by default, as Hive Metastore's is. What the library rejects (a version word missing, a frame
// too large) is reported through `onReject`; the library then closes that connection and keeps serving.
import net from 'node:net'
import thrift from 'thrift'
import type { ThriftProtocolName, ThriftTransportName } from '../../../../shared/protocols/thrift'
import { LOOPBACK, listenTcp } from '../../net/ports'
import type { ThriftIdl } from './idl'
import { IdlProcessor, protocolCtor, transportCtor, type ThriftHandler } from './rpc'

export interface ThriftServerOptions {
  idl: ThriftIdl
  handler: ThriftHandler
  protocol: ThriftProtocolName
  transport: ThriftTransportName
  /** Strict binary reads (a message must start with the version word). Default true. */
  strict?: boolean
  /** Called with the library's message when it rejects a connection's bytes and closes it. */
  onReject?(message: string): void
}

/** Largest message or frame the server accepts: the Thrift libraries' common default (16,384,000 bytes). */
export const THRIFT_MAX_MESSAGE = 16_384_000

export async function startThriftServer(o: ThriftServerOptions): Promise<{ server: net.Server; port: number }> {
  const server = thrift.createMultiplexServer(new IdlProcessor(o.idl, o.handler), {
    transport: transportCtor(o.transport),
    protocol: protocolCtor(o.protocol, o.strict ?? true),
    maxLength: o.transport === 'framed' ? THRIFT_MAX_MESSAGE : thrift.TBufferedTransport.DEFAULT_MAX_LENGTH
  })
  // The library reports protocol errors (and then ends the connection) as 'error' events on the
  // server; without a listener they would be thrown.
  server.on('error', (err: Error) => o.onReject?.(err.message))
  const port = await listenTcp(server, 0, LOOPBACK)
  return { server, port }
}
