// A real node:http2 server in cleartext (h2c, prior knowledge) on a hidden loopback port. It
// serves the items API and the lessons' resources through node:http2's compatibility API.
import http2 from 'node:http2'
import { LOOPBACK, listenTcp } from '../../net/ports'
import { itemsHandler, type Req, type Res } from '../http/server'
import { credentials } from '../tls/server'
import { keyLog } from '../tls/keylog'

export interface H2ServerOptions {
  /** SETTINGS_MAX_CONCURRENT_STREAMS the server announces. */
  maxConcurrentStreams?: number
  /** SETTINGS_INITIAL_WINDOW_SIZE the server announces (for request bodies). */
  initialWindowSize?: number
}

/** Routes `/tiles/…` and `/res/…` to `resources`, everything else to the items API. */
export function router(resources: (req: Req, res: Res) => void): (req: Req, res: Res) => void {
  const items = itemsHandler()
  return (req, res) => ((req.url ?? '').startsWith('/tiles/') ? resources(req, res) : items(req, res))
}

export async function startH2cServer(handler: (req: Req, res: Res) => void, o: H2ServerOptions = {}): Promise<{ server: http2.Http2Server; port: number }> {
  const settings: http2.Settings = {}
  if (o.maxConcurrentStreams !== undefined) settings.maxConcurrentStreams = o.maxConcurrentStreams
  if (o.initialWindowSize !== undefined) settings.initialWindowSize = o.initialWindowSize
  const server = http2.createServer({ settings }, (req, res) => handler(req, res))
  // Sessions left open by clients must not keep the scene from stopping.
  const sessions = new Set<http2.ServerHttp2Session>()
  server.on('session', (s) => {
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

/** The same server over TLS, ALPN "h2" only; its TLS secrets go to the key log so Wirelab can decrypt. */
export async function startH2TlsServer(handler: (req: Req, res: Res) => void, o: H2ServerOptions = {}): Promise<{ server: http2.Http2SecureServer; port: number }> {
  const creds = await credentials()
  const settings: http2.Settings = {}
  if (o.maxConcurrentStreams !== undefined) settings.maxConcurrentStreams = o.maxConcurrentStreams
  const server = http2.createSecureServer({ key: creds.key, cert: creds.cert, ALPNProtocols: ['h2'], settings }, (req, res) => handler(req, res))
  server.on('keylog', (line: Buffer) => keyLog.add(line))
  const sessions = new Set<http2.ServerHttp2Session>()
  server.on('session', (s) => {
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
