// An HTTP agent whose keep-alive connections are opened by a function the caller gives, so each
// connection can be made through a tap by a named actor (an executor, the dashboard's browser).
import http from 'node:http'
import type net from 'node:net'
import type { Duplex } from 'node:stream'

export class ConnectionAgent extends http.Agent {
  constructor(
    private readonly open: () => Promise<net.Socket>,
    /** Most connections at once (1: every request waits for the previous one, on one connection). */
    max = 1
  ) {
    super({ keepAlive: true, maxSockets: max })
  }

  override createConnection(_o: http.ClientRequestArgs, cb?: (err: Error | null, stream: Duplex) => void): Duplex | undefined {
    this.open().then(
      (s) => {
        // Sockets made for the taps allow half-open connections; an idle keep-alive connection the
        // server closes must close here too, or the agent would send the next request into it.
        s.once('end', () => s.end())
        cb?.(null, s)
      },
      (err: Error) => cb?.(err, undefined as unknown as Duplex)
    )
    // Node's agent waits for the callback when this returns nothing.
    return undefined
  }
}
