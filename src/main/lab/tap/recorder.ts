// Recording one TCP connection into the session from either end, for lessons where no relay may
// stand between client and server (a relay would accept for the server and hide its accept queue,
// or add buffers of its own): the client records what it writes and reads, or the server does for
// clients it does not know. Same events as the tap: conn.open with the modeled handshake, bytes
// with modeled seq/ack, the dissector's PDUs, FIN/RST, conn.close. Times may be given (a worker
// thread reports when it read or wrote).
import type { Direction, Endpoint } from '../../../shared/events'
import type { Session } from '../session/session'
import { createDissector } from '../dissect/registry'
import type { PduDraft, StreamDissector } from '../dissect/types'
import { retain } from '../session/byte-pool'
import { TcpModel } from './tcp-model'

export interface RecorderOptions {
  /** Node ids of the client and server actors. */
  from: string
  to: string
  client: Endpoint
  server: Endpoint
  /** Dissector id for the application bytes. */
  dissector: string
  /** When the connection was set up (default: now). */
  t?: number
}

export class ConnRecorder {
  readonly conn: string
  private readonly model: TcpModel
  private readonly dissector: StreamDissector
  private readonly offsets: Record<Direction, number> = { c2s: 0, s2c: 0 }
  private closed = false

  constructor(
    private readonly session: Session,
    o: RecorderOptions
  ) {
    this.conn = session.nextId('c')
    session.append({ kind: 'conn.open', conn: this.conn, transport: 'tcp', from: o.from, to: o.to, client: o.client, server: o.server, ...(o.t ? { t: o.t } : {}) })
    this.model = new TcpModel(o.client.port, o.server.port)
    this.dissector = createDissector(o.dissector)
    this.pdus(this.model.handshake(), o.t)
  }

  get isClosed(): boolean {
    return this.closed
  }

  /** Bytes sent so far in each direction. */
  get sent(): Readonly<Record<Direction, number>> {
    return this.offsets
  }

  private pdus(list: PduDraft[], t?: number): void {
    for (const p of list) this.session.append({ kind: 'pdu', conn: this.conn, ...p, ...(t ? { t } : {}) })
  }

  data(dir: Direction, chunk: Uint8Array, t?: number): void {
    if (this.closed || chunk.length === 0) return
    const data = retain(chunk)
    const { seq, ack, ackSegment } = this.model.data(dir, data.length)
    this.session.append({ kind: 'bytes', conn: this.conn, dir, offset: this.offsets[dir], data, tcpSeq: seq, tcpAck: ack, ...(t ? { t } : {}) })
    this.pdus(this.dissector.push(dir, data, this.offsets[dir]), t)
    this.pdus([ackSegment], t)
    this.offsets[dir] += data.length
  }

  /** `dir`'s side closed (FIN). */
  end(dir: Direction, t?: number): void {
    if (this.closed) return
    this.pdus(this.dissector.end?.(dir) ?? [], t)
    this.pdus(this.model.fin(dir), t)
  }

  /** `dir`'s side aborted (RST). */
  reset(dir: Direction, t?: number): void {
    if (this.closed) return
    this.pdus(this.model.rst(dir), t)
  }

  close(by: 'client' | 'server' | 'wirelab', how: 'fin' | 'rst' | 'error' | 'idle' | 'stop', reason?: string, t?: number): void {
    if (this.closed) return
    this.closed = true
    this.session.append({ kind: 'conn.close', conn: this.conn, by, how, ...(reason ? { reason } : {}), ...(t ? { t } : {}) })
  }
}
