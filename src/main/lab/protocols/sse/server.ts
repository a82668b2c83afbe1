// The seed's SSE server (FastAPI StreamingResponse, media_type="text/event-stream"):
// GET /stream/metricas sends a metric every second as `id:`/`event:`/`data:` lines, with a
// `retry:` hint and comment heartbeats, and resumes after the id a reconnecting client sends in
// Last-Event-ID. POST /v1/chat/completions with "stream": true sends an LLM-style answer token by
// token (OpenAI chunk format, ending with `data: [DONE]`). The same metric feed is also served
// over WebSocket at /ws/metricas, for the side-by-side comparison.
import http from 'node:http'
import { WebSocketServer } from 'ws'
import { LOOPBACK, listenTcp } from '../../net/ports'

export interface SseServerOptions {
  /** Milliseconds between metrics. */
  intervalMs: number
  /** The reconnection delay the server asks clients to use (`retry:`). */
  retryMs: number
  /** Milliseconds between tokens. */
  tokenMs: number
  /** A heartbeat comment after every this many metrics (0: never). */
  heartbeatEvery?: number
}

export interface SseServer {
  server: http.Server
  port: number
  /** Cuts every open event stream (the server's side closes the TCP connection). */
  cut(): number
  /** Open metric streams. */
  streams(): number
  close(cb?: () => void): void
}

/** Deterministic, plausible CPU values, so a resumed stream continues the same series. */
export function metricFor(id: number): { cpu: number; ts: number } {
  const cpu = Math.round((50 + 35 * Math.sin(id / 2.5) + ((id * 37) % 11)) * 10) / 10
  return { cpu, ts: id }
}

export const ANSWER =
  'SSE é suficiente porque a geração de texto é unidirecional: o servidor envia tokens, o cliente apenas recebe.'

/** Splits text into word-and-space tokens, the way an LLM streams them (roughly). */
export function tokens(text: string): string[] {
  return text.match(/\s*[^\s]+/g) ?? []
}

/**
 * Answers one GET with the metric feed as text/event-stream: `retry:`, then an event every
 * `intervalMs` (`id:`, `event:`, `data: {"cpu": …}`), resuming after a `Last-Event-ID`. Any HTTP
 * server can mount it (the dashboard API does, at /api/stream/updates). `open` tracks live streams.
 */
export function serveMetricStream(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  o: Pick<SseServerOptions, 'intervalMs' | 'retryMs' | 'heartbeatEvery'>,
  open?: Set<http.ServerResponse>
): void {
  const last = Number(req.headers['last-event-id'])
  let id = Number.isFinite(last) && last >= 0 ? Math.floor(last) : 0
  res.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache',
    Connection: 'keep-alive'
  })
  res.write(`retry: ${o.retryMs}\n: ${id ? `retomando depois do id ${id}` : 'conectado'}\n\n`)
  open?.add(res)
  let sent = 0
  const timer = setInterval(() => {
    id++
    sent++
    const m = metricFor(id)
    const type = m.cpu > 90 ? 'alerta' : 'metrica'
    res.write(`id: ${id}\nevent: ${type}\ndata: ${JSON.stringify(m)}\n\n`)
    if (o.heartbeatEvery && sent % o.heartbeatEvery === 0) res.write(': heartbeat\n\n')
  }, o.intervalMs)
  const stop = (): void => {
    clearInterval(timer)
    open?.delete(res)
  }
  res.on('close', stop)
  req.on('close', stop)
}

export async function startSseServer(o: SseServerOptions): Promise<SseServer> {
  const open = new Set<http.ServerResponse>()
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    if (req.method === 'GET' && url.pathname === '/stream/metricas') {
      serveMetricStream(req, res, o, open)
      return
    }
    if (req.method === 'POST' && url.pathname === '/v1/chat/completions') {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        let body: { stream?: boolean; model?: string } = {}
        try {
          body = JSON.parse(Buffer.concat(chunks).toString() || '{}') as typeof body
        } catch {
          res.writeHead(400, { 'Content-Type': 'application/json' })
          res.end(JSON.stringify({ error: 'body is not JSON' }))
          return
        }
        const model = body.model ?? 'wirelab-mini'
        if (!body.stream) {
          const json = JSON.stringify({
            id: 'chatcmpl-1',
            object: 'chat.completion',
            model,
            choices: [{ index: 0, message: { role: 'assistant', content: ANSWER }, finish_reason: 'stop' }]
          })
          res.writeHead(200, {
            'Content-Type': 'application/json',
            'Content-Length': Buffer.byteLength(json)
          })
          res.end(json)
          return
        }
        res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' })
        const list = tokens(ANSWER)
        let i = 0
        const chunk = (delta: Record<string, string>, finish: string | null): string =>
          `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`
        const timer = setInterval(() => {
          if (res.destroyed) return clearInterval(timer)
          if (i < list.length) res.write(chunk({ content: list[i++] }, null))
          else {
            clearInterval(timer)
            res.write(chunk({}, 'stop'))
            res.end('data: [DONE]\n\n')
          }
        }, o.tokenMs)
        res.on('close', () => clearInterval(timer))
      })
      return
    }
    res.writeHead(404, { 'Content-Type': 'application/json' })
    res.end(JSON.stringify({ detail: 'Not Found' }))
  })
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false })
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    if (url.pathname !== '/ws/metricas') {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n')
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      let id = 0
      const timer = setInterval(() => {
        id++
        const m = metricFor(id)
        ws.send(JSON.stringify({ id, event: m.cpu > 90 ? 'alerta' : 'metrica', ...m }))
      }, o.intervalMs)
      ws.on('close', () => clearInterval(timer))
      ws.on('error', () => clearInterval(timer))
    })
  })
  const port = await listenTcp(server, 0, LOOPBACK)
  return {
    server,
    port,
    cut() {
      const n = open.size
      for (const res of [...open]) res.socket?.destroy()
      return n
    },
    streams: () => open.size,
    close(cb) {
      for (const res of [...open]) res.socket?.destroy()
      for (const c of wss.clients) c.terminate()
      wss.close()
      server.closeAllConnections()
      server.close(() => cb?.())
    }
  }
}
