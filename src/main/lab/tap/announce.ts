// A tap that starts listening announces its server as an actor, and says so when the course's
// port was taken and it listens on another one.
import type { TapOptions } from './tcp-tap'

export function announce(o: TapOptions, transport: 'tcp' | 'udp', port: number, fellBack: boolean): void {
  const { server, session } = o
  session.append({ kind: 'node', node: server.node, label: server.label, ...(server.text ? { text: server.text } : {}), role: server.role ?? 'server', endpoint: { host: o.host, port } })
  if (!fellBack) return
  const udp = transport === 'udp'
  session.append({
    kind: 'note',
    key: 'port.fallback',
    level: 'warn',
    text: {
      en: `${udp ? 'UDP port' : 'Port'} ${o.preferredPort} is in use by another program, so ${server.label} listens on ${port} instead.`,
      pt: `A porta ${udp ? 'UDP ' : ''}${o.preferredPort} está ocupada por outro programa; ${server.label} escuta na ${port}.`
    }
  })
}
