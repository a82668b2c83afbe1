// What the fan-out view draws at the cursor, from a real run of the MQTT lesson's demo: the
// publisher on the left, the subscribers with their granted filters on the right, the counters,
// and each leg's QoS packets.
import { beforeAll, describe, expect, it } from 'vitest'
import type { LabEvent, NodeEvent } from '@shared/events'
import { recordLesson } from '../lesson-test-support'
import { currentMessage, FanoutModel } from './model'
import { builtInClients, fanoutAt, filtersLabel, isSampled, legLabel } from './picture'

const END = Number.MAX_SAFE_INTEGER
let events: LabEvent[] = []
let model: FanoutModel
beforeAll(async () => {
  events = await recordLesson('mqtt', ['demo'])
  const nodes = new Map<string, NodeEvent>()
  for (const e of events) if (e.kind === 'node') nodes.set(e.node, e)
  model = new FanoutModel(0, 0)
  model.advance(events, events.length, nodes)
})

describe('fan-out picture', () => {
  it('puts the publisher left and the subscribers right, with their granted filters', () => {
    const p = fanoutAt(model, END)
    expect(p.pubs.map((x) => [x.c.label, x.sent, x.received])).toEqual([['Sensor A', 1, 0]])
    const subs = Object.fromEntries(p.subs.map((x) => [x.c.label, [filtersLabel(x.at.filters), x.received]]))
    expect(subs).toMatchObject({
      'Living room': ['home/livingroom/+ (QoS 2)', 1],
      Temperatures: ['home/+/temperature (QoS 0)', 1],
      Kitchen: ['home/kitchen/# (QoS 1)', 0]
    })
    expect(p.clients).toHaveLength(p.pubs.length + p.subs.length)
    expect([p.messagesIn, p.deliveries]).toEqual([1, 3])
  })

  it('shows nothing before the first client appears, and counts only what the cursor passed', () => {
    const msg = currentMessage(model, END)!
    expect(fanoutAt(model, 0).clients).toEqual([])
    expect(fanoutAt(model, msg.idx).messagesIn).toBe(0)
    expect(fanoutAt(model, msg.idx + 1).messagesIn).toBe(1)
  })

  it('labels each leg with its QoS packets so far', () => {
    const msg = currentMessage(model, END)!
    expect(legLabel(msg.packets, msg.qos, END)).toBe('PUBLISH q1 · PUBACK')
    expect(legLabel(msg.packets, msg.qos, msg.idx + 1)).toBe('PUBLISH q1')
    expect(msg.deliveries.map((d) => legLabel(d.packets, d.qos, END)).sort()).toEqual([
      'PUBLISH q0',
      'PUBLISH q1 · PUBACK',
      'PUBLISH q1 · PUBACK'
    ])
    expect(isSampled(model, msg, END)).toBe(false)
  })

  it('lists the lesson’s own connected clients for the panel', () => {
    const labels = builtInClients(model).map((c) => c.label)
    expect(labels).toEqual(expect.arrayContaining(['Sensor A', 'Living room', 'Temperatures', 'Kitchen']))
    expect(builtInClients(model).every((c) => !c.external)).toBe(true)
  })
})
