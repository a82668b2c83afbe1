// The dashboard's backend: a real HTTP API (node:http) in the shape of the course's FastAPI
// example. GET /api/metricas?data=… checks the cache in Redis, on a miss runs the SQL in Postgres
// and stores the JSON in Redis for `ttl` seconds, and answers JSON; GET /api/stream/updates pushes
// updates as Server-Sent Events (the SSE lesson's metric feed).
import http from 'node:http'
import type pg from 'pg'
import type Redis from 'ioredis'
import { LOOPBACK, listenTcp } from '../../net/ports'
import { serveMetricStream } from '../../protocols/sse/server'

export const SQL = 'SELECT loja, count(*) AS vendas, sum(valor) AS total FROM vendas WHERE data = $1 GROUP BY loja ORDER BY total DESC'

export const cacheKey = (data: string): string => `metricas:${data}`

export interface DashboardApi {
  port: number
  close(cb?: () => void): void
}

export interface ApiOptions {
  db: pg.Client
  /** Null when Redis is not available: every request goes to Postgres. */
  cache: Redis | null
  ttl: number
  sse: { intervalMs: number; retryMs: number }
}

/** What the API answers: the day's sales per store, with numbers as JSON numbers. */
export async function metricas(db: pg.Client, data: string): Promise<string> {
  const r = await db.query<{ loja: string; vendas: string; total: string }>(SQL, [data])
  // Postgres sends count(*) (int8) and sum(numeric) as text, to keep every digit: the API decides
  // they are JSON numbers (marshalling).
  const lojas = r.rows.map((x) => ({ loja: x.loja, vendas: Number(x.vendas), total: Number(x.total) }))
  const total = Math.round(lojas.reduce((n, l) => n + l.total, 0) * 100) / 100
  return JSON.stringify({ data, total, lojas })
}

export async function startDashboardApi(o: ApiOptions): Promise<DashboardApi> {
  const streams = new Set<http.ServerResponse>()
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const send = (status: number, body: string, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...headers })
      res.end(body)
    }
    if (req.method === 'GET' && url.pathname === '/api/metricas') {
      const data = url.searchParams.get('data') ?? '2024-03-01'
      if (!/^\d{4}-\d{2}-\d{2}$/.test(data)) return send(400, JSON.stringify({ detail: 'data: use AAAA-MM-DD' }))
      void (async () => {
        const key = cacheKey(data)
        const hit = o.cache ? await o.cache.get(key).catch(() => null) : null
        if (hit) return send(200, hit, { 'X-Cache': 'HIT' })
        const body = await metricas(o.db, data)
        if (o.cache) await o.cache.set(key, body, 'EX', o.ttl).catch(() => undefined)
        send(200, body, { 'X-Cache': o.cache ? 'MISS' : 'NONE (no Redis)' })
      })().catch((err: Error) => {
        if (!res.headersSent) send(500, JSON.stringify({ detail: err.message }))
      })
      return
    }
    if (req.method === 'GET' && url.pathname === '/api/stream/updates') {
      serveMetricStream(req, res, o.sse, streams)
      return
    }
    send(404, JSON.stringify({ detail: 'Not Found' }))
  })
  const port = await listenTcp(server, 0, LOOPBACK)
  return {
    port,
    close(cb) {
      for (const s of streams) s.socket?.destroy()
      server.closeAllConnections()
      server.close(() => cb?.())
    }
  }
}
