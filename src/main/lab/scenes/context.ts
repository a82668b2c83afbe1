// The services a running scene uses: the session log, taps on public ports, built-in clients that
// identify themselves, narration, and cleanup when the scene stops.
import net from 'node:net'
import dgram from 'node:dgram'
import type { LabEvent, Localized, Role, Transport } from '../../../shared/events'
import type { CheckpointInfo } from '../../../shared/scene'
import type { Session } from '../session/session'
import { Actors, type Actor } from '../tap/actors'
import { TcpTap, type TcpTapOptions } from '../tap/tcp-tap'
import { UdpTap, type UdpTapOptions } from '../tap/udp-tap'
import { LOOPBACK } from '../net/ports'
import type { Connector } from '../protocols/common/connector'
import { NO_FAULTS, type FaultSettings } from '../../../shared/faults'
import { freePort } from '../servers/installed'

type TapOptions<T> = Omit<T, 'session' | 'actors' | 'host' | 'faults'>

/**
 * How long a closed client's port still names it: a tap may accept a connection after the client
 * already closed it (one that connects, writes and closes at once), and still has to look it up.
 */
export const CLAIM_GRACE_MS = 5_000

export class SceneContext implements Connector {
  private readonly cleanups: (() => Promise<void> | void)[] = []
  private readonly nodes = new Set<string>()
  /** The ports this scene's clients claimed and still hold; the scene's stop takes them all back. */
  private readonly claims = new Set<() => void>()

  constructor(
    readonly session: Session,
    readonly actors: Actors,
    /** Address public ports bind to: 127.0.0.1 unless classroom mode is on. */
    readonly host: string = LOOPBACK,
    /** When true every public port is an ephemeral one (tests, parallel runs). */
    private readonly ephemeralPorts = false,
    /** The network conditions every tap of this scene imposes (the lab's current settings). */
    readonly faults: () => FaultSettings = () => NO_FAULTS
  ) {}

  /** Every TCP tap this scene opened, for "cut the connections now". */
  readonly tcpTaps: TcpTap[] = []

  /** The port to ask for: the course's default, or 0 in ephemeral mode. */
  port(preferred: number): number {
    return this.ephemeralPorts ? 0 : preferred
  }

  note(key: string, text: Localized, level: 'info' | 'warn' | 'error' = 'info'): void {
    this.session.append({ kind: 'note', key, text, level })
  }

  /** Announces an actor once per scene. */
  node(actor: Actor, role: Role): Actor {
    if (!this.nodes.has(actor.node)) {
      this.nodes.add(actor.node)
      this.session.append({ kind: 'node', node: actor.node, label: actor.label, ...(actor.text ? { text: actor.text } : {}), role })
    }
    return actor
  }

  /**
   * Runs one step of a lesson under a checkpoint: logs the question (`ask`), runs the step (its
   * real traffic), then logs the answer that `reveal` reads from the events the step produced.
   * A step that throws still logs no answer, and the error propagates.
   */
  async checkpoint<T>(
    def: CheckpointInfo,
    step: () => Promise<T>,
    reveal: (events: readonly LabEvent[], result: T) => { answer: string[]; explain: Localized },
    choices: CheckpointInfo['choices'] = def.choices
  ): Promise<T> {
    const run = this.session.nextId('cp')
    const asked = {
      kind: 'checkpoint' as const,
      id: def.id,
      run,
      question: def.question,
      choices,
      ...(def.multiple ? { multiple: true } : {}),
      ...(def.source ? { source: def.source } : {})
    }
    const ask = this.session.append({ ...asked, state: 'ask' })
    const result = await step()
    const events = this.session.events.slice(ask.seq)
    const { answer, explain } = reveal(events, result)
    this.session.append({ ...asked, state: 'answer', answer, explain })
    return result
  }

  /**
   * Resolves when the tap reports the connection from `localPort` closed (or after `timeoutMs`),
   * so the next step's narration comes after this connection's last segment.
   */
  connClosed(localPort: () => number, timeoutMs = 3000): Promise<void> {
    return new Promise((resolve) => {
      const opened = new Map<string, number>()
      const timer = setTimeout(finish, timeoutMs)
      const portOf = (conn: string): number | undefined => {
        if (!opened.has(conn)) {
          // Opened before this wait began: look it up in the log.
          const open = this.session.events.find((x) => x.kind === 'conn.open' && x.conn === conn)
          if (open?.kind === 'conn.open') opened.set(conn, open.client.port)
        }
        return opened.get(conn)
      }
      const unsubscribe = this.session.subscribe((e) => {
        if (e.kind === 'conn.open') opened.set(e.conn, e.client.port)
        if (e.kind === 'conn.close' && portOf(e.conn) === localPort()) finish()
      })
      function finish(): void {
        clearTimeout(timer)
        unsubscribe()
        resolve()
      }
    })
  }

  /**
   * Runs `fn` when the lesson stops. Returns what takes it back (a socket that closes by itself
   * needs no cleanup, and must not stay referenced until the lesson stops: a lesson that opens
   * connections all hour would keep every one of them).
   */
  onStop(fn: () => Promise<void> | void): () => void {
    this.cleanups.push(fn)
    return () => {
      const i = this.cleanups.lastIndexOf(fn)
      if (i >= 0) this.cleanups.splice(i, 1)
    }
  }

  async tcpTap(o: TapOptions<TcpTapOptions>): Promise<TcpTap> {
    const tap = await this.started(new TcpTap(this.tapOptions(o)), o.server.node)
    this.tcpTaps.push(tap)
    return tap
  }

  udpTap(o: TapOptions<UdpTapOptions>): Promise<UdpTap> {
    return this.started(new UdpTap(this.tapOptions(o)), o.server.node)
  }

  /** A tap's options with the context's session, actors, address and network conditions, and the port to ask for. */
  private tapOptions<O extends { preferredPort: number }>(o: O): O & Pick<TcpTapOptions, 'session' | 'actors' | 'host' | 'faults'> {
    return { ...o, preferredPort: this.port(o.preferredPort), session: this.session, actors: this.actors, host: this.host, faults: this.faults }
  }

  /** Starts a tap, knows its server's node, and closes the tap when the lesson stops. */
  private async started<T extends { start(): Promise<unknown>; close(): Promise<void> }>(tap: T, serverNode: string): Promise<T> {
    await tap.start()
    this.nodes.add(serverNode)
    this.onStop(() => tap.close())
    return tap
  }

  /** A TCP connection to `port` announced as `actor`, returned at once; the tap recognises it. */
  tcpSocket(actor: Actor, port: number, host = LOOPBACK, allowHalfOpen = false): net.Socket {
    this.node(actor, 'client')
    const done = this.actors.expect()
    const socket = net.connect({ host, port, allowHalfOpen })
    socket.once('connect', () => {
      this.claimSocket(socket, actor)
      done()
    })
    socket.once('error', () => done())
    const forget = this.onStop(() => {
      socket.destroy()
    })
    socket.once('close', () => {
      done()
      forget()
    })
    return socket
  }

  /** A built-in TCP client connection, announced as `actor` and recognised by the tap, once connected. */
  connectTcp(actor: Actor, port: number, host = LOOPBACK): Promise<net.Socket> {
    const socket = this.tcpSocket(actor, port, host, true)
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => reject(err)
      socket.once('error', onError)
      socket.once('connect', () => {
        socket.off('error', onError)
        resolve(socket)
      })
    })
  }

  /**
   * A free local port, already claimed for `actor`: built-in clients whose library opens its own
   * sockets (amqplib, libzmq) connect from it, so the tap knows whose connection it is.
   */
  async localPortFor(actor: Actor): Promise<number> {
    this.node(actor, 'client')
    const port = await freePort()
    this.claim('tcp', port, actor)
    return port
  }

  /** A built-in UDP socket bound to an ephemeral port, announced as `actor`. */
  async udpSocket(actor: Actor): Promise<dgram.Socket> {
    this.node(actor, 'client')
    const socket = dgram.createSocket('udp4')
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject)
      socket.bind(0, LOOPBACK, () => {
        socket.off('error', reject)
        resolve()
      })
    })
    const release = this.claim('udp', socket.address().port, actor)
    const forget = this.onStop(() => {
      try {
        socket.close()
      } catch {
        // already closed
      }
    })
    socket.once('close', () => {
      forget()
      releaseLater(release)
    })
    return socket
  }

  /**
   * Tells the taps that this local port is `actor`'s, until the returned function is called or the
   * scene stops: the kernel hands a port out again, to another lesson's client or a person's own.
   */
  claim(transport: Transport, port: number, actor: Actor): () => void {
    const taken = this.actors.claim(transport, port, actor)
    const release = (): void => {
      this.claims.delete(release)
      taken()
    }
    this.claims.add(release)
    return release
  }

  /** Claims a connected socket's local port for `actor` while it is open (and `CLAIM_GRACE_MS` after). */
  claimSocket(socket: net.Socket, actor: Actor): void {
    const release = this.claim('tcp', socket.localPort ?? 0, actor)
    if (socket.destroyed) releaseLater(release)
    else socket.once('close', () => releaseLater(release))
  }

  /** Registers a server (or any closable) to be closed when the scene stops. */
  own<T extends { close(cb?: () => void): unknown }>(thing: T): T {
    this.onStop(
      () =>
        new Promise<void>((resolve) => {
          try {
            thing.close(() => resolve())
          } catch {
            resolve()
          }
        })
    )
    return thing
  }

  async stop(): Promise<void> {
    for (const release of [...this.claims]) release()
    const fns = this.cleanups.splice(0).reverse()
    for (const fn of fns) {
      try {
        await Promise.race([fn(), new Promise((r) => setTimeout(r, 2000))])
      } catch {
        // cleanup of one resource must not prevent the others
      }
    }
  }
}

function releaseLater(release: () => void): void {
  setTimeout(release, CLAIM_GRACE_MS).unref()
}
