// A built-in HTTP/2 client: one connection (through the tap, as a known actor), many concurrent
// streams, each a GET whose response is read to the end. Real node:http2 on both sides.
import http2 from 'node:http2'
import tls from 'node:tls'
import type { Actor } from '../../tap/actors'
import type { Connector } from '../common/connector'
import { keyLog } from '../common/keylog'

export interface StreamResult {
  path: string
  status: number
  bytes: number
  streamId: number
  startedAt: number
  endedAt: number
  error?: string
}

export interface H2ClientOptions {
  /** SETTINGS_INITIAL_WINDOW_SIZE the client announces (how much each response may send before a WINDOW_UPDATE). */
  initialWindowSize?: number
  timeoutMs?: number
  /** TLS with ALPN "h2", trusting this certificate (PEM). */
  tls?: { ca: string }
}

export async function openSession(ctx: Connector, actor: Actor, port: number, o: H2ClientOptions = {}): Promise<http2.ClientHttp2Session> {
  const settings: http2.Settings = { enablePush: false }
  if (o.initialWindowSize !== undefined) settings.initialWindowSize = o.initialWindowSize
  const secure = o.tls
  const session = http2.connect(`${secure ? 'https' : 'http'}://127.0.0.1:${port}`, {
    settings,
    createConnection: () => {
      const socket = ctx.tcpSocket(actor, port)
      if (!secure) return socket
      const t = tls.connect({ socket, ALPNProtocols: ['h2'], servername: 'localhost', ca: secure.ca })
      // The client logs its secrets as soon as it has them, before its first encrypted byte leaves.
      t.on('keylog', (line: Buffer) => keyLog.add(line))
      return t
    }
  })
  ctx.onStop(() => {
    if (!session.destroyed) session.destroy()
  })
  // Wait for the server's SETTINGS too, so limits such as SETTINGS_MAX_CONCURRENT_STREAMS apply
  // to the very first requests.
  await new Promise<void>((resolve, reject) => {
    session.once('remoteSettings', () => resolve())
    session.once('error', reject)
  })
  session.on('error', () => undefined)
  return session
}

/** GETs `path` on the session; resolves when the response's last DATA frame arrived. */
export function get(session: http2.ClientHttp2Session, path: string, timeoutMs = 15_000): Promise<StreamResult> {
  return new Promise((resolve) => {
    const startedAt = performance.now()
    const stream = session.request({ ':method': 'GET', ':path': path })
    let status = 0
    let bytes = 0
    const timer = setTimeout(() => stream.close(http2.constants.NGHTTP2_CANCEL), timeoutMs)
    const done = (error?: string): void => {
      clearTimeout(timer)
      resolve({ path, status, bytes, streamId: stream.id ?? 0, startedAt, endedAt: performance.now(), ...(error ? { error } : {}) })
    }
    stream.on('response', (h) => {
      status = Number(h[':status'] ?? 0)
    })
    stream.on('data', (c: Buffer) => {
      bytes += c.length
    })
    stream.on('end', () => done())
    stream.on('error', (err: Error) => done(err.message))
    stream.on('close', () => {
      if (stream.rstCode && stream.rstCode !== http2.constants.NGHTTP2_NO_ERROR) done(`stream reset (code ${stream.rstCode})`)
    })
    stream.end()
  })
}

/** Closes the session politely (GOAWAY) and waits for the connection to end. */
export function closeSession(session: http2.ClientHttp2Session): Promise<void> {
  return new Promise((resolve) => {
    if (session.closed || session.destroyed) return resolve()
    session.close(() => resolve())
  })
}
