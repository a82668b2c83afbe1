// The fan-out model against real traffic: the engine's MQTT lesson (real broker, real clients)
// produces the session; the model must find every message, its deliveries and the per-leg QoS.
import { afterEach, describe, expect, it } from 'vitest'
import type { LabEvent, NodeEvent } from '@shared/events'
import { Lab } from '../../../../main/lab/lab'
import { clientAt, currentMessage, FanoutModel, topicAt } from './model'
import { explainMatch, topicMatches } from '@shared/protocols/mqtt-topic'

let lab: Lab | null = null
afterEach(async () => {
  await lab?.stop()
  lab = null
})

function build(events: readonly LabEvent[]): FanoutModel {
  const nodes = new Map<string, NodeEvent>()
  for (const e of events) if (e.kind === 'node') nodes.set(e.node, e)
  const m = new FanoutModel(0, 0)
  m.advance(events as LabEvent[], events.length, nodes)
  return m
}

const labelOf = (m: FanoutModel, node: string): string => m.clients.get(node)?.label ?? node

async function run(...actions: string[]): Promise<FanoutModel> {
  lab = new Lab({ ephemeralPorts: true })
  await lab.start('mqtt')
  for (const a of actions) expect((await lab.action(a)).ok, a).toBe(true)
  return build(lab.session.events)
}

describe('fan-out model on a real session', () => {
  it('finds the demo message and exactly its matching deliveries, with each leg’s QoS packets', async () => {
    const m = await run('demo')
    const msg = currentMessage(m, Number.MAX_SAFE_INTEGER)!
    expect(msg).toMatchObject({ kind: 'publish', topic: 'home/livingroom/temperature', payload: '22.5', qos: 1 })
    expect(labelOf(m, msg.from)).toBe('Sensor A')
    expect(msg.packets.map((p) => p.type)).toEqual(['PUBLISH', 'PUBACK'])
    const got = Object.fromEntries(msg.deliveries.map((d) => [labelOf(m, d.node), [d.qos, d.packets.map((p) => p.type).join(' ')]]))
    expect(got).toEqual({
      Dashboard: [1, 'PUBLISH PUBACK'],
      'Living room': [1, 'PUBLISH PUBACK'],
      Temperatures: [0, 'PUBLISH'] // granted QoS 0: downgraded, nothing to acknowledge
    })
    const kitchen = [...m.clients.values()].find((c) => c.label === 'Kitchen')!
    expect(clientAt(kitchen, Number.MAX_SAFE_INTEGER).filters.map((f) => [f.filter, f.granted])).toEqual([['home/kitchen/#', 1]])
    expect(topicAt(m.topics.get('home/livingroom/temperature')!, Number.MAX_SAFE_INTEGER)).toEqual({ count: 1, last: '22.5', retained: false })
    // Before the PUBLISH reached the log, there is no current message.
    expect(currentMessage(m, msg.idx)).toBeNull()
  })

  it('tells a Last Will, a retained copy and a queued message from a live fan-out', async () => {
    const m = await run('will', 'retained', 'persistent')
    const kinds = m.messages.filter((x) => x.kind !== 'publish').map((x) => [x.kind, x.topic, x.payload, x.deliveries.map((d) => labelOf(m, d.node))])
    expect(kinds).toEqual([
      ['will', 'device/123/status', 'offline', ['Status monitor']],
      ['retained', 'home/livingroom/setpoint', '21', ['Late subscriber']],
      ['queued', 'lab/log/1', 'reading 1', ['Logger']],
      ['queued', 'lab/log/2', 'reading 2', ['Logger']],
      ['queued', 'lab/log/3', 'reading 3', ['Logger']]
    ])
    const will = m.messages.find((x) => x.kind === 'will')!
    expect(labelOf(m, will.from)).toBe('Device 123')
    const device = m.clients.get(will.from)!
    expect(clientAt(device, Number.MAX_SAFE_INTEGER)).toMatchObject({ visible: true, online: false, end: 'lost' })
  })

  it('counts every message of a burst', async () => {
    lab = new Lab({ ephemeralPorts: true })
    await lab.start('mqtt')
    expect((await lab.action('burst', { count: 300, rate: 3000, subscribers: 6 })).ok).toBe(true)
    const m = build(lab.session.events)
    const publishes = lab.session.events.filter((e) => e.kind === 'pdu' && e.protocol === 'mqtt' && e.keys?.type === 'PUBLISH')
    expect(m.incomingIdxs).toHaveLength(publishes.filter((e) => e.kind === 'pdu' && e.dir === 'c2s').length)
    expect(m.deliveryIdxs).toHaveLength(publishes.filter((e) => e.kind === 'pdu' && e.dir === 's2c').length)
    expect(m.incomingIdxs).toHaveLength(300)
    // Filters: odd subscribers load/#, even ones load/<i % 4>/+; each message load/<n % 4>/value.
    let expected = 0
    for (let n = 0; n < 300; n++) for (let i = 1; i <= 6; i++) if (topicMatches(i % 2 ? 'load/#' : `load/${i % 4}/+`, `load/${n % 4}/value`)) expected++
    expect(m.deliveryIdxs).toHaveLength(expected)
  })
})

describe('filter explanations agree with the matcher', () => {
  const filters = ['#', '+', 'home/#', 'home/+', 'home/+/temperature', 'home/livingroom/temperature', '+/+/+', 'home/+/#', '+/livingroom/#', 'a/b', '$SYS/#']
  const topics = ['home', 'home/livingroom', 'home/livingroom/temperature', 'home/kitchen/temperature/max', 'office/livingroom/temperature', 'a/b', 'a/b/c', '$SYS/broker/uptime', '/leading', 'trailing/']
  for (const f of filters)
    for (const t of topics)
      it(`${f} vs ${t}`, () => {
        const e = explainMatch(f, t)
        expect(e.match).toBe(topicMatches(f, t))
        expect(e.summary.en.length).toBeGreaterThan(0)
        if (!e.match && e.steps.length) expect(e.steps.at(-1)?.ok).toBe(false)
      })
})
