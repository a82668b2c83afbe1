// The playback cursor: every view shows only events with index < `cursor`. "Live" follows new
// events at teaching pace (the clock in playback/clock.ts advances the cursor one event of
// interest per flight); paused holds still; steps move one event of interest at a time.
import type { LabSlice } from './types'

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
    const { marks, cursor, count } = get()
    const i = lowerBound(marks, cursor)
    set({
      playing: false,
      following: false,
      cursor: i < marks.length ? marks[i] + 1 : count,
      movedAt: performance.now()
    })
  },
  stepBack() {
    const { marks, cursor } = get()
    // The newest visible mark is marks[k-1] (k marks are < cursor); show up to the one before it.
    const k = lowerBound(marks, cursor)
    set({
      playing: false,
      following: false,
      cursor: k >= 2 ? marks[k - 2] + 1 : 0,
      movedAt: performance.now()
    })
  },
  home: () => set({ playing: false, following: false, cursor: 0 }),
  goLive: () => set({ playing: true, following: true, cursor: get().count, movedAt: performance.now() }),
  seekMark(n) {
    const { marks } = get()
    const k = Math.max(0, Math.min(marks.length, Math.round(n)))
    set({
      playing: false,
      following: false,
      cursor: k === 0 ? 0 : marks[k - 1] + 1,
      movedAt: performance.now()
    })
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
