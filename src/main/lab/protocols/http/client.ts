// Built-in HTTP/1.1 clients: node:http requests over connections the tap recognises as
// Wirelab's own actors (the socket claims its ephemeral port as soon as it connects).
import http from 'node:http'
import net from 'node:net'
import type { Connector } from '../common/connector'
import type { Actor } from '../../tap/actors'
import { LOOPBACK } from '../../net/ports'

/** An http.Agent whose connections go through the tap as `actor` (numbered when there are several). */
export function tappedAgent(ctx: Connector, actor: Actor, port: number, maxSockets: number): http.Agent {
  const agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets })
  let n = 0
  const create = (): net.Socket => {
    n++
    const who = maxSockets > 1 ? { node: `${actor.node}-${n}`, label: `${actor.label} #${n}` } : actor
    return ctx.tcpSocket(who, port)
  }
  ;(agent as unknown as { createConnection: () => net.Socket }).createConnection = create
  ctx.onStop(() => agent.destroy())
  return agent
}

export interface HttpResult {
  status: number
  headers: http.IncomingHttpHeaders
  body: string
  /** performance.now() when the request was issued and when the last body byte arrived. */
  startedAt: number
  endedAt: number
}

export function request(
  agent: http.Agent,
  port: number,
  o: { method: string; path: string; body?: string; headers?: Record<string, string> },
  timeoutMs = 10_000
): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const startedAt = performance.now()
    const headers: Record<string, string | number> = { ...(o.headers ?? {}) }
    if (o.body !== undefined) {
      headers['content-type'] ??= 'application/json'
      headers['content-length'] = Buffer.byteLength(o.body)
    }
    const req = http.request({ host: LOOPBACK, port, method: o.method, path: o.path, agent, headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), startedAt, endedAt: performance.now() })
      )
      res.on('error', reject)
    })
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer to ${o.method} ${o.path} within ${timeoutMs} ms`)))
    req.on('error', reject)
    req.end(o.body)
  })
}

/** Closes the agent's idle keep-alive connections with FIN and waits until they are closed. */
export async function closeAgent(agent: http.Agent): Promise<void> {
  const sockets = Object.values(agent.freeSockets).flat().filter((s): s is net.Socket => !!s)
  await Promise.all(
    sockets.map(
      (s) =>
        new Promise<void>((resolve) => {
          if (s.destroyed) return resolve()
          s.once('close', () => resolve())
          s.end()
        })
    )
  )
  agent.destroy()
}
