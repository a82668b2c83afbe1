// The UDP tap: a relay on the public port. There is no connection in UDP; Wirelab tracks each
// client address:port as a "flow" so the diagram can draw it, and forwards every datagram to
// the real server from a socket of its own.
import dgram from 'node:dgram'
import type { Direction, PortInfo } from '../../../shared/events'
import { NO_FAULTS } from '../../../shared/faults'
import { FaultLine, type Fate } from './fault-line'
import { createDissector } from '../protocols'
import type { StreamDissector } from '../dissect/types'
import { bindUdp, listenWithFallback } from '../net/ports'
import type { TapOptions } from './tcp-tap'
import { announce } from './announce'
import { appendPdus } from './emit'
import { retain } from '../session/byte-pool'

export interface UdpTapOptions extends TapOptions {
  /** A flow with no datagram for this long is forgotten (ms). */
  idleMs?: number
  maxFlows?: number
}

interface Flow {
  key: string
  conn: string
  upstream: dgram.Socket
  dissector: StreamDissector
  offsets: { c2s: number; s2c: number }
  idle: ReturnType<typeof setTimeout> | null
  /** Datagrams that arrived before the flow's upstream socket was ready. */
  queue: Buffer[]
  ready: boolean
  lines: Record<Direction, FaultLine>
}

export class UdpTap {
  private readonly socket = dgram.createSocket({ type: 'udp4' })
  private readonly flows = new Map<string, Flow>()
  private info: PortInfo | null = null
  refused = 0

  constructor(private readonly o: UdpTapOptions) {
    this.socket.on('message', (msg, rinfo) => void this.fromClient(msg, rinfo))
    this.socket.on('error', (err) => {
      o.session.append({
        kind: 'note',
        key: 'tap.error',
        level: 'error',
        text: { en: `UDP tap error: ${err.message}`, pt: `Erro no tap UDP: ${err.message}` }
      })
    })
  }

  get port(): PortInfo {
    if (!this.info) throw new Error('tap not started')
    return this.info
  }

  async start(): Promise<PortInfo> {
    const { port, fellBack } = await listenWithFallback((p) => bindUdp(this.socket, p, this.o.host), this.o.preferredPort)
    this.info = { name: this.o.name, transport: 'udp', host: this.o.host, port, preferred: this.o.preferredPort, fellBack }
    announce(this.o, 'udp', port, fellBack)
    return this.info
  }

  private async fromClient(msg: Buffer, rinfo: dgram.RemoteInfo): Promise<void> {
    const key = `${rinfo.address}:${rinfo.port}`
    let flow = this.flows.get(key)
    if (!flow) {
      if (this.flows.size >= (this.o.maxFlows ?? 1024)) {
        this.refused++
        return
      }
      flow = this.openFlow(key, rinfo)
      this.flows.set(key, flow)
      const actor = await this.o.actors.lookup('udp', rinfo.port)
      this.announce(flow, rinfo, actor?.node)
    }
    if (!flow.ready) {
      flow.queue.push(msg)
      return
    }
    this.forward(flow, msg)
  }

  private openFlow(key: string, rinfo: dgram.RemoteInfo): Flow {
    const upstream = dgram.createSocket({ type: 'udp4' })
    const faults = this.o.faults ?? (() => NO_FAULTS)
    const conn = this.o.session.nextId('c')
    const flow: Flow = {
      lines: {
        c2s: new FaultLine(faults, (f) => f.latencyMs.c2s, false),
        s2c: new FaultLine(faults, (f) => f.latencyMs.s2c, false)
      },
      key,
      conn,
      upstream,
      dissector: typeof this.o.dissector === 'string' ? createDissector(this.o.dissector) : this.o.dissector(conn),
      offsets: { c2s: 0, s2c: 0 },
      idle: null,
      queue: [],
      ready: false
    }
    upstream.on('message', (reply) => {
      const data = retain(reply)
      this.o.session.append({ kind: 'bytes', conn: flow.conn, dir: 's2c', offset: flow.offsets.s2c, data })
      appendPdus(this.o.session, flow.conn, flow.dissector.push('s2c', data, flow.offsets.s2c))
      flow.offsets.s2c += data.length
      this.relayDatagram(flow, 's2c', data.length, () => this.socket.send(reply, rinfo.port, rinfo.address))
      this.touch(key, flow)
    })
    upstream.on('error', () => this.closeFlow(key, 'idle'))
    return flow
  }

  private announce(flow: Flow, rinfo: dgram.RemoteInfo, node: string | undefined): void {
    const { session } = this.o
    let from = node
    if (!from) {
      from = session.nextId('ext')
      session.append({
        kind: 'node',
        node: from,
        label: `Your client ${rinfo.address}:${rinfo.port}`,
        role: 'external',
        external: true,
        endpoint: { host: rinfo.address, port: rinfo.port }
      })
    }
    session.append({
      kind: 'conn.open',
      conn: flow.conn,
      transport: 'udp',
      from,
      to: this.o.server.node,
      client: { host: rinfo.address, port: rinfo.port },
      server: { host: this.o.host, port: this.port.port },
      tap: this.o.name
    })
    flow.upstream.connect(this.o.target.port, this.o.target.host, () => {
      flow.ready = true
      for (const m of flow.queue.splice(0)) this.forward(flow, m)
    })
  }

  private forward(flow: Flow, msg: Buffer): void {
    const data = retain(msg)
    this.o.session.append({ kind: 'bytes', conn: flow.conn, dir: 'c2s', offset: flow.offsets.c2s, data })
    appendPdus(this.o.session, flow.conn, flow.dissector.push('c2s', data, flow.offsets.c2s))
    flow.offsets.c2s += data.length
    this.relayDatagram(flow, 'c2s', data.length, () => {
      try {
        flow.upstream.send(msg)
      } catch {
        // the flow closed while the datagram was held back
      }
    })
    this.touch(flow.key, flow)
  }

  /** Sends one datagram through the direction's fault line and logs what the line did to it. */
  private relayDatagram(flow: Flow, dir: Direction, size: number, send: () => void): void {
    const fate: Fate = flow.lines[dir].send(size, send)
    const offset = flow.offsets[dir] - size
    const log = (fault: 'delay' | 'drop' | 'duplicate' | 'reorder', ms?: number): void => {
      this.o.session.append({ kind: 'fault', conn: flow.conn, dir, offset, length: size, fault, ...(ms !== undefined ? { ms } : {}) })
    }
    if (fate.drop) return log('drop')
    if (fate.delayMs >= 0.5) log('delay', Math.round(fate.delayMs * 10) / 10)
    if (fate.duplicate) log('duplicate')
    if (fate.reorder) log('reorder')
  }

  private touch(key: string, flow: Flow): void {
    if (flow.idle) clearTimeout(flow.idle)
    flow.idle = setTimeout(() => this.closeFlow(key, 'idle'), this.o.idleMs ?? 60_000)
    flow.idle.unref()
  }

  private closeFlow(key: string, how: 'idle' | 'stop'): void {
    const flow = this.flows.get(key)
    if (!flow) return
    this.flows.delete(key)
    if (flow.idle) clearTimeout(flow.idle)
    flow.lines.c2s.close()
    flow.lines.s2c.close()
    try {
      flow.upstream.close()
    } catch {
      // already closed
    }
    this.o.session.append({
      kind: 'conn.close',
      conn: flow.conn,
      by: 'wirelab',
      how,
      reason: how === 'idle' ? 'no datagram for a while: Wirelab stops tracking this flow (UDP has no close)' : undefined
    })
  }

  async close(): Promise<void> {
    for (const key of [...this.flows.keys()]) this.closeFlow(key, 'stop')
    await new Promise<void>((resolve) => this.socket.close(() => resolve()))
  }
}
