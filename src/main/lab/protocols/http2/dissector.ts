// HTTP/2 (`http2`): the client's connection preface, then frames — the 9-byte header (length,
// type, each flag bit, the reserved bit, the stream id) and every frame type's payload, with
// HPACK header blocks decoded by one decoder per direction, fed in order. The dissector also
// follows flow control: each DATA frame lowers the connection and stream windows of its
// direction, each WINDOW_UPDATE raises them, and the PDUs carry the resulting windows as keys.
import type { Direction, Field } from '../../../../shared/events'
import { chain } from '../../dissect/chain'
import { field, hex, hexByte, printable } from '../../dissect/fields'
import { framed, type Decoded } from '../../dissect/reassembly'
import type { DissectorDef, PduDraft, StreamDissector } from '../../dissect/types'
import { DEFAULT_WINDOW, FRAME_FLAGS, PREFACE, SETTINGS, errorName, frameTypeName } from './frames'
import { HpackDecoder, type HpackResult } from './hpack'
import { HTTP2_FIELDS as F } from '../../../../shared/protocols/http2'
import type { PduKeys } from '../../../../shared/events'
import type { Http2Keys } from '../../../../shared/protocols/http2'
import { ByteReader } from '../common/reader'
import { branch, leaf, masked } from '../common/field-literals'

const other = (d: Direction): Direction => (d === 'c2s' ? 's2c' : 'c2s')

interface Windows {
  conn: number
  initial: number
  streams: Map<number, number>
}

interface State {
  preface: boolean
  hpack: Record<Direction, HpackDecoder>
  /** Flow-control windows of the data each direction sends. */
  windows: Record<Direction, Windows>
  /** Header block fragments waiting for END_HEADERS, per direction. */
  pending: Record<Direction, { streamId: number; fragments: Uint8Array[]; frames: number } | null>
  /** What the headers said of each stream, for the inner protocol of its DATA (`chain()`). */
  streams: Map<number, StreamInfo>
}

interface StreamInfo {
  path?: string
  contentType: Partial<Record<Direction, string>>
  /** The inner protocol's state per direction (a message split across DATA frames). */
  chain: Record<Direction, Record<string, unknown>>
}

function streamInfo(s: State, id: number): StreamInfo {
  let info = s.streams.get(id)
  if (!info) {
    info = { contentType: {}, chain: { c2s: {}, s2c: {} } }
    s.streams.set(id, info)
  }
  return info
}

/** A 32-bit (16-bit) big-endian field of the frame at `at`: a read past the frame is a ranged DissectError. */
const u32 = (b: Uint8Array, at: number, what = 'uint32'): number => new ByteReader(b, at).u32(what)
const u16 = (b: Uint8Array, at: number, what = 'uint16'): number => new ByteReader(b, at).u16(what)

function streamWindow(w: Windows, id: number): number {
  let v = w.streams.get(id)
  if (v === undefined) {
    v = w.initial
    w.streams.set(id, v)
  }
  return v
}

/** `http2.flags.end_stream`…, one string per flag name. */
const flagIds = new Map<string, string>()
function flagId(name: string): string {
  let id = flagIds.get(name)
  if (id === undefined) flagIds.set(name, (id = `http2.flags.${name.toLowerCase()}`))
  return id
}

function headerFields(frame: Uint8Array): Field[] {
  const length = (frame[0] << 16) | (frame[1] << 8) | frame[2]
  const type = frame[3]
  const flags = frame[4]
  const defined = FRAME_FLAGS[type] ?? []
  const flagChildren = defined.map(([bit, name]) => masked(name, 4, 5, flags & bit ? 'set' : 'not set', flagId(name), bit))
  const unused = flags & ~defined.reduce((m, [bit]) => m | bit, 0)
  flagChildren.push(masked('Unused bits', 4, 5, hexByte(unused), F.flagsUnused, ~defined.reduce((m, [bit]) => m | bit, 0) & 0xff))
  const names = defined.filter(([bit]) => flags & bit).map(([, n]) => n)
  const raw = u32(frame, 5)
  // Literals (common/field-literals): the same objects field() makes, for the fields of every frame.
  return [
    branch('Frame header', 0, 9, `${frameTypeName(type)}, ${length} byte payload, stream ${raw & 0x7fffffff}`, F.header, [
      leaf('Length', 0, 3, String(length), F.length),
      leaf('Type', 3, 4, `${frameTypeName(type)} (${type})`, F.type),
      branch('Flags', 4, 5, `${hexByte(flags)}${names.length ? ` ${names.join(' ')}` : ''}`, F.flags, flagChildren),
      masked('Reserved bit', 5, 9, String(raw >>> 31), F.r, 0x80000000),
      masked('Stream identifier', 5, 9, String(raw & 0x7fffffff), F.streamid, 0x7fffffff)
    ])
  ]
}

function decodeFrame(frame: Uint8Array, dir: Direction, s: State, offset = -1): Decoded {
  const length = frame.length - 9
  const type = frame[3]
  const flags = frame[4]
  const streamId = u32(frame, 5) & 0x7fffffff
  const typeName = frameTypeName(type)
  const fields = headerFields(frame)
  const defined = FRAME_FLAGS[type] ?? []
  const flagNames = defined.filter(([bit]) => flags & bit).map(([, n]) => n)
  const keys: Http2Keys & PduKeys = { streamId, type: typeName, flags, length }
  const extra: PduDraft[] = []
  for (const n of flagNames) keys[n === 'END_STREAM' ? 'endStream' : n === 'END_HEADERS' ? 'endHeaders' : n.toLowerCase()] = true
  let detail = ''
  const payload: Field[] = []
  const problems: string[] = []
  const flow: Field[] = []
  const need = (n: number, what: string): void => {
    if (length < n) throw new Error(`${typeName} payload is ${length} bytes, ${what} needs ${n}`)
  }
  // PADDED: pad length byte first, padding at the end.
  let at = 9
  let end = frame.length
  const padded = (type === 0 || type === 1 || type === 5) && (flags & 0x08) !== 0
  if (padded) {
    need(1, 'Pad Length')
    const pad = frame[9]
    if (pad >= length) throw new Error(`Pad Length ${pad} is not less than the payload (${length})`)
    payload.push(field('Pad Length', 9, 10, String(pad), { id: F.padLength }))
    at = 10
    end = frame.length - pad
  }
  const padField = (): void => {
    if (padded && end < frame.length) payload.push(field('Padding', end, frame.length, `${frame.length - end} bytes`, { id: F.padding }))
  }
  const priorityFields = (p: number): Field[] => {
    const dep = u32(frame, p, 'stream dependency')
    return [
      field('Exclusive', p, p + 4, dep >>> 31 ? 'yes' : 'no', { id: F.exclusive, mask: 0x80000000 }),
      field('Stream dependency', p, p + 4, String(dep & 0x7fffffff), { id: F.streamDependency, mask: 0x7fffffff }),
      field('Weight', p + 4, p + 5, `${frame[p + 4]} (effective ${frame[p + 4] + 1})`, { id: F.weight })
    ]
  }
  const headerBlock = (fragStart: number, fragEnd: number): HpackResult | null => {
    const fragment = frame.subarray(fragStart, fragEnd)
    const endHeaders = (flags & 0x04) !== 0
    const pending = s.pending[dir]
    if (type !== 9) {
      s.pending[dir] = null
      if (endHeaders) {
        const r = s.hpack[dir].decode(fragment, fragStart)
        payload.push(field('Header block fragment', fragStart, fragEnd, `${fragment.length} bytes, ${r.headers.length} header${r.headers.length === 1 ? '' : 's'}`, { id: F.headerBlock, children: r.fields }))
        return r
      }
      s.pending[dir] = { streamId, fragments: [fragment.slice()], frames: 1 }
      payload.push(field('Header block fragment', fragStart, fragEnd, `${fragment.length} bytes, continued in CONTINUATION frames`, { id: F.headerBlock }))
      return null
    }
    // CONTINUATION
    if (!pending || pending.streamId !== streamId) {
      problems.push('CONTINUATION without a preceding HEADERS or PUSH_PROMISE on this stream')
      payload.push(field('Header block fragment', fragStart, fragEnd, `${fragment.length} bytes (orphan)`, { id: F.headerBlock, malformed: 'CONTINUATION without HEADERS' }))
      return null
    }
    pending.fragments.push(fragment.slice())
    pending.frames++
    if (!endHeaders) {
      payload.push(field('Header block fragment', fragStart, fragEnd, `${fragment.length} bytes, continued`, { id: F.headerBlock }))
      return null
    }
    s.pending[dir] = null
    const total = pending.fragments.reduce((n, f) => n + f.length, 0)
    const block = new Uint8Array(total)
    let o = 0
    for (const f of pending.fragments) {
      block.set(f, o)
      o += f.length
    }
    // The block spans several frames: its representations are listed without byte ranges into
    // earlier frames, under this frame's fragment.
    const r = s.hpack[dir].decode(block, 0)
    const list = r.headers.map((h) => field(`${h.name}: ${h.value}`, fragStart, fragEnd, h.kind, { id: F.header }))
    payload.push(field('Header block fragment', fragStart, fragEnd, `${fragment.length} bytes; the whole block spans ${pending.frames} frames and decodes to ${r.headers.length} headers`, { id: F.headerBlock, children: list }))
    return r
  }
  const summarizeHeaders = (r: HpackResult | null): void => {
    if (!r) return
    const get = (n: string): string | undefined => r.headers.find((h) => h.name === n)?.value
    const method = get(':method')
    const path = get(':path')
    const status = get(':status')
    if (method) keys.method = method
    if (path) keys.path = path
    const contentType = get('content-type')
    if (path || contentType) {
      const info = streamInfo(s, streamId)
      if (path) info.path = path
      if (contentType) info.contentType[dir] = contentType
    }
    if (status) keys.status = Number(status)
    const authority = get(':authority')
    if (authority) keys.authority = authority
    const indexed = r.headers.filter((h) => h.kind === 'indexed').length
    keys.headers = r.headers.length
    keys.indexed = indexed
    keys.hpackTableSize = r.tableSize
    keys.hpackTableEntries = r.tableEntries
    keys.hpackAdded = r.added
    keys.hpackEvicted = r.evicted
    if (r.error) problems.push(r.error)
    detail = method ? `${method} ${path ?? ''}` : status ? `:status ${status}` : `${r.headers.length} headers`
    detail += ` (${indexed}/${r.headers.length} indexed, table ${r.tableEntries} entries / ${r.tableSize} B)`
  }

  switch (type) {
    case 0: {
      // DATA
      const data = frame.subarray(at, end)
      // An inner protocol (gRPC for application/grpc…) reads the data, through the chaining API.
      const info = s.streams.get(streamId)
      const inner = data.length && info ? chain(data, { dir, outer: 'http2', offset: at, streamOffset: offset, streamId, path: info.path, contentType: info.contentType[dir], state: info.chain[dir] }) : null
      payload.push(
        field('Data', at, end, `${data.length} bytes: "${printable(data, 40)}"`, inner ? { id: F.dataData, children: inner.fields } : { id: F.dataData })
      )
      padField()
      if (inner) {
        keys.inner = inner.protocol
        const innerKeys = inner.keys ?? {}
        for (const k in innerKeys) if (!(k in keys)) keys[k] = innerKeys[k]
        if (inner.malformed) problems.push(`${inner.protocol}: ${inner.malformed.reason}`)
        if (inner.extra) extra.push(...inner.extra)
      }
      const w = s.windows[dir]
      w.conn -= length
      const sw = streamWindow(w, streamId) - length
      w.streams.set(streamId, sw)
      keys.connWindow = w.conn
      keys.streamWindow = sw
      keys.windowDir = dir
      keys.dataLength = data.length
      flow.push(
        field('Flow control (computed by Wirelab)', 0, frame.length, `connection window ${w.conn}, stream ${streamId} window ${sw}`, {
          id: F.flowControl,
          modeled: true,
          children: [
            field('Connection window left', 0, frame.length, String(w.conn), { id: F.windowConnection, modeled: true }),
            field('Stream window left', 0, frame.length, String(sw), { id: F.windowStream, modeled: true })
          ]
        })
      )
      detail = `${data.length} bytes${inner ? ` → ${inner.summary}` : ''}`
      break
    }
    case 1: {
      // HEADERS
      let p = at
      if (flags & 0x20) {
        if (end - p < 5) throw new Error('HEADERS with PRIORITY needs 5 more bytes')
        payload.push(...priorityFields(p))
        p += 5
      }
      summarizeHeaders(headerBlock(p, end))
      padField()
      break
    }
    case 2:
      if (length !== 5) throw new Error(`PRIORITY payload must be 5 bytes, got ${length}`)
      payload.push(...priorityFields(9))
      detail = `depends on ${u32(frame, 9) & 0x7fffffff}, weight ${frame[13] + 1}`
      break
    case 3: {
      if (length !== 4) throw new Error(`RST_STREAM payload must be 4 bytes, got ${length}`)
      const code = u32(frame, 9, 'error code')
      payload.push(field('Error code', 9, 13, `${errorName(code)} (${code})`, { id: F.rstStreamError }))
      keys.error = errorName(code)
      detail = errorName(code)
      break
    }
    case 4: {
      // SETTINGS
      if (length % 6 !== 0) throw new Error(`SETTINGS payload must be a multiple of 6 bytes, got ${length}`)
      if (flags & 0x01) {
        if (length) problems.push('SETTINGS ACK with a payload')
        detail = 'ACK'
        break
      }
      const parts: string[] = []
      for (let p = 9; p < frame.length; p += 6) {
        const id = u16(frame, p, 'setting identifier')
        const value = u32(frame, p + 2, 'setting value')
        const name = SETTINGS[id] ?? `UNKNOWN(0x${id.toString(16)})`
        parts.push(`${name.replace('SETTINGS_', '')}=${value}`)
        payload.push(
          field(name, p, p + 6, String(value), {
            id: F.settings,
            children: [field('Identifier', p, p + 2, `${name} (${id})`, { id: F.settingsId }), field('Value', p + 2, p + 6, String(value), { id: F.settingsValue })]
          })
        )
        // The sender of SETTINGS receives: its limits govern what the other side sends.
        if (id === 4) {
          const w = s.windows[other(dir)]
          const delta = value - w.initial
          w.initial = value
          for (const [sid, v] of w.streams) w.streams.set(sid, v + delta)
          keys.initialWindow = value
        }
        if (id === 1) s.hpack[other(dir)].setProtocolMaxSize(value)
        if (id === 3) keys.maxConcurrentStreams = value
      }
      detail = parts.join(', ') || 'no parameters'
      break
    }
    case 5: {
      // PUSH_PROMISE
      if (end - at < 4) throw new Error('PUSH_PROMISE needs a promised stream id')
      const promised = u32(frame, at, 'promised stream id') & 0x7fffffff
      payload.push(field('Reserved bit', at, at + 4, String(u32(frame, at) >>> 31), { id: F.r, mask: 0x80000000 }))
      payload.push(field('Promised stream id', at, at + 4, String(promised), { id: F.pushPromisePromisedStreamId, mask: 0x7fffffff }))
      keys.promisedStreamId = promised
      summarizeHeaders(headerBlock(at + 4, end))
      padField()
      detail = `promises stream ${promised}; ${detail}`
      break
    }
    case 6: {
      if (length !== 8) throw new Error(`PING payload must be 8 bytes, got ${length}`)
      payload.push(field('Opaque data', 9, 17, hex(frame.subarray(9, 17), ''), { id: F.ping }))
      detail = flags & 0x01 ? 'ACK' : hex(frame.subarray(9, 17), '')
      break
    }
    case 7: {
      need(8, 'GOAWAY')
      const last = u32(frame, 9, 'last stream id')
      const code = u32(frame, 13, 'error code')
      payload.push(field('Reserved bit', 9, 13, String(last >>> 31), { id: F.r, mask: 0x80000000 }))
      payload.push(field('Last stream id', 9, 13, String(last & 0x7fffffff), { id: F.goawayLastStreamId, mask: 0x7fffffff }))
      payload.push(field('Error code', 13, 17, `${errorName(code)} (${code})`, { id: F.goawayError }))
      if (length > 8) payload.push(field('Additional debug data', 17, frame.length, JSON.stringify(printable(frame.subarray(17), 100)), { id: F.goawayAddata }))
      keys.error = errorName(code)
      detail = `last stream ${last & 0x7fffffff}, ${errorName(code)}`
      break
    }
    case 8: {
      if (length !== 4) throw new Error(`WINDOW_UPDATE payload must be 4 bytes, got ${length}`)
      const raw = u32(frame, 9, 'window size increment')
      const inc = raw & 0x7fffffff
      payload.push(field('Reserved bit', 9, 13, String(raw >>> 31), { id: F.r, mask: 0x80000000 }))
      payload.push(field('Window size increment', 9, 13, String(inc), { id: F.windowUpdateWindowSizeIncrement, mask: 0x7fffffff }))
      // A WINDOW_UPDATE sent by one side lets the other side send more.
      const w = s.windows[other(dir)]
      keys.increment = inc
      keys.windowDir = other(dir)
      if (streamId === 0) {
        w.conn += inc
        keys.connWindow = w.conn
      } else {
        const v = streamWindow(w, streamId) + inc
        w.streams.set(streamId, v)
        keys.streamWindow = v
      }
      detail = `+${inc} → ${streamId === 0 ? `connection window ${w.conn}` : `stream window ${keys.streamWindow}`}`
      break
    }
    case 9:
      summarizeHeaders(headerBlock(9, frame.length))
      break
    default:
      if (length) payload.push(field('Payload (unknown frame type, ignored)', 9, frame.length, `${length} bytes`, { id: F.unknown }))
  }
  if (payload.length) fields.push(field('Payload', 9, frame.length, `${length} bytes`, { id: F.payload, children: payload }))
  fields.push(...flow)
  const flagText = flagNames.length ? ` ${flagNames.join(' ')}` : ''
  const summary = `${typeName}[${streamId}]${flagText}${detail ? `: ${detail}` : ''}`
  // Optional keys assigned after the literal, in the same order (no spread per frame).
  const decoded: Decoded = { summary, fields, keys }
  if (problems.length) decoded.malformed = { reason: problems.join('; '), start: 0, end: frame.length }
  if (extra.length) decoded.extra = extra
  return decoded
}

export function createHttp2Dissector(): StreamDissector {
  return framed<State>({
    protocol: 'http2',
    state: () => ({
      preface: false,
      hpack: { c2s: new HpackDecoder(), s2c: new HpackDecoder() },
      windows: {
        c2s: { conn: DEFAULT_WINDOW, initial: DEFAULT_WINDOW, streams: new Map() },
        s2c: { conn: DEFAULT_WINDOW, initial: DEFAULT_WINDOW, streams: new Map() }
      },
      pending: { c2s: null, s2c: null },
      streams: new Map()
    }),
    pduLength(buf, dir, s) {
      if (dir === 'c2s' && !s.preface) {
        const n = Math.min(buf.length, PREFACE.length)
        for (let i = 0; i < n; i++)
          if (buf[i] !== PREFACE[i]) return { malformed: `not the HTTP/2 connection preface (a client must start with "PRI * HTTP/2.0\\r\\n\\r\\nSM\\r\\n\\r\\n"): got "${printable(buf.subarray(0, 24), 24)}"` }
        return buf.length >= PREFACE.length ? PREFACE.length : 'more'
      }
      if (buf.length < 9) return 'more'
      return 9 + ((buf[0] << 16) | (buf[1] << 8) | buf[2])
    },
    decode(pdu, dir, s, offset) {
      if (dir === 'c2s' && !s.preface) {
        s.preface = true
        return {
          summary: 'Connection preface (PRI * HTTP/2.0)',
          fields: [
            field('Connection preface', 0, 24, JSON.stringify(printable(pdu)), {
              id: F.magic,
              children: [field('Magic', 0, 18, '"PRI * HTTP/2.0\\r\\n\\r\\n"', { id: F.magicPri }), field('Magic', 18, 24, '"SM\\r\\n\\r\\n"', { id: F.magicSm })]
            })
          ],
          keys: { streamId: 0, type: 'PREFACE' }
        }
      }
      return decodeFrame(pdu, dir, s, offset)
    }
  })
}

/** The client's connection preface (c2s); a SETTINGS frame on stream 0, the server's first (s2c). */
export function looksLikeHttp2(first: Uint8Array, dir: Direction): number {
  if (dir === 'c2s') {
    const n = Math.min(first.length, PREFACE.length)
    for (let i = 0; i < n; i++) if (first[i] !== PREFACE[i]) return 0
    return n === PREFACE.length ? 1 : n >= 4 ? 0.6 : 0
  }
  if (first.length < 9 || first[3] !== 4) return 0
  const length = (first[0] << 16) | (first[1] << 8) | first[2]
  const stream = ((first[5] << 24) | (first[6] << 16) | (first[7] << 8) | first[8]) >>> 0
  return stream === 0 && length % 6 === 0 && (first[4] & ~1) === 0 ? 0.7 : 0
}

export const http2Dissector: DissectorDef = {
  id: 'http2',
  name: 'HTTP/2',
  transport: 'tcp',
  ports: [8080],
  looksLike: looksLikeHttp2,
  create: createHttp2Dissector
}
