// Keeps the store in step with the engine: pushed batches are buffered and ingested once per
// animation frame; on (re)connect the snapshot is merged by seq (duplicates are ignored).
import type { EventBatch } from '@shared/api'
import type { WireEvent } from '@shared/wire'
import { useLab } from '../store'
import { api } from '.'
import { create } from 'zustand'

export type ConnectionState = 'connecting' | 'open' | 'closed'

export const useConnection = create<{ state: ConnectionState }>(() => ({ state: 'connecting' }))

let buffer: WireEvent[] = []
let dropped = 0
let scheduled = false
let liveHeld = false

/** While a saved session is replayed, live batches and snapshots are not ingested (session-files/replay.ts). */
export function holdLive(on: boolean): void {
  liveHeld = on
  buffer = []
}

function flush(): void {
  scheduled = false
  if (!buffer.length && !dropped) return
  const events = buffer
  buffer = []
  // A seq we hold with another timestamp: the host's log was cleared (seqs restart at 1) by this
  // or another window. Take the host's log as it is now.
  const s = useLab.getState()
  const i = events.length ? s.bySeq.get(events[0].seq) : undefined
  if (i !== undefined && i >= 0 && s.events[i].t !== events[0].t) {
    void snapshot().catch(() => undefined)
    return
  }
  s.ingest({ events, dropped })
}

function schedule(): void {
  if (scheduled) return
  scheduled = true
  // rAF pauses in hidden tabs; the timeout keeps the log current there too.
  const timer = setTimeout(flush, 250)
  requestAnimationFrame(() => {
    clearTimeout(timer)
    flush()
  })
}

let resyncing = false
let heldDuringResync: WireEvent[] = []

function onBatch(batch: EventBatch): void {
  if (liveHeld) return
  dropped = Math.max(dropped, batch.dropped)
  if (resyncing) {
    // Merged with the snapshot when it arrives (it may be older than these events).
    for (const e of batch.events) heldDuringResync.push(e)
    return
  }
  for (const e of batch.events) buffer.push(e)
  schedule()
}

/** True when the host's log is not the one we hold (it was cleared, or the host restarted). */
function otherLog(events: WireEvent[]): boolean {
  const s = useLab.getState()
  if (!s.events.length) return false
  if (!events.length) return true
  for (const e of [events[0], events[events.length - 1]]) {
    const i = s.bySeq.get(e.seq)
    if (i !== undefined && i >= 0 && s.events[i].t !== e.t) return true
  }
  return events[events.length - 1].seq < s.events[0].seq
}

let first = true
let inflight: Promise<void> | null = null

/** Fetches the host's log and merges it by seq (one request at a time). */
function snapshot(): Promise<void> {
  if (inflight) return inflight
  resyncing = true
  inflight = (async () => {
    try {
      const snap = await api['session:snapshot']({})
      if (liveHeld) return
      const events = heldDuringResync.length ? snap.events.concat(heldDuringResync) : snap.events
      heldDuringResync = []
      const s = useLab.getState()
      if (first) {
        // Opening the app shows the session as it is now; earlier events are there to step back to.
        first = false
        s.ingest({ events, dropped: Math.max(dropped, snap.dropped) })
        useLab.setState({ cursor: useLab.getState().count, following: true })
      } else if (otherLog(snap.events)) {
        s.replace(events)
        useLab.setState({ cursor: useLab.getState().count, following: true })
      } else {
        s.ingest({ events, dropped: Math.max(dropped, snap.dropped) })
      }
    } finally {
      resyncing = false
      inflight = null
      if (heldDuringResync.length) {
        for (const e of heldDuringResync) buffer.push(e)
        heldDuringResync = []
        schedule()
      }
    }
  })()
  return inflight
}

let started = false

/** Starts syncing (idempotent). */
export function startSync(): void {
  if (started) return
  started = true
  api.onEvents(onBatch)
  api.onConnection((state) => {
    useConnection.setState({ state })
    if (state === 'open') void snapshot().catch(() => undefined)
  })
  void snapshot()
    .then(() => {
      if (useConnection.getState().state === 'connecting') useConnection.setState({ state: 'open' })
    })
    .catch(() => undefined)
}

/** Clears the engine's log and ours. */
export async function clearSession(): Promise<void> {
  await api['session:clear'](null)
  buffer = []
  useLab.getState().clear()
}
