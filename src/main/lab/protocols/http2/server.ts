// A real node:http2 server on a hidden loopback port, in cleartext (h2c, prior knowledge) or over
// TLS (ALPN "h2", its secrets in the key log so Wirelab can decrypt). It serves whatever handler the
// lesson gives it through node:http2's compatibility API (the items API and the race's tiles).
import http2 from 'node:http2'
import { LOOPBACK, listenTcp } from '../../net/ports'
import type { Credentials } from '../common/credentials'
import { keyLog } from '../common/keylog'

export interface H2ServerOptions {
  /** SETTINGS_MAX_CONCURRENT_STREAMS the server announces. */
  maxConcurrentStreams?: number
  /** SETTINGS_INITIAL_WINDOW_SIZE the server announces (for request bodies). */
  initialWindowSize?: number
}

export type H2Handler = (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => void

function settingsOf(o: H2ServerOptions): http2.Settings {
  const settings: http2.Settings = {}
  if (o.maxConcurrentStreams !== undefined) settings.maxConcurrentStreams = o.maxConcurrentStreams
  if (o.initialWindowSize !== undefined) settings.initialWindowSize = o.initialWindowSize
  return settings
}

/** Sessions left open by clients must not keep the lesson from stopping: `close()` destroys them. */
async function listen<S extends http2.Http2Server | http2.Http2SecureServer>(
  server: S
): Promise<{ server: S; port: number }> {
  const sessions = new Set<http2.ServerHttp2Session>()
  server.on('session', (s: http2.ServerHttp2Session) => {
    sessions.add(s)
    s.on('close', () => sessions.delete(s))
  })
  const close = server.close.bind(server)
  server.close = ((cb?: (err?: Error) => void) => {
    for (const s of sessions) s.destroy()
    return close(cb)
  }) as typeof server.close
  const port = await listenTcp(server, 0, LOOPBACK)
  return { server, port }
}

export function startH2cServer(
  handler: H2Handler,
  o: H2ServerOptions = {}
): Promise<{ server: http2.Http2Server; port: number }> {
  return listen(http2.createServer({ settings: settingsOf(o) }, handler))
}

/** The same server over TLS, ALPN "h2" only, with the lessons' certificate. */
export function startH2TlsServer(
  handler: H2Handler,
  creds: Credentials,
  o: H2ServerOptions = {}
): Promise<{ server: http2.Http2SecureServer; port: number }> {
  const server = http2.createSecureServer(
    {
      key: creds.key,
      cert: creds.cert,
      ALPNProtocols: ['h2'],
      settings: settingsOf({ maxConcurrentStreams: o.maxConcurrentStreams })
    },
    handler
  )
  server.on('keylog', (line: Buffer) => keyLog.add(line))
  return listen(server)
}
