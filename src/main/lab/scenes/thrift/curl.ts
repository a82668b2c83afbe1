// "curl on a binary port": the real curl sent at a port, bounded by --max-time, its exit code and
// message logged. Where curl is not installed, curl's exact request bytes are sent from a socket
// and what curl would print is inferred from what came back (and said so).
import net from 'node:net'
import { spawn } from 'node:child_process'
import type { Localized } from '../../../../shared/events'
import { LOOPBACK, listenTcp } from '../../net/ports'
import type { SceneContext } from '../context'

export interface CurlResult {
  /** curl's exit code (52 = empty reply, 28 = timed out, 1 = HTTP/0.9 refused, 0 = HTTP answer). */
  exit: number
  /** curl's own message, e.g. `curl: (52) Empty reply from server`. */
  message: string
  ms: number
  /** Bytes curl received. */
  received: number
  /** `curl` when curl ran; `node` when its request was sent from a socket instead. */
  tool: 'curl' | 'node'
}

const CURL_VERSION_FALLBACK = '7.88.1'

/** The request curl sends for `curl http://host:port/`. */
export const curlRequest = (host: string, port: number): string =>
  `GET / HTTP/1.1\r\nHost: ${host}:${port}\r\nUser-Agent: curl/${CURL_VERSION_FALLBACK}\r\nAccept: */*\r\n\r\n`

async function freePort(): Promise<number> {
  const s = net.createServer()
  const port = await listenTcp(s, 0, LOOPBACK)
  await new Promise<void>((r) => s.close(() => r()))
  return port
}

/** What curl prints for these outcomes (curl's own wording). */
export function curlMessage(exit: number, maxTimeS: number): string {
  switch (exit) {
    case 0:
      return 'curl: HTTP response received'
    case 1:
      return 'curl: (1) Received HTTP/0.9 when not allowed'
    case 7:
      return 'curl: (7) Failed to connect: Connection refused'
    case 28:
      return `curl: (28) Operation timed out after ${maxTimeS * 1000} milliseconds with 0 bytes received`
    case 52:
      return 'curl: (52) Empty reply from server'
    case 56:
      return 'curl: (56) Recv failure: Connection reset by peer'
    default:
      return `curl: (${exit})`
  }
}

function runReal(port: number, local: number, maxTimeS: number): Promise<CurlResult | 'missing' | 'bind'> {
  return new Promise((resolve) => {
    const started = performance.now()
    let received = 0
    let err = ''
    const child = spawn('curl', ['-sS', '--max-time', String(maxTimeS), '--local-port', String(local), `http://${LOOPBACK}:${port}/`], {
      stdio: ['ignore', 'pipe', 'pipe']
    })
    child.stdout.on('data', (c: Buffer) => (received += c.length))
    child.stderr.on('data', (c: Buffer) => (err += c.toString()))
    child.on('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ENOENT' ? 'missing' : { exit: -1, message: e.message, ms: 0, received: 0, tool: 'curl' }))
    child.on('close', (code) => {
      const exit = code ?? -1
      if (exit === 45) return resolve('bind') // the local port was taken meanwhile
      resolve({
        exit,
        message: err.trim().split('\n')[0] || curlMessage(exit, maxTimeS),
        ms: performance.now() - started,
        received,
        tool: 'curl'
      })
    })
  })
}

/** curl's request from a socket, for machines without curl; the outcome mapped to curl's exit codes. */
function runFromSocket(port: number, local: number, maxTimeS: number): Promise<CurlResult> {
  return new Promise((resolve) => {
    const started = performance.now()
    let received = Buffer.alloc(0)
    const s = net.connect({ host: LOOPBACK, port, localPort: local })
    const finish = (exit: number): void => {
      clearTimeout(timer)
      s.destroy()
      resolve({ exit, message: `${curlMessage(exit, maxTimeS)} (what curl would print)`, ms: performance.now() - started, received: received.length, tool: 'node' })
    }
    const timer = setTimeout(() => finish(28), maxTimeS * 1000)
    s.on('connect', () => s.write(curlRequest(LOOPBACK, port)))
    s.on('data', (c: Buffer) => (received = Buffer.concat([received, c])))
    s.on('error', (e: NodeJS.ErrnoException) => finish(e.code === 'ECONNREFUSED' ? 7 : 56))
    s.on('end', () => finish(received.length === 0 ? 52 : received.subarray(0, 5).toString('latin1') === 'HTTP/' ? 0 : 1))
  })
}

/**
 * Sends `curl http://127.0.0.1:port/` (the real curl when installed), as an actor named `curl`
 * so the tap labels its connection, and logs a `curl` sample with the outcome.
 */
export async function curlAt(ctx: SceneContext, port: number, subject: string, maxTimeS = 5): Promise<CurlResult> {
  const actor = ctx.node({ node: 'curl', label: 'curl' }, 'client')
  let result: CurlResult | 'missing' | 'bind' = 'bind'
  for (let attempt = 0; attempt < 3 && result === 'bind'; attempt++) {
    const local = await freePort()
    const release = ctx.claim('tcp', local, actor)
    try {
      result = await runReal(port, local, maxTimeS)
      if (result === 'missing') result = await runFromSocket(port, local, maxTimeS)
    } finally {
      release()
    }
  }
  const r: CurlResult = result === 'bind' ? { exit: 45, message: 'curl: (45) bind failed', ms: 0, received: 0, tool: 'curl' } : result
  ctx.session.append({
    kind: 'sample',
    series: 'curl',
    subject,
    values: { port, exit: r.exit, message: r.message, ms: Math.round(r.ms), received: r.received, tool: r.tool },
    source: r.tool === 'curl' ? 'curl' : 'curl request sent from a socket (curl is not installed)'
  })
  return r
}

/** How curl's outcome reads to people. */
export function curlExplained(r: CurlResult): Localized {
  const secs = (r.ms / 1000).toFixed(2)
  switch (r.exit) {
    case 52:
      return {
        en: `${r.message} after ${secs} s: the server read the request, rejected it and closed the connection without a byte.`,
        pt: `${r.message} após ${secs} s: o servidor leu a requisição, a rejeitou e fechou a conexão sem enviar um byte.`
      }
    case 28:
      return {
        en: `${r.message}: the server is still waiting for the rest of a "message" that will never come.`,
        pt: `${r.message}: o servidor continua esperando o resto de uma "mensagem" que nunca virá.`
      }
    case 1:
      return {
        en: `${r.message} after ${secs} s: the server answered ${r.received || 'some'} bytes that are not HTTP — the binary "garbage".`,
        pt: `${r.message} após ${secs} s: o servidor respondeu ${r.received || 'alguns'} bytes que não são HTTP — o "lixo" binário.`
      }
    default:
      return { en: `${r.message} after ${secs} s.`, pt: `${r.message} após ${secs} s.` }
  }
}
