// The blocking-vs-async lesson from the log: for each server, its clients' lanes (connected,
// waiting in the accept queue, accepted, replied) and its accept queue over time, as far as the
// playback cursor has gone. Times in ms since the latest run started (its `io.race`/`io.one` note).
import type { LabEvent } from '@shared/events'

export type IoModelId = 'blocking' | 'threads' | 'event-loop'

export const SERVER_NODES: Record<IoModelId, string> = {
  blocking: 'srv-blocking',
  threads: 'srv-threads',
  'event-loop': 'srv-loop'
}

export interface Lane {
  node: string
  label: string
  external: boolean
  conn?: string
  /** ms since the run started. */
  connect?: number
  accepted?: number
  request?: number
  firstByte?: number
  reply?: number
  closed?: number
  synRetried: boolean
}

export interface Column {
  model: IoModelId
  node: string
  label: string
  port?: number
  backlog?: number
  /** The latest sampled accept queue and when (ms), and every sample. */
  queue: { ms: number; queue: number }[]
  queueSource?: string
  lanes: Lane[]
  threads: { ms: number; live: number; started: number; rssMB: number; startMs?: number }[]
}

export interface ServersModel {
  t0: number | null
  /** Latest visible time (ms since t0), for bars still growing. */
  now: number
  columns: Column[]
  overflows?: number
}

const RUN_NOTES = new Set(['io.race', 'io.one'])

export function buildServers(events: readonly LabEvent[]): ServersModel {
  let from = -1
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]
    if (e.kind === 'note' && RUN_NOTES.has(e.key)) {
      from = i
      break
    }
  }
  const columns = (Object.keys(SERVER_NODES) as IoModelId[]).map((model): Column => ({
    model,
    node: SERVER_NODES[model],
    label: model,
    queue: [],
    lanes: [],
    threads: []
  }))
  const byNode = new Map(columns.map((c) => [c.node, c]))
  // Servers are announced once, before any run.
  for (const e of events)
    if (e.kind === 'node' && byNode.has(e.node)) {
      const c = byNode.get(e.node)!
      c.label = e.label
      c.port = e.endpoint?.port
    }
  const t0 = from >= 0 ? events[from].t : null
  if (t0 === null) return { t0, now: 0, columns }
  const ms = (t: number): number => t - t0
  const lanes = new Map<string, Lane>()
  const laneOfConn = new Map<string, Lane>()
  const requestLen = new Map<string, number>()
  const labels = new Map<string, { label: string; external: boolean }>()
  for (const e of events)
    if (e.kind === 'node') labels.set(e.node, { label: e.label, external: !!e.external })
  let now = 0
  let overflows: number | undefined
  for (let i = from; i < events.length; i++) {
    const e = events[i]
    now = Math.max(now, ms(e.t))
    switch (e.kind) {
      case 'conn.open': {
        const col = byNode.get(e.to)
        if (!col) break
        const who = labels.get(e.from)
        const lane: Lane = {
          node: e.from,
          label: who?.label ?? e.from,
          external: who?.external ?? false,
          conn: e.conn,
          connect: ms(e.t),
          synRetried: false
        }
        if (lane.external) lane.accepted = lane.connect // the server saw it when it accepted it
        lanes.set(e.conn, lane)
        laneOfConn.set(e.conn, lane)
        col.lanes.push(lane)
        break
      }
      case 'bytes': {
        const lane = laneOfConn.get(e.conn)
        if (!lane) break
        if (e.dir === 'c2s') {
          lane.request ??= ms(e.t)
          requestLen.set(e.conn, (requestLen.get(e.conn) ?? 0) + e.data.length)
        } else {
          lane.firstByte ??= ms(e.t)
          if (e.offset + e.data.length >= (requestLen.get(e.conn) ?? 1)) lane.reply ??= ms(e.t)
        }
        break
      }
      case 'conn.close': {
        const lane = laneOfConn.get(e.conn)
        if (lane) lane.closed = ms(e.t)
        break
      }
      case 'sample': {
        const col = byNode.get(e.subject)
        if (e.series === 'accept' && e.conn) {
          const lane = laneOfConn.get(e.conn)
          if (lane) lane.accepted = ms(e.t)
        } else if (e.series === 'accept-queue' && col) {
          col.queue.push({ ms: ms(e.t), queue: Number(e.values.queue) })
          col.backlog = Number(e.values.backlog)
          col.queueSource = e.source
        } else if (e.series === 'threads' && col) {
          col.threads.push({
            ms: ms(e.t),
            live: Number(e.values.live),
            started: Number(e.values.started),
            rssMB: Number(e.values.rssMB),
            ...(e.values.startMs !== undefined ? { startMs: Number(e.values.startMs) } : {})
          })
        } else if (e.series === 'client-times' && col) {
          const lane = col.lanes.find((l) => l.node === `${col.node}-c${e.values.client}`)
          if (lane) lane.synRetried = e.values.synRetried === true
        } else if (e.series === 'listen-overflows') overflows = Number(e.values.overflows)
        break
      }
    }
  }
  // Before the final report, a connect that took a SYN retransmission timeout says the same.
  for (const c of columns)
    for (const l of c.lanes) if (!l.external && (l.connect ?? 0) >= 900) l.synRetried = true
  return { t0, now, columns, ...(overflows !== undefined ? { overflows } : {}) }
}

/** The accept queue at `ms` (the latest sample at or before it). */
export function queueAt(col: Column, at: number): number {
  let q = 0
  for (const s of col.queue) if (s.ms <= at) q = s.queue
  return q
}
