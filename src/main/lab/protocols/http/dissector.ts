// HTTP/1.1 (`http`): request and status lines, each header, the body (Content-Length, chunked
// transfer coding, or until the connection closes) and JSON bodies as a field tree. Several
// requests on one keep-alive connection come out as several PDUs; responses are paired with the
// request they answer (`keys.index`), which also tells whether a response can have a body (HEAD).
import type { Direction } from '../../../../shared/events'
import type { HttpKeys } from '../../../../shared/protocols/http'
import { DissectError, reasonOf } from '../../dissect/error'
import { field, malformedPdu } from '../../dissect/fields'
import type { DissectorDef, PduDraft, StreamDissector } from '../../dissect/types'
import { MAX_HEAD, couldBeHttp, header, headEnd, http1Score, parseHead, walkChunks, type Head } from '../common/http1'
import { bodyOf, isChunked } from './message'
import { concatBytes } from '../../../../shared/bytes'

export { MAX_HEAD }

type BodyKind = { kind: 'none' } | { kind: 'length'; length: number } | { kind: 'chunked' } | { kind: 'close' }

interface Pending {
  method: string
  index: number
}

interface State {
  requests: Pending[]
  requestCount: number
  responseCount: number
  /** After a 101 or a CONNECT 2xx the bytes are another protocol. */
  tunnel: boolean
}

function bodyKind(h: Head, dir: Direction, requestMethod: string | undefined): BodyKind {
  if (dir === 's2c') {
    const status = h.status ?? 0
    if (requestMethod === 'HEAD' || (status >= 100 && status < 200) || status === 204 || status === 304) return { kind: 'none' }
  }
  if (isChunked(h)) return { kind: 'chunked' }
  const cl = header(h, 'content-length')
  if (cl !== undefined) {
    if (!/^\d{1,15}$/.test(cl.trim())) throw new Error(`bad Content-Length "${cl}"`)
    return { kind: 'length', length: Number(cl.trim()) }
  }
  return dir === 'c2s' ? { kind: 'none' } : { kind: 'close' }
}

/** Reads the head at the start of `buf`: null when it is not complete yet. */
function readHead(buf: Uint8Array, dir: Direction): Head | null {
  const end = headEnd(buf)
  if (end < 0) {
    if (buf.length > MAX_HEAD) throw new Error(`no end of headers (CRLF CRLF) in ${buf.length} bytes`)
    return null
  }
  const h = parseHead(buf.subarray(0, end))
  if (dir === 'c2s' && h.kind !== 'request') throw new DissectError(`not an HTTP request line: "${h.startLine.slice(0, 60)}"`, 0, h.lineBytes)
  if (dir === 's2c' && h.kind !== 'response') throw new DissectError(`not an HTTP status line: "${h.startLine.slice(0, 60)}"`, 0, h.lineBytes)
  return h
}

function describe(pdu: Uint8Array, dir: Direction, h: Head, body: BodyKind, state: State, complete: boolean): Omit<PduDraft, 'dir' | 'data' | 'offset' | 'protocol'> {
  const keys: HttpKeys = {}
  if (h.kind === 'request') {
    state.requestCount++
    const index = state.requestCount
    state.requests.push({ method: h.method ?? '', index })
    keys.method = h.method
    keys.path = h.target
    keys.index = index
  } else {
    const status = h.status ?? 0
    keys.status = status
    if (status >= 200 || status === 101) {
      state.responseCount++
      const req = state.requests.shift()
      keys.index = req?.index ?? state.responseCount
      if (req) keys.method = req.method
    }
  }
  const b = bodyOf(pdu, h, { withBody: body.kind === 'length' })
  if (b.chunked) keys.chunked = true
  if (b.bodyLength !== undefined) keys.bodyLength = b.bodyLength
  let summary = h.startLine
  if (!complete) summary += ' (body cut short by the end of the connection)'
  return { summary, fields: [...h.fields, ...b.fields], keys, ...(h.malformed ? { malformed: h.malformed } : {}) }
}

interface DirState {
  buf: Uint8Array
  offset: number
  dead: boolean
}

export function createHttpDissector(): StreamDissector {
  const state: State = { requests: [], requestCount: 0, responseCount: 0, tunnel: false }
  const dirs: Record<Direction, DirState> = {
    c2s: { buf: new Uint8Array(0), offset: 0, dead: false },
    s2c: { buf: new Uint8Array(0), offset: 0, dead: false }
  }

  const take = (s: DirState, n: number): Uint8Array => {
    const out = s.buf.slice(0, n)
    s.buf = s.buf.slice(n)
    s.offset += n
    return out
  }

  const emit = (dir: Direction, s: DirState, n: number, h: Head, body: BodyKind, complete: boolean): PduDraft => {
    const at = s.offset
    const bytes = take(s, n)
    try {
      const d = describe(bytes, dir, h, body, state, complete)
      if (dir === 's2c' && typeof d.keys?.status === 'number' && d.keys.status === 101) state.tunnel = true
      return {
        dir,
        protocol: 'http',
        data: bytes,
        offset: at,
        ...d,
        ...(complete ? {} : { malformed: { reason: 'body cut short by the end of the connection', start: h.length, end: bytes.length } })
      }
    } catch (err) {
      s.dead = true
      return malformedPdu('http', dir, bytes, at, reasonOf(err))
    }
  }

  const drain = (dir: Direction, final: boolean): PduDraft[] => {
    const s = dirs[dir]
    const out: PduDraft[] = []
    while (s.buf.length > 0) {
      if (s.dead || state.tunnel) {
        const at = s.offset
        const bytes = take(s, s.buf.length)
        if (state.tunnel && !s.dead) {
          out.push({ dir, protocol: 'http', summary: `${bytes.length} bytes after the protocol switch`, fields: [field('Data of the upgraded protocol', 0, bytes.length, `${bytes.length} bytes`, { id: 'http.upgraded' })], data: bytes, offset: at })
        } else out.push(malformedPdu('http', dir, bytes, at, 'not decoded: the stream lost HTTP framing earlier'))
        break
      }
      let head: Head | null
      try {
        head = readHead(s.buf, dir)
      } catch (err) {
        s.dead = true
        const at = s.offset
        out.push(malformedPdu('http', dir, take(s, s.buf.length), at, (err as Error).message))
        break
      }
      if (head === null) {
        if (final) {
          const at = s.offset
          out.push(malformedPdu('http', dir, take(s, s.buf.length), at, 'truncated: the connection ended inside the headers'))
        }
        break
      }
      let body: BodyKind
      try {
        body = bodyKind(head, dir, dir === 's2c' ? state.requests[0]?.method : undefined)
      } catch (err) {
        s.dead = true
        const at = s.offset
        out.push(malformedPdu('http', dir, take(s, s.buf.length), at, (err as Error).message))
        break
      }
      if (body.kind === 'none') {
        out.push(emit(dir, s, head.length, head, body, true))
        continue
      }
      if (body.kind === 'length') {
        const total = head.length + body.length
        if (s.buf.length >= total) {
          out.push(emit(dir, s, total, head, body, true))
          continue
        }
        if (final) out.push(emit(dir, s, s.buf.length, head, body, false))
        break
      }
      if (body.kind === 'chunked') {
        let walked: ReturnType<typeof walkChunks>
        try {
          walked = walkChunks(s.buf, head.length)
        } catch (err) {
          s.dead = true
          const at = s.offset
          out.push(malformedPdu('http', dir, take(s, s.buf.length), at, (err as Error).message))
          break
        }
        if (walked === 'more') {
          if (final) {
            const at = s.offset
            out.push(malformedPdu('http', dir, take(s, s.buf.length), at, 'truncated: the connection ended inside a chunked body'))
          }
          break
        }
        out.push(emit(dir, s, walked.end, head, body, true))
        continue
      }
      // Body until the connection closes.
      if (final) out.push(emit(dir, s, s.buf.length, head, body, true))
      break
    }
    return out
  }

  return {
    push(dir, chunk, offset) {
      const s = dirs[dir]
      if (s.buf.length === 0) s.offset = offset
      s.buf = concatBytes([s.buf, chunk])
      return drain(dir, false)
    },
    end(dir) {
      return drain(dir, true)
    }
  }
}

export const httpDissector: DissectorDef = {
  id: 'http',
  name: 'HTTP/1.1',
  transport: 'tcp',
  ports: [80, 8000, 8080],
  looksLike: (first, dir) => (couldBeHttp(first) ? http1Score(first, dir) : 0),
  create: createHttpDissector
}
