// The MQTT broker: aedes, a real broker, on a hidden loopback port (a tap sits in front of it on
// the public port). Optionally enforces the specification's QoS downgrade on wildcard
// subscriptions, which aedes 1.2 applies only when the filter is the topic itself.
import net from 'node:net'
import type { Aedes, AedesPublishPacket, Client } from 'aedes'
import { LOOPBACK } from '../../net/ports'
import { topicMatches } from '../../../../shared/protocols/mqtt-topic'

export interface BrokerOptions {
  /**
   * Deliver each message at min(publish QoS, granted QoS) of the client's matching subscriptions,
   * as MQTT 3.1.1 §3.8.4 requires. Off: aedes's own behaviour, shown as it is.
   */
  specQos?: boolean
  /** When set, CONNECTs must carry this user name and password (classroom mode). */
  credentials?: { username: string; password: string }
}

export interface Broker {
  aedes: Aedes
  server: net.Server
  port: number
  close(): Promise<void>
}

interface WithSubscriptions {
  subscriptions?: Record<string, { qos?: number }>
}

/** The highest QoS granted to `client` by a subscription whose filter matches `topic` (-1: none). */
export function grantedQos(client: Client, topic: string): number {
  const subs = (client as unknown as WithSubscriptions).subscriptions ?? {}
  let max = -1
  for (const [filter, sub] of Object.entries(subs)) if (topicMatches(filter, topic)) max = Math.max(max, sub.qos ?? 0)
  return max
}

export async function startBroker(o: BrokerOptions = {}): Promise<Broker> {
  // aedes is an ES module; a dynamic import loads it from CommonJS hosts too (tsx CLI, Electron main).
  const { Aedes } = await import('aedes')
  const aedes = await Aedes.createBroker({
    authorizeForward: (client: Client, packet: AedesPublishPacket) => {
      if (!o.specQos || packet.qos === 0 || !client) return packet
      const granted = grantedQos(client, packet.topic)
      if (granted < 0 || granted >= packet.qos) return packet
      // A copy: the same packet object is delivered to every other subscriber too.
      return { ...packet, qos: granted as 0 | 1 | 2 } as AedesPublishPacket
    },
    ...(o.credentials
      ? {
          authenticate: (_client, username, password, done) => {
            const ok = username === o.credentials?.username && password?.toString() === o.credentials?.password
            if (ok) done(null, true)
            else done(Object.assign(new Error('bad user name or password'), { returnCode: 4 as const }), false)
          }
        }
      : {})
  })
  const sockets = new Set<net.Socket>()
  const server = net.createServer((socket) => {
    socket.on('error', () => undefined) // a client's reset must not crash anything
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
    aedes.handle(socket)
  })
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, LOOPBACK, () => resolve((server.address() as net.AddressInfo).port))
  })
  return {
    aedes,
    server,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        aedes.close(() => server.close(() => resolve()))
        for (const s of sockets) s.destroy()
      })
  }
}
