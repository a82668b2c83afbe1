// The topology model on the session recorded from a real RabbitMQ (resources/recordings): the
// exchanges, bindings and queues it shows, and the queue depths, unacked counts and routing it
// derives frame by frame, checked against what the broker itself said (Declare-Ok message counts,
// the deliveries that followed each publish).
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import type { LabEvent, NodeEvent } from '@shared/events'
import { fromWire, type WireEvent } from '@shared/wire'
import { Topology, TopologyCache } from './model'

const rec = JSON.parse(gunzipSync(readFileSync(path.join(__dirname, '../../../../../resources/recordings/rabbitmq.json.gz'))).toString()) as { actions: Record<string, WireEvent[]> }
const events = (action: string): LabEvent[] => rec.actions[action].map(fromWire)
const nodes = new Map<string, NodeEvent>()

/** Applies events one by one, calling `check` after each. */
function replay(evs: LabEvent[], check?: (t: Topology, e: LabEvent, i: number) => void): Topology {
  const t = new Topology(0, 0)
  evs.forEach((e, i) => {
    t.apply(e, i, nodes)
    check?.(t, e, i)
  })
  return t
}

describe('AMQP topology from the recorded RabbitMQ session', () => {
  it('one message three ways: the bindings it shows route exactly where RabbitMQ delivered', () => {
    const evs = events('route-three-ways')
    const publishes: { exchange: string; queues: string[]; misses: string[] }[] = []
    const t = replay(evs, (t) => {
      const s = t.step
      if (s?.kind === 'publish' && !publishes.some((p) => p.exchange === s.exchange)) publishes.push({ exchange: s.exchange, queues: [...s.queues].sort(), misses: s.bindings.filter((b) => !b.match).map((b) => b.binding.key) })
    })
    expect([...t.exchanges.keys()].filter((n) => n.startsWith('sensores'))).toEqual(['sensores.direct', 'sensores.fanout', 'sensores.topic'])
    expect(t.bindings).toHaveLength(9)
    expect(publishes).toEqual([
      { exchange: 'sensores.direct', queues: ['q.painel-101'], misses: ['sala.102.temp', 'alarme'] },
      { exchange: 'sensores.fanout', queues: ['q.alarmes', 'q.historico', 'q.painel-101'], misses: [] },
      { exchange: 'sensores.topic', queues: ['q.historico', 'q.painel-101'], misses: ['alarme.#'] }
    ])
    // What RabbitMQ really delivered after the topic publish agrees with the derived routing.
    const topicAt = evs.findIndex((e) => e.kind === 'pdu' && e.keys?.method === 'Basic.Publish' && e.keys.exchange === 'sensores.topic')
    const after = evs.slice(topicAt).filter((e) => e.kind === 'pdu' && e.keys?.method === 'Basic.Deliver')
    expect(after).toHaveLength(2)
    // Consumed and acked: every queue empty, nothing unacked.
    for (const q of t.queues.values()) expect([q.name, q.ready.length, q.unacked]).toEqual([q.name, 0, 0])
    expect(t.consumers.size).toBe(3)
    expect([...t.consumers.values()].map((c) => c.delivered).sort()).toEqual([1, 2, 3])
  })

  it('the topic exchange explains the binding that does not match, word by word', () => {
    let miss: string | undefined
    replay(events('route-three-ways'), (t) => {
      const s = t.step
      if (s?.kind === 'publish' && s.exchange === 'sensores.topic') miss = s.bindings.find((b) => !b.match)?.explain?.summary.en
    })
    expect(miss).toBe('Word 1 differs: "alarme" ≠ "sala".')
  })

  it('a slow worker with prefetch 10 holds several unacked deliveries at once; with prefetch 1 never more than one', () => {
    const maxUnacked = new Map<string, number>()
    replay(events('prefetch-hog'), (t) => {
      for (const c of t.consumers.values()) maxUnacked.set(`${c.prefetch}:${c.tag}`, Math.max(maxUnacked.get(`${c.prefetch}:${c.tag}`) ?? 0, c.unacked.size))
    })
    const byPrefetch = (p: number): number[] => [...maxUnacked].filter(([k]) => k.startsWith(`${p}:`)).map(([, v]) => v)
    expect(Math.max(...byPrefetch(10))).toBeGreaterThan(1)
    expect(Math.max(...byPrefetch(1))).toBe(1)
  })

  it('a nack with requeue puts the message back before it is delivered again', () => {
    const kinds: string[] = []
    replay(events('nack-requeue'), (t) => {
      const s = t.step
      if (s && (s.kind === 'deliver' || s.kind === 'requeue' || s.kind === 'ack') && kinds[kinds.length - 1] !== `${s.kind}@${s.idx}`) kinds.push(`${s.kind}@${s.idx}`)
    })
    expect(kinds.map((k) => k.split('@')[0])).toEqual(['deliver', 'requeue', 'deliver', 'ack'])
  })

  it('across the restart: the queue that is not durable is gone, the durable one keeps only the persistent message', () => {
    const evs = events('durable-restart')
    const restartAt = evs.findIndex((e) => e.kind === 'pdu' && e.keys?.method === 'Connection.Close' && e.keys.replyCode === 320)
    expect(restartAt).toBeGreaterThan(0)
    const before = replay(evs.slice(0, restartAt))
    expect(before.queues.get('pedidos.duraveis')?.ready.map((w) => `${w.body} ${w.persistent}`)).toEqual(['pedido 1 true', 'pedido 2 false'])
    expect(before.queues.get('cache.temporaria')?.ready).toHaveLength(1)
    const after = replay(evs.slice(0, restartAt + 1))
    expect(after.step?.kind).toBe('restart')
    expect(after.queues.has('cache.temporaria')).toBe(false)
    expect(after.queues.get('pedidos.duraveis')?.ready.map((w) => w.body)).toEqual(['pedido 1'])
    // RabbitMQ's own count after it came back agrees.
    const declareOk = evs.slice(restartAt).find((e) => e.kind === 'pdu' && e.keys?.method === 'Queue.Declare-Ok' && e.keys.queue === 'pedidos.duraveis')
    expect(declareOk?.kind === 'pdu' && declareOk.keys?.messageCount).toBe(1)
  })

  it('the cache gives the same state at a cursor whether it moved forward step by step or jumped back', () => {
    const evs = events('work-queue')
    const cache = new TopologyCache()
    for (let c = 0; c <= evs.length; c += 7) cache.at(evs, 0, 0, c, nodes)
    const forward = cache.at(evs, 0, 0, 120, nodes)
    const snap = (t: Topology): unknown => ({ q: [...t.queues.values()].map((q) => [q.name, q.ready.length, q.unacked]), c: [...t.consumers.values()].map((c) => [c.tag, c.unacked.size]) })
    const a = snap(forward)
    const fresh = new TopologyCache().at(evs, 0, 0, 120, nodes)
    expect(snap(fresh)).toEqual(a)
  })
})
