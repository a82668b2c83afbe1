// Records real conversations for dissector fixtures: a tap in front of a real server, a real
// client driven through it, and each connection's chunks kept in arrival order.
import type { Conversation } from '../dissect/conversation'
import { LOOPBACK } from '../net/ports'
import { Session } from '../session/session'
import { Actors } from './actors'
import { TcpTap } from './tcp-tap'

export interface Recording {
  /** The tap's port: point the client here. */
  port: number
  session: Session
  /** Connections recorded so far, named `<label> #n`. */
  conversations(label: string): Conversation[]
  close(): Promise<void>
}

export async function recordThroughTap(o: { dissector: string; target: { host?: string; port: number } }): Promise<Recording> {
  const session = new Session()
  const tap = new TcpTap({
    session,
    actors: new Actors(),
    name: 'recording',
    host: LOOPBACK,
    preferredPort: 0,
    target: { host: o.target.host ?? LOOPBACK, port: o.target.port },
    dissector: o.dissector,
    server: { node: 'server', label: 'server' }
  })
  await tap.start()
  let taken = 0
  return {
    port: tap.port.port,
    session,
    conversations(label) {
      const byConn = new Map<string, Conversation>()
      for (const e of session.events.slice(taken)) {
        if (e.kind === 'conn.open') byConn.set(e.conn, { name: `${label} #${byConn.size + 1}`, pieces: [] })
        if (e.kind === 'bytes') byConn.get(e.conn)?.pieces.push({ dir: e.dir, data: e.data })
      }
      taken = session.size
      return [...byConn.values()].filter((c) => c.pieces.length > 0)
    },
    close: () => tap.close()
  }
}
