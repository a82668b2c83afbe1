// The seed's FastAPI `items` example as a real node:http server (seed 004, "Exemplo: FastAPI"),
// plus the race's resources. Handlers use the (req, res) shape that node:http and node:http2's
// compatibility API share, so the same code serves HTTP/1.1 and HTTP/2.
import http from 'node:http'
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2'
import { LOOPBACK, listenTcp } from '../../net/ports'

/** What the handlers use of a request: the same in node:http and node:http2's compatibility API. */
export interface Req {
  method?: string
  url?: string
  on(event: 'data', fn: (chunk: Buffer) => void): unknown
  on(event: 'end' | 'close', fn: () => void): unknown
  on(event: 'error', fn: (err: Error) => void): unknown
}
export interface Res {
  headersSent: boolean
  writeHead(status: number, headers: Record<string, string | number>): unknown
  write(chunk: string | Buffer): unknown
  end(): unknown
  end(chunk: string | Buffer): unknown
}
const _compatible: [(r: http.IncomingMessage | Http2ServerRequest) => Req, (r: http.ServerResponse | Http2ServerResponse) => Res] = [(r) => r, (r) => r]
void _compatible

export interface Item {
  name: string
  price: number
}

/** The seed's in-memory "database". */
export const seedItems = (): Map<number, Item> =>
  new Map([
    [1, { name: 'Laptop', price: 1200 }],
    [2, { name: 'Mouse', price: 50 }]
  ])

function sendJson(res: Res, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
  res.end(text)
}

function readBody(req: Req, limit = 64 * 1024): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > limit) reject(new Error('body too large'))
      else chunks.push(c)
    })
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

/**
 * The items API: `GET /`, `GET /items` (sent with chunked transfer coding, one chunk per item),
 * `GET /items/{id}`, `POST /items` (JSON `{name, price}`), `DELETE /items/{id}`; a JSON 404 for
 * anything else.
 */
export function itemsHandler(items: Map<number, Item> = seedItems()): (req: Req, res: Res) => void {
  return (req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost')
      const path = url.pathname.replace(/\/+$/, '') || '/'
      const m = /^\/items\/([^/]+)$/.exec(path)
      if (req.method === 'GET' && path === '/') return sendJson(res, 200, { message: 'Ola, API!' })
      if (req.method === 'GET' && path === '/items') {
        // Chunked transfer coding: the length is not announced, each item goes out as a chunk.
        res.writeHead(200, { 'content-type': 'application/json' })
        const list = [...items.entries()].map(([id, it]) => ({ id, ...it }))
        res.write('[')
        list.forEach((it, i) => res.write((i ? ',' : '') + JSON.stringify(it)))
        res.end(']')
        return
      }
      if (m && req.method === 'GET') {
        const id = Number(m[1])
        if (!Number.isInteger(id)) return sendJson(res, 422, { error: 'item_id must be an integer' })
        const item = items.get(id)
        return item ? sendJson(res, 200, item) : sendJson(res, 404, { error: 'Item not found' })
      }
      if (m && req.method === 'DELETE') {
        const id = Number(m[1])
        return items.delete(id) ? sendJson(res, 200, { deleted: id }) : sendJson(res, 404, { error: 'Item not found' })
      }
      if (req.method === 'POST' && path === '/items') {
        let body: unknown
        try {
          body = JSON.parse(await readBody(req))
        } catch {
          return sendJson(res, 400, { error: 'body must be JSON: {"name": "...", "price": 0}' })
        }
        const b = body as Partial<Item>
        if (typeof b !== 'object' || b === null || typeof b.name !== 'string' || typeof b.price !== 'number')
          return sendJson(res, 422, { error: 'expected {"name": string, "price": number}' })
        const id = Math.max(0, ...items.keys()) + 1
        items.set(id, { name: b.name, price: b.price })
        return sendJson(res, 201, { id, name: b.name, price: b.price })
      }
      return sendJson(res, 404, { error: 'Not found' })
    })().catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: err instanceof Error ? err.message : String(err) })
      else res.end()
    })
  }
}

export interface TileOptions {
  /** Bytes of each resource. */
  size: number
  /** Milliseconds the server waits before answering each resource. */
  delayMs: number
  /** When set, the body is written in pieces of this many bytes, one per event-loop turn (a server streaming its answer). */
  piece?: number
  /** Resources to lose once: the server aborts them (HTTP/2: RST_STREAM; HTTP/1.1: the connection is cut). */
  lose?: Set<number>
}

/** Deterministic filler for a resource: a JSON document of about `size` bytes. */
export function tileBody(n: number, size: number): Buffer {
  const head = `{"tile":${n},"data":"`
  const tail = '"}'
  const fill = Math.max(0, size - head.length - tail.length)
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
  let s = ''
  for (let i = 0; i < fill; i++) s += alphabet[(i * 7 + n * 13) % alphabet.length]
  return Buffer.from(head + s + tail)
}

interface Abortable {
  stream?: { close(code: number): void }
  socket?: { destroy(): void } | null
}

/** The race's resources: `GET /tiles/{n}` after `delayMs`, about `size` bytes of JSON each. */
export function tilesHandler(get: () => TileOptions): (req: Req, res: Res) => void {
  return (req, res) => {
    const m = /^\/tiles\/(\d+)$/.exec(req.url ?? '')
    if (!m) {
      sendJson(res, 404, { error: 'Not found' })
      return
    }
    const n = Number(m[1])
    const { size, delayMs, piece, lose } = get()
    let gone = false
    req.on('close', () => {
      gone = true
      clearTimeout(timer)
    })
    const timer = setTimeout(() => {
      if (lose?.delete(n)) {
        const r = res as unknown as Abortable
        const q = req as unknown as Abortable
        if (r.stream) r.stream.close(2 /* INTERNAL_ERROR */)
        else q.socket?.destroy()
        return
      }
      const body = tileBody(n, size)
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length })
      if (!piece || piece >= body.length) {
        res.end(body)
        return
      }
      let at = 0
      const step = (): void => {
        if (gone) return
        const next = Math.min(body.length, at + piece)
        const part = body.subarray(at, next)
        at = next
        if (at >= body.length) res.end(part)
        else {
          res.write(part)
          setImmediate(step)
        }
      }
      step()
    }, delayMs)
  }
}

/** A node:http server on a hidden ephemeral loopback port (keep-alive on, as by default). */
export async function startHttpServer(handler: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<{ server: http.Server; port: number }> {
  const server = http.createServer({ keepAliveTimeout: 30_000 }, handler)
  const port = await listenTcp(server, 0, LOOPBACK)
  return { server, port }
}

/** Routes `/tiles/…` to `resources`, everything else to the items API. */
export function router(resources: (req: Req, res: Res) => void): (req: Req, res: Res) => void {
  const items = itemsHandler()
  return (req, res) => ((req.url ?? '').startsWith('/tiles/') ? resources(req, res) : items(req, res))
}
