// The AMQP topology as data, frame by frame from the log: exchanges, queues (with the messages
// waiting in them, persistent or not), bindings, consumers (prefetch, unacked deliveries) and
// producers. Every AMQP PDU up to the playback cursor is applied in order, so the picture at any
// cursor is exact: nothing is sampled. What the broker does inside (routing a publish to queues)
// is not on the wire: it is derived from the bindings seen on the wire, and labelled so.
import type { LabEvent, NodeEvent, PduEvent } from '@shared/events'
import { AMQP_TOPICS, explainMatch, type MatchExplanation } from '@shared/topic-match'

export type ExchangeType = 'direct' | 'fanout' | 'topic' | 'headers' | string

export interface Exchange {
  name: string
  type: ExchangeType
  durable: boolean
  builtIn: boolean
}

export interface Waiting {
  body: string
  persistent: boolean
}

export interface Queue {
  name: string
  durable: boolean
  /** Messages ready for delivery, oldest first (derived: publishes routed by the bindings, minus deliveries). */
  ready: Waiting[]
  /** Delivered, not yet acked, by consumer tag. */
  unacked: number
}

export interface Binding {
  queue: string
  exchange: string
  key: string
}

export interface Consumer {
  tag: string
  node: string
  conn: string
  channel: number
  queue: string
  prefetch: number
  /** Delivery tags not yet acked. */
  unacked: Set<number>
  delivered: number
}

export interface Producer {
  node: string
  published: number
}

/** The latest thing that happened, for the animation. */
export type Step =
  | { kind: 'publish'; idx: number; node: string; exchange: string; key: string; body: string; persistent: boolean; queues: string[]; bindings: BindingCheck[] }
  | { kind: 'deliver'; idx: number; node: string; queue: string; body: string; redelivered: boolean; tag: string }
  | { kind: 'ack' | 'nack' | 'requeue'; idx: number; node: string; queue: string }
  | { kind: 'get'; idx: number; node: string; queue: string; body: string }
  | { kind: 'declare' | 'bind' | 'delete'; idx: number; node: string; what: string }
  | { kind: 'error'; idx: number; node: string; what: string }
  | { kind: 'restart'; idx: number; node: string; what: string }

/** One binding of the exchange a message was published to, checked against its routing key. */
export interface BindingCheck {
  binding: Binding
  match: boolean
  /** Topic exchanges: word by word. */
  explain?: MatchExplanation
}

const BUILT_IN: Exchange[] = [
  { name: '', type: 'direct', durable: true, builtIn: true },
  { name: 'amq.direct', type: 'direct', durable: true, builtIn: true },
  { name: 'amq.fanout', type: 'fanout', durable: true, builtIn: true },
  { name: 'amq.topic', type: 'topic', durable: true, builtIn: true },
  { name: 'amq.headers', type: 'headers', durable: true, builtIn: true }
]

/** Which bindings of `exchange` take a message with routing key `key`, and why. */
export function checkBindings(type: ExchangeType, bindings: Binding[], key: string): BindingCheck[] {
  return bindings.map((b) => {
    if (type === 'fanout') return { binding: b, match: true }
    if (type === 'topic') {
      const explain = explainMatch(b.key, key, AMQP_TOPICS)
      return { binding: b, match: explain.match, explain }
    }
    return { binding: b, match: type === 'direct' && b.key === key }
  })
}

type Pdu = PduEvent & { keys: Record<string, string | number | boolean> }

export class Topology {
  readonly exchanges = new Map<string, Exchange>(BUILT_IN.map((e) => [e.name, { ...e }]))
  readonly queues = new Map<string, Queue>()
  readonly bindings: Binding[] = []
  readonly consumers = new Map<string, Consumer>()
  readonly producers = new Map<string, Producer>()
  /** Client nodes seen on AMQP connections, in order of appearance. */
  readonly clients: string[] = []
  step: Step | null = null
  /** The newest publish: its routing stays on screen while its deliveries and acks fly. */
  lastPublish: Extract<Step, { kind: 'publish' }> | null = null
  steps = 0
  private readonly connNode = new Map<string, string>()
  private readonly prefetch = new Map<string, number>()
  /** Per channel: the request waiting for its -Ok (declares, binds, gets). */
  private readonly pending = new Map<string, Pdu>()
  /** Per channel: delivery tag → queue (to ack, nack or requeue). */
  private readonly tags = new Map<string, Map<number, { queue: string; consumer?: string; body: string; persistent: boolean }>>()
  /** Per queue: delivery mode of messages in flight by body, for redelivery. */
  brokerLabel = 'RabbitMQ'

  constructor(
    readonly epoch: number,
    readonly from: number
  ) {}

  /** Applies one event of the log (index `idx`). */
  apply(e: LabEvent, idx: number, nodes: Map<string, NodeEvent>): void {
    if (e.kind === 'node' && e.role === 'broker' && e.node === 'rabbitmq') this.brokerLabel = e.label
    if (e.kind === 'conn.open' && e.tap === 'amqp') this.connNode.set(e.conn, e.from)
    if (e.kind === 'conn.close') this.closeConn(e.conn)
    if (e.kind !== 'pdu' || e.protocol !== 'amqp' || e.malformed || !e.keys) return
    const p = e as Pdu
    const node = this.connNode.get(p.conn) ?? p.conn
    if (!this.clients.includes(node)) this.clients.push(node)
    void nodes
    const method = String(p.keys.method ?? '')
    const ch = `${p.conn}/${String(p.keys.channel)}`
    const k = p.keys
    const str = (x: unknown): string => (x === undefined ? '' : String(x))
    const set = (s: Step): void => {
      this.step = s
      this.steps++
    }
    switch (method) {
      case 'Exchange.Declare':
      case 'Queue.Declare':
      case 'Queue.Bind':
      case 'Queue.Unbind':
      case 'Basic.Consume':
      case 'Basic.Get':
      case 'Queue.Purge':
      case 'Queue.Delete':
      case 'Exchange.Delete':
        this.pending.set(ch, p)
        break
      case 'Exchange.Declare-Ok': {
        const req = this.take(ch, 'Exchange.Declare')
        if (req) {
          this.exchanges.set(str(req.keys.exchange), { name: str(req.keys.exchange), type: str(req.keys.type), durable: req.keys.durable === true, builtIn: false })
          set({ kind: 'declare', idx, node, what: `exchange ${str(req.keys.exchange)} (${str(req.keys.type)})` })
        }
        break
      }
      case 'Queue.Declare-Ok': {
        const req = this.take(ch, 'Queue.Declare')
        const name = str(k.queue)
        const q = this.queues.get(name) ?? { name, durable: req?.keys.durable === true, ready: [], unacked: 0 }
        // The broker's own count is authoritative: keep what is known, pad with unknown messages.
        const count = Number(k.messageCount ?? 0)
        q.ready = q.ready.slice(0, count)
        while (q.ready.length < count) q.ready.push({ body: '?', persistent: true })
        this.queues.set(name, q)
        set({ kind: 'declare', idx, node, what: `queue ${name}` })
        break
      }
      case 'Queue.Bind-Ok': {
        const req = this.take(ch, 'Queue.Bind')
        if (req) {
          const b = { queue: str(req.keys.queue), exchange: str(req.keys.exchange), key: str(req.keys.routingKey) }
          if (!this.bindings.some((x) => x.queue === b.queue && x.exchange === b.exchange && x.key === b.key)) this.bindings.push(b)
          set({ kind: 'bind', idx, node, what: `${b.queue} ← ${b.exchange} (${b.key})` })
        }
        break
      }
      case 'Queue.Unbind-Ok': {
        const req = this.take(ch, 'Queue.Unbind')
        if (req) this.removeBindings((b) => b.queue === str(req.keys.queue) && b.exchange === str(req.keys.exchange) && b.key === str(req.keys.routingKey))
        break
      }
      case 'Queue.Purge-Ok': {
        const req = this.take(ch, 'Queue.Purge')
        const q = req && this.queues.get(str(req.keys.queue))
        if (q) q.ready = []
        break
      }
      case 'Queue.Delete-Ok': {
        const req = this.take(ch, 'Queue.Delete')
        if (req) {
          const name = str(req.keys.queue)
          this.queues.delete(name)
          this.removeBindings((b) => b.queue === name)
          set({ kind: 'delete', idx, node, what: `queue ${name}` })
        }
        break
      }
      case 'Exchange.Delete-Ok': {
        const req = this.take(ch, 'Exchange.Delete')
        if (req) {
          this.exchanges.delete(str(req.keys.exchange))
          if (this.lastPublish?.exchange === str(req.keys.exchange)) this.lastPublish = null
          this.removeBindings((b) => b.exchange === str(req.keys.exchange))
        }
        break
      }
      case 'Basic.Qos':
        this.prefetch.set(ch, Number(k.prefetchCount ?? 0))
        break
      case 'Basic.Consume-Ok': {
        const req = this.take(ch, 'Basic.Consume')
        if (req) this.consumers.set(str(k.consumerTag), { tag: str(k.consumerTag), node, conn: p.conn, channel: Number(k.channel), queue: str(req.keys.queue), prefetch: this.prefetch.get(ch) ?? 0, unacked: new Set(), delivered: 0 })
        break
      }
      case 'Basic.Cancel-Ok':
        this.dropConsumer(str(k.consumerTag))
        break
      case 'Basic.Publish': {
        const exchange = str(k.exchange)
        const key = str(k.routingKey)
        const body = str(k.body)
        const persistent = Number(k.deliveryMode ?? 1) === 2
        const ex = this.exchanges.get(exchange)
        let queues: string[] = []
        let checks: BindingCheck[] = []
        if (exchange === '') queues = this.queues.has(key) ? [key] : []
        else if (ex) {
          checks = checkBindings(ex.type, this.bindings.filter((b) => b.exchange === exchange), key)
          queues = [...new Set(checks.filter((c) => c.match).map((c) => c.binding.queue))]
        }
        for (const name of queues) this.queues.get(name)?.ready.push({ body, persistent })
        const prod = this.producers.get(node) ?? { node, published: 0 }
        prod.published++
        this.producers.set(node, prod)
        const step: Extract<Step, { kind: 'publish' }> = { kind: 'publish', idx, node, exchange, key, body, persistent, queues, bindings: checks }
        this.lastPublish = step
        set(step)
        break
      }
      case 'Basic.Deliver': {
        const c = this.consumers.get(str(k.consumerTag))
        const queue = c?.queue ?? ''
        const body = str(k.body)
        const w = this.takeReady(queue, body)
        if (c) {
          c.unacked.add(Number(k.deliveryTag))
          c.delivered++
        }
        this.tagsOf(ch).set(Number(k.deliveryTag), { queue, consumer: c?.tag, body, persistent: w?.persistent ?? Number(k.deliveryMode ?? 1) === 2 })
        const q = this.queues.get(queue)
        if (q) q.unacked++
        set({ kind: 'deliver', idx, node, queue, body, redelivered: k.redelivered === true, tag: str(k.consumerTag) })
        break
      }
      case 'Basic.Get-Ok': {
        const req = this.take(ch, 'Basic.Get')
        const queue = req ? str(req.keys.queue) : ''
        const body = str(k.body)
        const w = this.takeReady(queue, body)
        if (req && req.keys.noAck !== true) {
          this.tagsOf(ch).set(Number(k.deliveryTag), { queue, body, persistent: w?.persistent ?? true })
          const q = this.queues.get(queue)
          if (q) q.unacked++
        }
        set({ kind: 'get', idx, node, queue, body })
        break
      }
      case 'Basic.Get-Empty':
        this.take(ch, 'Basic.Get')
        break
      case 'Basic.Ack':
      case 'Basic.Nack':
      case 'Basic.Reject': {
        if (p.dir === 's2c') break // a publisher confirm, not a consumer's ack
        const requeue = method !== 'Basic.Ack' && k.requeue === true
        const settled = this.settle(ch, Number(k.deliveryTag), k.multiple === true, requeue)
        if (settled) set({ kind: method === 'Basic.Ack' ? 'ack' : requeue ? 'requeue' : 'nack', idx, node, queue: settled })
        break
      }
      case 'Channel.Close':
        if (p.dir === 's2c' && Number(k.replyCode) >= 300) set({ kind: 'error', idx, node, what: `${str(k.replyCode)} ${str(k.replyText)}` })
        this.closeChannel(ch)
        break
      case 'Connection.Close':
        if (p.dir === 's2c' && Number(k.replyCode) === 320) this.restart(idx, node, str(k.replyText))
        break
    }
  }

  private take(ch: string, method: string): Pdu | undefined {
    const p = this.pending.get(ch)
    if (!p || p.keys.method !== method) return undefined
    this.pending.delete(ch)
    return p
  }

  private tagsOf(ch: string): Map<number, { queue: string; consumer?: string; body: string; persistent: boolean }> {
    let m = this.tags.get(ch)
    if (!m) this.tags.set(ch, (m = new Map()))
    return m
  }

  /** Removes the oldest waiting message with this body (or the oldest one). */
  private takeReady(queue: string, body: string): Waiting | undefined {
    const q = this.queues.get(queue)
    if (!q || q.ready.length === 0) return undefined
    let i = q.ready.findIndex((w) => w.body === body)
    if (i < 0) i = q.ready.findIndex((w) => w.body === '?')
    if (i < 0) i = 0
    return q.ready.splice(i, 1)[0]
  }

  /** Acks (or nacks) a delivery tag, or every tag up to it; returns the queue. */
  private settle(ch: string, tag: number, multiple: boolean, requeue: boolean): string | null {
    const tags = this.tagsOf(ch)
    const which = multiple ? [...tags.keys()].filter((t) => t <= tag) : tags.has(tag) ? [tag] : []
    let queue: string | null = null
    for (const t of which.sort((a, b) => a - b)) {
      const d = tags.get(t)!
      tags.delete(t)
      queue = d.queue
      const q = this.queues.get(d.queue)
      if (q) {
        q.unacked = Math.max(0, q.unacked - 1)
        if (requeue) q.ready.unshift({ body: d.body, persistent: d.persistent })
      }
      if (d.consumer) this.consumers.get(d.consumer)?.unacked.delete(t)
    }
    return queue
  }

  private closeChannel(ch: string): void {
    // Unacked deliveries of a closed channel go back to their queues (the broker requeues them).
    for (const [t] of this.tagsOf(ch)) this.settle(ch, t, false, true)
    this.tags.delete(ch)
    this.pending.delete(ch)
    for (const [tag, c] of this.consumers) if (`${c.conn}/${c.channel}` === ch) this.consumers.delete(tag)
  }

  private closeConn(conn: string): void {
    for (const ch of [...this.tags.keys(), ...this.pending.keys()]) if (ch.startsWith(`${conn}/`)) this.closeChannel(ch)
    for (const [tag, c] of this.consumers) if (c.conn === conn) this.consumers.delete(tag)
  }

  private dropConsumer(tag: string): void {
    this.consumers.delete(tag)
  }

  private removeBindings(drop: (b: Binding) => boolean): void {
    for (let i = this.bindings.length - 1; i >= 0; i--) if (drop(this.bindings[i])) this.bindings.splice(i, 1)
  }

  /**
   * The broker closed connections with 320 CONNECTION_FORCED (shutting down): after it comes back,
   * only durable queues and exchanges exist, holding only their persistent messages.
   */
  private restart(idx: number, node: string, why: string): void {
    if (this.step?.kind === 'restart' && idx - this.step.idx < 200) return
    for (const [name, q] of this.queues) {
      if (!q.durable) {
        this.queues.delete(name)
        this.removeBindings((b) => b.queue === name)
      } else q.ready = q.ready.filter((w) => w.persistent)
    }
    for (const [name, e] of this.exchanges) if (!e.durable && !e.builtIn) this.exchanges.delete(name)
    this.removeBindings((b) => !this.exchanges.has(b.exchange) && b.exchange !== '')
    this.consumers.clear()
    this.lastPublish = null
    this.step = { kind: 'restart', idx, node, what: why }
    this.steps++
  }
}

/** The topology at the cursor: continues from the last state when the cursor moved forward, else replays. */
export class TopologyCache {
  private t: Topology | null = null
  private upTo = 0

  at(events: LabEvent[], epoch: number, from: number, cursor: number, nodes: Map<string, NodeEvent>): Topology {
    if (!this.t || this.t.epoch !== epoch || this.t.from !== from || cursor < this.upTo) {
      this.t = new Topology(epoch, from)
      this.upTo = from
    }
    const end = Math.min(cursor, events.length)
    for (let i = Math.max(this.upTo, from); i < end; i++) this.t.apply(events[i], i, nodes)
    this.upTo = Math.max(this.upTo, end)
    return this.t
  }
}
