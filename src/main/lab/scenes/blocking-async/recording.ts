// Who records what in the blocking-vs-async lesson, where no relay may stand in front of the
// servers: Wirelab's own clients record their side of each connection (set-up when connect()
// returns, the request when written, the reply when it arrives) and the times a student cares
// about; the servers report when they accepted, read and wrote, and record whole connections of
// clients that are not Wirelab's (a student's script, garbage from the fault tests).
import net from 'node:net'
import type { SceneContext } from '../context'
import { ConnRecorder } from '../../tap/recorder'
import { now } from '../../session/session'
import type { IoEvents, IoModel } from '../../protocols/echo/io-models'
import { LOOPBACK } from '../../net/ports'

/** What one client saw, in ms since the race started (and the server's side of it). */
export interface ClientTimes {
  client: number
  port: number
  /** connect() returned: the kernel finished the handshake (the server may not have accepted yet). */
  connect: number
  /** The server's accept() returned this connection. */
  accepted?: number
  /** The server read the request. */
  read?: number
  firstByte?: number
  reply?: number
  /** connect() took about one SYN retransmission timeout (≥ 0.9 s): the first SYN was dropped. */
  synRetried: boolean
  error?: string
}

interface ClientRun {
  times: ClientTimes
  recorder: ConnRecorder
}

/** One server's recording: its events feed the session; its clients' runs are matched by port. */
export class IoRecording {
  private readonly clients = new Map<number, ClientRun>()
  private readonly external = new Map<number, ConnRecorder>()
  private readonly chains = new Map<number, Promise<void>>()
  port = 0
  t0 = now()

  constructor(
    private readonly ctx: SceneContext,
    readonly model: IoModel,
    readonly node: string
  ) {}

  /** Events of one client port are handled in order, each after the previous one's lookup. */
  private inOrder(port: number, fn: () => void | Promise<void>): void {
    const next = (this.chains.get(port) ?? Promise.resolve()).then(fn).catch(() => undefined)
    this.chains.set(port, next)
  }

  private ms(t: number): number {
    return Math.round((t - this.t0) * 10) / 10
  }

  readonly events: IoEvents = {
    accept: (e) =>
      this.inOrder(e.port, async () => {
        const actor = await this.ctx.actors.lookup('tcp', e.port)
        const run = actor ? this.clients.get(e.port) : undefined
        if (run) {
          run.times.accepted = this.ms(e.t)
          this.ctx.session.append({
            kind: 'sample',
            series: 'accept',
            subject: this.node,
            conn: run.recorder.conn,
            values: { client: run.times.client, ms: run.times.accepted, waitedMs: Math.max(0, Math.round(run.times.accepted - run.times.connect)) },
            source: 'server',
            t: e.t
          })
          return
        }
        const from = this.ctx.session.nextId('ext')
        this.ctx.session.append({
          kind: 'node',
          node: from,
          label: `Your client ${e.host}:${e.port}`,
          role: 'external',
          external: true,
          endpoint: { host: e.host, port: e.port }
        })
        this.external.set(
          e.port,
          new ConnRecorder(this.ctx.session, {
            from,
            to: this.node,
            client: { host: e.host, port: e.port },
            server: { host: LOOPBACK, port: this.port },
            dissector: 'tcp',
            t: e.t
          })
        )
      }),
    read: (e) =>
      this.inOrder(e.port, () => {
        const run = this.clients.get(e.port)
        if (run) run.times.read ??= this.ms(e.t)
        this.external.get(e.port)?.data('c2s', e.data, e.t)
      }),
    write: (e) => this.inOrder(e.port, () => this.external.get(e.port)?.data('s2c', e.data, e.t)),
    end: (e) => this.inOrder(e.port, () => this.external.get(e.port)?.end('c2s', e.t)),
    close: (e) =>
      this.inOrder(e.port, () => {
        const rec = this.external.get(e.port)
        if (!rec) return
        if (e.how === 'rst') rec.reset('s2c', e.t)
        else rec.end('s2c', e.t)
        rec.close(e.how === 'fin' ? 'client' : 'server', e.how === 'idle' ? 'idle' : e.how, e.reason, e.t)
        this.external.delete(e.port)
        if (e.how === 'idle')
          this.ctx.note('io.idle', {
            en: `The blocking server waited for a silent client (port ${e.port}) and gave up: while it waited, nobody else was served. Real blocking servers need such a timeout too.`,
            pt: `O servidor bloqueante esperou por um cliente calado (porta ${e.port}) e desistiu: enquanto esperava, ninguém mais foi atendido. Servidores bloqueantes reais também precisam desse limite.`
          }, 'warn')
      }),
    threads: (e) =>
      this.ctx.session.append({
        kind: 'sample',
        series: 'threads',
        subject: this.node,
        values: { live: e.live, started: e.started, ...(e.startMs ? { startMs: Math.round(e.startMs * 10) / 10 } : {}), rssMB: e.rssMB },
        source: 'node worker_threads, process.memoryUsage()',
        t: e.t
      })
  }

  /**
   * One of Wirelab's clients: connects, sends `message`, waits for the echo, closes. Resolves with
   * its times (never rejects: a client that fails says why in `error`).
   */
  client(index: number, message: Uint8Array, timeoutMs: number): Promise<ClientTimes> {
    const actor = this.ctx.node({ node: `${this.node}-c${index + 1}`, label: `${LABELS[this.model]} · client ${index + 1}` }, 'client')
    const done = this.ctx.actors.expect()
    const started = now()
    return new Promise<ClientTimes>((resolve) => {
      const socket = net.connect({ host: LOOPBACK, port: this.port })
      let run: ClientRun | null = null
      let release: (() => void) | undefined
      let got = 0
      const timer = setTimeout(() => finish(`no reply within ${timeoutMs / 1000} s`), timeoutMs)
      const finish = (error?: string): void => {
        clearTimeout(timer)
        done()
        const times = run?.times ?? { client: index + 1, port: 0, connect: this.ms(now()), synRetried: false }
        if (error) times.error = error
        resolve(times)
      }
      socket.once('connect', () => {
        const t = now()
        const port = socket.localPort ?? 0
        const connect = this.ms(t)
        run = {
          times: { client: index + 1, port, connect, synRetried: t - started >= 900 },
          recorder: new ConnRecorder(this.ctx.session, {
            from: actor.node,
            to: this.node,
            client: { host: LOOPBACK, port },
            server: { host: LOOPBACK, port: this.port },
            dissector: 'tcp',
            t
          })
        }
        this.clients.set(port, run)
        release = this.ctx.claim('tcp', port, actor)
        done()
        socket.write(message)
        run.recorder.data('c2s', message)
      })
      socket.on('data', (chunk: Buffer) => {
        if (!run) return
        run.times.firstByte ??= this.ms(now())
        run.recorder.data('s2c', chunk)
        got += chunk.length
        if (got >= message.length && run.times.reply === undefined) {
          run.times.reply = this.ms(now())
          socket.end()
          run.recorder.end('c2s')
        }
      })
      socket.on('end', () => run?.recorder.end('s2c'))
      socket.on('error', (err: NodeJS.ErrnoException) => {
        run?.recorder.reset('s2c')
        run?.recorder.close('server', 'rst', err.code ?? err.message)
        finish(err.code ?? err.message)
      })
      socket.on('close', () => {
        run?.recorder.close('client', 'fin')
        release?.()
        finish()
      })
      this.ctx.onStop(() => {
        socket.destroy()
      })
    })
  }
}

export const LABELS: Record<IoModel, string> = {
  blocking: 'Blocking',
  threads: 'Thread per client',
  'event-loop': 'Event loop'
}
