// The ZeroMQ lesson's sockets: a REP, a PUB and a PUSH bound on hidden ports behind the taps
// (5555, 5556, 5557), and the built-in REQ, SUB and PULL sockets the person adds, each its own
// actor. Plus an MQTT broker (aedes) and clients for the side-by-side comparison. All real.
import * as zmq from 'zeromq'
import type { MqttClient } from 'mqtt'
import type { LabEvent, Localized } from '../../../../shared/events'
import { boundPort, fromPort } from '../../protocols/zmtp/client'
import { ensureZapHandler, ZAP_DOMAIN } from '../../protocols/zmtp/zap'
import { connected, mqttOver } from '../../protocols/mqtt/client'
import type { SceneContext } from '../context'

export type Kind = 'req' | 'sub' | 'pull' | 'mqtt-sub' | 'mqtt-pub'

export interface Member {
  name: string
  kind: Kind
  node: string
  zmq?: zmq.Socket
  mqtt?: MqttClient
  topics: string[]
  /** Messages it received, as text (frames joined with a space). */
  received: string[]
}

export const slug = (name: string): string =>
  name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '') || 'socket'

export const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/** The server sockets behind the taps, and the taps' public ports. */
export interface Servers {
  rep: zmq.Reply
  pub: zmq.Publisher
  push: zmq.Push
  ports: { rep: number; pub: number; push: number; mqtt: number }
}

export async function bindServers(): Promise<Omit<Servers, 'ports'> & { hidden: { rep: number; pub: number; push: number } }> {
  // A ZAP domain: libzmq then refuses peers without a ZMTP 3 greeting (see protocols/zmtp/zap.ts).
  await ensureZapHandler()
  const rep = new zmq.Reply({ linger: 0, zapDomain: ZAP_DOMAIN })
  const pub = new zmq.Publisher({ linger: 0, zapDomain: ZAP_DOMAIN })
  const push = new zmq.Push({ linger: 0, sendTimeout: 5000, zapDomain: ZAP_DOMAIN })
  await rep.bind('tcp://127.0.0.1:0')
  await pub.bind('tcp://127.0.0.1:0')
  await push.bind('tcp://127.0.0.1:0')
  // The REP answers every request: the reply names the request, so lockstep is visible. One bad
  // request (libzmq takes bytes without a greeting for a ZMTP 1.0 peer's messages) must not stop it.
  void (async () => {
    while (!rep.closed) {
      try {
        const [msg] = await rep.receive()
        await rep.send(`eco: ${msg.toString()}`)
      } catch {
        // the peer went away, or the request could not be answered: serve the next one
      }
    }
  })()
  return { rep, pub, push, hidden: { rep: boundPort(rep), pub: boundPort(pub), push: boundPort(push) } }
}

export class ZmqLesson {
  readonly members = new Map<string, Member>()
  private waiters: (() => void)[] = []

  /** Open connections of people's own SUB and PULL sockets (after their READY), per tap. */
  private readonly outside = new Map<string, Set<string>>()
  /** libzmq allows one send at a time per socket: every send to the PUB and the PUSH is queued. */
  private readonly sending = new Map<zmq.Socket, Promise<unknown>>()

  constructor(
    private readonly ctx: SceneContext,
    readonly servers: Servers
  ) {
    const externalNodes = new Set<string>()
    const conns = new Map<string, { tap: string; from: string }>()
    const off = ctx.session.subscribe((e) => {
      if (e.kind === 'node' && e.external) externalNodes.add(e.node)
      else if (e.kind === 'conn.open' && e.tap) conns.set(e.conn, { tap: e.tap, from: e.from })
      else if (e.kind === 'pdu' && e.protocol === 'zmtp' && e.dir === 'c2s' && e.keys?.command === 'READY') {
        const c = conns.get(e.conn)
        if (c && externalNodes.has(c.from) && (e.keys.socketType === 'SUB' || e.keys.socketType === 'PULL')) this.outside.set(c.tap, (this.outside.get(c.tap) ?? new Set()).add(e.conn))
      } else if (e.kind === 'conn.close') this.outside.get(conns.get(e.conn)?.tap ?? '')?.delete(e.conn)
      this.wake()
    })
    ctx.onStop(off)
    // While a person's own SUB or PULL socket is connected, the publisher sends a reading and the
    // ventilator a job every second, so their script has something to receive.
    let tick = 0
    const timer = setInterval(() => {
      tick++
      if (this.outside.get('zmq-pub')?.size) for (const m of [`sensor.temp ${(20 + (tick % 50) / 10).toFixed(1)}`, `sensor.umid ${50 + (tick % 10)}`, `alarme teste ${tick}`]) void this.publish(m).catch(() => undefined)
      if (this.outside.get('zmq-push')?.size && !this.busy(servers.push)) void this.send(servers.push, `job ${tick}`).catch(() => undefined)
    }, 1000)
    timer.unref()
    ctx.onStop(() => clearInterval(timer))
  }

  /** Sends on a server socket after the sends already queued on it. */
  send(socket: zmq.Socket & { send(m: string | string[]): Promise<void> }, message: string | string[]): Promise<void> {
    const prev = this.sending.get(socket) ?? Promise.resolve()
    const next = prev.catch(() => undefined).then(() => socket.send(message))
    this.sending.set(socket, next)
    void next.finally(() => {
      if (this.sending.get(socket) === next) this.sending.delete(socket)
    }).catch(() => undefined)
    return next
  }

  private busy(socket: zmq.Socket): boolean {
    return this.sending.has(socket)
  }

  note(key: string, text: Localized, level: 'info' | 'warn' | 'error' = 'info'): void {
    this.ctx.note(key, text, level)
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w()
  }

  /** Resolves when `done()` holds (checked on every session event and every received message). */
  until(done: () => boolean, ms: number, what: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(what)), ms)
      const check = (): void => {
        if (done()) {
          clearTimeout(timer)
          resolve()
        } else this.waiters.push(check)
      }
      check()
    })
  }

  /** The connections a member's node opened (conn ids). */
  connsOf(m: Member): string[] {
    return this.ctx.session.events.filter((e) => e.kind === 'conn.open' && e.from === m.node).map((e) => (e as { conn: string }).conn)
  }

  /** ZMTP PDUs on a member's connections. */
  pdus(m: Member, events: readonly LabEvent[] = this.ctx.session.events): Extract<LabEvent, { kind: 'pdu' }>[] {
    const conns = new Set(this.connsOf(m))
    return events.filter((e): e is Extract<LabEvent, { kind: 'pdu' }> => e.kind === 'pdu' && (e.protocol === 'zmtp' || e.protocol === 'mqtt') && conns.has(e.conn))
  }

  private async member(name: string, kind: Kind): Promise<{ node: string; localPort: number; clean: string }> {
    const clean = name.trim()
    if (!clean) throw new Error('a socket needs a name')
    if (this.members.has(clean)) await this.remove(clean)
    const node = `${kind}:${slug(clean)}`
    const localPort = await this.ctx.localPortFor({ node, label: clean })
    return { node, localPort, clean }
  }

  private keep(m: Member): Member {
    this.members.set(m.name, m)
    this.ctx.onStop(() => this.close(m))
    return m
  }

  private close(m: Member): void {
    try {
      m.zmq?.close()
    } catch {
      // already closed
    }
    m.mqtt?.end(true)
  }

  async remove(name: string): Promise<boolean> {
    const m = this.members.get(name)
    if (!m) return false
    this.members.delete(name)
    this.close(m)
    return true
  }

  async removeAll(): Promise<void> {
    for (const name of [...this.members.keys()]) await this.remove(name)
  }

  /** Reads every message a socket receives into `received`, until it closes. */
  private drain(m: Member, s: zmq.Subscriber | zmq.Pull): void {
    void (async () => {
      try {
        for await (const frames of s) {
          m.received.push(frames.map((f) => f.toString()).join(' '))
          this.wake()
        }
      } catch {
        // closed
      }
    })()
  }

  async addSubscriber(name: string, topics: string[], waitForSubscribe = true): Promise<Member> {
    const { node, localPort, clean } = await this.member(name, 'sub')
    const sub = new zmq.Subscriber({ linger: 0 })
    const m = this.keep({ name: clean, kind: 'sub', node, zmq: sub, topics, received: [] })
    sub.connect(fromPort(localPort, this.servers.ports.pub))
    for (const t of topics) sub.subscribe(t)
    this.drain(m, sub)
    if (waitForSubscribe) await this.subscribed(m)
    return m
  }

  /**
   * Waits until the tap has passed every SUBSCRIBE of `m` to the publisher, then a moment for
   * libzmq's I/O thread to apply it (the publisher filters with what it has received).
   */
  async subscribed(m: Member): Promise<void> {
    await this.until(() => this.pdus(m).filter((p) => p.dir === 'c2s' && p.keys?.command === 'SUBSCRIBE').length >= m.topics.length, 10_000, `${m.name}'s SUBSCRIBE did not reach the publisher`)
    await delay(100)
  }

  async addWorker(name: string): Promise<Member> {
    const { node, localPort, clean } = await this.member(name, 'pull')
    const pull = new zmq.Pull({ linger: 0 })
    const m = this.keep({ name: clean, kind: 'pull', node, zmq: pull, topics: [], received: [] })
    pull.connect(fromPort(localPort, this.servers.ports.push))
    this.drain(m, pull)
    // Connected once its READY has gone through: from then on PUSH counts it in the rotation.
    await this.until(() => this.pdus(m).some((p) => p.dir === 'c2s' && p.keys?.command === 'READY'), 10_000, `${clean} did not connect`)
    await delay(100)
    return m
  }

  async addRequester(name: string): Promise<Member & { zmq: zmq.Request }> {
    const { node, localPort, clean } = await this.member(name, 'req')
    const req = new zmq.Request({ linger: 0, sendTimeout: 10_000, receiveTimeout: 10_000 })
    const m = this.keep({ name: clean, kind: 'req', node, zmq: req, topics: [], received: [] })
    req.connect(fromPort(localPort, this.servers.ports.rep))
    await this.until(() => this.pdus(m).some((p) => p.dir === 'c2s' && p.keys?.command === 'READY'), 10_000, `${clean} did not connect`)
    return m as Member & { zmq: zmq.Request }
  }

  /** One request and its reply (a REQ must get the reply before it may send again). */
  async request(m: Member, text: string): Promise<string> {
    const req = m.zmq as zmq.Request
    await req.send(text)
    const [reply] = await req.receive()
    m.received.push(reply.toString())
    return reply.toString()
  }

  /** Publishes `[topic, value]` (two frames) or one frame when there is no space. */
  async publish(message: string): Promise<void> {
    const at = message.indexOf(' ')
    await this.send(this.servers.pub, at > 0 ? [message.slice(0, at), message.slice(at + 1)] : message)
  }

  async mqttClient(name: string, kind: 'mqtt-sub' | 'mqtt-pub', filters: string[] = []): Promise<Member> {
    const clean = name.trim()
    if (this.members.has(clean)) await this.remove(clean)
    const node = `${kind}:${slug(clean)}`
    const socket = await this.ctx.connectTcp({ node, label: clean }, this.servers.ports.mqtt)
    const client = mqttOver(socket, { clientId: `wirelab-${slug(clean)}`, keepalive: 60 })
    client.on('error', () => undefined)
    await connected(client)
    const m = this.keep({ name: clean, kind, node, mqtt: client, topics: filters, received: [] })
    client.on('message', (topic, payload) => {
      m.received.push(`${topic} ${payload.toString()}`)
      this.wake()
    })
    if (filters.length) await client.subscribeAsync(filters, { qos: 0 })
    return m
  }
}
