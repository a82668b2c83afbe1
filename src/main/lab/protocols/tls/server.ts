// A real HTTPS server (node:https over node:tls) with the lessons' self-signed certificate
// (common/credentials.ts). Its TLS secrets go to the key log so Wirelab can show the decrypted
// traffic.
import https from 'node:https'
import { LOOPBACK, listenTcp } from '../../net/ports'
import type { Credentials } from '../common/credentials'
import { keyLog } from '../common/keylog'

export interface HttpsServer {
  server: https.Server
  port: number
  close(cb?: () => void): void
}

/** Answers `GET /` and any other path with a small JSON document; `POST` bodies are echoed back. */
export async function startHttpsServer(creds: Credentials): Promise<HttpsServer> {
  const server = https.createServer(
    { key: creds.key, cert: creds.cert, ALPNProtocols: ['http/1.1'] },
    (req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        const body =
          req.method === 'POST'
            ? Buffer.concat(chunks)
            : Buffer.from(JSON.stringify({ mensagem: 'Olá, TLS!', caminho: req.url ?? '/' }))
        res.writeHead(200, {
          'Content-Type': 'application/json; charset=utf-8',
          'Content-Length': body.length
        })
        res.end(body)
      })
    }
  )
  server.on('keylog', (line) => keyLog.add(line))
  server.on('tlsClientError', () => undefined)
  const port = await listenTcp(server, 0, LOOPBACK)
  return {
    server,
    port,
    close(cb) {
      server.closeAllConnections()
      server.close(() => cb?.())
    }
  }
}
