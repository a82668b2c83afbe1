// The narrated examples of network conditions on the lessons' own traffic: the UDP echo under loss
// and the HTTP/1.1 vs HTTP/2 race under added latency.
import { afterEach, describe, expect, it } from 'vitest'
import type { FaultEvent, NoteEvent } from '../../../../shared/events'
import { Lab } from '../../lab'

const labs: Lab[] = []
afterEach(async () => {
  for (const l of labs.splice(0)) await l.stop()
})

function lab(faults: unknown): Lab {
  const l = new Lab({ ephemeralPorts: true })
  l.setFaults(faults)
  labs.push(l)
  return l
}

describe('network conditions on the lessons', () => {
  it('the UDP echo with every datagram lost: the drop is logged and the narration says why no echo came', async () => {
    const l = lab({ lossPct: 100 })
    await l.start('tcp-udp-echo')
    const r = await l.action('send-udp')
    expect(r.ok).toBe(false)
    const drop = l.session.events.find((e): e is FaultEvent => e.kind === 'fault' && e.fault === 'drop')
    expect(drop).toMatchObject({ dir: 'c2s', length: 10 })
    const note = l.session.events.find((e): e is NoteEvent => e.kind === 'note' && e.key === 'echo.udp.lost')
    expect(note?.text.en).toMatch(/drop 100% of UDP datagrams.*no retransmission/)
    expect(note?.text.pt).toMatch(/descartam 100% dos datagramas UDP/)
  })

  it('the race under 100 ms each way: HTTP/2 finishes first and the narration explains the round trips', async () => {
    const l = lab({ latencyMs: 100 })
    await l.start('http-race', { count: 6, connections: 2, delay: 0, size: 1000 })
    const r = await l.action('race')
    expect(r.ok).toBe(true)
    const data = r.data as { h1: { ms: number }; h2: { ms: number } }
    // HTTP/1.1: two connections, three requests each in turn, so at least three 200 ms round trips;
    // HTTP/2 sends all six at once on one connection.
    expect(data.h1.ms).toBeGreaterThan(data.h2.ms)
    expect(data.h1.ms).toBeGreaterThanOrEqual(3 * 200)
    const note = l.session.events.find((e): e is NoteEvent => e.kind === 'note' && e.key === 'race.latency')
    expect(note?.text.en).toMatch(/adds 200 ms to every round trip/)
    expect(l.session.events.some((e) => e.kind === 'fault' && e.fault === 'delay')).toBe(true)
  })
})
