// A person's own client (a pika or pyzmq script, mosquitto_sub…) is first known by its address;
// once the first PDU that says what it is has been decoded (an AMQP Connection.Start-Ok, a ZMTP
// READY), its node is announced again with that name: "SUB socket 127.0.0.1:50312".
import type { PduEvent } from '../../../shared/events'
import type { SceneContext } from './context'

type Endpoint = { host: string; port: number }

/**
 * `name(pdu)` returns what the client says it is, or undefined when this PDU does not say;
 * `label` writes the node's new label from it and the client's address.
 */
export function labelOutsideClients(
  ctx: SceneContext,
  name: (pdu: PduEvent) => string | undefined,
  label: (what: string, ep: Endpoint) => string = (what, ep) => `${what} ${ep.host}:${ep.port}`
): void {
  const external = new Map<string, Endpoint>()
  const connFrom = new Map<string, string>()
  const renamed = new Set<string>()
  const off = ctx.session.subscribe((e) => {
    if (e.kind === 'node' && e.external && e.endpoint) external.set(e.node, e.endpoint)
    else if (e.kind === 'conn.open') connFrom.set(e.conn, e.from)
    else if (e.kind === 'pdu' && e.dir === 'c2s') {
      const node = connFrom.get(e.conn)
      const ep = node ? external.get(node) : undefined
      if (!node || !ep || renamed.has(node)) return
      const what = name(e)
      if (what === undefined) return
      renamed.add(node)
      ctx.session.append({ kind: 'node', node, label: label(what, ep), role: 'external', external: true, endpoint: ep })
    }
  })
  ctx.onStop(off)
}
