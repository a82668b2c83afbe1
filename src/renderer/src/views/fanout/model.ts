// The pub/sub picture as data, built incrementally from the MQTT PDUs of the log: clients (with
// their filters and connections), messages (each incoming PUBLISH and its deliveries), per-leg QoS
// packets, and the topic tree's statistics. Everything records the index of the event that made
// it, so a view shows the state at the playback cursor with binary searches, and a message's
// fan-out can be drawn all at once (the deliveries are in the log right after it).
import type { LabEvent, NodeEvent, PduEvent } from '@shared/events'

export type ClientRole = 'pub' | 'sub' | 'both' | 'client'

export interface FilterEntry {
  filter: string
  qos: number
  /** Granted QoS from the SUBACK (128 = refused), once seen. */
  granted?: number
  idx: number
  removedIdx?: number
}

export interface ClientConn {
  conn: string
  openIdx: number
  closeIdx?: number
  /** How it ended: `clean` after DISCONNECT, `lost` without (socket destroyed, reset, timeout). */
  end?: 'clean' | 'lost'
}

export interface MqttClientNode {
  node: string
  label: string
  role: ClientRole
  external: boolean
  builtIn: boolean
  firstIdx: number
  clientId?: string
  persistent: boolean
  filters: FilterEntry[]
  conns: ClientConn[]
  will?: { topic: string; payload: string }
  /** Event indices of the PUBLISHes it sent and received. */
  sent: number[]
  recv: number[]
}

export interface LegPacket {
  type: string
  idx: number
  seq: number
}

export interface Delivery {
  node: string
  conn: string
  idx: number
  seq: number
  qos: number
  retain: boolean
  packetId?: number
  packets: LegPacket[]
}

export type MessageKind = 'publish' | 'retained' | 'will' | 'queued'

export interface Message {
  id: number
  kind: MessageKind
  /** The client that published it (for a will: the client that vanished). */
  from: string
  conn: string
  idx: number
  seq: number
  topic: string
  payload: string
  qos: number
  retain: boolean
  packetId?: number
  /** The publisher → broker leg (PUBLISH, then its acknowledgements). Empty for broker-originated. */
  packets: LegPacket[]
  deliveries: Delivery[]
}

export interface TopicStat {
  topic: string
  /** Indices of the events that carried a value for it (incoming PUBLISH, or a will). */
  idxs: number[]
  payloads: string[]
  retained: boolean[]
}

export const MAX_MESSAGES = 2000

const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined ? '' : String(v))
const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v) || 0)

export function roleFromNode(id: string): ClientRole {
  return id.startsWith('pub:') ? 'pub' : id.startsWith('sub:') ? 'sub' : 'client'
}

export class FanoutModel {
  clients = new Map<string, MqttClientNode>()
  brokerNode: string | null = null
  brokerLabel = 'Broker'
  messages: Message[] = []
  /** Index of the first kept message (older ones are dropped from memory, still counted). */
  messageIdxs: number[] = []
  /** Messages that entered the broker: PUBLISHes from clients, and wills (not copies it re-sends). */
  incomingIdxs: number[] = []
  deliveryIdxs: number[] = []
  topics = new Map<string, TopicStat>()
  done: number
  private nextId = 1
  private connNode = new Map<string, string>()
  private lastC2S = new Map<string, string>()
  private byKey = new Map<string, Message[]>()
  private legs = new Map<string, LegPacket[]>()
  private subscribes = new Map<string, FilterEntry[]>()

  constructor(
    readonly epoch: number,
    readonly from: number
  ) {
    this.done = from
  }

  advance(events: LabEvent[], upTo: number, nodes: Map<string, NodeEvent>): void {
    for (let i = this.done; i < upTo; i++) this.add(events[i], i, nodes)
    this.done = Math.max(this.done, upTo)
  }

  private client(node: string, idx: number, nodes: Map<string, NodeEvent>): MqttClientNode {
    let c = this.clients.get(node)
    if (!c) {
      const n = nodes.get(node)
      c = {
        node,
        label: n?.label ?? node,
        role: roleFromNode(node),
        external: !!n?.external,
        builtIn: node.startsWith('pub:') || node.startsWith('sub:'),
        firstIdx: idx,
        persistent: false,
        filters: [],
        conns: [],
        sent: [],
        recv: []
      }
      this.clients.set(node, c)
    }
    return c
  }

  private markRole(c: MqttClientNode, role: 'pub' | 'sub'): void {
    if (c.role === 'client') c.role = role
    else if (c.role !== role && c.builtIn === false) c.role = 'both'
  }

  private add(e: LabEvent, idx: number, nodes: Map<string, NodeEvent>): void {
    switch (e.kind) {
      case 'node':
        if (e.role === 'broker') {
          this.brokerNode = e.node
          this.brokerLabel = e.label
        } else {
          const c = this.clients.get(e.node)
          if (c) c.label = e.label // an outside client renamed after its CONNECT
        }
        return
      case 'conn.open': {
        if (e.tap !== 'mqtt') return
        if (!this.brokerNode) {
          // The broker was announced before the lesson run started: take its label from the index.
          this.brokerNode = e.to
          this.brokerLabel = nodes.get(e.to)?.label ?? this.brokerLabel
        }
        this.connNode.set(e.conn, e.from)
        const c = this.client(e.from, idx, nodes)
        c.conns.push({ conn: e.conn, openIdx: idx })
        return
      }
      case 'conn.close': {
        const node = this.connNode.get(e.conn)
        if (!node) return
        const cc = this.clients.get(node)?.conns.find((x) => x.conn === e.conn)
        if (cc && cc.closeIdx === undefined) {
          cc.closeIdx = idx
          cc.end = this.lastC2S.get(e.conn) === 'DISCONNECT' || e.by === 'wirelab' ? 'clean' : 'lost'
        }
        return
      }
      case 'pdu':
        if (e.protocol === 'mqtt' && !e.malformed) this.pdu(e, idx, nodes)
        return
      default:
        return
    }
  }

  private pdu(e: PduEvent, idx: number, nodes: Map<string, NodeEvent>): void {
    const node = this.connNode.get(e.conn)
    if (!node) return
    const c = this.client(node, idx, nodes)
    const k = e.keys ?? {}
    const type = str(k.type)
    if (e.dir === 'c2s') this.lastC2S.set(e.conn, type)
    const pid = k.packetId === undefined ? undefined : num(k.packetId)
    switch (type) {
      case 'CONNECT':
        c.clientId = str(k.clientId)
        c.persistent = k.clean === false
        c.will = k.willTopic !== undefined ? { topic: str(k.willTopic), payload: str(k.willPayload) } : undefined
        return
      case 'SUBSCRIBE': {
        this.markRole(c, 'sub')
        const list = subscriptionsOf(k)
        const entries: FilterEntry[] = []
        for (const s of list) {
          for (const old of c.filters) if (old.filter === s.filter && old.removedIdx === undefined) old.removedIdx = idx
          const f: FilterEntry = { filter: s.filter, qos: s.qos, idx }
          c.filters.push(f)
          entries.push(f)
        }
        if (pid !== undefined) this.subscribes.set(`${e.conn}:${pid}`, entries)
        return
      }
      case 'SUBACK': {
        const entries = pid !== undefined ? this.subscribes.get(`${e.conn}:${pid}`) : undefined
        const codes = Array.isArray(k.codes) ? k.codes.map(Number) : str(k.codes).split(',').map(Number)
        entries?.forEach((f, i) => (f.granted = codes[i]))
        return
      }
      case 'UNSUBSCRIBE':
        for (const f of str(k.topic).split(' ')) for (const x of c.filters) if (x.filter === f && x.removedIdx === undefined) x.removedIdx = idx
        return
      case 'PUBLISH':
        if (e.dir === 'c2s') this.incoming(e, idx, c, pid)
        else this.delivery(e, idx, c, pid)
        return
      case 'PUBACK':
      case 'PUBREC':
      case 'PUBREL':
      case 'PUBCOMP': {
        const leg = pid !== undefined ? this.legs.get(`${e.conn}:${pid}`) : undefined
        leg?.push({ type, idx, seq: e.seq })
        if (leg && (type === 'PUBACK' || type === 'PUBCOMP')) this.legs.delete(`${e.conn}:${pid}`)
        return
      }
      default:
        return
    }
  }

  private remember(m: Message): void {
    this.messages.push(m)
    this.messageIdxs.push(m.idx)
    this.incomingIdxs.push(m.idx)
    const key = `${m.topic}\u0000${m.payload}`
    const list = this.byKey.get(key) ?? []
    list.push(m)
    if (list.length > 8) list.shift()
    this.byKey.set(key, list)
    if (this.messages.length > MAX_MESSAGES) {
      const old = this.messages.splice(0, this.messages.length - MAX_MESSAGES)
      for (const o of old) {
        const k = `${o.topic}\u0000${o.payload}`
        const l = this.byKey.get(k)
        if (l) {
          const rest = l.filter((x) => x !== o)
          if (rest.length) this.byKey.set(k, rest)
          else this.byKey.delete(k)
        }
      }
    }
    this.topicValue(m.topic, m.idx, m.payload, m.retain)
  }

  private topicValue(topic: string, idx: number, payload: string, retain: boolean): void {
    let t = this.topics.get(topic)
    if (!t) {
      t = { topic, idxs: [], payloads: [], retained: [] }
      this.topics.set(topic, t)
    }
    t.idxs.push(idx)
    t.payloads.push(payload)
    t.retained.push(retain)
    if (t.idxs.length > 4096) {
      // Keep the counts exact (the cut is remembered as an offset) and the memory bounded.
      t.idxs.splice(0, 1)
      t.payloads.splice(0, 1)
      t.retained.splice(0, 1)
      ;(t as TopicStat & { dropped?: number }).dropped = ((t as TopicStat & { dropped?: number }).dropped ?? 0) + 1
    }
  }

  private incoming(e: PduEvent, idx: number, c: MqttClientNode, pid: number | undefined): void {
    this.markRole(c, 'pub')
    c.sent.push(idx)
    const m: Message = {
      id: this.nextId++,
      kind: 'publish',
      from: c.node,
      conn: e.conn,
      idx,
      seq: e.seq,
      topic: str(e.keys?.topic),
      payload: str(e.keys?.payload),
      qos: num(e.keys?.qos),
      retain: e.keys?.retain === true,
      packets: [{ type: 'PUBLISH', idx, seq: e.seq }],
      deliveries: [],
      ...(pid !== undefined ? { packetId: pid } : {})
    }
    if (pid !== undefined) this.legs.set(`${e.conn}:${pid}`, m.packets)
    this.remember(m)
  }

  private delivery(e: PduEvent, idx: number, c: MqttClientNode, pid: number | undefined): void {
    const topic = str(e.keys?.topic)
    const payload = str(e.keys?.payload)
    const retain = e.keys?.retain === true
    const d: Delivery = {
      node: c.node,
      conn: e.conn,
      idx,
      seq: e.seq,
      qos: num(e.keys?.qos),
      retain,
      packets: [{ type: 'PUBLISH', idx, seq: e.seq }],
      ...(pid !== undefined ? { packetId: pid } : {})
    }
    if (pid !== undefined) this.legs.set(`${e.conn}:${pid}`, d.packets)
    this.deliveryIdxs.push(idx)
    c.recv.push(idx)
    const openIdx = c.conns.find((x) => x.conn === e.conn)?.openIdx ?? 0
    const candidates = this.byKey.get(`${topic}\u0000${payload}`) ?? []
    let origin: Message | undefined
    for (let i = candidates.length - 1; i >= 0; i--) {
      const m = candidates[i]
      if (m.kind === 'publish' && !m.deliveries.some((x) => x.node === c.node && x.conn === e.conn)) {
        origin = m
        break
      }
    }
    // A live fan-out: the message came in while this connection was open and is not a retained copy.
    if (origin && origin.idx > openIdx && !retain) {
      origin.deliveries.push(d)
      return
    }
    // Otherwise the broker sends it on its own: a retained value, a queued message, or a will.
    let kind: MessageKind = retain ? 'retained' : 'queued'
    let from = this.brokerNode ?? 'broker'
    if (!origin) {
      const dead = [...this.clients.values()].find((x) => x.will && x.will.topic === topic && x.will.payload === payload)
      if (dead) {
        kind = 'will'
        from = dead.node
      }
    }
    const m: Message = { id: this.nextId++, kind, from, conn: e.conn, idx, seq: e.seq, topic, payload, qos: origin?.qos ?? d.qos, retain, packets: [], deliveries: [d] }
    // Group a will's (or a queued message's) copies to several subscribers into one message.
    const prev = this.messages[this.messages.length - 1]
    if (prev && prev.kind === kind && kind === 'will' && prev.topic === topic && prev.payload === payload && !prev.deliveries.some((x) => x.node === c.node)) {
      prev.deliveries.push(d)
      return
    }
    if (kind === 'will') this.remember(m)
    else {
      this.messages.push(m)
      this.messageIdxs.push(m.idx)
    }
  }
}

export class FanoutModelCache {
  private model: FanoutModel | null = null
  get(events: LabEvent[], epoch: number, from: number, count: number, nodes: Map<string, NodeEvent>): FanoutModel {
    const m = this.model
    if (!m || m.epoch !== epoch || m.from !== from || m.done > count) this.model = new FanoutModel(epoch, from)
    this.model!.advance(events, count, nodes)
    return this.model!
  }
}

export function lowerBound(a: number[], x: number): number {
  let lo = 0
  let hi = a.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (a[mid] < x) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** The client's state at the cursor. */
export function clientAt(c: MqttClientNode, cursor: number): { visible: boolean; online: boolean; end?: 'clean' | 'lost'; filters: FilterEntry[] } {
  if (c.firstIdx >= cursor) return { visible: false, online: false, filters: [] }
  const conns = c.conns.filter((x) => x.openIdx < cursor)
  const online = conns.some((x) => x.closeIdx === undefined || x.closeIdx >= cursor)
  const last = conns[conns.length - 1]
  const filters = c.filters.filter((f) => f.idx < cursor && (f.removedIdx === undefined || f.removedIdx >= cursor))
  const end = online ? undefined : last?.end
  // A built-in client that disconnected cleanly with a clean session leaves the picture; a lost
  // one, one whose session the broker keeps, and a person's own client stay (dimmed).
  const visible = online || end === 'lost' || c.persistent || c.external
  return { visible, online, end, filters }
}

/** The newest message visible at the cursor. */
export function currentMessage(m: FanoutModel, cursor: number): Message | null {
  const k = lowerBound(m.messageIdxs, cursor)
  if (k === 0) return null
  const idx = m.messageIdxs[k - 1]
  for (let i = m.messages.length - 1; i >= 0; i--) if (m.messages[i].idx === idx) return m.messages[i]
  return null
}

/** Topic statistics at the cursor. */
export function topicAt(t: TopicStat, cursor: number): { count: number; last?: string; retained?: boolean } {
  const k = lowerBound(t.idxs, cursor)
  const dropped = (t as TopicStat & { dropped?: number }).dropped ?? 0
  if (k === 0) return { count: dropped && t.idxs[0] < cursor ? dropped : 0 }
  return { count: k + dropped, last: t.payloads[k - 1], retained: t.retained[k - 1] }
}

/**
 * The filters (and requested QoS) of a SUBSCRIBE PDU's keys: lists (`filters`, `filterQos`), or the
 * JSON text sessions saved by earlier versions carry.
 */
export function subscriptionsOf(k: NonNullable<PduEvent['keys']>): { filter: string; qos: number }[] {
  if (Array.isArray(k.filters)) {
    const qos = Array.isArray(k.filterQos) ? k.filterQos : []
    return k.filters.map((filter, i) => ({ filter: String(filter), qos: Number(qos[i] ?? 0) }))
  }
  try {
    const list = JSON.parse(str(k.filters)) as unknown
    return Array.isArray(list) ? (list as { filter: string; qos: number }[]) : []
  } catch {
    return []
  }
}
