// A real HTTPS server (node:https over node:tls) with a self-signed certificate generated on first
// run and kept under the OS temporary directory, never in the project. Its TLS secrets go to the
// key log so Wirelab can show the decrypted traffic.
import https from 'node:https'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generate } from 'selfsigned'
import { LOOPBACK, listenTcp } from '../../net/ports'
import { keyLog } from './keylog'

export interface Credentials {
  key: string
  cert: string
  /** Where they are stored. */
  dir: string
  /** True when this call generated them. */
  generated: boolean
}

export function certDir(): string {
  return join(tmpdir(), 'wirelab-tls')
}

/** The lesson's certificate for "localhost" (and 127.0.0.1), generated once and reused. */
export async function credentials(dir = certDir()): Promise<Credentials> {
  const keyFile = join(dir, 'localhost-key.pem')
  const certFile = join(dir, 'localhost-cert.pem')
  if (existsSync(keyFile) && existsSync(certFile)) {
    return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8'), dir, generated: false }
  }
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    notAfterDate: new Date(Date.now() + 365 * 24 * 3600 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' }
        ]
      }
    ]
  })
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  writeFileSync(keyFile, pems.private, { mode: 0o600 })
  writeFileSync(certFile, pems.cert)
  return { key: pems.private, cert: pems.cert, dir, generated: true }
}

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
