// Server-Sent Events over HTTP/1.1: the request (with Accept: text/event-stream and, on
// reconnection, Last-Event-ID), the response head, then a body the server keeps writing. The body
// is unframed as HTTP does it (chunked transfer coding, Content-Length, or until the connection
// closes) and, when it is text/event-stream, each piece is split into data:, event:, id:, retry:
// and comment lines with byte ranges.
import type { Direction, Field } from '../../../../shared/events'
import { field, printable } from '../../dissect/fields'
import { HTTP_FIELDS } from '../../../../shared/protocols/http'
import { handOff } from '../../dissect/chain'
import { framed, type Decoded, type LengthResult } from '../../dissect/reassembly'
import type { DissectorDef, PduDraft, StreamDissector } from '../../dissect/types'
import { chunkParts, couldBeHttp, header, headEnd, headText, http1Score, parseHead, readChunk } from '../common/http1'
import { SseAccumulator, splitLines, type SseLine } from './event-stream'
import { SSE_FIELDS as F } from '../../../../shared/protocols/sse'
import type { HttpKeys } from '../../../../shared/protocols/http'
import type { SseKeys } from '../../../../shared/protocols/sse'

const MAX_HEAD = 16 * 1024

type Body = { kind: 'none' } | { kind: 'length'; remaining: number } | { kind: 'chunked' } | { kind: 'close' }

interface DirState {
  phase: 'head' | 'body'
  body: Body
  eventStream: boolean
  /** Bytes of an SSE line cut by a chunk boundary, waiting for the rest. */
  partial: Uint8Array
  acc: SseAccumulator
  chunks: number
}

interface SseState {
  dirs: Record<Direction, DirState>
  /** Whether the last request was HEAD (its response has no body). */
  lastMethod: string
}

const newDir = (): DirState => ({
  phase: 'head',
  body: { kind: 'none' },
  eventStream: false,
  partial: new Uint8Array(0),
  acc: new SseAccumulator(),
  chunks: 0
})

/** Length of a chunk ("size CRLF data CRLF", or the last chunk with its trailers) at the start of `buf`. */
function chunkLength(buf: Uint8Array): LengthResult {
  const c = readChunk(buf, 0)
  return c === 'more' ? 'more' : c.end
}

function lineFields(lines: SseLine[], delta: number): Field[] {
  return lines.map((l) => {
    const s = l.start + delta
    const e = l.end + delta
    const vs = l.valueStart + delta
    const ve = l.valueEnd + delta
    switch (l.kind) {
      case 'blank':
        return field('Blank line (dispatch the event)', s, e, '', { id: F.dispatch })
      case 'comment':
        return field('Comment (heartbeat)', s, e, JSON.stringify(l.value), {
          id: F.comment,
          children: [field('Text', vs, ve, l.value)]
        })
      case 'other':
        return field(`Unknown field "${l.name}"`, s, e, l.value, { id: F.other })
      default:
        return field(`${l.kind}:`, s, e, l.value, {
          id: `sse.${l.kind}`,
          children: [field('Field name', s, s + l.kind.length, l.kind), field('Value', vs, ve, l.value)]
        })
    }
  })
}

/** Token text inside an OpenAI-style chat completion chunk, if the data is one. */
export function tokenOf(data: string): string | undefined {
  if (!data.startsWith('{')) return undefined
  try {
    const j = JSON.parse(data) as { choices?: { delta?: { content?: unknown } }[] }
    const c = j.choices?.[0]?.delta?.content
    return typeof c === 'string' ? c : undefined
  } catch {
    return undefined
  }
}

/** Parses event-stream bytes at `pdu[start, end)`, carrying partial lines across pieces. */
function eventStreamPiece(
  pdu: Uint8Array,
  start: number,
  end: number,
  d: DirState,
  keys: SseKeys
): { fields: Field[]; summary: string } {
  const piece = pdu.subarray(start, end)
  const carried = d.partial.length
  const joined = new Uint8Array(carried + piece.length)
  joined.set(d.partial)
  joined.set(piece, carried)
  const { lines, consumed } = splitLines(joined)
  const fields: Field[] = []
  const summaries: string[] = []
  let events = 0
  const shown: SseLine[] = []
  for (const l of lines) {
    const ev = d.acc.line(l)
    if (l.kind === 'comment') summaries.push(`: ${l.value}`)
    if (l.kind === 'retry') {
      keys.retry = Number(l.value)
      summaries.push(`retry: ${l.value}`)
    }
    if (ev) {
      events++
      keys.eventType = ev.type
      keys.data = ev.data
      if (ev.hasId) keys.id = ev.lastEventId
      const token = tokenOf(ev.data)
      if (token !== undefined) keys.token = token
      if (ev.data === '[DONE]') keys.done = true
      const shownData =
        token !== undefined
          ? `token ${JSON.stringify(token)}`
          : `data: ${ev.data.length > 60 ? ev.data.slice(0, 60) + '…' : ev.data}`
      summaries.push(
        `${ev.type !== 'message' ? `event: ${ev.type} ` : ''}${ev.hasId ? `id: ${ev.lastEventId} ` : ''}${shownData}`
      )
    }
    if (l.start >= carried) shown.push(l)
    else if (l.end > carried) {
      // The line began in an earlier piece: show the part in this one.
      fields.push(
        field(
          `…${l.kind === 'blank' ? 'end of line' : `${l.kind} line (continued)`}`,
          start,
          start + (l.end - carried),
          l.value
        )
      )
    }
  }
  fields.push(...lineFields(shown, start - carried))
  d.partial = joined.slice(consumed)
  const from = start + Math.max(0, consumed - carried)
  if (d.partial.length > 0 && from < end)
    fields.push(field('Line continues in the next piece', from, end, printable(pdu.subarray(from, end), 60)))
  keys.events = events
  return { fields, summary: summaries.join(' · ') || `${end - start} bytes of event stream` }
}

function decodeHead(pdu: Uint8Array, dir: Direction, state: SseState): Decoded {
  const head = parseHead(pdu)
  const d = state.dirs[dir]
  const keys: HttpKeys = {}
  const te = (header(head, 'transfer-encoding') ?? '').toLowerCase()
  const cl = header(head, 'content-length')
  const ctype = (header(head, 'content-type') ?? '').toLowerCase()
  d.eventStream = ctype.startsWith('text/event-stream')
  d.acc = new SseAccumulator()
  d.partial = new Uint8Array(0)
  d.chunks = 0
  if (head.kind === 'request') {
    state.lastMethod = head.method ?? ''
    keys.method = head.method ?? ''
    keys.target = head.target ?? ''
    const last = header(head, 'last-event-id')
    if (last !== undefined) keys.lastEventId = last
    if (header(head, 'accept')?.includes('text/event-stream')) keys.acceptsEventStream = true
    d.body = te.includes('chunked')
      ? { kind: 'chunked' }
      : cl && Number(cl) > 0
        ? { kind: 'length', remaining: Number(cl) }
        : { kind: 'none' }
  } else {
    keys.status = head.status ?? 0
    if (d.eventStream) keys.eventStream = true
    const noBody =
      state.lastMethod === 'HEAD' || head.status === 204 || head.status === 304 || (head.status ?? 0) < 200
    d.body = noBody
      ? { kind: 'none' }
      : te.includes('chunked')
        ? { kind: 'chunked' }
        : cl !== undefined
          ? Number(cl) > 0
            ? { kind: 'length', remaining: Number(cl) }
            : { kind: 'none' }
          : { kind: 'close' }
  }
  d.phase = d.body.kind === 'none' ? 'head' : 'body'
  const extra =
    keys.lastEventId !== undefined
      ? ` (Last-Event-ID: ${keys.lastEventId})`
      : d.eventStream
        ? ' (text/event-stream)'
        : ''
  return {
    protocol: 'http',
    summary: `${head.startLine}${extra}`,
    fields: head.fields,
    keys,
    ...(head.malformed ? { malformed: head.malformed } : {})
  }
}

function decodeBody(pdu: Uint8Array, dir: Direction, state: SseState): Decoded {
  const d = state.dirs[dir]
  const keys: SseKeys = {}
  const protocol = d.eventStream ? 'sse' : 'http'
  if (d.body.kind === 'chunked') {
    const c = readChunk(pdu, 0)
    if (c === 'more') throw new Error('incomplete chunk')
    if (c.size === 0) {
      d.phase = 'head'
      if (d.partial.length) keys.truncatedLine = true
      return {
        protocol: 'http',
        summary: 'Last chunk (0): the response is complete',
        fields: [
          ...chunkParts(pdu, c),
          field('End of chunked body', c.sizeEnd, pdu.length, '\\r\\n', { id: HTTP_FIELDS.chunkedTrailer })
        ],
        keys: { lastChunk: true }
      }
    }
    d.chunks++
    let inner: Field[]
    let summary: string
    const data = pdu.subarray(c.sizeEnd, c.dataEnd)
    if (d.eventStream) {
      const r = eventStreamPiece(pdu, c.sizeEnd, c.dataEnd, d, keys)
      inner = r.fields
      summary = r.summary
    } else {
      inner = [field('Text', c.sizeEnd, c.dataEnd, JSON.stringify(printable(data, 300)))]
      summary = `chunk: "${printable(data, 60)}"`
    }
    keys.chunk = d.chunks
    return { protocol, summary, fields: chunkParts(pdu, c, inner), keys }
  }
  if (d.body.kind === 'length') d.phase = 'head'
  if (d.eventStream) {
    const r = eventStreamPiece(pdu, 0, pdu.length, d, keys)
    return { protocol, summary: r.summary, fields: r.fields, keys }
  }
  const text = printable(pdu, 300)
  let json: Field[]
  try {
    const j = JSON.parse(new TextDecoder().decode(pdu)) as unknown
    json = [field('JSON', 0, pdu.length, JSON.stringify(j).slice(0, 300), { id: 'json' })]
    if (j && typeof j === 'object' && 'stream' in j) keys.stream = Boolean((j as { stream: unknown }).stream)
  } catch {
    json = []
  }
  return {
    protocol: 'http',
    summary: `Body: ${printable(pdu, 60)}`,
    fields: [field('Body', 0, pdu.length, JSON.stringify(text), { id: HTTP_FIELDS.fileData, children: json })],
    keys
  }
}

export function sseDissector(): StreamDissector {
  return framed<SseState>({
    protocol: 'sse',
    state: () => ({ dirs: { c2s: newDir(), s2c: newDir() }, lastMethod: '' }),
    pduLength(buf, dir, state) {
      const d = state.dirs[dir]
      if (d.phase === 'head') {
        if (!couldBeHttp(buf)) return { malformed: 'expected an HTTP request or response' }
        const end = headEnd(buf)
        if (end < 0)
          return buf.length > MAX_HEAD ? { malformed: `no end of HTTP head in ${buf.length} bytes` } : 'more'
        return end
      }
      if (d.body.kind === 'chunked') return chunkLength(buf)
      if (d.body.kind === 'length') return d.body.remaining
      // Until the connection closes: one PDU per complete event (ends with a blank line).
      if (d.eventStream) {
        for (let i = buf.length - 1; i >= 1; i--) {
          if (
            buf[i] === 0x0a &&
            (buf[i - 1] === 0x0a || (buf[i - 1] === 0x0d && i >= 2 && buf[i - 2] === 0x0a))
          )
            return i + 1
        }
        return 'more'
      }
      return buf.length
    },
    decode(pdu, dir, state) {
      return state.dirs[dir].phase === 'head' ? decodeHead(pdu, dir, state) : decodeBody(pdu, dir, state)
    },
    maxPdu: 4 * 1024 * 1024
  })
}

/**
 * The port serves both SSE and, for the comparison, the same feed over WebSocket: wait for the
 * first request head, then hand the whole connection to the SSE or the WebSocket dissector.
 */
export function sseOrWebSocket(): StreamDissector {
  let inner: StreamDissector | null = null
  const held: { dir: Direction; chunk: Uint8Array; offset: number }[] = []
  let c2s = new Uint8Array(0)
  const decide = (ws: boolean): PduDraft[] => {
    inner = ws ? handOff('websocket') : sseDissector()
    const out: PduDraft[] = []
    for (const h of held.splice(0)) out.push(...inner.push(h.dir, h.chunk, h.offset))
    return out
  }
  return {
    push(dir, chunk, offset) {
      if (inner) return inner.push(dir, chunk, offset)
      held.push({ dir, chunk, offset })
      if (dir === 'c2s') {
        const joined = new Uint8Array(c2s.length + chunk.length)
        joined.set(c2s)
        joined.set(chunk, c2s.length)
        c2s = joined
        const end = headEnd(c2s)
        if (end > 0)
          return decide(
            /\r\nupgrade:[ \t]*websocket[ \t]*\r\n/i.test(
              new TextDecoder('latin1').decode(c2s.subarray(0, end))
            )
          )
        if (c2s.length > MAX_HEAD || !couldBeHttp(c2s)) return decide(false)
      }
      return []
    },
    end(dir) {
      const out = inner ? [] : decide(false)
      return [...out, ...(inner?.end?.(dir) ?? [])]
    }
  }
}

/** A request that accepts text/event-stream (c2s) or a text/event-stream response (s2c). */
export function looksLikeSse(first: Uint8Array, dir: Direction): number {
  if (http1Score(first, dir) === 0) return 0
  const text = headText(first)
  if (text === null) return 0.3
  if (dir === 'c2s') return /\r\naccept:[^\r]*text\/event-stream/.test(text) ? 0.95 : 0.3
  return /\r\ncontent-type:[ \t]*text\/event-stream/.test(text) ? 0.95 : 0.3
}

export const sseDef: DissectorDef = {
  id: 'sse',
  name: 'HTTP/1.1 with Server-Sent Events (text/event-stream), or a WebSocket Upgrade',
  transport: 'tcp',
  ports: [8000],
  looksLike: looksLikeSse,
  create: sseOrWebSocket
}
