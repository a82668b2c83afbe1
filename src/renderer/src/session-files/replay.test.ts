// Opening a session file in the store: the log is replaced by exactly the file's events, views
// are told to drop their caches (epoch), playback waits at the start, live batches are held back
// and the lesson comes from the file. Then a range of steps plays at a steady pace.
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { fromWire, toWire } from '@shared/wire'
import { recordEchoSession } from './recording-test-support'

const held: boolean[] = []
vi.mock('../bridge', () => ({ api: {}, bridgeKind: 'web' }))
vi.mock('../bridge/sync', () => ({
  holdLive: (on: boolean) => held.push(on),
  setReplaySource: () => undefined,
  resync: async () => undefined,
  flushPending: () => undefined,
  catchingUp: () => false,
  hiddenOr: (hidden: number) => hidden,
  setClockWaker: () => undefined,
  WINDOW_TAIL: 200_000
}))

// The playback clock runs on animation frames; in Node a timer stands in for them.
beforeAll(() => {
  const g = globalThis as unknown as Record<string, unknown>
  g.requestAnimationFrame ??= (cb: (t: number) => void) => setTimeout(() => cb(performance.now()), 16)
  g.cancelAnimationFrame ??= (id: ReturnType<typeof setTimeout>) => clearTimeout(id)
})

const { text, file } = recordEchoSession()

describe('replaying a session file', () => {
  it('replaces the log with exactly the file, paused at the start, live held back, lesson from the file', async () => {
    const { useLab } = await import('../store')
    const { useLesson } = await import('../lesson/lesson-store')
    const { openSessionText, useReplay, replayedWire } = await import('./replay')
    useLab.getState().ingest({ events: file.events.slice(0, 3).map((e) => ({ ...e, seq: e.seq + 10_000 })) })
    const epoch = useLab.getState().epoch
    expect(openSessionText(text, 'echo.wirelab')).toBe(true)
    const s = useLab.getState()
    expect(s.events.map(toWire)).toEqual(file.events.map((e) => toWire(fromWire(e))))
    expect(replayedWire()).toEqual(file.events)
    expect(s.epoch).toBe(epoch + 1)
    expect([s.cursor, s.playing]).toEqual([0, false])
    expect(s.marks.length).toBe(
      file.events.filter((e) => ['pdu', 'conn.open', 'conn.close', 'note', 'checkpoint'].includes(e.kind)).length
    )
    expect(held).toEqual([true])
    expect(useReplay.getState()).toMatchObject({
      replaying: true,
      name: 'echo.wirelab',
      scene: 'tcp-udp-echo',
      error: null
    })
    expect(useLesson.getState().sceneId).toBe('tcp-udp-echo')

    // A damaged file leaves the replay as it was and says why.
    expect(openSessionText('{"format":"wirelab-session","version":1,"events":[{"seq":1}]}')).toBe(false)
    expect(useReplay.getState().error?.en).toMatch(/damaged/)
    expect(useLab.getState().events.length).toBe(file.events.length)
  })

  it('plays a range of steps one flight apart, then pauses on the last one', async () => {
    const { useLab, visibleMarks } = await import('../store')
    const { startClock, flightMs } = await import('../playback/clock')
    const { playRange } = await import('../presenter/range-player')
    const stop = startClock()
    try {
      const shownAt: number[] = []
      const unsub = useLab.subscribe((s, prev) => {
        if (visibleMarks(s) !== visibleMarks(prev)) shownAt.push(performance.now())
      })
      const speed = 4
      const t0 = performance.now()
      await playRange({ from: 3, to: 7 }, speed)
      unsub()
      const s = useLab.getState()
      expect(visibleMarks(s)).toBe(7)
      expect(s.playing).toBe(false)
      // Step 2 shown by the seek, then steps 3..7 one by one.
      const steps = shownAt.slice(1)
      expect(steps.length).toBe(5)
      const gaps = steps.slice(1).map((t, i) => t - steps[i])
      for (const g of gaps) {
        expect(g).toBeGreaterThanOrEqual(flightMs(speed) - 1)
        expect(g).toBeLessThan(flightMs(speed) + 400)
      }
      expect(performance.now() - t0).toBeGreaterThanOrEqual(4 * flightMs(speed))
    } finally {
      stop()
    }
  })
})
