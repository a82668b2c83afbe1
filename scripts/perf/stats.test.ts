// The soak's renderer slope: a saw-tooth that follows the renderer's window must read as flat
// wherever the run's ends fall on it, and growth must still show through it.
import { describe, expect, it } from 'vitest'
import { slope, slopeAtEqual } from './stats'

/**
 * Samples every 5.4 s from 16 s to 92 s (the bench's short soak): a window of events filling from
 * 160,000 to 188,000 over 43 s and trimmed back, 300 B per event of it, plus `growth` MB/s.
 */
function soak(growth: number, phase = 0): { t: number[]; w: number[]; y: number[] } {
  const t: number[] = []
  const w: number[] = []
  const y: number[] = []
  for (let s = 16; s <= 92; s += 5.4) {
    const window = Math.round(160_000 + (((s + phase) % 43) / 43) * 28_000)
    t.push(s)
    w.push(window)
    y.push(20 + (window * 300) / 1e6 + growth * s)
  }
  return { t, w, y }
}

describe('slopeAtEqual', () => {
  it('reads a saw-tooth that follows the window as flat where a straight line does not', () => {
    const lines = [0, 10, 20, 30].map((phase) => {
      const { t, w, y } = soak(0, phase)
      expect(Math.abs(slopeAtEqual(t, w, y)! * 60)).toBeLessThan(0.2)
      return Math.abs(slope(t, y) * 60)
    })
    expect(Math.max(...lines)).toBeGreaterThan(1)
  })

  it('finds growth under the saw-tooth', () => {
    const { t, w, y } = soak(2 / 60)
    expect(slopeAtEqual(t, w, y)! * 60).toBeGreaterThan(1.7)
    expect(slopeAtEqual(t, w, y)! * 60).toBeLessThan(2.3)
  })

  it('has no answer when no two samples held as many events', () => {
    expect(slopeAtEqual([0, 20, 40], [100, 200, 300], [1, 2, 3])).toBeNull()
  })
})
