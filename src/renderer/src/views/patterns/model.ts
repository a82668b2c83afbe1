// ZeroMQ's patterns as data, from the ZMTP frames of the log (and, for the comparison, the MQTT
// ones): each connection's socket types (READY), a subscriber's subscriptions (SUBSCRIBE/CANCEL,
// sent upstream), the messages each connection carried. A publisher sends one copy per matching
// connection, at once: copies of the same message close together in the log are one publish, and
// a subscriber connected then that got no copy either filtered it (its subscriptions do not
// match: the publisher did not send it) or lost it (it matches, but its SUBSCRIBE reached the
// publisher later: the slow joiner). Only what crossed the wire is counted.
import type { LabEvent, NodeEvent, PduEvent } from '@shared/events'

export type Pattern = 'reqrep' | 'pubsub' | 'pushpull'

const TAP_PATTERN: Record<string, Pattern> = { 'zmq-rep': 'reqrep', 'zmq-pub': 'pubsub', 'zmq-push': 'pushpull', mqtt: 'pubsub' }

export interface Peer {
  conn: string
  node: string
  tap: string
  openIdx: number
  closeIdx?: number
  /** Socket types from the READY commands: this side's and the server socket's. */
  type?: string
  serverType?: string
  /** Current subscriptions (topic prefixes for ZeroMQ, filters for MQTT), with when each arrived. */
  subs: { topic: string; idx: number }[]
  received: { idx: number; text: string }[]
  sent: { idx: number; text: string }[]
  /** PUB/SUB: publishes it got no copy of. */
  filtered: number
  lost: number
}

export interface Publish {
  idx: number
  t: number
  text: string
  /** Connections that carried a copy. */
  to: string[]
  /** Connected subscribers that got none, and why. */
  filtered: string[]
  lost: string[]
}

export interface MqttSide {
  broker: boolean
  publishes: { idx: number; from: string; topic: string; payload: string; to: string[] }[]
}

/** The newest frame that moved: what flies. */
export interface Move {
  idx: number
  pattern: Pattern
  protocol: 'zmtp' | 'mqtt'
  conn: string
  dir: 'c2s' | 's2c'
  what: string
  command?: string
}

/**
 * Copies of one publish are logged within this long of each other (not always next to each other:
 * one connection's TCP chunk may carry several messages before another's copy is read).
 */
const SAME_PUBLISH_MS = 50
/** A publish this long before a subscriber's SUBSCRIBE, that it would have matched, was lost to it (the slow joiner). */
const JOIN_WINDOW_MS = 2000

const prefixMatch = (subs: { topic: string }[], text: string): boolean => subs.some((s) => text.startsWith(s.topic))

export class PatternsModel {
  readonly peers = new Map<string, Peer>()
  readonly publishes: Publish[] = []
  readonly mqtt: MqttSide = { broker: false, publishes: [] }
  /** REQ/REP exchanges in order: request and reply texts. */
  readonly requests: { idx: number; conn: string; request: string; reply?: string }[] = []
  last: Move | null = null
  /** Where libzmq refused a REQ's second send (the lesson's note). */
  refused: { idx: number; text: string } | null = null
  /** Last pattern that moved (the view follows it). */
  pattern: Pattern | null = null
  done: number

  constructor(
    readonly epoch: number,
    readonly from: number
  ) {
    this.done = from
  }

  advance(events: LabEvent[], upTo: number, nodes: Map<string, NodeEvent>): void {
    for (let i = this.done; i < Math.min(upTo, events.length); i++) this.apply(events[i], i, nodes)
    this.done = Math.max(this.done, Math.min(upTo, events.length))
  }

  private apply(e: LabEvent, idx: number, _nodes: Map<string, NodeEvent>): void {
    if (e.kind === 'conn.open' && e.tap && TAP_PATTERN[e.tap]) {
      this.peers.set(e.conn, { conn: e.conn, node: e.from, tap: e.tap, openIdx: idx, subs: [], received: [], sent: [], filtered: 0, lost: 0 })
      if (e.tap === 'mqtt') this.mqtt.broker = true
      return
    }
    if (e.kind === 'note' && e.key === 'zeromq.lockstep') {
      this.refused = { idx, text: e.text.en }
      return
    }
    if (e.kind === 'conn.close') {
      const p = this.peers.get(e.conn)
      if (p) p.closeIdx = idx
      return
    }
    if (e.kind !== 'pdu' || e.malformed || !e.keys) return
    const p = this.peers.get(e.conn)
    if (!p) return
    if (e.protocol === 'zmtp') this.zmtp(e, p, idx)
    else if (e.protocol === 'mqtt') this.mqttPdu(e, p, idx)
  }

  private move(m: Move): void {
    this.last = m
    this.pattern = m.pattern
  }

  private zmtp(e: PduEvent, p: Peer, idx: number): void {
    const k = e.keys!
    const pattern = TAP_PATTERN[p.tap]
    if (k.kind === 'command') {
      const cmd = String(k.command ?? '')
      if (cmd === 'READY' && typeof k.socketType === 'string') {
        if (e.dir === 'c2s') p.type = k.socketType
        else p.serverType = k.socketType
      }
      if (cmd === 'SUBSCRIBE' && e.dir === 'c2s') {
        p.subs.push({ topic: String(k.topic ?? ''), idx })
        this.joined(p, String(k.topic ?? ''), e.t)
      }
      if (cmd === 'CANCEL' && e.dir === 'c2s') p.subs = p.subs.filter((s) => s.topic !== String(k.topic ?? ''))
      if (cmd === 'SUBSCRIBE' || cmd === 'CANCEL' || cmd === 'READY') this.move({ idx, pattern, protocol: 'zmtp', conn: p.conn, dir: e.dir, what: `${cmd}${k.topic !== undefined ? ` "${String(k.topic)}"` : ''}`, command: cmd })
      return
    }
    if (k.kind !== 'message') return
    const text = String(k.body ?? '').replace(/ \| /g, ' ')
    if (e.dir === 's2c') p.received.push({ idx, text })
    else p.sent.push({ idx, text })
    if (pattern === 'reqrep') {
      if (e.dir === 'c2s') this.requests.push({ idx, conn: p.conn, request: text })
      else {
        const open = [...this.requests].reverse().find((r) => r.conn === p.conn && r.reply === undefined)
        if (open) open.reply = text
      }
    }
    if (pattern === 'pubsub' && e.dir === 's2c') this.published(p, text, idx, e.t)
    this.move({ idx, pattern, protocol: 'zmtp', conn: p.conn, dir: e.dir, what: text })
  }

  /** One copy of a publish on `p`: joins the publish it belongs to, or starts a new one. */
  private published(p: Peer, text: string, idx: number, t: number): void {
    for (let i = this.publishes.length - 1; i >= 0 && t - this.publishes[i].t <= SAME_PUBLISH_MS; i--) {
      const prev = this.publishes[i]
      if (prev.text !== text || prev.to.includes(p.conn)) continue
      prev.to.push(p.conn)
      this.settle(prev)
      return
    }
    const pub: Publish = { idx, t, text, to: [p.conn], filtered: [], lost: [] }
    this.publishes.push(pub)
    this.settle(pub)
  }

  /** Which connected subscribers got no copy, and why; their counters follow. */
  private settle(pub: Publish): void {
    for (const q of this.peers.values()) {
      q.filtered -= pub.filtered.includes(q.conn) ? 1 : 0
      q.lost -= pub.lost.includes(q.conn) ? 1 : 0
    }
    pub.filtered = []
    pub.lost = []
    for (const q of this.peers.values()) {
      if (q.tap !== 'zmq-pub' || q.openIdx > pub.idx || (q.closeIdx !== undefined && q.closeIdx < pub.idx) || pub.to.includes(q.conn)) continue
      // It asked for it, yet got no copy: lost. Otherwise the publisher filtered it (for now: a
      // SUBSCRIBE that arrives soon after makes it a loss, see joined()).
      if (prefixMatch(q.subs, pub.text)) {
        pub.lost.push(q.conn)
        q.lost++
      } else {
        pub.filtered.push(q.conn)
        q.filtered++
      }
    }
  }

  /**
   * A SUBSCRIBE reached the publisher: what was published just before (while it was still
   * connecting or subscribing) and would have matched was lost to this subscriber.
   */
  private joined(q: Peer, topic: string, t: number): void {
    for (let i = this.publishes.length - 1; i >= 0; i--) {
      const pub = this.publishes[i]
      if (t - pub.t > JOIN_WINDOW_MS) break
      if (pub.to.includes(q.conn) || pub.lost.includes(q.conn) || !pub.text.startsWith(topic)) continue
      const f = pub.filtered.indexOf(q.conn)
      if (f >= 0) {
        pub.filtered.splice(f, 1)
        q.filtered--
      }
      pub.lost.push(q.conn)
      q.lost++
    }
  }

  private mqttPdu(e: PduEvent, p: Peer, idx: number): void {
    const k = e.keys!
    const type = String(k.type ?? '')
    if (type === 'SUBSCRIBE' && e.dir === 'c2s') {
      // The dissector joins a SUBSCRIBE's filters with spaces (filters have none).
      const topics = String(k.topic ?? '')
      for (const t of topics.split(' ').filter(Boolean)) p.subs.push({ topic: t, idx })
      this.move({ idx, pattern: 'pubsub', protocol: 'mqtt', conn: p.conn, dir: 'c2s', what: `SUBSCRIBE ${topics}` })
    }
    if (type !== 'PUBLISH') return
    const topic = String(k.topic ?? '')
    const payload = String(k.payload ?? '')
    if (e.dir === 'c2s') {
      this.mqtt.publishes.push({ idx, from: p.conn, topic, payload, to: [] })
      p.sent.push({ idx, text: `${topic} ${payload}` })
    } else {
      p.received.push({ idx, text: `${topic} ${payload}` })
      const pub = [...this.mqtt.publishes].reverse().find((x) => x.topic === topic && x.payload === payload && !x.to.includes(p.conn))
      if (pub) pub.to.push(p.conn)
    }
    this.move({ idx, pattern: 'pubsub', protocol: 'mqtt', conn: p.conn, dir: e.dir, what: `PUBLISH ${topic} ${payload}` })
  }
}

export class PatternsCache {
  private m: PatternsModel | null = null
  at(events: LabEvent[], epoch: number, from: number, cursor: number, nodes: Map<string, NodeEvent>): PatternsModel {
    if (!this.m || this.m.epoch !== epoch || this.m.from !== from || cursor < this.m.done) this.m = new PatternsModel(epoch, from)
    this.m.advance(events, cursor, nodes)
    return this.m
  }
}

/** Peers of a pattern's server socket, in the order they connected, open at the cursor (or closed with traffic). */
export function peersOf(m: PatternsModel, tap: string): Peer[] {
  return [...m.peers.values()].filter((p) => p.tap === tap && (p.closeIdx === undefined || p.received.length + p.sent.length > 0))
}
