// Built-in gRPC clients: a real @grpc/grpc-js channel (one HTTP/2 connection, calls multiplexed
// on it as streams) whose TCP socket is reported as soon as it connects, so the tap can tell the
// lesson's own client from a person's. One method per call type, each resolving with the call's
// final status and the messages it received.
import type net from 'node:net'
import * as grpc from '@grpc/grpc-js'
import { grpcStatusName } from '../../../../shared/protocols/grpc'
import {
  method,
  type LeituraResponse,
  type MensagemChat,
  type MethodName,
  type ResumoLeituras,
  type Sensor,
  type SensorRequest,
  type TemperaturaResponse
} from './package'

export interface CallOutcome<T> {
  status: number
  statusName: string
  details: string
  messages: T[]
  ms: number
}

export interface CallOptions {
  /** Deadline from now, in ms (sent as grpc-timeout). */
  deadlineMs?: number
}

/** Insecure credentials that report each TCP socket the channel opens before HTTP/2 starts on it. */
function reportingCredentials(onSocket: (s: net.Socket) => void): grpc.ChannelCredentials {
  const base = grpc.credentials.createInsecure()
  const create = base._createSecureConnector.bind(base)
  base._createSecureConnector = (target, options, callCredentials) => {
    const c = create(target, options, callCredentials)
    return {
      connect(socket) {
        onSocket(socket)
        return c.connect(socket)
      },
      waitForReady: () => c.waitForReady(),
      getCallCredentials: () => c.getCallCredentials(),
      destroy: () => c.destroy()
    }
  }
  // Channels never share a connection with another client's (grpc-js pools equal credentials).
  base._equals = (other) => other === base
  return base
}

function outcome<T>(err: grpc.ServiceError | null | undefined, messages: T[], t0: number): CallOutcome<T> {
  const status = err ? err.code : grpc.status.OK
  return {
    status,
    statusName: grpcStatusName(status),
    details: err ? err.details : '',
    messages,
    ms: performance.now() - t0
  }
}

const options = (o: CallOptions): grpc.CallOptions =>
  o.deadlineMs !== undefined ? { deadline: Date.now() + o.deadlineMs } : {}

/** One bidirectional Conversar call: each `send` is one message; half-close and cancel are separate. */
export class ChatCall {
  readonly received: MensagemChat[] = []
  readonly done: Promise<CallOutcome<MensagemChat>>
  private waiters: (() => void)[] = []
  private finished = false

  constructor(private readonly call: grpc.ClientDuplexStream<MensagemChat, MensagemChat>) {
    const t0 = performance.now()
    this.done = new Promise((resolve) => {
      let err: grpc.ServiceError | null = null
      call.on('data', (m: MensagemChat) => {
        this.received.push(m)
        this.wake()
      })
      call.on('error', (e: grpc.ServiceError) => {
        err = e
      })
      call.on('status', () => {
        this.finished = true
        this.wake()
        resolve(outcome(err, this.received, t0))
      })
    })
  }

  get open(): boolean {
    return !this.finished
  }

  private wake(): void {
    const w = this.waiters
    this.waiters = []
    for (const fn of w) fn()
  }

  /** Sends one message and waits (up to `timeoutMs`) for the answer it provokes. */
  async send(de: string, texto: string, timeoutMs = 3000): Promise<MensagemChat | null> {
    if (this.finished || this.call.writableEnded) return null
    const before = this.received.length
    this.call.write({ de, texto })
    const deadline = Date.now() + timeoutMs
    while (this.received.length === before && !this.finished && Date.now() < deadline)
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.max(1, deadline - Date.now()))
        this.waiters.push(() => {
          clearTimeout(t)
          resolve()
        })
      })
    return this.received[before] ?? null
  }

  /** END_STREAM from the client: no more messages, but the server may still answer and end the call. */
  halfClose(): Promise<CallOutcome<MensagemChat>> {
    if (!this.call.writableEnded) this.call.end()
    return this.done
  }

  /** RST_STREAM (CANCEL): the call is abandoned at once. */
  cancel(): Promise<CallOutcome<MensagemChat>> {
    this.call.cancel()
    return this.done
  }
}

export class SensorClient {
  readonly client: grpc.Client

  constructor(port: number, onSocket: (s: net.Socket) => void, host = '127.0.0.1') {
    this.client = new grpc.Client(`${host}:${port}`, reportingCredentials(onSocket), {
      'grpc.use_local_subchannel_pool': 1,
      'grpc.enable_retries': 0,
      'grpc.client_idle_timeout_ms': 3_600_000
    })
  }

  /** Connects now (instead of at the first call). */
  ready(timeoutMs = 5000): Promise<void> {
    return new Promise((resolve, reject) =>
      this.client.waitForReady(Date.now() + timeoutMs, (err) => (err ? reject(err) : resolve()))
    )
  }

  private unary<Req, Res>(name: MethodName, req: Req, o: CallOptions): Promise<CallOutcome<Res>> {
    const m = method<Req, Res>(name)
    const t0 = performance.now()
    return new Promise((resolve) => {
      this.client.makeUnaryRequest(
        m.path,
        m.requestSerialize,
        m.responseDeserialize,
        req,
        new grpc.Metadata(),
        options(o),
        (err, res) => resolve(outcome(err, res ? [res] : [], t0))
      )
    })
  }

  getTemperatura(req: SensorRequest, o: CallOptions = {}): Promise<CallOutcome<TemperaturaResponse>> {
    return this.unary('GetTemperatura', req, o)
  }

  getSensor(req: SensorRequest, o: CallOptions = {}): Promise<CallOutcome<Sensor>> {
    return this.unary('GetSensor', req, o)
  }

  /** Server streaming; `cancelAfter` messages cancels the call (RST_STREAM CANCEL) once that many arrived. */
  streamLeituras(
    req: SensorRequest,
    o: CallOptions & { cancelAfter?: number; onMessage?: (m: LeituraResponse) => void } = {}
  ): Promise<CallOutcome<LeituraResponse>> {
    const m = method<SensorRequest, LeituraResponse>('StreamLeituras')
    const t0 = performance.now()
    const call = this.client.makeServerStreamRequest(
      m.path,
      m.requestSerialize,
      m.responseDeserialize,
      req,
      new grpc.Metadata(),
      options(o)
    )
    const messages: LeituraResponse[] = []
    return new Promise((resolve) => {
      let err: grpc.ServiceError | null = null
      call.on('data', (r: LeituraResponse) => {
        messages.push(r)
        o.onMessage?.(r)
        if (o.cancelAfter !== undefined && messages.length >= o.cancelAfter) call.cancel()
      })
      call.on('error', (e: grpc.ServiceError) => {
        err = e
      })
      call.on('status', () => resolve(outcome(err, messages, t0)))
    })
  }

  /** Client streaming: the readings one by one (`intervalMs` apart), then half-close; one summary back. */
  enviarLeituras(
    readings: LeituraResponse[],
    o: CallOptions & { intervalMs?: number } = {}
  ): Promise<CallOutcome<ResumoLeituras>> {
    const m = method<LeituraResponse, ResumoLeituras>('EnviarLeituras')
    const t0 = performance.now()
    return new Promise((resolve) => {
      const call = this.client.makeClientStreamRequest(
        m.path,
        m.requestSerialize,
        m.responseDeserialize,
        new grpc.Metadata(),
        options(o),
        (err, res) => resolve(outcome(err, res ? [res] : [], t0))
      )
      call.on('error', () => undefined)
      let i = 0
      const next = (): void => {
        if (i >= readings.length) {
          call.end()
          return
        }
        call.write(readings[i++])
        if (o.intervalMs) setTimeout(next, o.intervalMs)
        else next()
      }
      next()
    })
  }

  conversar(o: CallOptions = {}): ChatCall {
    const m = method<MensagemChat, MensagemChat>('Conversar')
    return new ChatCall(
      this.client.makeBidiStreamRequest(
        m.path,
        m.requestSerialize,
        m.responseDeserialize,
        new grpc.Metadata(),
        options(o)
      )
    )
  }

  close(): void {
    this.client.close()
  }
}
