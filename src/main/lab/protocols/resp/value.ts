// One RESP value at a position in a buffer, with the byte ranges of its parts: type byte, header
// line, bulk data, the elements of aggregates (RESP2 arrays; RESP3 maps, sets, pushes, attributes,
// streamed strings and aggregates). `Incomplete` means "wait for more bytes"; a `DissectError` says
// what Redis itself would refuse, with the offending range.
import { RESP_TYPES } from '../../../../shared/protocols/resp'
import { DissectError } from '../common/reader'

export class Incomplete extends Error {
  constructor() {
    super('incomplete')
  }
}

export interface RespNode {
  /** The type byte (`*`, `$`, `%`…) or `inline`. */
  type: string
  start: number
  end: number
  /** End of the header line, CRLF included. */
  headerEnd: number
  /** The header line's text after the type byte (`3` in `*3`, `OK` in `+OK`). */
  head: string
  /** Bulk data (`$`, `!`, `=`, `;`). */
  data?: { start: number; end: number }
  /** Declared length / element count; -1 for RESP2 nulls; undefined when streamed. */
  count?: number
  items?: RespNode[]
  /** A RESP3 attribute (`|`) sent just before this value. */
  attribute?: RespNode
  /** Streamed (`$?`, `*?`…): chunks / elements until the terminator. */
  streamed?: boolean
  /** Inline command words (plain text line) with their ranges. */
  words?: { text: string; start: number; end: number }[]
}

/** Redis' own limits (proto-max-bulk-len default, inline buffer, nesting). */
export const MAX_BULK = 512 * 1024 * 1024
export const MAX_INLINE = 64 * 1024
const MAX_DEPTH = 64
const AGGREGATES = new Set(['*', '%', '~', '>', '|'])

const latin1 = (buf: Uint8Array, start: number, end: number): string => {
  let s = ''
  for (let i = start; i < end; i++) s += String.fromCharCode(buf[i])
  return s
}

/** The line starting at `at` (after its type byte): text and the end after CRLF. */
function line(buf: Uint8Array, at: number, lineStart: number): { text: string; end: number } {
  const nl = buf.indexOf(0x0a, at)
  if (nl < 0) {
    if (buf.length - lineStart > MAX_INLINE) throw new DissectError(`Protocol error: no end of line in ${buf.length - lineStart} bytes`, lineStart, buf.length)
    throw new Incomplete()
  }
  if (nl === at || buf[nl - 1] !== 0x0d) throw new DissectError('Protocol error: a RESP line must end with CRLF (\\r\\n)', lineStart, nl + 1)
  return { text: latin1(buf, at, nl - 1), end: nl + 1 }
}

const integer = (text: string, start: number, end: number, what: string): number => {
  if (!/^-?\d{1,19}$/.test(text)) throw new DissectError(`Protocol error: invalid ${what} "${text.slice(0, 20)}"`, start, end)
  return Number(text)
}

/** Splits an inline command the way Redis does (sdssplitargs): spaces, "double" and 'single' quotes. */
function inlineWords(buf: Uint8Array, start: number, end: number): { text: string; start: number; end: number }[] {
  const out: { text: string; start: number; end: number }[] = []
  const utf8 = new TextDecoder()
  let i = start
  while (i < end) {
    while (i < end && (buf[i] === 0x20 || buf[i] === 0x09)) i++
    if (i >= end) break
    const ws = i
    const bytes: number[] = []
    const q = buf[i] === 0x22 || buf[i] === 0x27 ? buf[i] : 0
    if (q) {
      i++
      while (i < end && buf[i] !== q) {
        if (q === 0x22 && buf[i] === 0x5c && i + 1 < end) i++
        bytes.push(buf[i++])
      }
      if (i >= end) throw new DissectError('Protocol error: unbalanced quotes in request', ws, end)
      i++
      if (i < end && buf[i] !== 0x20 && buf[i] !== 0x09) throw new DissectError('Protocol error: unbalanced quotes in request', ws, end)
    } else {
      while (i < end && buf[i] !== 0x20 && buf[i] !== 0x09) bytes.push(buf[i++])
    }
    out.push({ text: utf8.decode(Uint8Array.from(bytes)), start: ws, end: i })
  }
  return out
}

/** A client's inline command: one text line ending in LF (CRLF or bare LF, as Redis accepts). */
export function parseInline(buf: Uint8Array, at: number): RespNode {
  const nl = buf.indexOf(0x0a, at)
  if (nl < 0) {
    if (buf.length - at > MAX_INLINE) throw new DissectError('Protocol error: too big inline request', at, buf.length)
    throw new Incomplete()
  }
  const textEnd = nl > at && buf[nl - 1] === 0x0d ? nl - 1 : nl
  return { type: 'inline', start: at, end: nl + 1, headerEnd: nl + 1, head: latin1(buf, at, textEnd), words: inlineWords(buf, at, textEnd) }
}

/**
 * Parses one value at `at`. `command` applies Redis' rules for what clients send (an array of bulk
 * strings); replies may use every type.
 */
export function parseValue(buf: Uint8Array, at: number, command = false, depth = 0): RespNode {
  if (at >= buf.length) throw new Incomplete()
  if (depth > MAX_DEPTH) throw new DissectError(`nested more than ${MAX_DEPTH} levels deep`, at, buf.length)
  const t = String.fromCharCode(buf[at])
  if (!(t in RESP_TYPES)) throw new DissectError(`Protocol error: unknown type byte '${t === '\0' ? '\\0' : t}' (0x${buf[at].toString(16).padStart(2, '0')})`, at, at + 1)
  const l = line(buf, at + 1, at)
  const node: RespNode = { type: t, start: at, end: l.end, headerEnd: l.end, head: l.text }
  if (t === '|') {
    const count = integer(l.text, at, l.end, 'attribute length')
    node.count = count
    node.items = aggregate(buf, l.end, count * 2, command, depth, node)
    const value = parseValue(buf, node.end, command, depth + 1)
    value.attribute = node
    return value
  }
  if (t === '$' || t === '!' || t === '=' || t === ';') {
    if (t === '$' && l.text === '?') {
      node.streamed = true
      node.items = []
      for (;;) {
        const chunk = parseValue(buf, node.end, command, depth + 1)
        if (chunk.type !== ';') throw new DissectError(`a streamed string continues with ';' chunks, got '${chunk.type}'`, chunk.start, chunk.start + 1)
        node.items.push(chunk)
        node.end = chunk.end
        if (chunk.count === 0) return node
      }
    }
    const len = integer(l.text, at, l.end, 'bulk length')
    node.count = len
    if (len === -1 && t === '$') return node
    if (len < 0 || len > MAX_BULK) throw new DissectError('Protocol error: invalid bulk length', at, l.end)
    if (buf.length < l.end + len + 2) throw new Incomplete()
    if (buf[l.end + len] !== 0x0d || buf[l.end + len + 1] !== 0x0a) throw new DissectError('Protocol error: bulk data must be followed by CRLF', l.end + len, l.end + len + 2)
    node.data = { start: l.end, end: l.end + len }
    node.end = l.end + len + 2
    return node
  }
  if (AGGREGATES.has(t)) {
    if (l.text === '?') {
      node.streamed = true
      node.items = []
      for (;;) {
        if (node.end >= buf.length) throw new Incomplete()
        if (buf[node.end] === 0x2e) {
          const end = line(buf, node.end + 1, node.end)
          node.items.push({ type: '.', start: node.end, end: end.end, headerEnd: end.end, head: end.text })
          node.end = end.end
          return node
        }
        const item = parseValue(buf, node.end, false, depth + 1)
        node.items.push(item)
        node.end = item.end
      }
    }
    const count = integer(l.text, at, l.end, command ? 'multibulk length' : 'aggregate length')
    node.count = count
    if (count === -1 && t === '*') return node
    if (count < 0 || count > 1024 * 1024 * 1024) throw new DissectError(`Protocol error: invalid ${command ? 'multibulk' : 'aggregate'} length`, at, l.end)
    node.items = aggregate(buf, l.end, t === '%' ? count * 2 : count, command, depth, node)
    return node
  }
  if (t === ':') integer(l.text, at, l.end, 'integer')
  if (t === '#' && l.text !== 't' && l.text !== 'f') throw new DissectError(`a boolean is #t or #f, got #${l.text}`, at, l.end)
  if (t === '_' && l.text !== '') throw new DissectError('a null is just _\\r\\n', at, l.end)
  return node
}

function aggregate(buf: Uint8Array, from: number, n: number, command: boolean, depth: number, node: RespNode): RespNode[] {
  const items: RespNode[] = []
  let at = from
  for (let i = 0; i < n; i++) {
    if (command && at < buf.length && buf[at] !== 0x24)
      throw new DissectError(`Protocol error: expected '$', got '${String.fromCharCode(buf[at])}'`, at, at + 1)
    const item = parseValue(buf, at, false, depth + 1)
    items.push(item)
    at = item.end
  }
  node.end = at
  return items
}
