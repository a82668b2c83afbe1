// The playback cursor: every view shows only events with index < `cursor`. "Live" follows new
// events at teaching pace (the clock in playback/clock.ts advances the cursor one event of
// interest per flight); paused holds still; steps move one event of interest at a time. Steps
// count events of interest in the whole log: one outside the window the store holds is paged in
// (bridge/sync.ts installs the pager) and the cursor lands on it once it arrives.
import type { LabSlice, LabState } from './types'

/** Brings the part of the log where `n` events of interest are visible into the window, then shows them. */
export type Pager = (n: number) => void
let pager: Pager | null = null

export function setPager(p: Pager | null): void {
  pager = p
}

/** Events of interest visible at the cursor, counted from the start of the whole log. */
export function globalStep(s: Pick<LabState, 'marks' | 'cursor' | 'marksBefore' | 'contextMarks'>): number {
  return s.marksBefore + Math.max(0, lowerBound(s.marks, s.cursor) - s.contextMarks)
}

/**
 * The cursor that shows exactly `n` events of interest of the whole log, if the window holds that
 * place; null if it must be paged in.
 */
export function cursorFor(s: LabState, n: number): number | null {
  const k = n - s.marksBefore + s.contextMarks
  if (k > s.marks.length) return s.atEnd ? s.count : null
  if (k < s.contextMarks || (k === s.contextMarks && s.marksBefore > 0)) return null
  return k === 0 ? 0 : s.marks[k - 1] + 1
}

export const SPEEDS = [0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4] as const

export interface PlaybackSlice {
  /** Number of visible events: `events[0 .. cursor)`. */
  cursor: number
  /** Playing: the clock advances the cursor toward the newest event (and keeps following). */
  playing: boolean
  /**
   * Following the live log (vs replaying from an earlier point). When live playback falls far
   * behind new events it skips ahead; a replay never skips. A replay that reaches the end follows.
   */
  following: boolean
  /** Teaching speed, 0.25× to 4×. */
  speed: number
  /** `performance.now()` when the cursor last moved onto an event of interest (drives flights). */
  movedAt: number
  play(): void
  pause(): void
  togglePlay(): void
  /** Moves to just after the next event of interest (pauses). */
  stepForward(): void
  /** Hides the newest visible event of interest (pauses). */
  stepBack(): void
  /** Back to the start of the session (pauses). */
  home(): void
  /** Jump to the newest event and follow live. */
  goLive(): void
  /** Sets the cursor to show the first `n` events of interest (the scrub bar). */
  seekMark(n: number): void
  /** Shows the first `n` events of interest of the whole log, paging them in if needed; keeps playing if asked. */
  showMarks(n: number, playing: boolean): void
  setCursor(cursor: number): void
  setSpeed(speed: number): void
  faster(): void
  slower(): void
}

/** Index of the first element of a sorted array ≥ value. */
export function lowerBound(sorted: ArrayLike<number>, value: number): number {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (sorted[mid] < value) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Shows `n` events of interest of the whole log: here if the window holds them, else once paged in. */
function show(
  get: () => LabState,
  set: (p: Partial<LabState>) => void,
  n: number,
  playing: boolean
): void {
  const c = cursorFor(get(), n)
  const moved = { playing, following: playing, movedAt: performance.now() }
  if (c !== null) set({ ...moved, cursor: c })
  else if (pager) {
    set({ ...moved, paging: true })
    pager(n)
  } else set({ ...moved, cursor: n === 0 ? 0 : get().count })
}

export const createPlaybackSlice: LabSlice<PlaybackSlice> = (set, get) => ({
  cursor: 0,
  playing: true,
  following: true,
  speed: 1,
  movedAt: 0,
  play: () => set({ playing: true }),
  pause: () => set({ playing: false, following: false }),
  togglePlay: () => set({ playing: !get().playing, following: false }),
  stepForward() {
    const s = get()
    const n = globalStep(s) + 1
    if (n > s.totalMarks) {
      set({ playing: false, following: false, cursor: s.atEnd ? s.count : s.cursor, movedAt: performance.now() })
      return
    }
    show(get, set, n, false)
  },
  stepBack() {
    // The newest visible event of interest disappears.
    show(get, set, Math.max(0, globalStep(get()) - 1), false)
  },
  home: () => show(get, set, 0, false),
  goLive() {
    const s = get()
    if (s.atEnd) set({ playing: true, following: true, cursor: s.count, movedAt: performance.now() })
    else {
      set({ playing: true, following: true })
      show(get, set, s.totalMarks, true)
    }
  },
  seekMark(n) {
    show(get, set, Math.max(0, Math.min(get().totalMarks, Math.round(n))), false)
  },
  showMarks(n, playing) {
    show(get, set, Math.max(0, Math.min(get().totalMarks, Math.round(n))), playing)
  },
  setCursor: (cursor) => set({ cursor: Math.max(0, Math.min(get().count, cursor)) }),
  setSpeed: (speed) => set({ speed: Math.max(0.25, Math.min(4, speed)) }),
  faster() {
    const next = SPEEDS.find((s) => s > get().speed)
    if (next) set({ speed: next })
  },
  slower() {
    const prev = [...SPEEDS].reverse().find((s) => s < get().speed)
    if (prev) set({ speed: prev })
  }
})
