// A built-in chat client: a real `ws` client over a socket the scene opened (so the tap knows
// which actor it is), collecting what it receives so a scene can await deliveries.
import type net from 'node:net'
import WebSocket from 'ws'
import { Waiters } from '../common/waiters'

export class ChatClient {
  readonly received: string[] = []
  readonly pongs: string[] = []
  readonly pings: string[] = []
  private readonly waiting = new Waiters()

  constructor(
    readonly name: string,
    readonly ws: WebSocket
  ) {
    ws.on('message', (data, isBinary) => {
      this.received.push(isBinary ? `<${(data as Buffer).length} bytes>` : data.toString())
      this.check()
    })
    ws.on('pong', (data) => {
      this.pongs.push(data.toString())
      this.check()
    })
    ws.on('ping', (data) => {
      this.pings.push(data.toString())
      this.check()
    })
    ws.on('close', () => this.check())
    ws.on('error', () => undefined)
  }

  private check(): void {
    this.waiting.check()
  }

  /** Resolves once `test` holds (checked on every message), or rejects after `timeoutMs`. */
  until(test: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
    return this.waiting.until(test, `${this.name}: ${what}`, timeoutMs)
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN
  }

  /** Closes with a status code and waits for the closing handshake to finish. */
  close(code = 1000, reason = ''): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve()
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve())
      this.ws.close(code, reason)
    })
  }
}

/**
 * Opens a WebSocket over an already connected TCP socket. `host` and `port` go into the
 * request's Host header, as a browser would send them.
 */
export function openChatClient(
  name: string,
  socket: net.Socket,
  host: string,
  port: number,
  o: { timeoutMs?: number; browser?: boolean } = {}
): Promise<ChatClient> {
  // A browser sends its page's Origin and its own User-Agent with the Upgrade.
  const browser = o.browser
    ? {
        origin: `http://${host}:${port}`,
        headers: { 'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0 Safari/537.36' }
      }
    : {}
  const ws = new WebSocket(`ws://${host}:${port}/?name=${encodeURIComponent(name)}`, {
    perMessageDeflate: false,
    createConnection: () => socket,
    handshakeTimeout: o.timeoutMs ?? 3000,
    ...browser
  })
  const client = new ChatClient(name, ws)
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(client))
    ws.once('error', reject)
  })
}
