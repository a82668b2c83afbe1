import { describe, expect, it } from 'vitest'
import type { ConnOpenEvent, PduEvent } from '../../../../shared/events'
import { Lab } from '../../lab'
import { problemsOf } from '../../testing/capture'
import type { SideResult } from '../../scenes/http-race'

describe('http-race lesson: HTTP/1.1 with 6 connections vs one HTTP/2 connection', () => {
  it('fetches every resource on both sides with real timings; HTTP/2 uses one connection', async () => {
    const lab = new Lab({ ephemeralPorts: true })
    await lab.start('http-race', { count: 12, delay: 40, size: 3000 })
    try {
      const r = await lab.action('race')
      expect(r.ok).toBe(true)
      const { h1, h2 } = r.data as { h1: SideResult; h2: SideResult }
      expect(h1.completed).toBe(12)
      expect(h2.completed).toBe(12)
      // 12 resources, 6 connections, 40 ms each: at least two rounds for HTTP/1.1, one for HTTP/2.
      expect(h1.ms).toBeGreaterThanOrEqual(80)
      expect(h2.ms).toBeGreaterThanOrEqual(40)
      const opens = lab.session.events.filter((e): e is ConnOpenEvent => e.kind === 'conn.open')
      expect(opens.filter((o) => o.tap === 'http')).toHaveLength(6)
      expect(opens.filter((o) => o.tap === 'h2c')).toHaveLength(1)
      const pdus = lab.session.events.filter((e): e is PduEvent => e.kind === 'pdu' && (e.protocol === 'http' || e.protocol === 'http2'))
      expect(pdus.filter((p) => p.protocol === 'http' && p.dir === 's2c' && p.keys?.status === 200)).toHaveLength(12)
      expect(pdus.filter((p) => p.protocol === 'http2' && p.dir === 'c2s' && p.keys?.type === 'HEADERS')).toHaveLength(12)
      expect(pdus.every((p) => !p.malformed)).toBe(true)
      expect(problemsOf(pdus)).toEqual([])
    } finally {
      await lab.stop()
    }
  })

  it('losing one response: HTTP/2 resets one stream, HTTP/1.1 loses a connection; both retry', async () => {
    const lab = new Lab({ ephemeralPorts: true })
    await lab.start('http-race', { count: 8, delay: 10, size: 500, lose: true })
    try {
      const r = await lab.action('race')
      const { h1, h2 } = r.data as { h1: SideResult; h2: SideResult }
      expect([h1.completed, h2.completed]).toEqual([8, 8])
      expect([h1.retried, h2.retried]).toEqual([1, 1])
      const rst = lab.session.events.filter((e): e is PduEvent => e.kind === 'pdu' && e.protocol === 'http2' && e.keys?.type === 'RST_STREAM')
      expect(rst).toHaveLength(1)
      expect(rst[0].keys?.error).toBe('INTERNAL_ERROR')
      const h2Conns = lab.session.events.filter((e): e is ConnOpenEvent => e.kind === 'conn.open' && e.tap === 'h2c')
      expect(h2Conns).toHaveLength(1)
    } finally {
      await lab.stop()
    }
  })
})
