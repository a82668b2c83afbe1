// A fast sender and a slow receiver on real TCP: the queues the lesson draws come from the kernel
// and from Node, and behave as the lesson says.
import { describe, expect, it } from 'vitest'
import type { LabEvent, SampleEvent } from '../../../../shared/events'
import { Lab } from '../../lab'

const samples = (events: readonly LabEvent[], series: string, subject: string): SampleEvent[] =>
  events.filter((e): e is SampleEvent => e.kind === 'sample' && e.series === series && e.subject === subject)
const n = (s: SampleEvent, k: string): number => Number(s.values[k] ?? 0)

describe('sync vs async, and buffers', () => {
  it('the receiver stops reading: queues fill, the window closes, the blocking sender waits, the non-blocking one buffers; then all drains', async () => {
    const lab = new Lab({ ephemeralPorts: true })
    const MB = 1024 * 1024
    try {
      await lab.start('buffers', {})
      const r = await lab.action('run', { total: 6, pause: 1200, rate: 8192 })
      expect(r.ok).toBe(true)
      const ev = lab.session.events
      const blocking = samples(ev, 'buffers', 'sender-blocking')
      const nonblocking = samples(ev, 'buffers', 'sender-nonblocking')
      const paused = (s: SampleEvent): boolean => n(s, 'ms') > 300 && n(s, 'ms') < 1100
      // While the receiver does not read: bytes wait in its kernel receive queue and nothing is read…
      expect(blocking.filter(paused).every((s) => n(s, 'read') === 0)).toBe(true)
      expect(Math.max(...blocking.filter(paused).map((s) => n(s, 'kernelRecv')))).toBeGreaterThan(0)
      // …the blocking sender stops (write() returned false, it waits for 'drain') short of 6 MB…
      const stopped = blocking.filter(paused)
      expect(stopped.some((s) => s.values.waiting === true)).toBe(true)
      expect(Math.max(...stopped.map((s) => n(s, 'written')))).toBeLessThan(6 * MB)
      // …while the non-blocking one has handed everything to write() before the receiver reads a
      // byte, most of it held in its own memory; the blocking one finishes only after that.
      const stats = r.data as Record<'blocking' | 'nonblocking', { doneAt: number }>
      expect(stats.nonblocking.doneAt).toBeLessThan(1200)
      expect(stats.blocking.doneAt).toBeGreaterThan(1200)
      expect(Math.max(...nonblocking.map((s) => n(s, 'userBuffer')))).toBeGreaterThan(MB)
      expect(Math.max(...nonblocking.map((s) => n(s, 'kernelSend')))).toBeGreaterThan(0)
      // The window the receiver advertises closes to 0, then opens again.
      const win = samples(ev, 'window', 'sender-blocking').map((s) => n(s, 'window'))
      const zero = win.indexOf(0)
      expect(zero).toBeGreaterThan(0)
      expect(win.slice(zero).some((w) => w > 0)).toBe(true)
      // Everything arrives in the end, and the queues are empty.
      const last = (list: SampleEvent[]): SampleEvent => list[list.length - 1]
      expect(n(last(blocking), 'read')).toBe(6 * MB)
      expect(n(last(nonblocking), 'read')).toBe(6 * MB)
      expect(n(last(nonblocking), 'userBuffer')).toBe(0)
      const answer = ev.find((e) => e.kind === 'checkpoint' && e.state === 'answer')
      expect(answer?.kind === 'checkpoint' && answer.answer).toEqual(['sender-memory'])
    } finally {
      await lab.stop()
    }
  }, 60_000)
})
