// A person's own MQTT client (mosquitto_sub, a paho-mqtt script) gets its client id as its name.
import type { SceneContext } from '../context'

/**
 * A person's own client (mosquitto_sub, a paho-mqtt script) is first known by its address; once
 * its CONNECT is decoded, the node is announced again with the client id it chose.
 */
export function labelOutsideClients(ctx: SceneContext): void {
  const external = new Map<string, { host: string; port: number }>()
  const connFrom = new Map<string, string>()
  const renamed = new Set<string>()
  const off = ctx.session.subscribe((e) => {
    if (e.kind === 'node' && e.external && e.endpoint) external.set(e.node, e.endpoint)
    else if (e.kind === 'conn.open') connFrom.set(e.conn, e.from)
    else if (
      e.kind === 'pdu' &&
      e.protocol === 'mqtt' &&
      e.dir === 'c2s' &&
      e.keys?.type === 'CONNECT' &&
      typeof e.keys.clientId === 'string'
    ) {
      const node = connFrom.get(e.conn)
      const ep = node ? external.get(node) : undefined
      if (!node || !ep || renamed.has(node)) return
      renamed.add(node)
      const id = e.keys.clientId || '(empty client id)'
      ctx.session.append({
        kind: 'node',
        node,
        label: `${id} (${ep.host}:${ep.port})`,
        role: 'external',
        external: true,
        endpoint: ep
      })
    }
  })
  ctx.onStop(off)
}
