// A lesson's own gRPC client as an actor: one grpc-js channel (so one HTTP/2 connection, reused
// by every call), whose sockets are claimed for the actor as they connect.
import type { LabEvent, PduEvent } from '../../../shared/events'
import type { Session } from '../session/session'
import type { SceneContext } from './context'
import type { Actor } from '../tap/actors'
import { SensorClient } from '../protocols/grpc/client'

export class LessonGrpcClient {
  private client: SensorClient | null = null

  constructor(
    private readonly ctx: SceneContext,
    readonly actor: Actor,
    private readonly port: number
  ) {}

  /** The client, connected (the first call, or a reconnect, is announced to the tap first). */
  async get(): Promise<SensorClient> {
    this.ctx.node(this.actor, 'client')
    const done = this.ctx.actors.expect()
    try {
      if (!this.client) {
        this.client = new SensorClient(this.port, (s) => this.ctx.claimSocket(s, this.actor))
        this.ctx.onStop(() => this.close())
      }
      await this.client.ready()
    } finally {
      done()
    }
    return this.client
  }

  /** Closes the channel (GOAWAY); the next `get` opens a new connection. */
  close(): void {
    this.client?.close()
    this.client = null
  }
}

/**
 * Waits (at most `ms`) until a `grpc` PDU logged since event index `from` matches: a call's local
 * outcome (a cancel, a deadline) is known to the client before its bytes have crossed the tap.
 */
export function grpcSeen(
  session: Session,
  from: number,
  match: (p: PduEvent) => boolean,
  ms = 1000
): Promise<boolean> {
  const test = (e: LabEvent): boolean => e.kind === 'pdu' && e.protocol === 'grpc' && match(e)
  if (session.events.slice(from).some(test)) return Promise.resolve(true)
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      off()
      resolve(false)
    }, ms)
    const off = session.subscribe((e) => {
      if (!test(e)) return
      clearTimeout(timer)
      off()
      resolve(true)
    })
  })
}
