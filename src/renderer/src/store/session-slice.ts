// The session log as the renderer holds it: a window of the engine's log around the playback
// position (all of it for a lesson of ordinary size), with the context its views need from before
// the window (the run's actors, open connections, caption: shared/codec/context.ts). Events are
// appended in place (a 100k-event window is never copied); `count` changes once per ingested batch
// and is what components subscribe to. `total`, `totalMarks` and `marksBefore` place the window in
// the whole log; bridge/sync.ts pages other parts in when playback moves outside it.
import type { ConnOpenEvent, LabEvent, NodeEvent, SceneEvent } from '@shared/events'
import { fromWire, type WireEvent } from '@shared/wire'
import type { LabSlice } from './types'
import { lowerBound } from './playback-slice'

/** Where the window sits in the engine's log. */
export interface WindowInfo {
  /** Seq of the first event of the window proper (context events come before it). */
  firstSeq: number
  /** Events of interest in the log before `firstSeq`. */
  marksBefore: number
  /** Events and events of interest in the whole log. */
  total: number
  totalMarks: number
  /** The window ends at the newest event: live events are appended to it. */
  atEnd: boolean
}

export interface SessionSlice extends WindowInfo {
  /** The window's events, sorted by `seq`. Mutated in place: read it, never keep a copy in state. */
  events: LabEvent[]
  /** `events.length`; changes once per batch. Subscribe to this, not to `events`. */
  count: number
  /**
   * `count` as views see it (`useLogVersion`): the same, except while events flood in, when it
   * follows `count` a few times per second (playback/clock.ts) so views redraw at that pace.
   */
  shownCount: number
  /**
   * While events flood in, a refresh draws in stages, one per frame (`DRAW_STAGES`): views of a
   * stage after `drawn` go on seeing the log and the cursor as they were (`useLogVersion`) until
   * their frame comes; null otherwise.
   */
  lag: { count: number; cursor: number; epoch: number; drawn: number } | null
  /** Bumped when the log is replaced (clear, new session, another window): views drop their caches. */
  epoch: number
  /** Leading events of `events` that are context from before the window (see above). */
  contextCount: number
  /** Events of interest among the context events. */
  contextMarks: number
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
  /** Event index by seq, for selection by seq (`bySeq.get(seq)`). */
  bySeq: SeqIndex
  /** Events the engine dropped (`drop` events) or the renderer could not decode. */
  dropped: number
  /** Events the bridge could not deliver (the latest batch's running count). */
  bridgeDropped: number
  /** The latest `scene` event (which lesson runs, its ports). */
  scene: SceneEvent | null
  /** KiB of the engine's log in memory and on disk (the status line). */
  kibInMemory: number
  kibOnDisk: number
  /** A part of the log is being fetched (playback moved outside the window). */
  paging: boolean
  /** Adds events (wire form or decoded); merges by seq, ignoring seqs already held. */
  ingest(batch: { events: readonly (WireEvent | LabEvent)[]; dropped?: number }): void
  /** Replaces the whole window (opening a session file, another part of the log, a cleared log). */
  replace(events: readonly (WireEvent | LabEvent)[], where?: Partial<WindowInfo>, context?: readonly LabEvent[]): void
  /** Drops the oldest `n` events of the window proper, keeping the context they leave behind. */
  trimFront(n: number, context: readonly LabEvent[]): void
  clear(): void
}

/**
 * Finds an event's index by its seq with a binary search over `events` (sorted by seq): no
 * per-event memory, which a Map of a long window would cost.
 */
export class SeqIndex {
  constructor(private readonly events: readonly LabEvent[]) {}

  get(seq: number): number | undefined {
    const ev = this.events
    let lo = 0
    let hi = ev.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (ev[mid].seq < seq) lo = mid + 1
      else hi = mid
    }
    return lo < ev.length && ev[lo].seq === seq ? lo : undefined
  }

  has(seq: number): boolean {
    return this.get(seq) !== undefined
  }

  get size(): number {
    return this.events.length
  }
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

type Indexes = Pick<
  SessionSlice,
  | 'events'
  | 'count'
  | 'shownCount'
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
  | 'contextCount'
  | 'contextMarks'
>

function emptySession(): Indexes & WindowInfo {
  const events: LabEvent[] = []
  return {
    events,
    count: 0,
    shownCount: 0,
    marks: [],
    pdus: [],
    runs: [],
    notes: [],
    nodes: new Map(),
    conns: new Map(),
    bySeq: new SeqIndex(events),
    dropped: 0,
    bridgeDropped: 0,
    scene: null,
    contextCount: 0,
    contextMarks: 0,
    firstSeq: 1,
    marksBefore: 0,
    total: 0,
    totalMarks: 0,
    atEnd: true
  }
}

function rebuildIndexes(s: Indexes): void {
  s.marks.length = 0
  s.pdus.length = 0
  s.runs.length = 0
  s.notes.length = 0
  s.events.forEach((e, i) => index(s, e, i))
}

function index(s: Indexes, e: LabEvent, i: number): void {
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

const decode = (w: WireEvent | LabEvent): LabEvent =>
  typeof (w as { data?: unknown }).data === 'string' ? fromWire(w as WireEvent) : (w as LabEvent)

export const createSessionSlice: LabSlice<SessionSlice> = (set, get) => ({
  ...emptySession(),
  lag: null,
  epoch: 0,
  kibInMemory: 0,
  kibOnDisk: 0,
  paging: false,
  ingest(batch) {
    const s = get()
    let outOfOrder = false
    let added = 0
    /** Once an event arrives out of order the array is unsorted until the end: seqs held, by set. */
    let held: Set<number> | null = null
    for (const w of batch.events) {
      // New events come after the newest held: only older seqs can be duplicates.
      const tail = s.events.length ? s.events[s.events.length - 1].seq : 0
      if (held ? held.has(w.seq) : w.seq <= tail && s.bySeq.has(w.seq)) continue
      let e: LabEvent
      try {
        e = decode(w)
      } catch {
        s.dropped++
        continue
      }
      if (e.seq < (s.events.at(-1)?.seq ?? 0)) {
        outOfOrder = true
        held ??= new Set(s.events.map((x) => x.seq))
      }
      held?.add(e.seq)
      s.events.push(e)
      if (!outOfOrder) index(s, e, s.events.length - 1)
      added++
    }
    if (outOfOrder) {
      s.events.sort((a, b) => a.seq - b.seq)
      rebuildIndexes(s)
    }
    const bridgeDropped = Math.max(s.bridgeDropped, batch.dropped ?? 0)
    if (!added && bridgeDropped === s.bridgeDropped) return
    const newest = s.events.length ? s.events[s.events.length - 1].seq : 0
    const marks = s.marks.length - s.contextMarks + s.marksBefore
    set({
      count: s.events.length,
      dropped: s.dropped,
      bridgeDropped,
      scene: s.scene,
      // A log held whole (tests, a session file) is its own total.
      total: Math.max(s.total, newest),
      totalMarks: Math.max(s.totalMarks, marks)
    })
  },
  replace(events, where = {}, context = []) {
    const fresh = emptySession()
    for (const e of context) fresh.events.push(e)
    fresh.contextCount = context.length
    for (const w of events) {
      try {
        fresh.events.push(decode(w))
      } catch {
        fresh.dropped++
      }
    }
    rebuildIndexes(fresh)
    fresh.contextMarks = lowerBound(fresh.marks, fresh.contextCount)
    const first = fresh.events[fresh.contextCount]
    set({
      ...fresh,
      count: fresh.events.length,
      shownCount: fresh.events.length,
      firstSeq: where.firstSeq ?? first?.seq ?? 1,
      marksBefore: where.marksBefore ?? 0,
      total: where.total ?? fresh.events.at(-1)?.seq ?? 0,
      totalMarks: where.totalMarks ?? (where.marksBefore ?? 0) + fresh.marks.length - fresh.contextMarks,
      atEnd: where.atEnd ?? true,
      epoch: get().epoch + 1,
      cursor: 0,
      paging: false
    })
  },
  trimFront(n, context) {
    const s = get()
    const proper = s.events.slice(s.contextCount)
    if (n <= 0 || n >= proper.length) return
    const marksGone = proper.slice(0, n).filter(isMark).length
    const kept = proper.slice(n)
    const fresh = emptySession()
    fresh.events = [...context, ...kept]
    fresh.bySeq = new SeqIndex(fresh.events)
    fresh.contextCount = context.length
    fresh.nodes = s.nodes
    fresh.conns = s.conns
    fresh.dropped = s.dropped
    fresh.bridgeDropped = s.bridgeDropped
    rebuildIndexes(fresh)
    fresh.contextMarks = lowerBound(fresh.marks, fresh.contextCount)
    const shift = s.events.length - fresh.events.length
    set({
      ...fresh,
      count: fresh.events.length,
      shownCount: fresh.events.length,
      scene: s.scene,
      firstSeq: kept[0].seq,
      marksBefore: s.marksBefore + marksGone,
      total: s.total,
      totalMarks: s.totalMarks,
      atEnd: s.atEnd,
      epoch: s.epoch + 1,
      cursor: Math.max(fresh.contextCount, s.cursor - shift),
      selectedSeq: fresh.bySeq.has(s.selectedSeq ?? -1) ? s.selectedSeq : null
    })
  },
  clear() {
    set({ ...emptySession(), epoch: get().epoch + 1, cursor: 0, selectedSeq: null, fieldPath: null, paging: false })
  }
})
