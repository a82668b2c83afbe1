// The playback clock: maps loopback time (microseconds) to teaching time. While playing, the
// cursor advances one event of interest per flight (`flightMs(speed)`), so each message gets a
// visible flight however close the real timestamps were; events that are not of interest (raw
// bytes, actors appearing) become visible together with the next one. Runs outside React.
import { LAST_STAGE, globalStep, lowerBound, useLab } from '../store'
import { catchingUp, flushPending, hiddenOr, setClockWaker } from '../bridge/sync'

/** How long one message's flight lasts on screen at a given speed. */
export function flightMs(speed: number): number {
  return 900 / speed
}

/** When live playback falls this many events of interest behind, it skips ahead to the newest few. */
const MAX_BEHIND = 24
const KEEP = 3
/**
 * While events flood in (more than FLOOD_EVENTS per frame, or live playback skipping ahead), views
 * redraw this often instead of every frame; animations keep their frame rate. Like Wireshark's
 * live capture, which refreshes its packet list a few times per second.
 */
export const FLOOD_REFRESH_MS = 250
/**
 * 20 a frame is 1,200 events a second, far more than anyone reads row by row. (At 50, a class of 40
 * clients publishing at once, about 2,400 events a second, stayed under it and redrew every view in
 * every frame: frame p95 33 ms against 16.8 ms.)
 */
const FLOOD_EVENTS = 20
/**
 * A flood lasts at least this long once seen: events come from the socket in bursts, and a frame
 * with few of them in the middle of a flood would otherwise redraw every view at once.
 */
const FLOOD_HOLD_MS = 600
/**
 * While a long session streams in on opening, views redraw this often: each redraw then shows a
 * new end of the log (new rows throughout), and redrawing every 250 ms doubled the load time.
 */
export const CATCH_UP_REFRESH_MS = 1000

export function startClock(): () => void {
  let raf = 0
  let timer: ReturnType<typeof setTimeout> | undefined
  // The first flood frame refreshes, however soon after the page loaded (performance.now() starts at 0).
  let refreshed = -Infinity
  let floodUntil = 0
  /** Nothing to do: no frame is asked for until the store changes or events arrive. */
  let asleep = false
  /**
   * The `movedAt` of live playback's last jump ahead. The row jumped to is drawn landed (its flight
   * started a flight ago), and the next flight waits a flight's time from the jump: taken at the
   * next frame, it redrew every view in the frame after each refresh of a flood.
   */
  let jumpedAt = Number.NaN
  const tick = (): void => {
    // The views a flood's refresh held back draw in the frames after it, a stage a frame (see `lag`).
    const held = useLab.getState().lag
    if (held) useLab.setState({ lag: held.drawn + 1 >= LAST_STAGE ? null : { ...held, drawn: held.drawn + 1 } })
    // New events and the cursor's move land in the same frame: one render.
    flushPending()
    const before = useLab.getState()
    const t = performance.now()
    if (
      before.count - before.shownCount > FLOOD_EVENTS ||
      (before.following && before.marks.length - lowerBound(before.marks, before.cursor) > MAX_BEHIND)
    )
      floodUntil = t + FLOOD_HOLD_MS
    const flooding = t < floodUntil
    const refresh = !flooding || t - refreshed >= (catchingUp() ? CATCH_UP_REFRESH_MS : FLOOD_REFRESH_MS)
    if (refresh) {
      refreshed = performance.now()
      // In a flood, the packet list draws the refresh in this frame, the other views in the next ones.
      const lag = flooding ? { count: before.shownCount, cursor: before.cursor, epoch: before.epoch, drawn: 0 } : null
      if (before.shownCount !== before.count) useLab.setState({ shownCount: before.count, lag })
      else if (lag) useLab.setState({ lag })
    }
    const s = useLab.getState()
    if (s.paging) {
      schedule()
      return
    }
    if (s.playing && s.cursor >= s.count && !s.atEnd) {
      // Replaying an earlier part of a long log: the next step is outside the window.
      if (performance.now() - s.movedAt >= flightMs(s.speed)) s.showMarks(globalStep(s) + 1, true)
      schedule()
      return
    }
    if (s.playing && s.cursor >= s.count && !s.following) useLab.setState({ following: true })
    if (!flooding && !s.lag && s.shownCount === s.count && !(s.playing && s.cursor < s.count)) {
      // Idle: a frame asked for every 16 ms would keep the page producing frames (and the
      // laptop's fan turning) while the lesson waits for the next event.
      asleep = true
      return
    }
    if (s.playing && s.cursor < s.count) {
      const now = performance.now()
      const i = lowerBound(s.marks, s.cursor)
      if (i >= s.marks.length) {
        useLab.setState({ cursor: s.count })
      } else if (s.following && s.marks.length - i > MAX_BEHIND) {
        // A jump, not a flight: the row skipped to is drawn landed (a flight every refresh would
        // keep an animation running, and the page repainting, for as long as the flood lasts).
        if (refresh) {
          jumpedAt = now - flightMs(s.speed)
          useLab.setState({ cursor: s.marks[s.marks.length - KEEP] + 1, movedAt: jumpedAt })
        }
      } else if (now - s.movedAt >= flightMs(s.speed) * (s.movedAt === jumpedAt ? 2 : 1)) {
        useLab.setState({ cursor: s.marks[i] + 1, movedAt: now })
      }
    }
    schedule()
  }
  const schedule = (): void => {
    // rAF does not run in hidden windows; the timer keeps playback going there. In a visible
    // window a late frame means a busy main thread, and a tick from the timer would add to it.
    timer = setTimeout(() => {
      cancelAnimationFrame(raf)
      tick()
    }, hiddenOr(100, 500))
    raf = requestAnimationFrame(() => {
      clearTimeout(timer)
      tick()
    })
  }
  const wake = (): void => {
    if (!asleep) return
    asleep = false
    schedule()
  }
  setClockWaker(wake)
  const unsubscribe = useLab.subscribe(wake)
  schedule()
  return () => {
    asleep = false
    setClockWaker(() => undefined)
    unsubscribe()
    cancelAnimationFrame(raf)
    clearTimeout(timer)
  }
}
