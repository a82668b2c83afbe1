// The race, from the log: the latest run of the http-race lesson (after its last "race.start"
// note), each resource's request and completion times as the tap saw them, per side.
import { scaleLinear } from 'd3'
import type { ConnOpenEvent, LabEvent, PduEvent } from '@shared/events'

export interface RaceRow {
  path: string
  /** Connection index (HTTP/1.1) or stream id (HTTP/2). */
  lane: number
  start: number
  end: number | null
  failed: boolean
}

export interface RaceSide {
  protocol: 'http/1.1' | 'h2'
  rows: RaceRow[]
  connections: number
  /** ms from the race start to the last completed response, when every row finished. */
  ms: number | null
  done: boolean
}

export interface RaceModel {
  started: number | null
  finished: boolean
  h1: RaceSide
  h2: RaceSide
  /** Latest time seen (for bars still running). */
  now: number
}

export function buildRace(events: readonly LabEvent[]): RaceModel {
  let from = -1
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]
    if (e.kind === 'note' && e.key === 'race.start') {
      from = i
      break
    }
  }
  const empty = (protocol: RaceSide['protocol']): RaceSide => ({ protocol, rows: [], connections: 0, ms: null, done: false })
  if (from < 0) return { started: null, finished: false, h1: empty('http/1.1'), h2: empty('h2'), now: 0 }
  const started = events[from].t
  const opens = new Map<string, ConnOpenEvent>()
  for (const e of events) if (e.kind === 'conn.open') opens.set(e.conn, e)
  const h1 = empty('http/1.1')
  const h2 = empty('h2')
  const h1Conns = new Map<string, number>()
  const h1Rows = new Map<string, RaceRow>()
  const h2Rows = new Map<string, RaceRow>()
  const h2Conns = new Set<string>()
  let finished = false
  let now = started
  for (let i = from; i < events.length; i++) {
    const e = events[i]
    now = Math.max(now, e.t)
    if (e.kind === 'note' && e.key === 'race.done') finished = true
    if (e.kind === 'conn.close') {
      // A cut HTTP/1.1 connection fails the request it was carrying.
      for (const [key, r] of h1Rows) if (key.startsWith(`${e.conn}/`) && r.end === null) r.failed = true
    }
    if (e.kind !== 'pdu') continue
    const p = e as PduEvent
    const tap = opens.get(p.conn)?.tap
    const k = p.keys ?? {}
    if (p.protocol === 'http' && tap === 'http') {
      if (!h1Conns.has(p.conn)) h1Conns.set(p.conn, h1Conns.size + 1)
      const key = `${p.conn}/${k.index}`
      if (p.dir === 'c2s' && typeof k.path === 'string') {
        const row: RaceRow = { path: k.path, lane: h1Conns.get(p.conn)!, start: p.t, end: null, failed: false }
        h1Rows.set(key, row)
        h1.rows.push(row)
      } else if (p.dir === 's2c') {
        const row = h1Rows.get(key)
        if (row) {
          row.end = p.t
          row.failed = k.status !== 200
        }
      }
    } else if (p.protocol === 'http2' && tap === 'h2c') {
      h2Conns.add(p.conn)
      const key = `${p.conn}/${k.streamId}`
      if (p.dir === 'c2s' && k.type === 'HEADERS' && typeof k.path === 'string') {
        const row: RaceRow = { path: k.path, lane: Number(k.streamId), start: p.t, end: null, failed: false }
        h2Rows.set(key, row)
        h2.rows.push(row)
      } else if (p.dir === 's2c' && k.endStream === true) {
        const row = h2Rows.get(key)
        if (row && row.end === null) row.end = p.t
      } else if (k.type === 'RST_STREAM') {
        const row = h2Rows.get(key)
        if (row) {
          row.failed = true
          row.end = p.t
        }
      }
    }
  }
  for (const side of [h1, h2]) {
    const ok = side.rows.filter((r) => r.end !== null && !r.failed)
    const paths = new Set(side.rows.map((r) => r.path))
    const donePaths = new Set(ok.map((r) => r.path))
    side.done = finished && paths.size > 0 && [...paths].every((p) => donePaths.has(p))
    side.ms = side.done ? Math.max(...ok.map((r) => r.end!)) - started : null
  }
  h1.connections = h1Conns.size
  h2.connections = h2Conns.size
  return { started, finished, h1, h2, now }
}

/** A side's rows in the order they are drawn: by start time, then by path (numbers as numbers). */
export function drawnRows(side: RaceSide): RaceRow[] {
  return [...side.rows].sort((a, b) => a.start - b.start || a.path.localeCompare(b.path, undefined, { numeric: true }))
}

/** The shared time axis's length in ms (a "nice" round end), so both sides' bars compare directly. */
export function raceSpan(m: RaceModel): number {
  const t0 = m.started ?? 0
  const ends = [...m.h1.rows, ...m.h2.rows].map((r) => (r.end ?? m.now) - t0)
  return scaleLinear()
    .domain([0, Math.max(10, ...ends)])
    .nice()
    .domain()[1]
}

/** Which side won, once both finished (HTTP/2 on a tie). */
export function raceWinner(m: RaceModel): 'h1' | 'h2' | null {
  if (m.h1.ms === null || m.h2.ms === null) return null
  return m.h1.ms < m.h2.ms ? 'h1' : 'h2'
}
