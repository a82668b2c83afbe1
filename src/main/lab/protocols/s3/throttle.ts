// S3 throttling, injected by the tap: while it is on, some GET/HEAD requests under a prefix are
// answered by the tap with what S3 itself sends when a prefix gets too many requests per second —
// `503 Slow Down` with the XML error code `SlowDown` (not 429) — and never reach the server. The
// client's SDK sees a real throttling answer and retries with backoff and jitter.
import { randomBytes } from 'node:crypto'
import type { TapInterceptor } from '../../tap/interceptor'

export interface ThrottlePolicy {
  on: boolean
  /** Only requests whose path starts with `/<bucket>/<prefix>`. */
  pathPrefix: string
  /** Throttle one request in `every` (counted across connections). */
  every: number
  /** How many times the same request (method, path, range) may be throttled before it passes. */
  maxPerRequest: number
  /** Requests answered 503 so far. */
  injected: number
}

export function newThrottlePolicy(pathPrefix: string): ThrottlePolicy {
  return { on: false, pathPrefix, every: 3, maxPerRequest: 1, injected: 0 }
}

const CRLF2 = Uint8Array.of(0x0d, 0x0a, 0x0d, 0x0a)
const indexOf = (buf: Uint8Array, pat: Uint8Array): number => Buffer.from(buf.buffer, buf.byteOffset, buf.length).indexOf(pat)
const safeDecode = (s: string): string => {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}
const concat = (a: Uint8Array, b: Uint8Array): Uint8Array => (a.length === 0 ? b : Buffer.concat([a, b]))

/**
 * What S3 answers when it throttles (the body as S3 writes it; the Server header says who sent it).
 * An answer to HEAD has no body, as HTTP requires: the 503 status alone tells the client.
 */
export function slowDownResponse(head = false): Uint8Array {
  const requestId = randomBytes(8).toString('hex').toUpperCase()
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message><RequestId>${requestId}</RequestId><HostId>wirelab-tap</HostId></Error>`
  const lines = [
    'HTTP/1.1 503 Slow Down',
    'Content-Type: application/xml',
    `Content-Length: ${head ? 0 : Buffer.byteLength(body)}`,
    `x-amz-request-id: ${requestId}`,
    'Server: Wirelab tap (injected: S3 throttling)',
    `Date: ${new Date().toUTCString()}`,
    '',
    ''
  ].join('\r\n')
  return new TextEncoder().encode(lines + (head ? '' : body))
}

/**
 * One connection's interceptor: splits the client's bytes into requests (head, then a body of
 * Content-Length bytes), forwards them, and answers throttled GET/HEAD requests itself.
 */
export function throttleInterceptor(policy: ThrottlePolicy, counter: { n: number; seen: Map<string, number> }): TapInterceptor {
  let head: Uint8Array = new Uint8Array(0)
  let bodyLeft = 0
  return {
    c2s(chunk) {
      const forward: Uint8Array[] = []
      const replies: Uint8Array[] = []
      let rest = chunk
      while (rest.length > 0) {
        if (bodyLeft > 0) {
          const n = Math.min(bodyLeft, rest.length)
          forward.push(rest.subarray(0, n))
          bodyLeft -= n
          rest = rest.subarray(n)
          continue
        }
        head = concat(head, rest)
        const end = indexOf(head, CRLF2)
        if (end < 0) {
          // Not a complete head yet; past 64 KB it is not HTTP we understand: pass it through.
          if (head.length > 64 * 1024) {
            forward.push(head)
            head = new Uint8Array(0)
          }
          break
        }
        const whole = head.subarray(0, end + 4)
        rest = head.subarray(end + 4)
        head = new Uint8Array(0)
        const lines = Buffer.from(whole).toString('latin1').split('\r\n')
        const [method = '', target = ''] = lines[0].split(' ')
        const header = (name: string): string | undefined =>
          lines.slice(1).find((l) => l.toLowerCase().startsWith(name + ':'))?.slice(name.length + 1).trim()
        bodyLeft = Number(header('content-length') ?? 0) || 0
        const id = `${method} ${target} ${header('range') ?? ''}`
        const candidate = policy.on && (method === 'GET' || method === 'HEAD') && safeDecode(target).startsWith(policy.pathPrefix)
        if (candidate && (counter.seen.get(id) ?? 0) < policy.maxPerRequest && ++counter.n % policy.every === 1 % policy.every) {
          counter.seen.set(id, (counter.seen.get(id) ?? 0) + 1)
          policy.injected++
          replies.push(slowDownResponse(method === 'HEAD'))
          continue
        }
        forward.push(whole)
      }
      return { forward: forward.length === 1 ? forward[0] : Buffer.concat(forward), ...(replies.length ? { reply: Buffer.concat(replies) } : {}) }
    }
  }
}
