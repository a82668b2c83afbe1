// Plays a chosen range of steps at a steady pace: the playback clock advances one step per flight
// (`flightMs(speed)`), and playback pauses as soon as the last step of the range is shown.
import { useLab, visibleMarks } from '../store'
import { flightMs } from '../playback/clock'
import { usePresenter } from './presenter-store'

let cancel: (() => void) | null = null

export interface StepRange {
  /** First step shown (1-based, as on the playback bar). */
  from: number
  /** Last step shown. */
  to: number
}

/** Clamps a range to the steps the log holds. */
export function clampRange(r: StepRange, total: number = useLab.getState().totalMarks): StepRange {
  const to = Math.max(1, Math.min(total, Math.round(r.to)))
  const from = Math.max(1, Math.min(to, Math.round(r.from)))
  return { from, to }
}

/**
 * Shows steps `from-1`, then plays up to `to` at `speed`. Resolves once the last step's flight has
 * finished (or the range was stopped).
 */
export function playRange(range: StepRange, speed: number = useLab.getState().speed): Promise<void> {
  stopRange()
  const lab = useLab.getState()
  const { from, to } = clampRange(range)
  lab.seekMark(from - 1)
  lab.setSpeed(speed)
  usePresenter.setState({ busy: { kind: 'range', progress: 0 } })
  return new Promise<void>((resolve) => {
    let timer: ReturnType<typeof setTimeout> | undefined
    let unsubscribe = (): void => undefined
    const finish = (): void => {
      unsubscribe()
      clearTimeout(timer)
      cancel = null
      if (usePresenter.getState().busy?.kind === 'range') usePresenter.setState({ busy: null })
      resolve()
    }
    cancel = () => {
      useLab.getState().pause()
      finish()
    }
    const check = (): void => {
      const s = useLab.getState()
      const shown = visibleMarks(s)
      usePresenter.setState({
        busy: { kind: 'range', progress: Math.min(1, (shown - from + 1) / (to - from + 1)) }
      })
      if (shown >= to) {
        unsubscribe()
        unsubscribe = () => undefined
        if (s.playing) s.pause()
        // Let the last message finish its flight before reporting the range as played.
        timer = setTimeout(finish, flightMs(s.speed) + 50)
      }
    }
    unsubscribe = useLab.subscribe((s, prev) => {
      if (s.cursor !== prev.cursor) check()
    })
    // Start at once: the first step appears now, the next ones one flight apart.
    useLab.setState({ playing: true, movedAt: 0 })
  })
}

export function stopRange(): void {
  cancel?.()
}

export function rangePlaying(): boolean {
  return cancel !== null
}
