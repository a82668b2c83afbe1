// An HTTP/1.x message head (start line + header lines + blank line) as fields with byte ranges.
// Used where a protocol begins as HTTP: the WebSocket Upgrade, Server-Sent Events, HTTPS inside TLS.
import type { Field } from '../../../../shared/events'
import { field, printable } from '../../dissect/fields'

export interface HttpHead {
  /** Bytes up to and including the blank line. */
  length: number
  kind: 'request' | 'response'
  method?: string
  target?: string
  version: string
  status?: number
  reason?: string
  /** Header names lower-cased; repeated headers joined with ", ". */
  headers: Map<string, string>
  fields: Field[]
  startLine: string
}

/** Where the head ends (index just past CRLFCRLF), or -1 if not yet complete. */
export function headEnd(buf: Uint8Array): number {
  for (let i = 3; i < buf.length; i++) {
    if (buf[i] === 0x0a && buf[i - 1] === 0x0d && buf[i - 2] === 0x0a && buf[i - 3] === 0x0d) return i + 1
  }
  return -1
}

/** True when `buf` could be the beginning of an HTTP/1.x head (for early rejection of garbage). */
export function looksLikeHttp(buf: Uint8Array): boolean {
  const start = String.fromCharCode(...buf.subarray(0, 12))
  if ('HTTP/'.startsWith(start.slice(0, 5))) return start.length < 5 || /^HTTP\/[0-9]?/.test(start)
  return /^[A-Z]{1,10}( |$)/.test(start) || /^[A-Z]+$/.test(start)
}

const latin1 = new TextDecoder('latin1')

/**
 * Parses a complete head (`buf` must end with the blank line). Throws on a malformed start line.
 * `prefix` is the protocol id used in field ids (`http`).
 */
export function parseHead(buf: Uint8Array, prefix = 'http'): HttpHead {
  const text = latin1.decode(buf)
  const lines: { text: string; start: number; end: number }[] = []
  let at = 0
  while (at < text.length) {
    const nl = text.indexOf('\r\n', at)
    if (nl < 0) throw new Error('head does not end with CRLF')
    lines.push({ text: text.slice(at, nl), start: at, end: nl + 2 })
    at = nl + 2
    if (nl === lines[lines.length - 1].start) break
  }
  if (lines.length < 2) throw new Error('empty HTTP head')
  const first = lines[0]
  const headers = new Map<string, string>()
  const fields: Field[] = []
  let head: Omit<HttpHead, 'headers' | 'fields' | 'length'>
  const resp = /^(HTTP\/\d\.\d) (\d{3})(?: (.*))?$/.exec(first.text)
  const req = /^([A-Z]+) (\S+) (HTTP\/\d\.\d)$/.exec(first.text)
  if (resp) {
    head = {
      kind: 'response',
      version: resp[1],
      status: Number(resp[2]),
      reason: resp[3] ?? '',
      startLine: first.text
    }
    const vEnd = first.start + resp[1].length
    fields.push(
      field('Status line', first.start, first.end, printable(buf.subarray(first.start, first.end - 2)), {
        id: `${prefix}.response.line`,
        children: [
          field('Version', first.start, vEnd, resp[1], { id: `${prefix}.response.version` }),
          field('Status code', vEnd + 1, vEnd + 4, resp[2], { id: `${prefix}.response.code` }),
          field('Reason phrase', Math.min(vEnd + 5, first.end - 2), first.end - 2, resp[3] ?? '', {
            id: `${prefix}.response.phrase`
          })
        ]
      })
    )
  } else if (req) {
    head = { kind: 'request', method: req[1], target: req[2], version: req[3], startLine: first.text }
    const mEnd = first.start + req[1].length
    const tEnd = mEnd + 1 + req[2].length
    fields.push(
      field('Request line', first.start, first.end, printable(buf.subarray(first.start, first.end - 2)), {
        id: `${prefix}.request.line`,
        children: [
          field('Method', first.start, mEnd, req[1], { id: `${prefix}.request.method` }),
          field('Target', mEnd + 1, tEnd, req[2], { id: `${prefix}.request.uri` }),
          field('Version', tEnd + 1, first.end - 2, req[3], { id: `${prefix}.request.version` })
        ]
      })
    )
  } else {
    throw new Error(
      `not an HTTP start line: "${printable(buf.subarray(first.start, Math.min(first.end, first.start + 60)))}"`
    )
  }
  for (const line of lines.slice(1)) {
    if (line.text === '') {
      fields.push(field('End of headers', line.start, line.end, '\\r\\n', { id: `${prefix}.end_of_headers` }))
      continue
    }
    const colon = line.text.indexOf(':')
    if (colon <= 0) {
      fields.push(
        field('Header (malformed)', line.start, line.end, printable(buf.subarray(line.start, line.end - 2)), {
          malformed: 'header line without a colon'
        })
      )
      continue
    }
    const name = line.text.slice(0, colon)
    const value = line.text.slice(colon + 1).trim()
    const key = name.toLowerCase()
    headers.set(key, headers.has(key) ? `${headers.get(key)}, ${value}` : value)
    fields.push(
      field(name, line.start, line.end, value, {
        id: `${prefix}.header.${key}`,
        children: [
          field('Name', line.start, line.start + colon, name),
          field(
            'Value',
            Math.min(
              line.end - 2,
              line.start +
                colon +
                1 +
                (line.text.length - colon - 1 - line.text.slice(colon + 1).trimStart().length)
            ),
            line.end - 2,
            value
          )
        ]
      })
    )
  }
  return { ...head, headers, fields, length: buf.length }
}
