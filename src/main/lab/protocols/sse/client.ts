// Built-in SSE clients. `EventStreamClient` behaves like the browser's EventSource: it GETs the
// stream with Accept: text/event-stream, dispatches events, and when the connection drops waits
// the server's `retry:` delay and reconnects with Last-Event-ID so the server can resume.
// Each connection goes over a fresh socket from `connect` (so the tap knows which actor it is).
import http from 'node:http'
import type net from 'node:net'
import { Waiters } from '../common/waiters'
import { LineSplitter, SseAccumulator, type SseEvent } from './event-stream'
import { tokenOf } from './dissector'

export interface ReceivedEvent extends SseEvent {
  /** Which connection (1 = first, 2 = after the first reconnection…). */
  connection: number
}

type Connect = () => Promise<net.Socket>

function get(
  socket: net.Socket,
  host: string,
  path: string,
  headers: Record<string, string>
): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host, path, method: 'GET', headers, createConnection: () => socket })
    req.once('response', resolve)
    req.once('error', reject)
    req.end()
  })
}

export class EventStreamClient {
  readonly events: ReceivedEvent[] = []
  /** Last-Event-ID sent on each reconnection, in order. */
  readonly reconnects: string[] = []
  connections = 0
  retryMs: number
  private lastEventId = ''
  private closed = false
  private current: http.IncomingMessage | null = null
  private readonly waiting = new Waiters()

  constructor(
    private readonly connect: Connect,
    private readonly host: string,
    private readonly path: string,
    /** Reconnection delay before the server sends `retry:`. */
    initialRetryMs = 3000
  ) {
    this.retryMs = initialRetryMs
  }

  private check(): void {
    this.waiting.check()
  }

  until(test: () => boolean, what: string, timeoutMs = 10000): Promise<void> {
    return this.waiting.until(test, what, timeoutMs)
  }

  async open(): Promise<void> {
    if (this.closed) return
    const socket = await this.connect()
    this.connections++
    const connection = this.connections
    const headers: Record<string, string> = { Accept: 'text/event-stream', 'Cache-Control': 'no-cache' }
    if (this.lastEventId) {
      headers['Last-Event-ID'] = this.lastEventId
      this.reconnects.push(this.lastEventId)
    }
    const res = await get(socket, this.host, this.path, headers)
    this.current = res
    const acc = new SseAccumulator()
    acc.lastEventId = this.lastEventId
    const splitter = new LineSplitter()
    res.on('data', (chunk: Buffer) => {
      for (const l of splitter.push(chunk)) {
        const ev = acc.line(l)
        if (acc.retry !== null) this.retryMs = acc.retry
        if (ev) {
          this.lastEventId = ev.lastEventId
          this.events.push({ ...ev, connection })
        }
      }
      this.check()
    })
    const dropped = (): void => {
      if (this.current !== res) return
      this.current = null
      this.check()
      if (!this.closed) setTimeout(() => void this.open().catch(() => this.check()), this.retryMs)
    }
    res.on('close', dropped)
    res.on('error', dropped)
    socket.on('error', () => undefined)
  }

  /** Local port of the current connection (-1 when none). */
  get localPort(): number {
    return this.current?.socket.localPort ?? -1
  }

  /** Stops for good (no reconnection) and closes the current connection with FIN. */
  close(): Promise<void> {
    this.closed = true
    const res = this.current
    this.current = null
    if (!res) return Promise.resolve()
    return new Promise((resolve) => {
      res.socket.once('close', () => resolve())
      res.socket.end()
    })
  }
}

/** POST /v1/chat/completions with stream: true; calls `onToken` per token; resolves with all tokens. */
export function streamChat(
  socket: net.Socket,
  host: string,
  prompt: string,
  onToken: (t: string) => void
): Promise<string[]> {
  const body = JSON.stringify({
    model: 'wirelab-mini',
    stream: true,
    messages: [{ role: 'user', content: prompt }]
  })
  return new Promise((resolve, reject) => {
    const req = http.request({
      host,
      path: '/v1/chat/completions',
      method: 'POST',
      createConnection: () => socket,
      headers: {
        'Content-Type': 'application/json',
        Accept: 'text/event-stream',
        'Content-Length': Buffer.byteLength(body),
        Connection: 'close'
      }
    })
    const got: string[] = []
    req.once('error', reject)
    req.once('response', (res) => {
      const acc = new SseAccumulator()
      const splitter = new LineSplitter()
      res.on('data', (chunk: Buffer) => {
        for (const l of splitter.push(chunk)) {
          const ev = acc.line(l)
          const t = ev ? tokenOf(ev.data) : undefined
          if (t !== undefined) {
            got.push(t)
            onToken(t)
          }
        }
      })
      res.once('end', () => resolve(got))
      res.once('error', reject)
    })
    req.end(body)
  })
}
