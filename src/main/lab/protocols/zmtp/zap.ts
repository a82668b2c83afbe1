// A ZAP handler (ZeroMQ's authentication protocol, rfc.zeromq.org 27) that accepts every peer.
// Sockets with a ZAP domain make libzmq refuse peers that open without a ZMTP 3 greeting (it
// would otherwise take them for ZMTP 1.0 peers and decode their bytes as messages: a REP that got
// such garbage stops answering). One handler per process, on libzmq's well-known inproc endpoint.
import * as zmq from 'zeromq'

export const ZAP_DOMAIN = 'wirelab'
let handler: Promise<void> | null = null

export function ensureZapHandler(): Promise<void> {
  handler ??= (async () => {
    const zap = new zmq.Reply({ linger: 0 })
    await zap.bind('inproc://zeromq.zap.01')
    void (async () => {
      while (!zap.closed) {
        try {
          // Request: version, request id, domain, address, identity, mechanism, credentials…
          const [version, id] = await zap.receive()
          await zap.send([version, id, '200', 'OK', '', ''])
        } catch {
          // a malformed request: answer the next one
        }
      }
    })()
  })()
  return handler
}
