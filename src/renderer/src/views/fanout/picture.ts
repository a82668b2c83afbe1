// What the fan-out view and the MQTT panel show at the playback cursor, from the fan-out model:
// the clients on screen split into publishers and subscribers, the counters, the packets of a
// leg. Pure functions of the model and the cursor.
import {
  clientAt,
  lowerBound,
  type FanoutModel,
  type FilterEntry,
  type LegPacket,
  type Message,
  type MqttClientNode
} from './model'

export interface ClientOnScreen {
  c: MqttClientNode
  at: ReturnType<typeof clientAt>
  /** PUBLISHes it sent and received so far. */
  sent: number
  received: number
}

export interface FanoutPicture {
  clients: ClientOnScreen[]
  /** Clients that subscribe (or have filters), drawn on the right. */
  subs: ClientOnScreen[]
  /** The others, drawn on the left. */
  pubs: ClientOnScreen[]
  /** Messages that entered the broker so far. */
  messagesIn: number
  deliveries: number
}

export function fanoutAt(model: FanoutModel, cursor: number): FanoutPicture {
  const clients = [...model.clients.values()]
    .map((c) => ({
      c,
      at: clientAt(c, cursor),
      sent: lowerBound(c.sent, cursor),
      received: lowerBound(c.recv, cursor)
    }))
    .filter((x) => x.at.visible)
  const subs = clients.filter((x) => x.c.role === 'sub' || x.c.role === 'both' || x.at.filters.length > 0)
  const pubs = clients.filter((x) => !subs.includes(x))
  return {
    clients,
    subs,
    pubs,
    messagesIn: lowerBound(model.incomingIdxs, cursor),
    deliveries: lowerBound(model.deliveryIdxs, cursor)
  }
}

/** True when the message flying is older than the newest one at the cursor (one flight at a time). */
export function isSampled(model: FanoutModel, shown: Message, cursor: number): boolean {
  return shown.idx < (model.messageIdxs[lowerBound(model.messageIdxs, cursor) - 1] ?? 0)
}

/** A leg's packets seen so far: "PUBLISH q2 · PUBREC · PUBREL · PUBCOMP". */
export function legLabel(packets: readonly LegPacket[], qos: number, cursor: number): string {
  return packets
    .filter((p) => p.idx < cursor)
    .map((p) => (p.type === 'PUBLISH' ? `PUBLISH q${qos}` : p.type))
    .join(' · ')
}

/** A subscriber's filters with the QoS the broker granted (the asked one until the SUBACK). */
export function filtersLabel(filters: readonly FilterEntry[]): string {
  return filters
    .map((f) => `${f.filter} (QoS ${f.granted !== undefined && f.granted !== 128 ? f.granted : f.qos})`)
    .join(', ')
}

/** The lesson's own clients that are connected now (whatever the cursor): the panel lists them. */
export function builtInClients(model: FanoutModel): MqttClientNode[] {
  return [...model.clients.values()].filter((c) => c.builtIn && clientAt(c, Number.MAX_SAFE_INTEGER).online)
}
