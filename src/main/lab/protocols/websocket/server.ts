// The seed's chat room (ws_server.py): every message a client sends is broadcast to all the
// *other* connected clients as "[name]: message". Real `ws` server on a hidden ephemeral port.
import http from 'node:http'
import { WebSocketServer, type WebSocket } from 'ws'
import { LOOPBACK, listenTcp } from '../../net/ports'

export interface ChatServer {
  http: http.Server
  wss: WebSocketServer
  port: number
  /** Names of the connected clients. */
  clients(): string[]
  /** Pings every client; resolves with how many answered with a pong (within `timeoutMs`). */
  pingAll(data: string, timeoutMs?: number): Promise<number>
  close(cb?: () => void): void
}

export async function startChatServer(): Promise<ChatServer> {
  const server = http.createServer((_req, res) => {
    res.writeHead(426, { 'Content-Type': 'text/plain; charset=utf-8', Upgrade: 'websocket' })
    res.end('This is a WebSocket chat: connect with a WebSocket client (Upgrade: websocket).\n')
  })
  const wss = new WebSocketServer({ server, perMessageDeflate: false })
  const names = new Map<WebSocket, string>()
  let n = 0
  wss.on('connection', (ws, req) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const name = url.searchParams.get('name') || `cliente ${++n}`
    names.set(ws, name)
    ws.on('message', (data, isBinary) => {
      for (const client of wss.clients) {
        if (client !== ws && client.readyState === client.OPEN) {
          if (isBinary) client.send(data, { binary: true })
          else client.send(`[${name}]: ${data.toString()}`)
        }
      }
    })
    ws.on('close', () => names.delete(ws))
    ws.on('error', () => undefined)
  })
  const port = await listenTcp(server, 0, LOOPBACK)
  return {
    http: server,
    wss,
    port,
    clients: () => [...names.values()],
    async pingAll(data, timeoutMs = 3000) {
      const open = [...wss.clients].filter((c) => c.readyState === c.OPEN)
      const answers = open.map(
        (c) =>
          new Promise<number>((resolve) => {
            const timer = setTimeout(() => resolve(0), timeoutMs)
            c.once('pong', () => {
              clearTimeout(timer)
              resolve(1)
            })
            c.ping(data)
          })
      )
      return (await Promise.all(answers)).reduce((a, b) => a + b, 0)
    },
    close(cb) {
      for (const c of wss.clients) c.terminate()
      wss.close()
      server.close(() => cb?.())
    }
  }
}
