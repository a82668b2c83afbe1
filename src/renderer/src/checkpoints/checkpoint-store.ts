// Checkpoints during playback: the question pauses playback (live or replay) until someone
// predicts and plays the step; the answer, logged after the step's real traffic, is then revealed
// and checked against the prediction. The gate runs outside React, next to the playback clock.
import { create } from 'zustand'
import { runStart, useLab } from '../store'
import { firstHeldAsk, indexCheckpoints, latestCheckpoint, type CheckpointPhase } from './model'

const KEY = 'wirelab.checkpoints'

interface CheckpointState {
  /** Checkpoints pause playback and ask (the presenter can turn them off). */
  enabled: boolean
  /** Each run's prediction (choice ids), by `key(run)`. */
  picks: Record<string, string[]>
  /** Runs whose step may play (predicted, or skipped), by `key(run)`. */
  released: Record<string, true>
  /** Runs whose revealed answer was closed, by `key(run)`. */
  dismissed: Record<string, true>
  /** Bumped when `index` grows, so views re-read it. */
  version: number
}

function storedEnabled(): boolean {
  try {
    return globalThis.localStorage?.getItem(KEY) !== 'off'
  } catch {
    return true
  }
}

export const useCheckpoints = create<CheckpointState>(() => ({
  enabled: storedEnabled(),
  picks: {},
  released: {},
  dismissed: {},
  version: 0
}))

/** Indices of the log's checkpoint events (kept outside the state: it grows in place). */
const index: number[] = []
let indexed = 0
let epoch = -1

/**
 * Which log the runs belong to: the live one, or a replayed file (whose runs are asked afresh, even
 * if the file was saved from this very session). Set by `startCheckpointGate`.
 */
let replaying: () => boolean = () => false
/** Questions asked in the live log before this window opened were answered elsewhere: not asked again. */
let openedAt = Date.now()

/** The key of a run in `picks`, `released` and `dismissed`. */
export function key(run: string): string {
  return replaying() ? `file${epoch}:${run}` : `live:${run}`
}

function held(e: { run: string; t: number }): boolean {
  if (useCheckpoints.getState().released[key(e.run)]) return false
  return replaying() || e.t >= openedAt
}

function syncIndex(): void {
  const s = useLab.getState()
  if (s.epoch !== epoch) {
    epoch = s.epoch
    index.length = 0
    indexed = 0
  }
  if (indexed > s.events.length) {
    index.length = 0
    indexed = 0
  }
  const before = index.length
  indexed = indexCheckpoints(s.events, indexed, index)
  if (index.length !== before) useCheckpoints.setState((c) => ({ version: c.version + 1 }))
}

/** The checkpoint on screen at the cursor, and in which phase. */
export function currentCheckpoint(): {
  event: import('@shared/events').CheckpointEvent
  at: number
  phase: CheckpointPhase
} | null {
  const c = useCheckpoints.getState()
  if (!c.enabled) return null
  syncIndex()
  const s = useLab.getState()
  const found = latestCheckpoint(s.events, index, runStart(s), s.cursor)
  if (!found) return null
  const { event, at } = found
  if (event.state === 'answer') return c.dismissed[key(event.run)] ? null : { event, at, phase: 'revealed' }
  return { event, at, phase: held(event) ? 'asking' : 'playing' }
}

/** The prediction made for a run, if any. */
export function pickOf(c: Pick<CheckpointState, 'picks'>, run: string): string[] | undefined {
  return c.picks[key(run)]
}

export function setPick(run: string, choice: string, multiple: boolean): void {
  const k = key(run)
  useCheckpoints.setState((c) => {
    const had = c.picks[k] ?? []
    const next = multiple ? (had.includes(choice) ? had.filter((x) => x !== choice) : [...had, choice]) : [choice]
    return { picks: { ...c.picks, [k]: next } }
  })
}

/** Lets the step's traffic play (with or without a prediction). */
export function release(run: string): void {
  const k = key(run)
  useCheckpoints.setState((c) => ({ released: { ...c.released, [k]: true } }))
  useLab.getState().play()
}

export function dismiss(run: string): void {
  const k = key(run)
  useCheckpoints.setState((c) => ({ dismissed: { ...c.dismissed, [k]: true } }))
}

export function toggleCheckpoints(on?: boolean): void {
  const enabled = on ?? !useCheckpoints.getState().enabled
  useCheckpoints.setState({ enabled })
  try {
    globalThis.localStorage?.setItem(KEY, enabled ? 'on' : 'off')
  } catch {
    // Storage may be unavailable; the setting still applies to this window.
  }
}

/**
 * Holds the cursor at a question nobody has answered yet: whatever moves the cursor forward past
 * an `ask` of the current lesson run (the clock, a step, Live, the scrub bar) stops right after it,
 * paused. `isReplaying` tells a replayed file from the live log.
 */
export function startCheckpointGate(isReplaying: () => boolean = () => false): () => void {
  replaying = isReplaying
  openedAt = Date.now()
  return useLab.subscribe((s, prev) => {
    if (s.count !== prev.count || s.epoch !== prev.epoch) syncIndex()
    if (s.cursor <= prev.cursor || s.epoch !== prev.epoch) return
    const c = useCheckpoints.getState()
    if (!c.enabled) return
    syncIndex()
    // From the event just before the old cursor (a question already on screen holds too), and only
    // in the lesson run the cursor lands in (an earlier lesson's questions are history).
    const from = Math.max(0, prev.cursor - 1, runStart(s))
    const at = firstHeldAsk(s.events, index, from, s.cursor, (e) => held(e))
    if (at >= 0) useLab.setState({ cursor: at + 1, playing: false, following: false, movedAt: performance.now() })
  })
}
