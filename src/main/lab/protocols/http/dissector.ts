// HTTP/1.1 (`http`): request and status lines, each header, the body (Content-Length, chunked
// transfer coding, or until the connection closes) and JSON bodies as a field tree. Several
// requests on one keep-alive connection come out as several PDUs; responses are paired with the
// request they answer (`keys.index`), which also tells whether a response can have a body (HEAD).
import type { Direction, Field } from '../../../../shared/events'
import { field, malformedPdu, printable, utf8 } from '../../dissect/fields'
import { registerDissector } from '../../dissect/registry'
import type { DissectorDef, PduDraft, StreamDissector } from '../../dissect/types'
import { isJsonType, jsonFields } from './json-tree'

/** Longest head (start line + headers) accepted before the bytes are flagged. */
export const MAX_HEAD = 64 * 1024
const METHODS = /^(GET|HEAD|POST|PUT|DELETE|PATCH|OPTIONS|CONNECT|TRACE|PRI)$/

interface Head {
  /** Bytes up to and including the blank line. */
  length: number
  startLine: string
  /** Byte length of the start line (CRLF excluded). */
  lineBytes: number
  headers: { name: string; value: string; start: number; end: number; nameEnd: number; valueStart: number }[]
}

function indexOfCrlfCrlf(buf: Uint8Array, from = 0): number {
  for (let i = from; i + 3 < buf.length; i++) {
    if (buf[i] === 0x0d && buf[i + 1] === 0x0a && buf[i + 2] === 0x0d && buf[i + 3] === 0x0a) return i
  }
  return -1
}

function indexOfCrlf(buf: Uint8Array, from: number): number {
  for (let i = from; i + 1 < buf.length; i++) if (buf[i] === 0x0d && buf[i + 1] === 0x0a) return i
  return -1
}

function parseHead(buf: Uint8Array): Head | 'more' {
  const blank = indexOfCrlfCrlf(buf)
  if (blank < 0) {
    if (buf.length > MAX_HEAD) throw new Error(`no end of headers (CRLF CRLF) in ${buf.length} bytes`)
    return 'more'
  }
  const firstEnd = indexOfCrlf(buf, 0)
  const startLine = utf8(buf.subarray(0, firstEnd))
  const headers: Head['headers'] = []
  let at = firstEnd + 2
  while (at < blank + 2) {
    const end = indexOfCrlf(buf, at)
    const line = buf.subarray(at, end)
    const colon = line.indexOf(0x3a)
    if (colon <= 0) throw new Error(`header line without "name:" at byte ${at}`)
    let valueStart = colon + 1
    while (valueStart < line.length && (line[valueStart] === 0x20 || line[valueStart] === 0x09)) valueStart++
    headers.push({
      name: utf8(line.subarray(0, colon)),
      value: utf8(line.subarray(valueStart)).trim(),
      start: at,
      end: end + 2,
      nameEnd: at + colon,
      valueStart: at + valueStart
    })
    at = end + 2
  }
  return { length: blank + 4, startLine, lineBytes: firstEnd, headers }
}

const header = (h: Head, name: string): string | undefined =>
  h.headers.find((x) => x.name.toLowerCase() === name)?.value

interface Chunk {
  sizeStart: number
  sizeEnd: number // end of the size line, CRLF included
  size: number
  dataEnd: number // end of the data, CRLF excluded
  end: number // after the CRLF
}

/** Walks chunked coding from `start`; returns the chunks and where the message ends, or 'more'. */
function walkChunks(buf: Uint8Array, start: number): { chunks: Chunk[]; trailerEnd: number; end: number } | 'more' {
  const chunks: Chunk[] = []
  let at = start
  for (;;) {
    const lineEnd = indexOfCrlf(buf, at)
    if (lineEnd < 0) {
      if (buf.length - at > 1024) throw new Error(`chunk size line too long at byte ${at}`)
      return 'more'
    }
    const sizeText = utf8(buf.subarray(at, lineEnd)).split(';')[0].trim()
    if (!/^[0-9a-fA-F]{1,8}$/.test(sizeText)) throw new Error(`bad chunk size "${printable(buf.subarray(at, lineEnd), 20)}" at byte ${at}`)
    const size = parseInt(sizeText, 16)
    if (size === 0) {
      // Trailer section: header lines until an empty line.
      let t = lineEnd + 2
      for (;;) {
        const e = indexOfCrlf(buf, t)
        if (e < 0) return 'more'
        if (e === t) {
          chunks.push({ sizeStart: at, sizeEnd: lineEnd + 2, size: 0, dataEnd: lineEnd + 2, end: lineEnd + 2 })
          return { chunks, trailerEnd: e + 2, end: e + 2 }
        }
        t = e + 2
      }
    }
    const dataEnd = lineEnd + 2 + size
    if (buf.length < dataEnd + 2) return 'more'
    if (buf[dataEnd] !== 0x0d || buf[dataEnd + 1] !== 0x0a) throw new Error(`chunk data not followed by CRLF at byte ${dataEnd}`)
    chunks.push({ sizeStart: at, sizeEnd: lineEnd + 2, size, dataEnd, end: dataEnd + 2 })
    at = dataEnd + 2
  }
}

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

function bodyKind(h: Head, dir: Direction, status: number, requestMethod: string | undefined): BodyKind {
  if (dir === 's2c') {
    if (requestMethod === 'HEAD' || (status >= 100 && status < 200) || status === 204 || status === 304) return { kind: 'none' }
  }
  const te = header(h, 'transfer-encoding')
  if (te && /chunked\s*$/i.test(te)) return { kind: 'chunked' }
  const cl = header(h, 'content-length')
  if (cl !== undefined) {
    if (!/^\d{1,15}$/.test(cl.trim())) throw new Error(`bad Content-Length "${cl}"`)
    return { kind: 'length', length: Number(cl.trim()) }
  }
  return dir === 'c2s' ? { kind: 'none' } : { kind: 'close' }
}

function bodyFields(body: Uint8Array, base: number, contentType: string | undefined, label: string): Field {
  const children: Field[] = []
  const looksJson = isJsonType(contentType) || (!contentType && /^\s*[[{]/.test(utf8(body.subarray(0, 16))))
  if (looksJson && body.length > 0) {
    try {
      children.push(jsonFields(body, base, 'JSON'))
    } catch (err) {
      children.push(field('JSON', base, base + body.length, `not valid JSON: ${(err as Error).message}`, { id: 'json', malformed: (err as Error).message }))
    }
  } else if (body.length > 0) {
    children.push(field('Text', base, base + body.length, JSON.stringify(printable(body, 300)), { id: 'http.file_data.text' }))
  }
  return field(label, base, base + body.length, `${body.length} byte${body.length === 1 ? '' : 's'}${contentType ? ` (${contentType})` : ''}`, {
    id: 'http.file_data',
    children
  })
}

function describe(pdu: Uint8Array, dir: Direction, h: Head, body: BodyKind, state: State, complete: boolean): Omit<PduDraft, 'dir' | 'data' | 'offset' | 'protocol'> {
  const fields: Field[] = []
  const keys: Record<string, string | number | boolean> = {}
  const lineBytes = h.lineBytes
  // Positions of the first two spaces, in bytes: the start line's three parts.
  const sp1 = pdu.subarray(0, lineBytes).indexOf(0x20)
  const sp2 = sp1 < 0 ? -1 : pdu.subarray(0, lineBytes).indexOf(0x20, sp1 + 1)
  const parts = h.startLine.split(' ')
  let summary: string
  if (dir === 'c2s') {
    const [method, target, version] = [parts[0] ?? '', parts[1] ?? '', parts.slice(2).join(' ')]
    if (!METHODS.test(method) || !/^HTTP\/\d\.\d$/.test(version) || sp2 < 0) throw new Error(`not an HTTP request line: "${printable(pdu.subarray(0, lineBytes), 60)}"`)
    const mEnd = sp1
    const tEnd = sp2
    fields.push(
      field('Request line', 0, lineBytes + 2, h.startLine, {
        id: 'http.request.line',
        children: [
          field('Method', 0, mEnd, method, { id: 'http.request.method' }),
          field('Request target', mEnd + 1, tEnd, target, { id: 'http.request.uri' }),
          field('Version', tEnd + 1, lineBytes, version, { id: 'http.request.version' })
        ]
      })
    )
    state.requestCount++
    const index = state.requestCount
    state.requests.push({ method, index })
    keys.method = method
    keys.path = target
    keys.index = index
    summary = `${method} ${target} ${version}`
  } else {
    const [version, code, ...rest] = parts
    const reason = rest.join(' ')
    if (!/^HTTP\/\d\.\d$/.test(version ?? '') || !/^\d{3}$/.test(code ?? '') || sp1 !== version.length) throw new Error(`not an HTTP status line: "${printable(pdu.subarray(0, lineBytes), 60)}"`)
    const vEnd = sp1
    fields.push(
      field('Status line', 0, lineBytes + 2, h.startLine, {
        id: 'http.response.line',
        children: [
          field('Version', 0, vEnd, version, { id: 'http.response.version' }),
          field('Status code', vEnd + 1, Math.min(vEnd + 4, lineBytes), code, { id: 'http.response.code' }),
          field('Reason phrase', Math.min(vEnd + 5, lineBytes), lineBytes, reason, { id: 'http.response.phrase' })
        ]
      })
    )
    const status = Number(code)
    keys.status = status
    if (status >= 200 || status === 101) {
      state.responseCount++
      const req = state.requests.shift()
      keys.index = req?.index ?? state.responseCount
      if (req) keys.method = req.method
    }
    summary = `${version} ${code} ${reason}`
  }
  const headerFields = h.headers.map((x) =>
    field(x.name, x.start, x.end, x.value, {
      id: `http.header`,
      children: [
        field('Name', x.start, x.nameEnd, x.name, { id: 'http.header.name' }),
        field('Value', x.valueStart, Math.max(x.valueStart, x.end - 2), x.value, { id: 'http.header.value' })
      ]
    })
  )
  fields.push(field('Headers', lineBytes + 2, h.length, `${h.headers.length} header${h.headers.length === 1 ? '' : 's'}`, { id: 'http.headers', children: [...headerFields, field('End of headers (CRLF)', h.length - 2, h.length, '\\r\\n', { id: 'http.headers.end' })] }))
  const contentType = header(h, 'content-type')
  if (body.kind === 'chunked') {
    const walked = walkChunks(pdu, h.length)
    if (walked === 'more') throw new Error('chunked body ended early')
    const parts: Uint8Array[] = []
    const chunkFields: Field[] = walked.chunks.map((c, n) => {
      const data = pdu.subarray(c.sizeEnd, c.dataEnd)
      if (c.size > 0) parts.push(data)
      const children: Field[] = [field('Chunk size', c.sizeStart, c.sizeEnd, `${c.size} (0x${c.size.toString(16)})`, { id: 'http.chunk_size' })]
      if (c.size > 0) {
        children.push(field('Chunk data', c.sizeEnd, c.dataEnd, `${c.size} bytes: "${printable(data, 40)}"`, { id: 'http.chunk_data' }))
        children.push(field('CRLF', c.dataEnd, c.end, '\\r\\n', { id: 'http.chunk_crlf' }))
      }
      return field(c.size === 0 ? 'Last chunk' : `Chunk ${n + 1}`, c.sizeStart, c.size === 0 ? walked.trailerEnd : c.end, c.size === 0 ? 'size 0: end of body' : `${c.size} bytes`, { id: 'http.chunk', children })
    })
    const total = parts.reduce((n, p) => n + p.length, 0)
    const joined = new Uint8Array(total)
    let at = 0
    for (const p of parts) {
      joined.set(p, at)
      at += p.length
    }
    const bodyField = field('Chunked body', h.length, walked.end, `${walked.chunks.length} chunk${walked.chunks.length === 1 ? '' : 's'}, ${total} bytes of data`, { id: 'http.chunked', children: chunkFields })
    fields.push(bodyField)
    // The de-chunked data, decoded: its ranges are not contiguous in the stream, so only the
    // single-chunk case gets a JSON tree with byte ranges.
    if (parts.length === 1) {
      const only = walked.chunks.find((c) => c.size > 0)
      if (only) bodyField.children?.push(bodyFields(parts[0], only.sizeEnd, contentType, 'Body (de-chunked)'))
    } else if (total > 0) {
      bodyField.children?.push(field('Body (de-chunked)', h.length, walked.end, JSON.stringify(printable(joined, 300)), { id: 'http.file_data' }))
    }
    keys.chunked = true
    keys.bodyLength = total
  } else if (pdu.length > h.length || body.kind === 'length') {
    fields.push(bodyFields(pdu.subarray(h.length), h.length, contentType, 'Body'))
    keys.bodyLength = pdu.length - h.length
  }
  if (!complete) summary += ' (body cut short by the end of the connection)'
  return { summary, fields, keys }
}

interface DirState {
  buf: Uint8Array
  offset: number
  dead: boolean
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b
  const out = new Uint8Array(a.length + b.length)
  out.set(a)
  out.set(b, a.length)
  return out
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
      return malformedPdu('http', dir, bytes, at, (err as Error).message)
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
      let head: Head | 'more'
      try {
        head = parseHead(s.buf)
      } catch (err) {
        s.dead = true
        const at = s.offset
        out.push(malformedPdu('http', dir, take(s, s.buf.length), at, (err as Error).message))
        break
      }
      if (head === 'more') {
        if (final) {
          const at = s.offset
          out.push(malformedPdu('http', dir, take(s, s.buf.length), at, 'truncated: the connection ended inside the headers'))
        }
        break
      }
      const parts = head.startLine.split(' ')
      const status = dir === 's2c' ? Number(parts[1]) : 0
      let body: BodyKind
      try {
        body = bodyKind(head, dir, status, dir === 's2c' ? state.requests[0]?.method : undefined)
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
      s.buf = concat(s.buf, chunk)
      return drain(dir, false)
    },
    end(dir) {
      return drain(dir, true)
    }
  }
}

export const httpDissector: DissectorDef = registerDissector({
  id: 'http',
  name: 'HTTP/1.1',
  transport: 'tcp',
  create: createHttpDissector
})
