// Checkpoints in the log, as the renderer needs them: where each question was asked, where its
// answer is, and whether a prediction matched what the traffic did. Pure functions of the events.
import type { CheckpointEvent, LabEvent } from '@shared/events'

/** The state of one checkpoint on screen at the cursor. */
export type CheckpointPhase = 'asking' | 'playing' | 'revealed'

/** Indices of `checkpoint` events, appended as the log grows (`events[done .. count)` scanned once). */
export function indexCheckpoints(events: readonly LabEvent[], done: number, into: number[]): number {
  for (let i = done; i < events.length; i++) if (events[i].kind === 'checkpoint') into.push(i)
  return events.length
}

/**
 * The latest checkpoint event visible at `cursor` (index < cursor) and not before `from` (the
 * current lesson run), with its index; null if none.
 */
export function latestCheckpoint(
  events: readonly LabEvent[],
  index: readonly number[],
  from: number,
  cursor: number
): { event: CheckpointEvent; at: number } | null {
  let lo = 0
  let hi = index.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (index[mid] < cursor) lo = mid + 1
    else hi = mid
  }
  const at = lo > 0 ? index[lo - 1] : -1
  if (at < from || at < 0) return null
  const e = events[at]
  return e.kind === 'checkpoint' ? { event: e, at } : null
}

/** The first question asked in `events[from .. to)` whose run is still held (not yet answered). */
export function firstHeldAsk(
  events: readonly LabEvent[],
  index: readonly number[],
  from: number,
  to: number,
  held: (ask: CheckpointEvent) => boolean
): number {
  for (const i of index) {
    if (i < from) continue
    if (i >= to) break
    const e = events[i]
    if (e.kind === 'checkpoint' && e.state === 'ask' && held(e)) return i
  }
  return -1
}

/** A prediction against the answer computed from the traffic: right only if it names exactly the right choices. */
export function verdict(pick: readonly string[] | undefined, answer: readonly string[] | undefined): 'right' | 'wrong' | 'none' {
  if (!pick?.length) return 'none'
  const right = new Set(answer ?? [])
  return pick.length === right.size && pick.every((p) => right.has(p)) ? 'right' : 'wrong'
}
