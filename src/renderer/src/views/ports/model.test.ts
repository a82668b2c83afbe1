import { describe, expect, it } from 'vitest'
import type { LabEvent } from '@shared/events'
import { buildRuler, labelRows, rulerX } from './model'

describe('port ruler model', () => {
  it('places the three IANA ranges at their widths', () => {
    expect(rulerX(0)).toBe(0)
    expect(rulerX(1023)).toBe(12)
    expect(rulerX(49151)).toBe(72)
    expect(rulerX(65535)).toBe(100)
  })

  it('stacks labels that would overlap and keeps apart ones on one row', () => {
    // Two browsers' ephemeral ports a few apart sit at the same x: the second label takes row 1.
    const rows = labelRows([rulerX(36704), rulerX(36716), rulerX(60000)], [150, 150, 150], 800)
    expect(rows).toEqual([0, 1, 0])
    // Far apart: one row.
    expect(labelRows([10, 50, 90], [100, 100, 100], 800)).toEqual([0, 0, 0])
    // A third label near both goes to row 2, whatever order the ports came in.
    expect(labelRows([50.2, 50, 50.1], [120, 120, 120], 800)).toEqual([2, 0, 1])
  })

  it('reads ports and the ephemeral range from the run’s samples', () => {
    const sample = (series: string, subject: string, values: Record<string, string | number>): LabEvent =>
      ({ kind: 'sample', seq: 0, t: 0, series, subject, values, source: 'test' }) as unknown as LabEvent
    const m = buildRuler([
      sample('ephemeral-range', 'os', { from: 32768, to: 60999 }),
      sample('port-info', 'b', { port: 36716, transport: 'tcp', role: 'client', range: 'user', label: 'Browser 2', labelPt: 'Navegador 2' }),
      sample('port-info', 'a', { port: 8000, transport: 'tcp', role: 'server', range: 'user', iana: 'irdmi', label: 'Site' })
    ])
    expect(m.ports.map((p) => p.port)).toEqual([8000, 36716])
    expect(m.ports[1].label).toEqual({ en: 'Browser 2', pt: 'Navegador 2' })
    expect(m.ephemeral).toMatchObject({ from: 32768, to: 60999 })
  })
})
