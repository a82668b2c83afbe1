import { describe, expect, it } from 'vitest'
import { NO_FAULTS, describeFaults, parseFaults, type FaultSettings } from '../../../shared/faults'
import { FaultLine, HIGH_WATER } from './fault-line'

const settings = (s: Partial<FaultSettings>): (() => FaultSettings) => () => ({ ...NO_FAULTS, ...s })
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

describe('fault line', () => {
  it('without conditions, delivers at once and in order', () => {
    const got: number[] = []
    const line = new FaultLine(settings({}), (f) => f.latencyMs.c2s, true)
    for (let i = 0; i < 5; i++) expect(line.send(10, () => got.push(i)).delayMs).toBe(0)
    expect(got).toEqual([0, 1, 2, 3, 4])
  })

  it('TCP keeps its order under jitter, and nothing arrives before its latency', async () => {
    const got: { i: number; at: number }[] = []
    const t0 = performance.now()
    const line = new FaultLine(settings({ latencyMs: { c2s: 30, s2c: 0 }, jitterMs: 40 }), (f) => f.latencyMs.c2s, true)
    for (let i = 0; i < 20; i++) line.send(1, () => got.push({ i, at: performance.now() - t0 }))
    await sleep(150)
    expect(got.map((g) => g.i)).toEqual([...Array(20).keys()])
    expect(got.every((g) => g.at >= 30)).toBe(true)
  })

  it('a bandwidth limit spaces the units by their size', () => {
    let now = 0
    const line = new FaultLine(settings({ bandwidthKbps: 80 }), () => 0, true, undefined, Math.random, () => now)
    // 80 kbit/s = 10 bytes per ms: 1000 bytes take 100 ms on the wire, one after the other.
    expect(line.send(1000, () => undefined).delayMs).toBeCloseTo(100)
    expect(line.send(1000, () => undefined).delayMs).toBeCloseTo(200)
    now = 500
    expect(line.send(1000, () => undefined).delayMs).toBeCloseTo(100)
    line.close()
  })

  it('says when too many bytes wait (back-pressure) and when they have drained', async () => {
    let drained = 0
    const line = new FaultLine(settings({ latencyMs: { c2s: 20, s2c: 0 } }), (f) => f.latencyMs.c2s, true, () => drained++)
    line.send(HIGH_WATER, () => undefined)
    expect(line.congested).toBe(true)
    await sleep(60)
    expect(line.congested).toBe(false)
    expect(drained).toBeGreaterThan(0)
  })

  it('UDP loss, duplication and reordering follow their odds', async () => {
    let r = 0
    // One roll per condition set, in this order: loss, (jitter,) duplication, reordering.
    const rolls = [0.1, 0.9, 0.9, 0.9, 0.1]
    const random = (): number => rolls[r++ % rolls.length]
    const got: string[] = []
    const line = new FaultLine(settings({ lossPct: 50, duplicatePct: 50, reorderPct: 50 }), () => 0, false, undefined, random)
    // loss roll 0.1 < 0.5: lost (no further rolls)
    expect(line.send(1, () => got.push('a')).drop).toBe(true)
    // rolls 0.9, 0.9, 0.9: kept, not doubled, not held; then 0.1: lost again
    expect(line.send(1, () => got.push('b'))).toMatchObject({ drop: false, duplicate: false, reorder: false })
    expect(line.send(1, () => got.push('c')).drop).toBe(true)
    expect(got).toEqual(['b'])
  })

  it('a duplicated datagram is delivered twice', () => {
    let n = 0
    const line = new FaultLine(settings({ duplicatePct: 50 }), () => 0, false, undefined, () => 0.1)
    expect(line.send(1, () => n++).duplicate).toBe(true)
    expect(n).toBe(2)
  })

  it('a held (reordered) datagram goes right after the next one', () => {
    const seq = [0.1, 0.9]
    let i = 0
    const got: string[] = []
    const line = new FaultLine(settings({ reorderPct: 50 }), () => 0, false, undefined, () => seq[i++])
    expect(line.send(1, () => got.push('first')).reorder).toBe(true)
    expect(got).toEqual([])
    line.send(1, () => got.push('second'))
    expect(got).toEqual(['second', 'first'])
    line.close()
  })
})

describe('network condition settings', () => {
  it('accepts one latency for both ways or one per direction, and refuses nonsense', () => {
    expect(parseFaults({ latencyMs: 200 }).latencyMs).toEqual({ c2s: 200, s2c: 200 })
    expect(parseFaults({ latencyMs: { s2c: '50' } }).latencyMs).toEqual({ c2s: 0, s2c: 50 })
    expect(() => parseFaults({ lossPct: 101 })).toThrow(/loss: must be between 0 and 100/)
    expect(() => parseFaults({ lossPct: 'x' })).toThrow(/expected a number/)
    expect(() => parseFaults({ speed: 1 })).toThrow(/unknown network condition: speed/)
  })

  it('describes the conditions in both languages', () => {
    const d = describeFaults(parseFaults({ latencyMs: 100, lossPct: 30 }))
    expect(d.en).toBe('Network conditions: +100 ms latency each way, 30% of UDP datagrams lost.')
    expect(d.pt).toBe('Condições de rede: +100 ms de latência em cada sentido, 30% dos datagramas UDP perdidos.')
  })
})
