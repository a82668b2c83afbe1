// Keeps the store in step with the engine: pushed batches are buffered and ingested once per
// animation frame; on (re)connect the snapshot is merged by seq (duplicates are ignored).
import type { EventBatch } from '@shared/api'
import type { WireEvent } from '@shared/wire'
import { useLab } from '../store'
import { api } from './index'
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
  useLab.getState().ingest({ events, dropped })
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

function onBatch(batch: EventBatch): void {
  if (liveHeld) return
  for (const e of batch.events) buffer.push(e)
  dropped = Math.max(dropped, batch.dropped)
  schedule()
}

let first = true

async function snapshot(): Promise<void> {
  const snap = await api['session:snapshot']({})
  if (liveHeld) return
  const s = useLab.getState()
  if (first) {
    // Opening the app shows the session as it is now; earlier events are there to step back to.
    first = false
    s.ingest(snap)
    useLab.setState({ cursor: useLab.getState().count, following: true })
    return
  }
  const held = s.events.length ? s.events[s.events.length - 1].seq : 0
  const theirs = snap.events.length ? snap.events[snap.events.length - 1].seq : 0
  // The host's log is shorter than ours: it was cleared or restarted. Take its log as it is.
  if (theirs < held) s.replace(snap.events)
  else s.ingest(snap)
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
