// One dashboard request on one timeline, from the log: the HTTP request to the API, then every leg
// the API ran while answering it (RESP commands with their replies, SQL from Parse/Query to
// ReadyForQuery), then the JSON answer; the same for each later request, on the same time scale,
// and the SSE updates that followed.
import type { ConnOpenEvent, Field, LabEvent, PduEvent } from '@shared/events'

export interface Leg {
  protocol: 'resp' | 'pgsql'
  conn: string
  label: string
  result: string
  t0: number
  t1?: number
  firstSeq: number
  lastSeq?: number
  /** RESP: a nil reply (a cache miss). */
  nil?: boolean
  /** SQL: the first DataRow (what a click shows in the byte inspector). */
  rowSeq?: number
  pdus: number
}

export interface TraceRequest {
  conn: string
  path: string
  reqSeq: number
  resSeq?: number
  t0: number
  t1?: number
  status?: number
  cache?: string
  bytes?: number
  legs: Leg[]
}

export interface TraceModel {
  requests: TraceRequest[]
  updates: { seq: number; data: string; t: number }[]
  /** Milliseconds saved by the first cache hit compared with the miss before it. */
  saved: { miss: number; hit: number } | null
}

function header(fields: Field[], name: string): string | undefined {
  for (const f of fields) {
    if (f.id === 'http.header' && f.name.toLowerCase() === name) return f.value
    const c = f.children ? header(f.children, name) : undefined
    if (c !== undefined) return c
  }
  return undefined
}

export function buildTrace(events: readonly LabEvent[]): TraceModel {
  const taps = new Map<string, string>()
  for (const e of events) if (e.kind === 'conn.open') taps.set(e.conn, (e as ConnOpenEvent).tap ?? '')
  const pdus = events.filter((e): e is PduEvent => e.kind === 'pdu' && !e.modeled)
  const requests: TraceRequest[] = []
  const open = new Map<string, TraceRequest>()
  const updates: TraceModel['updates'] = []
  for (const p of pdus) {
    if (taps.get(p.conn) !== 'http') continue
    if (p.protocol === 'sse' && typeof p.keys?.data === 'string')
      updates.push({ seq: p.seq, data: p.keys.data, t: p.t })
    if (p.protocol !== 'http') continue
    const path = String(p.keys?.path ?? '')
    if (p.dir === 'c2s' && path.startsWith('/api/metricas')) {
      const r: TraceRequest = { conn: p.conn, path, reqSeq: p.seq, t0: p.t, legs: [] }
      requests.push(r)
      open.set(`${p.conn}#${p.keys?.index}`, r)
    } else if (p.dir === 's2c') {
      const r = open.get(`${p.conn}#${p.keys?.index}`)
      if (!r) continue
      open.delete(`${p.conn}#${p.keys?.index}`)
      r.resSeq = p.seq
      r.t1 = p.t
      r.status = typeof p.keys?.status === 'number' ? p.keys.status : undefined
      r.cache = header(p.fields, 'x-cache')
      r.bytes = typeof p.keys?.bodyLength === 'number' ? p.keys.bodyLength : undefined
    }
  }
  // The legs of each request: PDUs on the API's own connections while it was answering.
  for (const r of requests) {
    const end = r.t1 ?? Infinity
    const resp = new Map<number, Leg>()
    let sql: Leg | null = null
    for (const p of pdus) {
      if (p.t < r.t0 || p.t > end) continue
      const tap = taps.get(p.conn)
      if (tap === 'redis' && p.protocol === 'resp') {
        const idx = Number(p.keys?.index)
        if (p.dir === 'c2s' && p.keys?.kind === 'command') {
          const leg: Leg = {
            protocol: 'resp',
            conn: p.conn,
            label: p.summary,
            result: '…',
            t0: p.t,
            firstSeq: p.seq,
            pdus: 1
          }
          resp.set(idx, leg)
          r.legs.push(leg)
        } else if (p.dir === 's2c' && resp.has(idx)) {
          const leg = resp.get(idx)!
          leg.t1 = p.t
          leg.lastSeq = p.seq
          leg.result = p.summary.replace(/^\S+ → /, '')
          leg.nil = p.keys?.nil === true
          leg.pdus++
        }
      } else if (tap === 'pgsql' && p.protocol === 'pgsql') {
        const type = String(p.keys?.type ?? '')
        if (p.dir === 'c2s' && (type === 'Parse' || type === 'Query') && !sql) {
          sql = {
            protocol: 'pgsql',
            conn: p.conn,
            label: String(p.keys?.sql ?? p.summary),
            result: '…',
            t0: p.t,
            firstSeq: p.seq,
            pdus: 0
          }
          r.legs.push(sql)
        }
        if (!sql) continue
        sql.pdus++
        if (type === 'CommandComplete') sql.result = `${String(p.keys?.command ?? '')}`
        if (type === 'DataRow') sql.rowSeq ??= p.seq
        if (type === 'ReadyForQuery') {
          sql.t1 = p.t
          sql.lastSeq = p.seq
          sql = null
        }
      }
    }
  }
  let saved: TraceModel['saved'] = null
  for (let i = 0; i < requests.length && !saved; i++) {
    const miss = requests[i]
    if (miss.cache !== 'MISS' || miss.t1 === undefined) continue
    const hit = requests
      .slice(i + 1)
      .find((x) => x.cache === 'HIT' && x.t1 !== undefined && x.path === miss.path)
    if (hit) saved = { miss: miss.t1 - miss.t0, hit: hit.t1! - hit.t0 }
  }
  return { requests, updates, saved }
}
