// The playback clock under a flood: a refresh reaches the packet list in one frame, the sequence
// diagram in the next and every other view in the one after (`lag`); without a flood every view
// draws in the same frame; at rest it asks for no frame; live playback's jump ahead moves the
// cursor once a refresh.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { LabEvent } from '@shared/events'
import { flightMs } from './clock'

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

/** A fresh log of `n` events, and a clock started on it. */
async function clockOn(
  n: number
): Promise<Pick<typeof import('../store'), 'useLab' | 'heldBack' | 'resetLab'>> {
  const store = await import('../store')
  const { startClock } = await import('./clock')
  store.resetLab()
  store.useLab.getState().ingest({ events: events(n) })
  stop = startClock()
  return store
}

describe('the playback clock', () => {
  it('in a flood, a refresh reaches the packet list, then the diagram, then the other views, a frame each', async () => {
    const { useLab, heldBack } = await clockOn(200)
    frame()
    let s = useLab.getState()
    expect(s.shownCount).toBe(200)
    expect(heldBack(s, 'list')).toBeNull()
    expect(heldBack(s, 'diagram')?.count).toBe(0)
    expect(heldBack(s)?.count).toBe(0)
    frame()
    s = useLab.getState()
    expect(heldBack(s, 'list')).toBeNull()
    expect(heldBack(s, 'diagram')).toBeNull()
    expect(heldBack(s, 'rest')?.count).toBe(0)
    frame()
    s = useLab.getState()
    expect(s.lag).toBeNull()
    expect(heldBack(s)).toBeNull()
  })

  it('a flood in the page’s first quarter second refreshes at its first frame', async () => {
    // performance.now() counts from the page's load: a refresh "250 ms after the last one" must not
    // wait for the clock to pass 250 ms when there was no last one.
    const now = vi.spyOn(performance, 'now').mockReturnValue(100)
    try {
      const { useLab } = await clockOn(200)
      frame()
      expect(useLab.getState().shownCount).toBe(200)
    } finally {
      now.mockRestore()
    }
  })

  it('a log replaced meanwhile is seen by every view at once', async () => {
    const { useLab, heldBack, resetLab } = await clockOn(200)
    frame()
    expect(heldBack(useLab.getState())?.count).toBe(0)
    resetLab()
    expect(heldBack(useLab.getState())).toBeNull()
  })

  it('without a flood, every view sees new events in the same frame', async () => {
    const { useLab, heldBack } = await clockOn(10)
    frame()
    const s = useLab.getState()
    expect(s.shownCount).toBe(10)
    expect(s.lag).toBeNull()
    expect(heldBack(s)).toBeNull()
  })

  it('live playback jumps ahead in a flood once a refresh, the next flight a flight later', async () => {
    const now = vi.spyOn(performance, 'now').mockReturnValue(10_000)
    try {
      const { useLab } = await clockOn(0)
      // 200 notes: events of interest (steps) the live cursor falls far behind.
      const notes = Array.from(
        { length: 200 },
        () => ({ kind: 'note', key: 'k', text: { en: 'x', pt: 'x' }, seq: ++seq, t: seq }) as LabEvent
      )
      useLab.getState().ingest({ events: notes })
      frame()
      const s = useLab.getState()
      const jumped = s.cursor
      expect(jumped).toBe(s.marks[s.marks.length - 3] + 1)
      // The frames after it (a flight not yet over since the jump) leave the cursor where it is.
      for (let i = 0; i < 3; i++) frame()
      now.mockReturnValue(10_000 + flightMs(1) - 1)
      frame()
      expect(useLab.getState().cursor).toBe(jumped)
      now.mockReturnValue(10_000 + flightMs(1))
      frame()
      expect(useLab.getState().cursor).toBe(s.marks[s.marks.length - 2] + 1)
    } finally {
      now.mockRestore()
    }
  })

  it('asks for no frame while nothing happens, and wakes when the store changes', async () => {
    const { useLab } = await clockOn(10)
    for (let i = 0; i < 3; i++) frame()
    expect(frames).toHaveLength(0)
    useLab.getState().ingest({ events: events(5) })
    expect(frames).toHaveLength(1)
    frame()
    expect(useLab.getState().shownCount).toBe(15)
  })
})
