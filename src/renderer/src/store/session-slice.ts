// The session log as the renderer holds it. Events are appended in place (a 100k-event log is
// never copied); `count` changes once per ingested batch and is what components subscribe to.
import type { ConnOpenEvent, LabEvent, NodeEvent, SceneEvent } from '@shared/events'
import type { EventBatch } from '@shared/api'
import { fromWire, type WireEvent } from '@shared/wire'
import type { LabSlice } from './types'

export interface SessionSlice {
  /** All events held, sorted by `seq`. Mutated in place: read it, never keep a copy in state. */
  events: LabEvent[]
  /** `events.length`; changes once per batch. Subscribe to this, not to `events`. */
  count: number
  /** Bumped when the log is replaced (clear, new session): views drop their caches. */
  epoch: number
  /** Indices (into `events`) of events of interest: pdu, conn.open, conn.close, note, checkpoint. */
  marks: number[]
  /** Indices of `pdu` events. */
  pdus: number[]
  /** Indices of `scene` events with state `started`. */
  runs: number[]
  /** Indices of `note` events (the caption). */
  notes: number[]
  nodes: Map<string, NodeEvent>
  conns: Map<string, ConnOpenEvent>
  /** Event index by seq, for selection by seq. */
  bySeq: Map<number, number>
  /** Events the engine dropped (`drop` events) or the renderer could not decode. */
  dropped: number
  /** Events the bridge could not deliver (the latest batch's running count). */
  bridgeDropped: number
  /** The latest `scene` event (which lesson runs, its ports). */
  scene: SceneEvent | null
  ingest(batch: EventBatch | { events: WireEvent[]; dropped?: number }): void
  /** Replaces the whole log (opening a session file, or after the host cleared its log). */
  replace(events: WireEvent[]): void
  clear(): void
}

export function isMark(e: LabEvent): boolean {
  return (
    e.kind === 'pdu' ||
    e.kind === 'conn.open' ||
    e.kind === 'conn.close' ||
    e.kind === 'note' ||
    e.kind === 'checkpoint'
  )
}

function emptySession(): Pick<
  SessionSlice,
  | 'events'
  | 'count'
  | 'marks'
  | 'pdus'
  | 'runs'
  | 'notes'
  | 'nodes'
  | 'conns'
  | 'bySeq'
  | 'dropped'
  | 'bridgeDropped'
  | 'scene'
> {
  return {
    events: [],
    count: 0,
    marks: [],
    pdus: [],
    runs: [],
    notes: [],
    nodes: new Map(),
    conns: new Map(),
    bySeq: new Map(),
    dropped: 0,
    bridgeDropped: 0,
    scene: null
  }
}

function rebuildIndexes(s: ReturnType<typeof emptySession>): void {
  s.marks.length = 0
  s.pdus.length = 0
  s.runs.length = 0
  s.notes.length = 0
  s.bySeq.clear()
  s.events.forEach((e, i) => index(s, e, i))
}

function index(s: ReturnType<typeof emptySession>, e: LabEvent, i: number): void {
  s.bySeq.set(e.seq, i)
  if (isMark(e)) s.marks.push(i)
  switch (e.kind) {
    case 'pdu':
      s.pdus.push(i)
      break
    case 'node':
      s.nodes.set(e.node, e)
      break
    case 'conn.open':
      s.conns.set(e.conn, e)
      break
    case 'scene':
      if (e.state === 'started') s.runs.push(i)
      s.scene = e
      break
    case 'note':
      s.notes.push(i)
      break
    case 'drop':
      s.dropped += e.count
      break
  }
}

export const createSessionSlice: LabSlice<SessionSlice> = (set, get) => ({
  ...emptySession(),
  epoch: 0,
  ingest(batch) {
    const s = get()
    let outOfOrder = false
    let added = 0
    const last = s.events.length ? s.events[s.events.length - 1].seq : 0
    for (const w of batch.events) {
      if (s.bySeq.has(w.seq)) continue
      let e: LabEvent
      try {
        e = fromWire(w)
      } catch {
        s.dropped++
        continue
      }
      if (e.seq < last) outOfOrder = true
      s.events.push(e)
      if (!outOfOrder) index(s, e, s.events.length - 1)
      else s.bySeq.set(e.seq, -1)
      added++
    }
    if (outOfOrder) {
      s.events.sort((a, b) => a.seq - b.seq)
      rebuildIndexes(s)
    }
    const bridgeDropped = Math.max(s.bridgeDropped, batch.dropped ?? 0)
    if (added || bridgeDropped !== s.bridgeDropped)
      set({ count: s.events.length, dropped: s.dropped, bridgeDropped, scene: s.scene })
  },
  replace(events) {
    const fresh = emptySession()
    set({ ...fresh, epoch: get().epoch + 1, cursor: 0 })
    get().ingest({ events })
  },
  clear() {
    set({ ...emptySession(), epoch: get().epoch + 1, cursor: 0, selectedSeq: null, fieldPath: null })
  }
})
