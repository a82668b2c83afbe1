// The RabbitMQ lesson's built-in clients: one setup connection that declares exchanges, queues
// and bindings (what an application does at start-up), producers on confirm channels, and
// consumers with a prefetch window that ack each message after a delay (a slow worker has a long
// one) or nack it back to the queue. Real amqplib connections through the tap.
import type amqp from 'amqplib'
import type { Localized } from '../../../../shared/events'
import { AMQP_TOPICS, topicMatches } from '../../../../shared/topic-match'
import { connectAmqp, type ExchangeType } from '../../protocols/amqp/client'
import type { SceneContext } from '../context'
import type { LiveBroker } from './broker'

export type MemberRole = 'producer' | 'consumer' | 'setup'

export interface Received {
  routingKey: string
  exchange: string
  body: string
  redelivered: boolean
  /** What the consumer did with it. */
  outcome?: 'ack' | 'nack-requeue'
}

export interface Member {
  name: string
  role: MemberRole
  node: string
  conn: amqp.ChannelModel
  ch: amqp.Channel
  confirm?: amqp.ConfirmChannel
  queue?: string
  prefetch?: number
  ackDelayMs?: number
  consumerTag?: string
  received: Received[]
  /** Messages still to nack (requeue) instead of ack. */
  nackNext: number
  /** Deliveries not yet acked or nacked. */
  pending: number
  /** A worker handles one message at a time: when it is free again (ms, Date.now clock). */
  busyUntil: number
  closed: boolean
}

export const slug = (name: string): string =>
  name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '') || 'client'

export const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(what)), ms)
    p.then(
      (v) => {
        clearTimeout(t)
        resolve(v)
      },
      (e: unknown) => {
        clearTimeout(t)
        reject(e instanceof Error ? e : new Error(String(e)))
      }
    )
  })
}

/** How long closing a client waits for the broker's Close-Ok. */
const CLOSE_WAIT_MS = 2000

/** Exchanges RabbitMQ declares by itself (every vhost has them). */
const BUILT_IN: Record<string, ExchangeType> = { '': 'direct', 'amq.direct': 'direct', 'amq.fanout': 'fanout', 'amq.topic': 'topic', 'amq.headers': 'headers' }

export class RabbitLesson {
  readonly members = new Map<string, Member>()
  readonly exchanges = new Map<string, ExchangeType>(Object.entries(BUILT_IN))
  readonly queues = new Map<string, { durable: boolean }>()
  readonly bindings: { queue: string; exchange: string; key: string }[] = []

  constructor(
    private readonly ctx: SceneContext,
    readonly broker: LiveBroker,
    /** The tap's public port: built-in clients go through it, like anyone's. */
    readonly port: number
  ) {
    // Acks and nacks the built-in consumers sent, as the tap logged them: a step is over once its
    // acks are on the wire (in the log), not merely handed to amqplib.
    const nodes = new Map<string, string>()
    const off = ctx.session.subscribe((e) => {
      if (e.kind === 'conn.open') nodes.set(e.conn, e.from)
      else if (e.kind === 'pdu' && e.protocol === 'amqp' && e.dir === 'c2s' && /^Basic\.(Ack|Nack|Reject)$/.test(String(e.keys?.method)) && this.builtIn.has(nodes.get(e.conn) ?? '')) {
        this.settlesLogged++
        this.wake()
      }
    })
    ctx.onStop(off)
  }

  /** Every node a built-in client ever had. */
  private readonly builtIn = new Set<string>()
  /** Acks and nacks sent by the built-in consumers, and those the tap has logged. */
  private settlesSent = 0
  private settlesLogged = 0

  note(key: string, text: Localized, level: 'info' | 'warn' | 'error' = 'info'): void {
    this.ctx.note(key, text, level)
  }

  /** Fails with what happened and what to do when the broker is gone. */
  private alive(): void {
    if (this.broker.died) throw new Error(this.broker.died.en)
  }

  async connect(name: string, role: MemberRole): Promise<Member> {
    this.alive()
    const clean = name.trim()
    if (!clean) throw new Error('a client needs a name')
    if (this.members.has(clean)) await this.remove(clean)
    const node = `${role}:${slug(clean)}`
    this.builtIn.add(node)
    const localPort = await this.ctx.localPortFor({ node, label: clean })
    const conn = await connectAmqp({ host: '127.0.0.1', port: this.port, localPort }, clean)
    const ch = await conn.createChannel()
    ch.on('error', () => undefined) // a channel error (404…) rejects the call that caused it
    const m: Member = { name: clean, role, node, conn, ch, received: [], nackNext: 0, pending: 0, busyUntil: 0, closed: false }
    conn.on('close', () => (m.closed = true))
    this.members.set(clean, m)
    this.ctx.onStop(() => this.close(m))
    return m
  }

  private async close(m: Member): Promise<void> {
    if (m.closed) return
    m.closed = true
    // Connection.Close waits for the broker's Close-Ok, which a broker that died never sends.
    await withTimeout(m.conn.close(), CLOSE_WAIT_MS, 'Close-Ok').catch(() => undefined)
  }

  async remove(name: string): Promise<boolean> {
    const m = this.members.get(name)
    if (!m) return false
    this.members.delete(name)
    await this.close(m)
    return true
  }

  async removeAll(): Promise<void> {
    for (const name of [...this.members.keys()]) await this.remove(name)
  }

  /** The setup connection (declarations), opened on first use. */
  async setup(): Promise<amqp.Channel> {
    this.alive()
    const s = this.members.get('Setup')
    if (s && !s.closed) return s.ch
    return (await this.connect('Setup', 'setup')).ch
  }

  async declareExchange(name: string, type: ExchangeType, durable = false): Promise<void> {
    const ch = await this.setup()
    await ch.assertExchange(name, type, { durable, autoDelete: false })
    this.exchanges.set(name, type)
  }

  async declareQueue(name: string, durable = false): Promise<void> {
    const ch = await this.setup()
    await ch.assertQueue(name, { durable, autoDelete: false })
    this.queues.set(name, { durable })
  }

  async bind(queue: string, exchange: string, key: string): Promise<void> {
    const ch = await this.setup()
    await ch.bindQueue(queue, exchange, key)
    if (!this.bindings.some((b) => b.queue === queue && b.exchange === exchange && b.key === key)) this.bindings.push({ queue, exchange, key })
  }

  /** Deletes what the lesson declared (a fresh start for the next moment). */
  async clearTopology(): Promise<void> {
    const declared = [...this.queues.keys()]
    const exchanges = [...this.exchanges.keys()].filter((e) => !(e in BUILT_IN))
    if (declared.length === 0 && exchanges.length === 0) return
    const ch = await this.setup()
    for (const q of declared) await ch.deleteQueue(q)
    for (const e of exchanges) await ch.deleteExchange(e)
    this.queues.clear()
    for (const e of exchanges) this.exchanges.delete(e)
    this.bindings.length = 0
  }

  async addProducer(name: string): Promise<Member> {
    const m = await this.connect(name, 'producer')
    // Publisher confirms: the broker acks each message once it has routed it.
    m.confirm = await m.conn.createConfirmChannel()
    m.confirm.on('error', () => undefined)
    return m
  }

  async addConsumer(name: string, queue: string, prefetch: number, ackDelayMs: number): Promise<Member> {
    const m = await this.connect(name, 'consumer')
    m.queue = queue
    m.prefetch = prefetch
    m.ackDelayMs = ackDelayMs
    await m.ch.prefetch(prefetch)
    const ok = await m.ch.consume(queue, (msg) => this.deliver(m, msg), { noAck: false })
    m.consumerTag = ok.consumerTag
    return m
  }

  private deliver(m: Member, msg: amqp.ConsumeMessage | null): void {
    if (!msg) return
    const r: Received = { routingKey: msg.fields.routingKey, exchange: msg.fields.exchange, body: msg.content.toString(), redelivered: msg.fields.redelivered }
    m.received.push(r)
    m.pending++
    const settle = (): void => {
      m.pending--
      this.wake()
    }
    // One message at a time: this one is handled after the ones already waiting.
    const nack = m.nackNext > 0
    if (nack) m.nackNext--
    const start = Math.max(Date.now(), m.busyUntil)
    m.busyUntil = start + (nack ? 100 : (m.ackDelayMs ?? 0))
    setTimeout(() => {
      r.outcome = nack ? 'nack-requeue' : 'ack'
      if (!m.closed) {
        if (nack) m.ch.nack(msg, false, true)
        else m.ch.ack(msg)
        this.settlesSent++
      }
      settle()
    }, m.busyUntil - Date.now())
    this.wake()
  }

  private waiters: (() => void)[] = []
  private wake(): void {
    for (const w of this.waiters.splice(0)) w()
  }

  /** Resolves when `done()` holds (re-checked on every delivery and ack), or rejects after `ms`. */
  until(done: () => boolean, ms: number, what: string): Promise<void> {
    return withTimeout(
      new Promise<void>((resolve) => {
        const check = (): void => {
          if (done()) resolve()
          else this.waiters.push(check)
        }
        check()
      }),
      ms,
      what
    )
  }

  /** Queues a message published to `exchange` with `key` reaches, from the lesson's own bindings. */
  routes(exchange: string, key: string): string[] {
    const type = this.exchanges.get(exchange)
    if (exchange === '') return this.queues.has(key) ? [key] : []
    const out = new Set<string>()
    for (const b of this.bindings) {
      if (b.exchange !== exchange) continue
      if (type === 'fanout' || (type === 'direct' && b.key === key) || (type === 'topic' && topicMatches(b.key, key, AMQP_TOPICS))) out.add(b.queue)
    }
    return [...out]
  }

  private consumersOf(queue: string): Member[] {
    return [...this.members.values()].filter((m) => m.role === 'consumer' && m.queue === queue && !m.closed)
  }

  totalReceived(): number {
    return [...this.members.values()].reduce((n, m) => n + m.received.length, 0)
  }

  /** Every consumer has acked or nacked everything it got, and the tap has seen those frames. */
  settled(): boolean {
    return [...this.members.values()].every((m) => m.pending === 0) && this.settlesLogged >= this.settlesSent
  }

  /**
   * Publishes and waits for the broker's confirm, then until a consumer of every queue the message
   * was routed to has received it (when those queues have consumers) and every consumer is settled.
   */
  async publish(producer: Member, exchange: string, key: string, body: string, persistent = false, waitMs = 10_000): Promise<string[]> {
    this.alive()
    if (!producer.confirm) throw new Error(`${producer.name} is not a producer`)
    const queues = this.routes(exchange, key)
    const before = this.totalReceived()
    const expected = queues.filter((q) => this.consumersOf(q).length > 0).length
    const ch = producer.confirm
    await new Promise<void>((resolve, reject) =>
      ch.publish(exchange, key, Buffer.from(body), { persistent, contentType: 'text/plain' }, (err) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve()))
    )
    await this.until(() => this.totalReceived() >= before + expected && this.settled(), waitMs, `not every consumer of ${queues.join(', ')} received "${body}"`)
    return queues
  }

  producer(name: string | undefined): Member {
    const named = name ? this.members.get(name) : undefined
    const m = named ?? [...this.members.values()].find((x) => x.role === 'producer' && !x.closed)
    if (!m || m.role !== 'producer') throw new Error(name ? `no producer called "${name}"` : 'there is no producer yet: add one first')
    return m
  }

  /** Removes every client and what the lesson declared. */
  async reset(): Promise<void> {
    // A dead broker answers nothing: the moment fails now with what happened, rather than wait on
    // connections whose end the tap has not passed on yet.
    this.alive()
    for (const [name, m] of this.members) if (m.role !== 'setup') await this.remove(name)
    await this.clearTopology()
  }
}
