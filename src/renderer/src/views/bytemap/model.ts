// The S3 views' data, from the log: the objects (sizes from the listing, HEAD and Content-Range;
// structure from the footers decoded on the wire), every ranged GET painted onto the bytes it
// asked for and got, each connection's requests in time order (its lane), the totals, and a
// multipart upload's parts. A function of the visible events only, so replay and scrubbing work.
import type { ConnOpenEvent, LabEvent, NodeEvent, PduEvent } from '@shared/events'
import { parseLayout, partsCovered, type ParquetLayout } from '@shared/protocols/s3'

export interface Request {
  conn: string
  actor: string
  reqSeq: number
  resSeq?: number
  op: string
  key?: string
  /** Requested byte range (inclusive), when the request had a Range. */
  first?: number
  last?: number
  status?: number
  injected: boolean
  error?: string
  attempt: number
  t0: number
  t1?: number
  /** Bytes of object data the answer carried. */
  bytes: number
  /** What the range covers: `footer`, a column name, or `other`. */
  kind: string
  partNumber?: number
  etag?: string
}

export interface MapObject {
  key: string
  size?: number
  layout?: ParquetLayout
  requests: Request[]
  fetched: number
}

export interface Lane {
  conn: string
  actor: string
  label: string
  requests: Request[]
}

export interface S3Model {
  objects: MapObject[]
  lanes: Lane[]
  /** Bytes of objects received / total size of the objects read. */
  fetched: number
  total: number
  requests: number
  injected: number
  retries: number
  /** Columns whose chunks were fetched, and all columns of the table. */
  columnsRead: string[]
  columns: string[]
  t0: number | null
  multipart: { key: string; parts: Request[]; complete?: Request; etag?: string }[]
}

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined)

/** What a range of an object is, once its layout is known. */
export function kindOf(layout: ParquetLayout | undefined, first: number, last: number): string {
  if (!layout) return 'other'
  const parts = partsCovered(layout, first, last + 1)
  if (parts.some((p) => p.part.kind === 'footer')) return 'footer'
  const cols = [
    ...new Set(parts.filter((p) => p.part.kind === 'chunk').map((p) => (p.part as { column: string }).column))
  ]
  return cols.length === 1 ? cols[0] : cols.length ? 'several' : 'other'
}

export function buildS3Model(events: readonly LabEvent[]): S3Model {
  const nodes = new Map<string, NodeEvent>()
  const conns = new Map<string, ConnOpenEvent>()
  const pending = new Map<string, Request>()
  const all: Request[] = []
  const sizes = new Map<string, number>()
  const layouts = new Map<string, ParquetLayout>()
  let t0: number | null = null
  for (const e of events) {
    if (e.kind === 'node') nodes.set(e.node, e)
    else if (e.kind === 'conn.open') conns.set(e.conn, e)
    else if (e.kind === 'pdu' && e.protocol === 'http' && !e.modeled && typeof e.keys?.s3 === 'string') {
      const p = e as PduEvent
      const k = p.keys!
      const id = `${p.conn}#${k.index}`
      if (p.dir === 'c2s') {
        const from = conns.get(p.conn)?.from ?? p.conn
        const r: Request = {
          conn: p.conn,
          actor: from,
          reqSeq: p.seq,
          op: String(k.s3),
          ...(typeof k.key === 'string' ? { key: k.key } : {}),
          ...(num(k.rangeFirst) !== undefined ? { first: num(k.rangeFirst) } : {}),
          ...(num(k.rangeLast) !== undefined ? { last: num(k.rangeLast) } : {}),
          ...(num(k.partNumber) !== undefined ? { partNumber: num(k.partNumber) } : {}),
          injected: false,
          attempt: num(k.attempt) ?? 1,
          t0: p.t,
          bytes: 0,
          kind: 'other'
        }
        t0 ??= p.t
        pending.set(id, r)
        all.push(r)
      } else {
        const r = pending.get(id)
        if (!r) continue
        pending.delete(id)
        r.resSeq = p.seq
        r.t1 = p.t
        r.status = num(k.status)
        r.injected = k.injected === true
        if (typeof k.s3Error === 'string') r.error = k.s3Error
        if (typeof k.etag === 'string') r.etag = k.etag
        const size = num(k.objectSize)
        if (r.key && size !== undefined) sizes.set(r.key, size)
        const cf = num(k.contentFirst)
        const cl = num(k.contentLast)
        if (cf !== undefined && cl !== undefined && (r.status === 206 || r.status === 200)) {
          r.bytes = cl - cf + 1
          r.first ??= cf
          r.last ??= cl
        }
        const layout = parseLayout(k.parquet)
        if (r.key && layout) layouts.set(r.key, layout)
        if (r.op === 'ListObjectsV2' && typeof k.objects === 'string') {
          try {
            for (const o of JSON.parse(k.objects) as { key: string; size: number }[]) sizes.set(o.key, o.size)
          } catch {
            // not a listing we can read
          }
        }
      }
    }
  }
  const objects = new Map<string, MapObject>()
  for (const r of all) {
    if (r.op !== 'GetObject' || !r.key) continue
    const layout = layouts.get(r.key)
    if (r.first !== undefined && r.last !== undefined) r.kind = kindOf(layout, r.first, r.last)
    const o = objects.get(r.key) ?? { key: r.key, requests: [], fetched: 0 }
    o.requests.push(r)
    o.fetched += r.bytes
    objects.set(r.key, o)
  }
  for (const key of sizes.keys())
    if (!objects.has(key) && key.endsWith('.parquet') && layouts.has(key))
      objects.set(key, { key, requests: [], fetched: 0 })
  for (const o of objects.values()) {
    o.size = sizes.get(o.key) ?? layouts.get(o.key)?.size
    o.layout = layouts.get(o.key)
  }
  const lanes = new Map<string, Lane>()
  for (const r of all) {
    const lane = lanes.get(r.conn) ?? {
      conn: r.conn,
      actor: r.actor,
      label: nodes.get(r.actor)?.label ?? r.actor,
      requests: []
    }
    lane.requests.push(r)
    lanes.set(r.conn, lane)
  }
  const list = [...objects.values()].sort((a, b) => a.key.localeCompare(b.key))
  const columns = [...new Set(list.flatMap((o) => o.layout?.columns ?? []))]
  const uploads = new Map<string, S3Model['multipart'][number]>()
  for (const r of all) {
    if (!r.key || !['UploadPart', 'CompleteMultipartUpload', 'CreateMultipartUpload'].includes(r.op)) continue
    const u = uploads.get(r.key) ?? { key: r.key, parts: [] }
    if (r.op === 'UploadPart') u.parts.push(r)
    if (r.op === 'CompleteMultipartUpload') {
      u.complete = r
      u.etag = r.etag
    }
    uploads.set(r.key, u)
  }
  const gets = all.filter((r) => r.op === 'GetObject')
  return {
    objects: list,
    lanes: [...lanes.values()],
    fetched: list.reduce((n, o) => n + o.fetched, 0),
    total: list.reduce((n, o) => n + (o.size ?? 0), 0),
    requests: gets.length,
    injected: all.filter((r) => r.injected).length,
    retries: all.filter((r) => r.attempt > 1).length,
    columnsRead: columns.filter((c) => gets.some((r) => r.kind === c && r.bytes > 0)),
    columns,
    t0,
    multipart: [...uploads.values()]
  }
}

/**
 * The events of the step a view shows: from the last checkpoint question (each lesson action asks
 * one) before the last event `pick` accepts, so a new read does not pile onto the previous one.
 */
export function latestStep(events: readonly LabEvent[], pick: (e: LabEvent) => boolean = () => true): readonly LabEvent[] {
  let last = -1
  for (let i = events.length - 1; i >= 0; i--)
    if (pick(events[i])) {
      last = i
      break
    }
  if (last < 0) return events
  for (let i = last; i >= 0; i--) {
    const e = events[i]
    if (e.kind === 'checkpoint' && e.state === 'ask') return events.slice(i)
  }
  return events
}

export const isOp =
  (...ops: string[]) =>
  (e: LabEvent): boolean =>
    e.kind === 'pdu' && e.dir === 'c2s' && typeof e.keys?.s3 === 'string' && ops.includes(e.keys.s3)
