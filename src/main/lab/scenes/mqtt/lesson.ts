// The MQTT lesson's built-in clients: real mqtt.js publishers and subscribers, each its own actor
// behind the tap, that the lesson adds, names, removes and publishes from, waiting until every
// delivery has been recorded.
import type net from 'node:net'
import type { IClientOptions, MqttClient } from 'mqtt'
import { topicMatches } from '../../../../shared/protocols/mqtt-topic'
import { LOOPBACK } from '../../net/ports'
import { connected, mqttOver } from '../../protocols/mqtt/client'
import type { SceneContext } from '../context'
import { fanoutQuestion, revealFanout } from './checkpoints'

export type Role = 'pub' | 'sub'

/** A built-in client. Node ids say the role (`pub:` / `sub:`) so views can place them before any traffic. */
export interface Member {
  name: string
  role: Role
  node: string
  client: MqttClient
  socket: net.Socket
  filters: { filter: string; qos: 0 | 1 | 2 }[]
}

const slug = (name: string): string =>
  name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '') || 'client'

export class MqttLesson {
  readonly members = new Map<string, Member>()

  constructor(
    private readonly ctx: SceneContext,
    readonly port: number,
    private readonly credentials?: { username: string; password: string }
  ) {}

  note(key: string, en: string, pt: string, level: 'info' | 'warn' | 'error' = 'info'): void {
    this.ctx.note(key, { en, pt }, level)
  }

  /** Connects a real mqtt.js client as its own actor. */
  async connect(
    name: string,
    role: Role,
    options: IClientOptions = {},
    nodeId?: string,
    setup?: (c: MqttClient) => void
  ): Promise<{ client: MqttClient; socket: net.Socket; node: string; sessionPresent: boolean }> {
    const node = nodeId ?? `${role}:${slug(name)}`
    // Built-in clients reach the broker over loopback, or the address classroom mode bound to.
    const host = this.ctx.host === '0.0.0.0' || this.ctx.host === '::' ? LOOPBACK : this.ctx.host
    const socket = await this.ctx.connectTcp({ node, label: name }, this.port, host)
    const login = this.credentials
      ? { username: this.credentials.username, password: this.credentials.password }
      : {}
    const client = mqttOver(socket, {
      clientId: `wirelab-${slug(name)}`,
      keepalive: 60,
      ...login,
      ...options
    })
    client.on('error', () => undefined) // refusals are awaited below; later errors show in the log
    setup?.(client)
    const connack = await connected(client)
    return { client, socket, node, sessionPresent: connack.sessionPresent }
  }

  async add(name: string, role: Role, filters: Member['filters'] = []): Promise<Member> {
    const clean = name.trim()
    if (!clean) throw new Error('a client needs a name')
    if (this.members.has(clean)) await this.remove(clean)
    const { client, socket, node } = await this.connect(clean, role)
    const m: Member = { name: clean, role, node, client, socket, filters }
    this.members.set(clean, m)
    if (filters.length)
      await client.subscribeAsync(Object.fromEntries(filters.map((f) => [f.filter, { qos: f.qos }])))
    return m
  }

  async remove(name: string): Promise<boolean> {
    const m = this.members.get(name)
    if (!m) return false
    this.members.delete(name)
    await m.client.endAsync().catch(() => undefined)
    m.socket.destroy()
    return true
  }

  async closeAll(): Promise<void> {
    for (const name of [...this.members.keys()]) await this.remove(name)
  }

  /** Publishes and resolves when the QoS flow is complete (PUBACK, or PUBCOMP), then lets deliveries land. */
  async publish(m: Member, topic: string, payload: string, qos: 0 | 1 | 2, retain = false): Promise<void> {
    const arrived = this.deliveriesOf([{ topic, payload }])
    await m.client.publishAsync(topic, payload, { qos, retain })
    await withTimeout(arrived, 10_000, `not every matching subscriber received ${topic}`).catch(
      () => undefined
    )
    await this.settle()
  }

  /** A publish under the fan-out checkpoint: people predict which subscribers get it, then it goes. */
  async publishAsked(m: Member, topic: string, payload: string, qos: 0 | 1 | 2, retain: boolean): Promise<void> {
    const subs = [...this.members.values()]
      .filter((x) => x.role === 'sub')
      .map((x) => ({ name: x.name, node: x.node, filters: x.filters.map((f) => f.filter) }))
    if (!subs.length) return this.publish(m, topic, payload, qos, retain)
    await this.ctx.checkpoint(
      fanoutQuestion(topic, subs),
      () => this.publish(m, topic, payload, qos, retain),
      (events) => revealFanout(events, this.ctx.session.events, topic, subs)
    )
  }

  /**
   * Resolves once every built-in subscriber whose filters match has received each message (the tap
   * records bytes before passing them on, so by then the deliveries are in the session too).
   */
  deliveriesOf(messages: { topic: string; payload: string }[]): Promise<void> {
    const waits: Promise<void>[] = []
    for (const m of this.members.values()) {
      const wanted = new Map<string, number>()
      for (const x of messages)
        if (m.filters.some((f) => topicMatches(f.filter, x.topic)))
          wanted.set(`${x.topic}\u0000${x.payload}`, (wanted.get(`${x.topic}\u0000${x.payload}`) ?? 0) + 1)
      let left = [...wanted.values()].reduce((a, b) => a + b, 0)
      if (left === 0) continue
      waits.push(
        new Promise<void>((resolve) => {
          const on = (t: string, payload: Buffer): void => {
            const key = `${t}\u0000${payload.toString()}`
            const n = wanted.get(key) ?? 0
            if (n === 0) return
            wanted.set(key, n - 1)
            if (--left === 0) {
              m.client.off('message', on)
              resolve()
            }
          }
          m.client.on('message', on)
        })
      )
    }
    return Promise.all(waits).then(() => undefined)
  }

  /**
   * Waits until the exchange has played out: loopback traffic comes in bursts microseconds apart,
   * so once the session log has been quiet for a moment every delivery and acknowledgement is in.
   */
  settle(quietMs = 40, maxMs = 3000): Promise<void> {
    const session = this.ctx.session
    return new Promise((resolve) => {
      const deadline = setTimeout(finish, maxMs)
      let quiet = setTimeout(finish, quietMs)
      const off = session.subscribe(() => {
        clearTimeout(quiet)
        quiet = setTimeout(finish, quietMs)
      })
      function finish(): void {
        clearTimeout(deadline)
        clearTimeout(quiet)
        off()
        resolve()
      }
    })
  }

  ensurePublisher(name = 'Sensor A'): Promise<Member> {
    const m = this.members.get(name)
    return m ? Promise.resolve(m) : this.add(name, 'pub')
  }

  count(role: Role): number {
    return [...this.members.values()].filter((m) => m.role === role).length
  }

  /** Names of built-in subscribers whose filters match, per the specification (what the view should light). */
  subscribersFor(topic: string): string[] {
    return [...this.members.values()]
      .filter((m) => m.filters.some((f) => topicMatches(f.filter, topic)))
      .map((m) => m.name)
  }
}

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
