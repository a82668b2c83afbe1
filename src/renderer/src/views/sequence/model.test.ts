// The sequence model built from a real session: the echo lesson run by the engine on ephemeral
// ports, its events through the wire form, as the renderer receives them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LabEvent, NodeEvent, PduEvent } from '@shared/events'
import { fromWire, toWire } from '@shared/wire'
import { Lab } from '../../../../main/lab/lab'
import { SequenceModel, SequenceModelCache, preview } from './model'
import { deepestAt, fieldAt, firstPayloadPath } from '../fields'

let events: LabEvent[] = []
const lab = new Lab({ ephemeralPorts: true })

beforeAll(async () => {
  await lab.start('tcp-udp-echo', { message: 'Ola, mundo' })
  await lab.action('send-both', { message: 'Ola, mundo' })
  events = lab.session.events.map((e) => fromWire(JSON.parse(JSON.stringify(toWire(e)))))
})
afterAll(() => lab.stop())

function nodesOf(list: LabEvent[]): Map<string, NodeEvent> {
  return new Map(list.filter((e): e is NodeEvent => e.kind === 'node').map((e) => [e.node, e]))
}

describe('SequenceModel', () => {
  it('draws set-up, data, echo and teardown for TCP, and two datagrams for UDP', () => {
    const m = new SequenceModel(0, 0)
    m.advance(events, events.length, nodesOf(events))
    const tcp = m.rows.filter((r) => r.kind === 'arrow' && r.protocol === 'tcp')
    const labels = tcp.map((r) => (r.kind === 'arrow' ? `${r.dir} ${r.label}` : ''))
    expect(labels.slice(0, 3)).toEqual(['c2s SYN', 's2c SYN, ACK', 'c2s ACK'])
    expect(labels).toContain('c2s "Ola, mundo"')
    expect(labels).toContain('s2c "Ola, mundo"')
    expect(labels.filter((l) => l.endsWith('FIN, ACK'))).toHaveLength(2)
    const data = tcp.filter((r) => r.kind === 'arrow' && !r.modeled)
    expect(data.map((r) => r.kind === 'arrow' && [r.detail, r.echo])).toEqual([
      ['Seq=1 Ack=1 Len=10', false],
      ['Seq=1 Ack=11 Len=10', true]
    ])
    const udp = m.rows.filter((r) => r.kind === 'arrow' && r.protocol === 'udp')
    expect(udp).toHaveLength(2)
    expect(udp.every((r) => r.kind === 'arrow' && !r.modeled)).toBe(true)
    expect(m.rows.filter((r) => r.kind === 'close')).not.toHaveLength(0)
    // Each client sits just left of its server; the client's head shows its ephemeral port.
    const order = m.orderedActors().map((a) => a.id)
    expect(order.indexOf('tcp-client')).toBe(order.indexOf('tcp-server') - 1)
    const open = events.find((e) => e.kind === 'conn.open' && e.transport === 'tcp')
    expect(m.actors.get('tcp-client')?.ports).toEqual([open?.kind === 'conn.open' && open.client.port])
    expect(m.rowTop).toHaveLength(m.rows.length + 1)
  })

  it('gives the same rows built incrementally, batch by batch, as in one go', () => {
    const whole = new SequenceModel(0, 0)
    whole.advance(events, events.length, nodesOf(events))
    const cache = new SequenceModelCache()
    cache.get(events, 0, 0, 0, new Map())
    for (let i = 1; i <= events.length; i += 3) cache.get(events, 0, 0, i, nodesOf(events))
    const m = cache.get(events, 0, 0, events.length, nodesOf(events))
    expect(m.rows).toEqual(whole.rows)
    // Going back rebuilds.
    expect(cache.get(events, 0, 0, 5, nodesOf(events)).done).toBe(5)
  })

  it('infers server and client roles when the node events are not held (after a clear)', () => {
    const fromConn = events.findIndex((e) => e.kind === 'conn.open')
    const m = new SequenceModel(0, fromConn)
    m.advance(events, events.length, new Map())
    expect(m.actors.get('tcp-server')?.role).toBe('server')
    expect(m.orderedActors()[0].id).toBe('tcp-client')
  })
})

describe('field helpers on a real PDU', () => {
  it('select the payload, and the deepest field holding a byte', () => {
    const syn = events.find((e): e is PduEvent => e.kind === 'pdu' && e.modeled === true)!
    expect(firstPayloadPath(syn.fields)).toBeNull()
    // Byte 13 holds the flags: the deepest field is a flag bit inside Flags inside the header.
    const path = deepestAt(syn.fields, 13)!
    expect(path.length).toBe(3)
    expect(fieldAt(syn.fields, path.slice(0, 2))?.id).toBe('tcp.flags')
    expect(fieldAt(syn.fields, deepestAt(syn.fields, 0))?.id).toBe('tcp.srcport')
    const data = events.find((e): e is PduEvent => e.kind === 'pdu' && !e.modeled && e.protocol === 'tcp')!
    expect(firstPayloadPath(data.fields)).toEqual([0])
    expect(fieldAt(data.fields, deepestAt(data.fields, 9))?.id).toBe('tcp.payload.text')
    expect(deepestAt(data.fields, 10)).toBeNull()
  })

  it('previews payloads as short quoted text', () => {
    expect(preview(new TextEncoder().encode('Ola, mundo'))).toBe('"Ola, mundo"')
    expect(preview(new TextEncoder().encode('GET / HTTP/1.1\r\nHost: x\r\n'), 16)).toBe('"GET / HTTP/1.1·↵…"')
    expect(preview(new Uint8Array([0xff, 0x00, 0x41]))).toBe('"··A"')
    expect(preview(new TextEncoder().encode('olá'))).toBe('"olá"')
  })
})
