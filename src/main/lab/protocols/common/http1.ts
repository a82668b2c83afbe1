// HTTP/1.x framing, once for every protocol that starts as or carries HTTP/1.1 (REST, the WebSocket
// Upgrade, Server-Sent Events, HTTPS inside TLS): the message head (start line, header lines,
// blank line) as ONE field tree with byte ranges, the chunked transfer coding, and the heuristics
// that recognise a request or a response from its first bytes. Field ids: `HTTP_FIELDS` in
// src/shared/protocols/http.ts.
import type { Direction, Field, Malformed } from '../../../../shared/events'
import { HTTP_FIELDS as F } from '../../../../shared/protocols/http'
import { DissectError } from '../../dissect/error'
import { field, printable, utf8 } from '../../dissect/fields'

/** Longest head (start line + headers) accepted before the bytes are flagged. */
export const MAX_HEAD = 64 * 1024

export interface HeaderLine {
  name: string
  value: string
  /** The line, CRLF included. */
  start: number
  end: number
  nameEnd: number
  valueStart: number
}

export interface Head {
  /** Bytes up to and including the blank line. */
  length: number
  kind: 'request' | 'response'
  method?: string
  target?: string
  version: string
  status?: number
  reason?: string
  startLine: string
  /** Byte length of the start line (CRLF excluded). */
  lineBytes: number
  headers: HeaderLine[]
  /** The field tree of the head: start line, then `http.headers` with each header and the blank line. */
  fields: Field[]
  /** A header line that does not parse (the rest of the head still does). */
  malformed?: Malformed
}

/** A header's value (name case-insensitive); repeated headers joined with ", ". */
export function header(h: Pick<Head, 'headers'>, name: string): string | undefined {
  const lower = name.toLowerCase()
  const values = h.headers.filter((x) => x.name.toLowerCase() === lower).map((x) => x.value)
  return values.length ? values.join(', ') : undefined
}

/** The first `byte` in `buf[from, to)`, or -1 (without a view of the range). */
function indexOfByte(buf: Uint8Array, byte: number, from: number, to: number): number {
  for (let i = from; i < to; i++) if (buf[i] === byte) return i
  return -1
}

/** True when every byte is below 0x80. */
function isAscii(buf: Uint8Array): boolean {
  for (let i = 0; i < buf.length; i++) if (buf[i] > 0x7f) return false
  return true
}

function indexOfCrlf(buf: Uint8Array, from: number, to = buf.length): number {
  for (let i = from; i + 1 < to; i++) if (buf[i] === 0x0d && buf[i + 1] === 0x0a) return i
  return -1
}

/** Where the head ends (index just past CRLF CRLF), or -1 if it is not complete yet. */
export function headEnd(buf: Uint8Array, from = 0): number {
  for (let i = from + 3; i < buf.length; i++) {
    if (buf[i] === 0x0a && buf[i - 1] === 0x0d && buf[i - 2] === 0x0a && buf[i - 3] === 0x0d) return i + 1
  }
  return -1
}

/** True when `buf` could be the beginning of an HTTP/1.x head (early rejection of other bytes). */
export function couldBeHttp(buf: Uint8Array): boolean {
  const start = String.fromCharCode(...buf.subarray(0, 12))
  if ('HTTP/'.startsWith(start.slice(0, 5))) return start.length < 5 || /^HTTP\/[0-9]?/.test(start)
  return /^[A-Z]{1,10}( |$)/.test(start) || /^[A-Z]+$/.test(start)
}

const REQUEST_LINE = /^[A-Z][A-Z_-]{0,19} [!-~]+ HTTP\/1\.[01]\r?$/
const STATUS_LINE = /^HTTP\/1\.[01] [1-5]\d\d( |\r?$)/
const METHOD_PREFIX = /^(GET|HEAD|POST|PUT|DELETE|PATCH|OPTIONS|CONNECT|TRACE) /

/**
 * Heuristic for the first bytes of a connection: 0.9 for a whole HTTP/1.x request line (c2s) or
 * status line (s2c), 0.5 for the start of one that is not complete yet, 0 otherwise.
 */
export function http1Score(first: Uint8Array, dir: Direction): number {
  const nl = first.indexOf(0x0a)
  // apply() with the bytes, not a spread: a spread iterates the array (it showed in the profiles).
  const line = String.fromCharCode.apply(
    null,
    first.subarray(0, nl < 0 ? Math.min(first.length, 256) : Math.min(nl, 256)) as unknown as number[]
  )
  if (dir === 'c2s') {
    if (nl >= 0) return REQUEST_LINE.test(line) ? 0.9 : 0
    return METHOD_PREFIX.test(line) ? 0.5 : 0
  }
  if (nl >= 0) return STATUS_LINE.test(line) ? 0.9 : 0
  return /^HTTP\/1\.[01] \d/.test(line) ? 0.5 : 0
}

/** The head's header lines as text, lower-cased, when `first` holds a whole head (for heuristics). */
export function headText(first: Uint8Array): string | null {
  const end = headEnd(first)
  return end < 0 ? null : String.fromCharCode(...first.subarray(0, Math.min(end, 8192))).toLowerCase()
}

/**
 * Parses a complete head (`buf` must end with the blank line: pass `buf.subarray(0, headEnd(buf))`).
 * Throws a `DissectError` on a start line that is neither a request nor a status line.
 */
export function parseHead(buf: Uint8Array): Head {
  const lineBytes = indexOfCrlf(buf, 0)
  if (lineBytes < 0) throw new DissectError('head does not end with CRLF', 0, buf.length)
  // An ASCII head (nearly all) is decoded once: its strings are slices of that text, whose
  // indices are byte offsets. Any other byte: each string decoded from its own bytes.
  const text = isAscii(buf) ? utf8(buf) : undefined
  const startLine = text !== undefined ? text.slice(0, lineBytes) : utf8(buf.subarray(0, lineBytes))
  const sp1 = indexOfByte(buf, 0x20, 0, lineBytes)
  const sp2 = sp1 < 0 ? -1 : indexOfByte(buf, 0x20, sp1 + 1, lineBytes)
  const parts = startLine.split(' ')
  const fields: Field[] = []
  let head: Pick<Head, 'kind' | 'method' | 'target' | 'version' | 'status' | 'reason'>
  if (startLine.startsWith('HTTP/')) {
    const [version, code, ...rest] = parts
    const reason = rest.join(' ')
    if (!/^HTTP\/\d\.\d$/.test(version ?? '') || !/^\d{3}$/.test(code ?? '') || sp1 !== version.length)
      throw new DissectError(
        `not an HTTP status line: "${printable(buf.subarray(0, lineBytes), 60)}"`,
        0,
        lineBytes
      )
    head = { kind: 'response', version, status: Number(code), reason }
    fields.push(
      field('Status line', 0, lineBytes + 2, startLine, {
        id: F.responseLine,
        children: [
          field('Version', 0, sp1, version, { id: F.responseVersion }),
          field('Status code', sp1 + 1, Math.min(sp1 + 4, lineBytes), code, { id: F.responseCode }),
          field('Reason phrase', Math.min(sp1 + 5, lineBytes), lineBytes, reason, { id: F.responsePhrase })
        ]
      })
    )
  } else {
    const [method, target, version] = [parts[0] ?? '', parts[1] ?? '', parts.slice(2).join(' ')]
    if (!/^[A-Z][A-Z_-]{0,19}$/.test(method) || !/^HTTP\/\d\.\d$/.test(version) || sp2 < 0)
      throw new DissectError(
        `not an HTTP request line: "${printable(buf.subarray(0, lineBytes), 60)}"`,
        0,
        lineBytes
      )
    head = { kind: 'request', method, target, version }
    fields.push(
      field('Request line', 0, lineBytes + 2, startLine, {
        id: F.requestLine,
        children: [
          field('Method', 0, sp1, method, { id: F.requestMethod }),
          field('Request target', sp1 + 1, sp2, target, { id: F.requestUri }),
          field('Version', sp2 + 1, lineBytes, version, { id: F.requestVersion })
        ]
      })
    )
  }
  const headers: HeaderLine[] = []
  const headerFields: Field[] = []
  let malformed: Malformed | undefined
  let at = lineBytes + 2
  for (;;) {
    const end = indexOfCrlf(buf, at)
    if (end < 0) throw new DissectError('head does not end with CRLF CRLF', at, buf.length)
    if (end === at) {
      headerFields.push(field('End of headers (CRLF)', at, at + 2, '\\r\\n', { id: F.headersEnd }))
      at += 2
      break
    }
    const colon = indexOfByte(buf, 0x3a, at, end)
    if (colon <= at) {
      const reason = 'header line without "name:"'
      malformed ??= { reason, start: at, end: end + 2 }
      headerFields.push(
        field('Header (malformed)', at, end + 2, printable(buf.subarray(at, end), 60), {
          id: F.header,
          malformed: reason
        })
      )
      at = end + 2
      continue
    }
    let valueStart = colon + 1
    while (valueStart < end && (buf[valueStart] === 0x20 || buf[valueStart] === 0x09)) valueStart++
    const h: HeaderLine = {
      name: text !== undefined ? text.slice(at, colon) : utf8(buf.subarray(at, colon)),
      value: (text !== undefined ? text.slice(valueStart, end) : utf8(buf.subarray(valueStart, end))).trim(),
      start: at,
      end: end + 2,
      nameEnd: colon,
      valueStart
    }
    headers.push(h)
    headerFields.push(
      field(h.name, h.start, h.end, h.value, {
        id: F.header,
        children: [
          field('Name', h.start, h.nameEnd, h.name, { id: F.headerName }),
          field('Value', h.valueStart, Math.max(h.valueStart, h.end - 2), h.value, { id: F.headerValue })
        ]
      })
    )
    at = end + 2
  }
  fields.push(
    field('Headers', lineBytes + 2, at, `${headers.length} header${headers.length === 1 ? '' : 's'}`, {
      id: F.headers,
      children: headerFields
    })
  )
  // Object.assign rather than a spread followed by more keys (V8's slow path): the same object.
  return Object.assign({}, head, { length: at, startLine, lineBytes, headers, fields, ...(malformed ? { malformed } : {}) })
}

// ---------------------------------------------------------------------------------------------
// Chunked transfer coding (RFC 9112 §7.1)

export interface Chunk {
  /** Start of the size line. */
  start: number
  /** End of the size line, CRLF included (where the data starts). */
  sizeEnd: number
  size: number
  /** End of the data (CRLF excluded); for the last chunk, `sizeEnd`. */
  dataEnd: number
  /** After the CRLF; for the last chunk (size 0), after the trailer section and its blank line. */
  end: number
}

/**
 * The chunk at `at`: its size line, data and CRLF, or for the last chunk (size 0) the trailer
 * section up to the blank line. 'more' when incomplete; a `DissectError` on a bad size line or a
 * missing CRLF.
 */
export function readChunk(buf: Uint8Array, at: number): Chunk | 'more' {
  const lineEnd = indexOfCrlf(buf, at)
  if (lineEnd < 0) {
    if (buf.length - at > 1024)
      throw new DissectError(`chunk size line too long at byte ${at}`, at, buf.length)
    return 'more'
  }
  const sizeText = utf8(buf.subarray(at, lineEnd)).split(';')[0].trim()
  if (!/^[0-9a-fA-F]{1,8}$/.test(sizeText))
    throw new DissectError(
      `bad chunk size "${printable(buf.subarray(at, lineEnd), 20)}" at byte ${at}`,
      at,
      lineEnd + 2
    )
  const size = parseInt(sizeText, 16)
  const sizeEnd = lineEnd + 2
  if (size === 0) {
    // Trailer section: header lines until an empty line.
    for (let t = sizeEnd; ;) {
      const e = indexOfCrlf(buf, t)
      if (e < 0) return 'more'
      if (e === t) return { start: at, sizeEnd, size: 0, dataEnd: sizeEnd, end: e + 2 }
      t = e + 2
    }
  }
  const dataEnd = sizeEnd + size
  if (buf.length < dataEnd + 2) return 'more'
  if (buf[dataEnd] !== 0x0d || buf[dataEnd + 1] !== 0x0a)
    throw new DissectError(
      `chunk data not followed by CRLF at byte ${dataEnd}`,
      dataEnd,
      Math.min(buf.length, dataEnd + 2)
    )
  return { start: at, sizeEnd, size, dataEnd, end: dataEnd + 2 }
}

/** Every chunk of a chunked body starting at `start`, through the last one, or 'more'. */
export function walkChunks(buf: Uint8Array, start: number): { chunks: Chunk[]; end: number } | 'more' {
  const chunks: Chunk[] = []
  for (let at = start; ;) {
    const c = readChunk(buf, at)
    if (c === 'more') return 'more'
    chunks.push(c)
    if (c.size === 0) return { chunks, end: c.end }
    at = c.end
  }
}

/** A chunk's size line, data and CRLF as fields (the data's children, if any, go under it). */
export function chunkParts(buf: Uint8Array, c: Chunk, dataChildren?: Field[]): Field[] {
  const parts: Field[] = [
    field('Chunk size', c.start, c.sizeEnd, `${c.size} (0x${c.size.toString(16)})`, { id: F.chunkSize })
  ]
  if (c.size > 0) {
    const data = buf.subarray(c.sizeEnd, c.dataEnd)
    parts.push(
      field('Chunk data', c.sizeEnd, c.dataEnd, `${c.size} bytes: "${printable(data, 40)}"`, {
        id: F.chunkData,
        ...(dataChildren ? { children: dataChildren } : {})
      }),
      field('CRLF', c.dataEnd, c.end, '\\r\\n', { id: F.chunkCrlf })
    )
  }
  return parts
}
