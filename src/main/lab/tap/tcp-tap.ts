// The TCP tap: a relay on the public port in front of the real server (on a hidden ephemeral
// port). Every chunk is recorded with direction, stream offset and a high-resolution timestamp,
// dissected, and forwarded unchanged.
import net from 'node:net'
import type { Direction, Localized, PortInfo } from '../../../shared/events'
import type { Session } from '../session/session'
import { createDissector } from '../protocols'
import type { StreamDissector } from '../dissect/types'
import { listenTcp, listenWithFallback } from '../net/ports'
import type { Actor, Actors } from './actors'
import { appendPdus } from './emit'
import { retain } from '../session/byte-pool'
import { TcpModel } from './tcp-model'
import { FaultLine } from './fault-line'
import { NO_FAULTS, type FaultSettings } from '../../../shared/faults'
import { announce } from './announce'
import type { TapInterceptor, TapVerdict } from './interceptor'

/** What every tap (TCP or UDP) is told: where to listen, what to forward to, how to dissect. */
export interface TapOptions {
  session: Session
  actors: Actors
  /** Port name shown to people, e.g. `tcp`, `mqtt`, `h2c`. */
  name: string
  host: string
  preferredPort: number
  target: { host: string; port: number }
  /** Dissector id for the application bytes, or a factory called once per connection (watch mode). */
  dissector: string | ((conn: string) => StreamDissector)
  /** The server's node (emitted by the tap when it starts). */
  server: Actor & { role?: 'server' | 'broker' }
  /** Network conditions imposed on the relayed bytes (read for every unit, so changes apply at once). */
  faults?: () => FaultSettings
}

export interface TcpTapOptions extends TapOptions {
  /** Most simultaneous connections; beyond it new ones are refused and counted. */
  maxConnections?: number
  /** Label for external clients; defaults to "Your client". */
  externalLabel?: string
  /**
   * A connection one side has closed (FIN) while the other never does is closed by the tap after this
   * long without data, so abandoned half-open connections cannot pile up (default 60 s).
   */
  halfCloseIdleMs?: number
  /** The server did not accept the tap's connection: how to start it, for the note. */
  refusedHint?: (err: NodeJS.ErrnoException) => Localized | undefined
  /** Lets the tap answer some requests itself (injected faults); one interceptor per connection. */
  intercept?: () => TapInterceptor
}

interface Relay {
  conn: string
  client: net.Socket
  upstream: net.Socket
  closed: boolean
  halfOpenTimer: ReturnType<typeof setTimeout> | null
  offsets: Record<Direction, number>
  lines: Record<Direction, FaultLine>
}

export class TcpTap {
  private readonly server: net.Server
  private readonly relays = new Set<Relay>()
  private info: PortInfo | null = null
  refused = 0

  constructor(private readonly o: TcpTapOptions) {
    this.server = net.createServer({ allowHalfOpen: true }, (socket) => {
      void this.accept(socket)
    })
    this.server.on('error', (err) => {
      o.session.append({
        kind: 'note',
        key: 'tap.error',
        level: 'error',
        text: { en: `Tap ${o.name} error: ${err.message}`, pt: `Erro no tap ${o.name}: ${err.message}` }
      })
    })
  }

  get port(): PortInfo {
    if (!this.info) throw new Error('tap not started')
    return this.info
  }

  get openConnections(): number {
    return this.relays.size
  }

  async start(): Promise<PortInfo> {
    const { port, fellBack } = await listenWithFallback(
      (p) => listenTcp(this.server, p, this.o.host),
      this.o.preferredPort
    )
    this.info = { name: this.o.name, transport: 'tcp', host: this.o.host, port, preferred: this.o.preferredPort, fellBack }
    announce(this.o, 'tcp', port, fellBack)
    return this.info
  }

  private async accept(client: net.Socket): Promise<void> {
    const { session, actors } = this.o
    const remotePort = client.remotePort ?? 0
    const remoteHost = (client.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '')
    if (this.relays.size >= (this.o.maxConnections ?? 256)) {
      this.refused++
      client.destroy()
      return
    }
    client.pause()
    client.on('error', () => undefined) // handled below once the relay exists
    const actor = await actors.lookup('tcp', remotePort)
    let from: string
    if (actor) {
      from = actor.node
    } else {
      from = session.nextId('ext')
      session.append({
        kind: 'node',
        node: from,
        label: `${this.o.externalLabel ?? 'Your client'} ${remoteHost}:${remotePort}`,
        role: 'external',
        external: true,
        endpoint: { host: remoteHost, port: remotePort }
      })
    }
    const conn = session.nextId('c')
    const publicPort = this.port.port
    session.append({
      kind: 'conn.open',
      conn,
      transport: 'tcp',
      from,
      to: this.o.server.node,
      client: { host: remoteHost, port: remotePort },
      server: { host: this.o.host, port: publicPort },
      tap: this.o.name
    })
    const model = new TcpModel(remotePort, publicPort)
    appendPdus(session, conn, model.handshake())

    const dissector: StreamDissector =
      typeof this.o.dissector === 'string' ? createDissector(this.o.dissector) : this.o.dissector(conn)
    const offsets: Record<Direction, number> = { c2s: 0, s2c: 0 }
    let firstClose: { by: 'client' | 'server'; how: 'fin' | 'rst' | 'error'; reason?: string } | null = null
    const upstream = net.connect({ host: this.o.target.host, port: this.o.target.port, allowHalfOpen: true })
    const faults = this.o.faults ?? (() => NO_FAULTS)
    // Source and destination of each direction, for back-pressure: a source pauses while its
    // destination's socket buffer is full or the fault line holds too many bytes.
    const ends: Record<Direction, { from: net.Socket; to: net.Socket }> = {
      c2s: { from: client, to: upstream },
      s2c: { from: upstream, to: client }
    }
    const resume = (dir: Direction): void => {
      const { from, to } = ends[dir]
      if (!lines[dir].congested && !to.writableNeedDrain && !from.destroyed && upstreamReady) from.resume()
    }
    let upstreamReady = false
    const lines: Record<Direction, FaultLine> = {
      c2s: new FaultLine(faults, (f) => f.latencyMs.c2s, true, () => resume('c2s')),
      s2c: new FaultLine(faults, (f) => f.latencyMs.s2c, true, () => resume('s2c'))
    }
    const relay: Relay = { conn, client, upstream, closed: false, halfOpenTimer: null, offsets, lines }
    const halfCloseIdleMs = this.o.halfCloseIdleMs ?? 60_000
    const expireHalfOpen = (): void => {
      if (relay.closed) return
      relay.closed = true
      this.relays.delete(relay)
      session.append({
        kind: 'conn.close',
        conn,
        by: 'wirelab',
        how: 'idle',
        reason: `half-closed and idle for ${halfCloseIdleMs / 1000} s: the tap closed it`
      })
      client.destroy()
      upstream.destroy()
    }
    const armHalfOpen = (): void => {
      if (relay.halfOpenTimer) clearTimeout(relay.halfOpenTimer)
      relay.halfOpenTimer = setTimeout(expireHalfOpen, halfCloseIdleMs)
      relay.halfOpenTimer.unref()
    }
    this.relays.add(relay)

    const record = (dir: Direction, chunk: Buffer): void => {
      const data = retain(chunk)
      const { seq, ack, ackSegment } = model.data(dir, data.length)
      session.append({ kind: 'bytes', conn, dir, offset: offsets[dir], data, tcpSeq: seq, tcpAck: ack })
      appendPdus(session, conn, dissector.push(dir, data, offsets[dir]))
      appendPdus(session, conn, [ackSegment])
      offsets[dir] += data.length
      if (relay.halfOpenTimer) armHalfOpen()
    }
    /** Hands one unit to the direction's fault line, logging any delay it gets. */
    const relayUnit = (dir: Direction, size: number, deliver: () => void): void => {
      const fate = lines[dir].send(size, deliver)
      if (fate.delayMs >= 0.5)
        session.append({ kind: 'fault', conn, dir, offset: offsets[dir] - size, length: size, fault: 'delay', ms: Math.round(fate.delayMs * 10) / 10 })
      if (lines[dir].congested) ends[dir].from.pause()
    }
    const finish = (): void => {
      lines.c2s.close()
      lines.s2c.close()
      if (relay.halfOpenTimer) clearTimeout(relay.halfOpenTimer)
      if (relay.closed) return
      relay.closed = true
      this.relays.delete(relay)
      const c = firstClose ?? { by: 'client' as const, how: 'fin' as const }
      session.append({ kind: 'conn.close', conn, by: c.by, how: c.how, ...(c.reason ? { reason: c.reason } : {}) })
    }
    const ended = (dir: Direction): void => {
      firstClose ??= { by: dir === 'c2s' ? 'client' : 'server', how: 'fin' }
      appendPdus(session, conn, dissector.end?.(dir) ?? [])
      appendPdus(session, conn, model.fin(dir))
      armHalfOpen()
    }
    const aborted = (dir: Direction, err: NodeJS.ErrnoException): void => {
      if (relay.closed) return
      const reset = err.code === 'ECONNRESET' || err.code === 'EPIPE'
      firstClose ??= { by: dir === 'c2s' ? 'client' : 'server', how: reset ? 'rst' : 'error', reason: err.code ?? err.message }
      appendPdus(session, conn, model.rst(dir))
    }

    const interceptor = this.o.intercept?.()
    client.on('data', (chunk: Buffer) => {
      record('c2s', chunk)
      const verdict: TapVerdict = interceptor ? interceptor.c2s(chunk) : { forward: chunk }
      const forward = verdict.forward
      if (forward.length > 0)
        relayUnit('c2s', forward.length, () => {
          if (!upstream.destroyed && !upstream.write(forward)) client.pause()
        })
      const reply = verdict.reply
      if (reply && !client.destroyed) {
        // The tap's own answer travels toward the client like the server's bytes do.
        record('s2c', Buffer.from(reply))
        relayUnit('s2c', reply.length, () => {
          if (!client.destroyed) client.write(reply)
        })
      }
    })
    upstream.on('data', (chunk: Buffer) => {
      record('s2c', chunk)
      relayUnit('s2c', chunk.length, () => {
        if (!client.destroyed && !client.write(chunk)) upstream.pause()
      })
    })
    upstream.on('drain', () => resume('c2s'))
    client.on('drain', () => resume('s2c'))
    // End of stream keeps its place behind the bytes still held by the fault line.
    client.on('end', () => {
      ended('c2s')
      lines.c2s.send(0, () => upstream.end())
    })
    upstream.on('end', () => {
      ended('s2c')
      lines.s2c.send(0, () => client.end())
    })
    client.on('error', (err) => {
      aborted('c2s', err)
      upstream.destroy()
    })
    upstream.on('error', (err) => {
      if (!upstreamReady && !relay.closed) this.refusedNote(err)
      aborted('s2c', err)
      if (!client.destroyed) client.resetAndDestroy()
    })
    client.on('close', () => {
      if (!upstream.destroyed && !upstream.writableEnded) upstream.destroy()
      if (upstream.destroyed) finish()
    })
    upstream.on('close', () => {
      if (client.destroyed) finish()
      else if (!client.writableEnded) client.end()
    })
    upstream.once('connect', () => {
      upstreamReady = true
      client.resume()
    })
  }

  private refusedShown = 0

  /** The server behind the tap did not take the connection: say so once in a while, with what to do. */
  private refusedNote(err: NodeJS.ErrnoException): void {
    const now = Date.now()
    if (now - this.refusedShown < 5000) return
    this.refusedShown = now
    const { host, port } = this.o.target
    const hint = this.o.refusedHint?.(err)
    const what =
      err.code === 'ECONNREFUSED'
        ? { en: `nothing is listening on ${host}:${port} (connection refused)`, pt: `nada está escutando em ${host}:${port} (conexão recusada)` }
        : { en: `${host}:${port} could not be reached (${err.code ?? err.message})`, pt: `não foi possível alcançar ${host}:${port} (${err.code ?? err.message})` }
    this.o.session.append({
      kind: 'note',
      key: 'tap.refused',
      level: 'error',
      text: {
        en: `${this.o.server.label}: ${what.en}. The client's connection was reset.${hint ? ' ' + hint.en : ''}`,
        pt: `${this.o.server.label}: ${what.pt}. A conexão do cliente foi reiniciada.${hint ? ' ' + hint.pt : ''}`
      }
    })
  }

  /** Cuts open connections now (all, or the one given): both sides get a reset, and the log says who did it. */
  cut(conn?: string): number {
    let n = 0
    for (const r of [...this.relays]) {
      if (conn && r.conn !== conn) continue
      if (r.closed) continue
      n++
      r.closed = true
      this.relays.delete(r)
      if (r.halfOpenTimer) clearTimeout(r.halfOpenTimer)
      r.lines.c2s.close()
      r.lines.s2c.close()
      this.o.session.append({ kind: 'fault', conn: r.conn, dir: 'c2s', offset: r.offsets.c2s, length: 0, fault: 'cut' })
      this.o.session.append({ kind: 'conn.close', conn: r.conn, by: 'wirelab', how: 'cut', reason: 'cut on request: both sides got a reset (RST)' })
      if (!r.client.destroyed) r.client.resetAndDestroy()
      if (!r.upstream.destroyed) r.upstream.resetAndDestroy()
    }
    return n
  }

  /** Connections currently open through this tap. */
  connections(): string[] {
    return [...this.relays].filter((r) => !r.closed).map((r) => r.conn)
  }

  async close(): Promise<void> {
    for (const r of [...this.relays]) {
      if (r.halfOpenTimer) clearTimeout(r.halfOpenTimer)
      r.lines.c2s.close()
      r.lines.s2c.close()
      if (!r.closed) {
        r.closed = true
        this.o.session.append({ kind: 'conn.close', conn: r.conn, by: 'wirelab', how: 'stop' })
      }
      r.client.destroy()
      r.upstream.destroy()
    }
    this.relays.clear()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }
}
