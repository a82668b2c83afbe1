// The slow receiver: it does not read at all while paused (so the bytes wait in its kernel receive
// queue, and its advertised window closes), then reads at `rate` bytes per second from each
// connection. Connections that are not Wirelab's senders are recorded (their first 64 KB byte for
// byte, the rest counted) and read the same way.
import type net from 'node:net'
import type { SceneContext } from '../context'
import { ConnRecorder } from '../../tap/recorder'
import { LOOPBACK } from '../../net/ports'

interface Conn {
  socket: net.Socket
  read: number
  recorder?: ConnRecorder
}

const TICK_MS = 50
const LOGGED = 64 * 1024

export class Receiver {
  port = 0
  private paused = false
  private readonly conns = new Map<number, Conn>()
  private readonly timer: ReturnType<typeof setInterval>
  private readonly waiters = new Set<() => void>()

  constructor(
    private readonly ctx: SceneContext,
    private readonly node: string,
    /** Bytes per second read from each connection. */
    public rate: number
  ) {
    this.timer = setInterval(() => this.tick(), TICK_MS)
  }

  pause(): void {
    this.paused = true
  }

  resume(): void {
    this.paused = false
  }

  /** Bytes the receiving program has read from the connection whose client port is `port`. */
  readFrom(port: number): number {
    return this.conns.get(port)?.read ?? 0
  }

  async accept(socket: net.Socket): Promise<void> {
    socket.pause()
    socket.on('error', () => undefined)
    const port = socket.remotePort ?? 0
    const actor = await this.ctx.actors.lookup('tcp', port)
    const conn: Conn = { socket, read: 0 }
    if (!actor) {
      const from = this.ctx.session.nextId('ext')
      const host = (socket.remoteAddress ?? LOOPBACK).replace(/^::ffff:/, '')
      this.ctx.session.append({ kind: 'node', node: from, label: `Your client ${host}:${port}`, role: 'external', external: true, endpoint: { host, port } })
      conn.recorder = new ConnRecorder(this.ctx.session, { from, to: this.node, client: { host, port }, server: { host: LOOPBACK, port: this.port }, dissector: 'tcp' })
    }
    this.conns.set(port, conn)
    socket.on('end', () => {
      conn.recorder?.end('c2s')
      socket.end()
      conn.recorder?.end('s2c')
    })
    socket.on('close', (hadError) => {
      conn.recorder?.close('client', hadError ? 'rst' : 'fin')
      this.wake()
    })
  }

  private tick(): void {
    if (this.paused) return
    const budget = Math.max(1, Math.round((this.rate * TICK_MS) / 1000))
    for (const [port, c] of this.conns) {
      let left = budget
      while (left > 0) {
        const chunk = c.socket.read(Math.min(left, c.socket.readableLength || left)) as Buffer | null
        if (!chunk) {
          // Fewer bytes buffered than asked: take what there is (and ask Node to read more).
          const rest = c.socket.readableLength ? (c.socket.read(Math.min(left, c.socket.readableLength)) as Buffer | null) : null
          if (!rest) break
          this.took(c, rest)
          left -= rest.length
          continue
        }
        this.took(c, chunk)
        left -= chunk.length
      }
      if (c.socket.destroyed && !c.socket.readableLength) this.conns.delete(port)
    }
    this.wake()
  }

  private took(c: Conn, chunk: Buffer): void {
    if (c.recorder && c.read < LOGGED) c.recorder.data('c2s', chunk.subarray(0, LOGGED - c.read))
    c.read += chunk.length
  }

  private wake(): void {
    for (const w of this.waiters) w()
  }

  /** Resolves once `total` bytes were read from each of these client ports (or they closed, or the time ran out). */
  drained(ports: number[], total: number, timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const check = (): void => {
        if (ports.every((p) => (this.conns.get(p)?.read ?? total) >= total)) finish()
      }
      const timer = setTimeout(() => finish(), timeoutMs)
      const finish = (): void => {
        clearTimeout(timer)
        this.waiters.delete(check)
        resolve()
      }
      this.waiters.add(check)
      check()
    })
  }

  close(): void {
    clearInterval(this.timer)
    for (const c of this.conns.values()) c.socket.destroy()
    this.conns.clear()
  }
}
