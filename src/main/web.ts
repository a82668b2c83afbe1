// Browser mode: a Node host on 127.0.0.1 that runs the engine, serves the built renderer and
// speaks the WebSocket twin of the Electron bridge. Requests whose Host or Origin is not the host's
// own are refused (a defence against DNS rebinding).
import http from 'node:http'
import { createReadStream, existsSync, statSync } from 'node:fs'
import path from 'node:path'
import { WebSocketServer, type WebSocket } from 'ws'
import { Lab } from './lab/lab'
import { randomBytes } from 'node:crypto'
import { LogFeed } from './lab/session/feed'
import { buildReply } from '../shared/codec/packet'
import { writePcap, writeSessionFile, type SaveFormat } from './lab/session/save'
import { commandHandlers, dispatch } from './commands'
import { isCommandName, InvalidRequest } from '../shared/validate'
import { listenTcp, listenWithFallback, LOOPBACK } from './lab/net/ports'
import { RENDERER_CSP } from './security'

/** The renderer's CSP, plus: browser mode's pages may not be framed by another site. */
export const CSP = `${RENDERER_CSP}; frame-ancestors 'none'`

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
  '.proto': 'text/plain; charset=utf-8'
}

export interface WebHostOptions {
  port?: number
  /** Directory of the built renderer (default: out/renderer). */
  root?: string
  lab?: Lab
  ephemeralPorts?: boolean
  /** Extra origins allowed to open the bridge (a renderer dev server). */
  allowOrigins?: string[]
  log?: (line: string) => void
}

export interface WebHost {
  url: string
  port: number
  lab: Lab
  clients(): number
  close(): Promise<void>
}

/** A file name safe for Content-Disposition. */
function attachmentName(name: string): string {
  return name.replace(/[^\w.+-]/g, '_').slice(0, 200) || 'session'
}

export function isLocalHostHeader(host: string | undefined, port: number): boolean {
  if (!host) return false
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`
}

export async function startWebHost(o: WebHostOptions = {}): Promise<WebHost> {
  const root = path.resolve(o.root ?? path.join(__dirname, '..', '..', 'out', 'renderer'))
  const lab = o.lab ?? new Lab({ ephemeralPorts: o.ephemeralPorts })
  const log = o.log ?? (() => undefined)
  let port = 0
  const sockets = new Set<WebSocket>()
  /** One-time download addresses handed out by `session:save`. */
  const downloads = new Map<string, { format: SaveFormat; name: string; expires: number }>()

  const allowedOrigin = (origin: string | undefined): boolean =>
    origin === undefined ||
    origin === `http://127.0.0.1:${port}` ||
    origin === `http://localhost:${port}` ||
    (o.allowOrigins ?? []).includes(origin)

  const server = http.createServer((req, res) => {
    if (!isLocalHostHeader(req.headers.host, port)) {
      res.writeHead(403, { 'content-type': 'text/plain' }).end('Wirelab: refused (unexpected Host header)\n')
      return
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end()
      return
    }
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`)
    if (url.pathname === '/session/download') {
      serveDownload(url.searchParams.get('token') ?? '', req.method === 'HEAD', res)
      return
    }
    let rel = decodeURIComponent(url.pathname)
    if (rel === '/' || !path.extname(rel)) rel = '/index.html'
    const file = path.resolve(root, '.' + rel)
    if (!file.startsWith(root + path.sep) || !existsSync(file) || !statSync(file).isFile()) {
      if (rel === '/index.html') {
        res
          .writeHead(503, { 'content-type': 'text/plain; charset=utf-8' })
          .end('Wirelab: the renderer is not built. Run `npm run build` (or `npm run web`, which builds it).\n')
        return
      }
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n')
      return
    }
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-cache'
    })
    if (req.method === 'HEAD') res.end()
    else createReadStream(file).pipe(res)
  })

  function serveDownload(token: string, head: boolean, res: http.ServerResponse): void {
    const d = downloads.get(token)
    downloads.delete(token)
    if (!d || d.expires < Date.now()) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Wirelab: this download address was used or has expired.\n')
      return
    }
    res.writeHead(200, {
      'content-type': d.format === 'pcap' ? 'application/vnd.tcpdump.pcap' : 'application/json',
      'content-disposition': `attachment; filename="${attachmentName(d.name)}"`,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store'
    })
    if (head) {
      res.end()
      return
    }
    const sink = (piece: string | Uint8Array): Promise<void> | void => {
      if (!res.write(piece)) return new Promise<void>((r) => res.once('drain', () => r()))
    }
    const done =
      d.format === 'pcap' ? writePcap(lab.session, sink) : writeSessionFile(lab.session, lab.status()?.scene, sink)
    done.then(
      () => res.end(),
      (err: unknown) => {
        log(`saving failed: ${err instanceof Error ? err.message : String(err)}`)
        res.destroy()
      }
    )
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: 8 * 1024 * 1024 })
  server.on('upgrade', (req, socket, head) => {
    const pathname = new URL(req.url ?? '/', 'http://x').pathname
    if (pathname !== '/bridge' || !isLocalHostHeader(req.headers.host, port) || !allowedOrigin(req.headers.origin)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n')
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws))
  })

  wss.on('connection', (ws: WebSocket) => {
    sockets.add(ws)
    const feed = new LogFeed(lab.session, (packet) => ws.send(packet, { binary: true }), {
      ready: () => ws.bufferedAmount < 4 * 1024 * 1024
    })
    const handlers = commandHandlers(lab, 'web', {
      feed,
      async save(req) {
        const token = randomBytes(18).toString('base64url')
        const ext = req.format === 'pcap' ? '.pcap' : '.wirelab'
        downloads.set(token, { format: req.format, name: req.name ?? `session${ext}`, expires: Date.now() + 60_000 })
        return { url: `/session/download?token=${token}` }
      }
    })
    ws.on('message', (raw) => {
      let msg: { id?: unknown; channel?: unknown; req?: unknown }
      try {
        msg = JSON.parse(String(raw)) as typeof msg
      } catch {
        ws.send(JSON.stringify({ id: null, ok: false, error: { message: 'invalid JSON' } }))
        return
      }
      const id = typeof msg.id === 'number' ? msg.id : null
      if (!isCommandName(msg.channel)) {
        ws.send(JSON.stringify({ id, ok: false, error: { message: `unknown command ${String(msg.channel)}` } }))
        return
      }
      const channel = msg.channel
      dispatch(handlers, channel, msg.req).then(
        (res) => {
          if (ws.readyState !== ws.OPEN) return
          if (res instanceof Uint8Array) ws.send(buildReply(id ?? 0, res), { binary: true })
          else ws.send(JSON.stringify({ id, ok: true, res: res ?? null }))
        },
        (err: unknown) => {
          const message = err instanceof Error ? err.message : String(err)
          if (!(err instanceof InvalidRequest)) log(`command ${channel} failed: ${message}`)
          if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id, ok: false, error: { message } }))
        }
      )
    })
    ws.on('close', () => {
      sockets.delete(ws)
      feed.close()
    })
    ws.on('error', () => undefined)
  })

  const chosen = await listenWithFallback((p) => listenTcp(server, p, LOOPBACK), o.port ?? 5180)
  port = chosen.port
  if (chosen.fellBack) log(`port ${o.port ?? 5180} is in use; browser mode listens on ${port}`)
  const url = `http://127.0.0.1:${port}/`
  return {
    url,
    port,
    lab,
    clients: () => sockets.size,
    async close() {
      for (const ws of sockets) ws.terminate()
      wss.close()
      await lab.stop()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}
