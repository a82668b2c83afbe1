// The patterns model on the ZeroMQ lesson's real traffic (the engine runs here with real libzmq
// sockets): who got which publish and why not, the slow joiner's losses, REQ/REP pairs, PUSH/PULL
// shares and the MQTT side by side.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LabEvent, NodeEvent } from '@shared/events'
import { Lab } from '../../../../main/lab/lab'
import { PatternsCache, PatternsModel, peersOf } from './model'

let lab: Lab
const nodes = new Map<string, NodeEvent>()
const labelOf = (node: string): string => nodes.get(node)?.label ?? node

beforeAll(async () => {
  lab = new Lab({ ephemeralPorts: true })
  await lab.start('zeromq')
  for (const id of ['req-rep', 'pub-sub', 'compare-mqtt', 'slow-joiner', 'push-pull']) expect((await lab.action(id, { jobs: 9 })).ok).toBe(true)
  for (const e of lab.session.events) if (e.kind === 'node') nodes.set(e.node, e)
}, 60_000)

afterAll(async () => {
  await lab?.stop()
})

const model = (upTo = lab.session.size): PatternsModel => {
  const m = new PatternsModel(0, 0)
  m.advance(lab.session.events as LabEvent[], upTo, nodes)
  return m
}

describe('ZeroMQ patterns from the wire', () => {
  it('PUB/SUB: each publish goes to the matching subscribers; the others filtered it at the publisher', () => {
    const m = model()
    const painel = peersOf(m, 'zmq-pub').filter((p) => labelOf(p.node) === 'Painel temp')
    const first = painel[0]
    expect(first.type).toBe('SUB')
    expect(first.subs.map((s) => s.topic)).toEqual(['sensor.temp'])
    expect(first.received.map((r) => r.text)).toEqual(['sensor.temp 21.5'])
    const alarm = m.publishes.find((p) => p.text === 'alarme fogo na sala 101')!
    expect(alarm.to.map((c) => labelOf(m.peers.get(c)!.node))).toEqual(['Monitor (tudo)'])
    expect(alarm.filtered.map((c) => labelOf(m.peers.get(c)!.node)).sort()).toEqual(['Painel temp', 'Painel umid'])
    // sensor.umid and alarme never reached it: the publisher filtered them.
    const moment = m.publishes.filter((p) => ['sensor.temp 21.5', 'sensor.umid 55', 'alarme fogo na sala 101'].includes(p.text))
    expect(moment.filter((p) => p.filtered.includes(first.conn)).map((p) => p.text)).toEqual(['sensor.umid 55', 'alarme fogo na sala 101'])
  })

  it('the slow joiner: ticks sent before its SUBSCRIBE arrived are lost, the rest received', () => {
    const m = model()
    const late = peersOf(m, 'zmq-pub').find((p) => labelOf(p.node) === 'Atrasado')!
    const ticks = m.publishes.filter((p) => p.text.startsWith('tick'))
    expect(ticks).toHaveLength(30)
    expect(late.received.length + late.lost).toBe(30)
    expect(late.lost).toBe(ticks.filter((p) => p.lost.includes(late.conn)).length)
    const result = lab.session.events.findLast((e) => e.kind === 'note' && e.key === 'zeromq.slow-joiner.count')
    expect(result?.kind === 'note' && result.text.en).toContain(`Lost for Atrasado: ${late.lost} of 30`)
  })

  it('REQ/REP: requests paired with their replies, in lockstep', () => {
    expect(model().requests.map((r) => `${r.request} → ${r.reply ?? '?'}`)).toEqual(['Ola 1 → eco: Ola 1', 'Ola 2 → eco: Ola 2', 'Ola 3 → eco: Ola 3', 'pedido A → eco: pedido A'])
  })

  it('PUSH/PULL: three workers, three jobs each', () => {
    const workers = peersOf(model(), 'zmq-push')
    expect(workers.map((w) => [labelOf(w.node), w.type, w.received.map((r) => r.text)])).toEqual([
      ['Worker 1', 'PULL', ['job 1', 'job 4', 'job 7']],
      ['Worker 2', 'PULL', ['job 2', 'job 5', 'job 8']],
      ['Worker 3', 'PULL', ['job 3', 'job 6', 'job 9']]
    ])
  })

  it('MQTT side by side: one PUBLISH to the broker, one copy per matching subscriber', () => {
    const m = model()
    expect(m.mqtt.broker).toBe(true)
    const temp = m.mqtt.publishes.find((p) => p.topic === 'sensor/temp')!
    expect(temp.to.map((c) => labelOf(m.peers.get(c)!.node)).sort()).toEqual(['Monitor (MQTT, #)', 'Painel temp (MQTT)'])
  })

  it('follows the pattern that moved last, and gives the same state however the cursor got there', () => {
    const cache = new PatternsCache()
    const events = lab.session.events as LabEvent[]
    for (let c = 0; c < events.length; c += 13) cache.at(events, 0, 0, c, nodes)
    const a = cache.at(events, 0, 0, events.length, nodes)
    expect(a.pattern).toBe('pushpull')
    const b = new PatternsCache().at(events, 0, 0, events.length, nodes)
    expect(a.publishes.map((p) => [p.text, p.to.length, p.lost.length, p.filtered.length])).toEqual(b.publishes.map((p) => [p.text, p.to.length, p.lost.length, p.filtered.length]))
  })
})
