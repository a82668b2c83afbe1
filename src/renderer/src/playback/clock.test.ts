// The playback clock under a flood: a refresh draws the lists in one frame and every other view in
// the next (`lag`); without a flood every view draws in the same frame.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { LabEvent } from '@shared/events'

vi.mock('../bridge', () => ({ api: {}, bridgeKind: 'web' }))
vi.mock('../bridge/sync', () => ({
  flushPending: () => undefined,
  catchingUp: () => false,
  hiddenOr: (_hidden: number, visible: number) => visible,
  setClockWaker: () => undefined
}))

// Animation frames run when the test says so.
let frames: ((t: number) => void)[] = []
beforeAll(() => {
  const g = globalThis as unknown as Record<string, unknown>
  g.requestAnimationFrame = (cb: (t: number) => void) => frames.push(cb)
  g.cancelAnimationFrame = () => undefined
})
const frame = (): void => {
  const due = frames
  frames = []
  for (const cb of due) cb(performance.now())
}

let seq = 0
/** `n` events that are not steps (actors appearing), as a flood's bytes would be. */
const events = (n: number): LabEvent[] =>
  Array.from(
    { length: n },
    () => ({ kind: 'node', node: `n${++seq}`, label: 'x', role: 'client', seq, t: seq }) as LabEvent
  )

let stop = (): void => undefined
afterEach(() => {
  stop()
  frames = []
})

describe('the playback clock', () => {
  it('in a flood, the lists see a refresh one frame before the other views', async () => {
    const { useLab, logVersionOf, resetLab } = await import('../store')
    const { startClock } = await import('./clock')
    resetLab()
    useLab.getState().ingest({ events: events(200) })
    stop = startClock()
    frame()
    let s = useLab.getState()
    expect(logVersionOf(s, true).count).toBe(200)
    expect(logVersionOf(s).count).toBe(0)
    frame()
    s = useLab.getState()
    expect(s.lag).toBeNull()
    expect(logVersionOf(s).count).toBe(200)
  })

  it('a log replaced meanwhile is seen by every view at once', async () => {
    const { useLab, logVersionOf, resetLab } = await import('../store')
    const { startClock } = await import('./clock')
    resetLab()
    useLab.getState().ingest({ events: events(200) })
    stop = startClock()
    frame()
    expect(logVersionOf(useLab.getState()).count).toBe(0)
    resetLab()
    useLab.getState().ingest({ events: events(3) })
    useLab.setState({ shownCount: 3 })
    expect(logVersionOf(useLab.getState()).count).toBe(3)
  })

  it('without a flood, every view sees new events in the same frame', async () => {
    const { useLab, logVersionOf, resetLab } = await import('../store')
    const { startClock } = await import('./clock')
    resetLab()
    useLab.getState().ingest({ events: events(10) })
    stop = startClock()
    frame()
    const s = useLab.getState()
    expect(s.lag).toBeNull()
    expect(logVersionOf(s).count).toBe(10)
    expect(logVersionOf(s, true).count).toBe(10)
  })

  it('asks for no frame while nothing happens, and wakes when the store changes', async () => {
    const { useLab, logVersionOf, resetLab } = await import('../store')
    const { startClock } = await import('./clock')
    resetLab()
    useLab.getState().ingest({ events: events(10) })
    stop = startClock()
    for (let i = 0; i < 3; i++) frame()
    expect(frames).toHaveLength(0)
    useLab.getState().ingest({ events: events(5) })
    expect(frames).toHaveLength(1)
    frame()
    expect(logVersionOf(useLab.getState()).count).toBe(15)
  })
})
