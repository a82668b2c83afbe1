// The built-in HTTPS client: node:tls over a TCP socket the scene opened, offering SNI and ALPN,
// verifying the lesson's certificate, writing one HTTP/1.1 request and reading the response to
// the end. Returns the exact bytes written and read (what the decrypted view must show).
import type net from 'node:net'
import tls from 'node:tls'
import { keyLog } from '../common/keylog'

export interface HttpsExchange {
  request: Uint8Array
  response: Uint8Array
  alpn: string | false
  protocol: string | null
  cipher: string
}

export interface HttpsRequestOptions {
  socket: net.Socket
  ca: string
  servername: string
  alpn: string[]
  /** TLS 1.3 cipher suites to offer, e.g. `TLS_AES_128_GCM_SHA256` (Node's `ciphers` option); default lets OpenSSL choose. */
  ciphersuites?: string
  /** Highest TLS version to offer (default TLS 1.3, the only one decrypted). */
  version?: '1.2' | '1.3'
  method?: string
  path?: string
  body?: string
  timeoutMs?: number
}

export function httpsExchange(o: HttpsRequestOptions): Promise<HttpsExchange> {
  const method = o.method ?? 'GET'
  const body = o.body ? Buffer.from(o.body) : Buffer.alloc(0)
  const head =
    `${method} ${o.path ?? '/'} HTTP/1.1\r\n` +
    `Host: ${o.servername}\r\n` +
    'User-Agent: wirelab\r\n' +
    'Accept: application/json\r\n' +
    (body.length ? `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n` : '') +
    'Connection: close\r\n\r\n'
  const request = new Uint8Array(Buffer.concat([Buffer.from(head), body]))
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      socket: o.socket,
      servername: o.servername,
      ALPNProtocols: o.alpn,
      ca: o.ca,
      minVersion: o.version === '1.2' ? 'TLSv1.2' : 'TLSv1.3',
      maxVersion: o.version === '1.2' ? 'TLSv1.2' : 'TLSv1.3',
      ...(o.ciphersuites ? { ciphers: o.ciphersuites } : {})
    })
    const chunks: Buffer[] = []
    let negotiated = { protocol: null as string | null, cipher: '', alpn: false as string | false }
    const timer = setTimeout(() => {
      socket.destroy()
      reject(new Error(`no HTTPS response within ${o.timeoutMs ?? 5000} ms`))
    }, o.timeoutMs ?? 5000)
    socket.on('keylog', (line) => keyLog.add(line))
    socket.once('secureConnect', () => {
      negotiated = {
        protocol: socket.getProtocol(),
        cipher: socket.getCipher()?.standardName ?? '',
        alpn: socket.alpnProtocol ?? false
      }
      socket.write(request)
    })
    socket.on('data', (c: Buffer) => chunks.push(c))
    socket.once('error', (err) => {
      clearTimeout(timer)
      reject(err)
    })
    socket.once('end', () => socket.end())
    socket.once('close', () => {
      clearTimeout(timer)
      resolve({
        request,
        response: new Uint8Array(Buffer.concat(chunks)),
        ...negotiated
      })
    })
  })
}
