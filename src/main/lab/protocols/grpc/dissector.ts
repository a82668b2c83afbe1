// gRPC (`grpc`) chained on HTTP/2: every HTTP/2 frame is dissected as the `http2` dissector does,
// then each stream whose request says `content-type: application/grpc` is followed as one call —
// its request HEADERS (method path → call type and message types, deadline), its DATA frames'
// length-prefixed messages reassembled per stream and direction, the client's half-close, the
// trailers (grpc-status, grpc-message) and any RST_STREAM — and a `grpc` PDU follows the http2
// PDU that completed it. The DATA frames' own trees say which of their bytes are prefix and which
// message data.
import type { Direction, Field } from '../../../../shared/events'
import { GRPC_FIELDS as F, grpcStatusName, type GrpcKeys } from '../../../../shared/protocols/grpc'
import { field, hexByte } from '../../dissect/fields'
import { registerDissector } from '../../dissect/registry'
import type { DissectorDef, PduDraft, StreamDissector } from '../../dissect/types'
import { ByteReader } from '../common/reader'
import { sensorRoot } from '../common/sensor-proto'
import { innerDissector } from './chain'
import { callFields, decodeMessage, headerReps, responseFields, type HeaderRep } from './decode'
import { MessageReassembler, type Broken, type Part, type Segment } from './messages'
import { GrpcSchema, splitPath, type MethodInfo } from './schema'

/** The course's port for gRPC (seeds 000, 001). */
export const GRPC_PORTS = [50051]

interface Call {
  streamId: number
  path: string
  info?: MethodInfo
  encoding: Partial<Record<Direction, string>>
  reasm: Record<Direction, MessageReassembler>
  responded: boolean
  done: boolean
}

type Keys = NonNullable<PduDraft['keys']>

function keysOf(k: GrpcKeys): Keys {
  const out: Keys = {}
  for (const [name, v] of Object.entries(k)) if (v !== undefined) out[name] = v as string | number | boolean
  return out
}

const segmentsKey = (segments: Segment[]): string => segments.map((s) => `${s.at}+${s.length}`).join(',')

/** The PDU's own offset when its bytes are one contiguous run of the TCP stream. */
const offsetOf = (segments: Segment[]): number =>
  segments.length === 1 && segments[0].at >= 0 ? segments[0].at : -1

let defaultSchema: GrpcSchema | null = null
export function sensorSchema(): GrpcSchema {
  return (defaultSchema ??= new GrpcSchema([sensorRoot()]))
}

/** Data field of a DATA frame (after the pad length, before padding). */
const dataField = (p: PduDraft): Field | undefined =>
  p.fields.find((f) => f.id === 'http2.payload')?.children?.find((f) => f.id === 'http2.data.data')

function withParts(p: PduDraft, data: Field, parts: Part[], call: Call, dir: Direction): PduDraft {
  if (!parts.length) return p
  const type = call.info
    ? dir === 'c2s'
      ? call.info.requestType.name
      : call.info.responseType.name
    : 'message'
  const children = parts.map((part) =>
    field(
      `gRPC message #${part.index}: ${part.kind === 'prefix' ? 'length prefix' : 'message data'}`,
      data.start + part.start,
      data.start + part.end,
      part.kind === 'prefix'
        ? `${part.end - part.start} of the 5 prefix bytes`
        : `${part.end - part.start} bytes of ${type}`,
      { id: F.dataPart }
    )
  )
  const swap = (fields: Field[]): Field[] =>
    fields.map((f) =>
      f === data ? { ...f, children } : f.children ? { ...f, children: swap(f.children) } : f
    )
  return { ...p, fields: swap(p.fields), keys: { ...(p.keys ?? {}), grpcParts: parts.length } }
}

function brokenPdu(b: Broken, dir: Direction, call: Call): PduDraft {
  const n = b.bytes.length
  const children: Field[] = []
  if (n >= 1)
    children.push(
      field(
        'Compressed flag',
        0,
        1,
        b.bytes[0] <= 1 ? String(b.bytes[0]) : `${hexByte(b.bytes[0])}: must be 0 or 1`,
        { id: F.compressedFlag }
      )
    )
  if (n >= 2)
    children.push(
      field(
        n >= 5 ? 'Message length' : 'Message length (truncated)',
        1,
        Math.min(5, n),
        n >= 5 ? `${new ByteReader(b.bytes, 1).u32('message length')} bytes declared` : `${n - 1} of 4 bytes`,
        { id: F.messageLength }
      )
    )
  if (n > 5) children.push(field('Message data (incomplete)', 5, n, `${n - 5} bytes`, { id: F.messageData }))
  return {
    dir,
    protocol: 'grpc',
    summary: `Malformed gRPC: ${b.reason}`,
    fields: [field('gRPC message', 0, n, b.reason, { id: F.message, malformed: b.reason, children })],
    data: b.bytes,
    offset: offsetOf(b.segments),
    malformed: { reason: b.reason, start: 0, end: n },
    keys: keysOf({
      streamId: call.streamId,
      grpc: 'message',
      path: call.path,
      method: call.info?.method,
      callType: call.info?.callType,
      index: b.index,
      segments: segmentsKey(b.segments)
    })
  }
}

function headerPdu(
  p: PduDraft,
  kind: GrpcKeys['grpc'],
  summary: string,
  fields: Field[],
  keys: GrpcKeys,
  problems: string[]
): PduDraft {
  return {
    dir: p.dir,
    protocol: 'grpc',
    summary: problems.length ? `${summary} [${problems.join('; ')}]` : summary,
    fields,
    data: p.data,
    offset: p.offset,
    keys: keysOf({ ...keys, grpc: kind }),
    ...(problems.length ? { malformed: { reason: problems.join('; '), start: 0, end: p.data.length } } : {})
  }
}

export function createGrpcDissector(schema: GrpcSchema = sensorSchema()): StreamDissector {
  const h2 = innerDissector('http2')
  const calls = new Map<number, Call>()
  /** END_STREAM of a HEADERS frame whose block continues in CONTINUATION frames. */
  const headersEnd: Record<Direction, Map<number, boolean>> = { c2s: new Map(), s2c: new Map() }

  const base = (c: Call): GrpcKeys => ({
    streamId: c.streamId,
    grpc: 'call',
    path: c.path,
    service: c.info?.service ?? splitPath(c.path)?.service,
    method: c.info?.method ?? splitPath(c.path)?.method,
    callType: c.info?.callType,
    unknownMethod: c.info ? undefined : true
  })

  const flush = (c: Call, dir: Direction, why: string): PduDraft[] => {
    const b = c.reasm[dir].end(why)
    return b ? [brokenPdu(b, dir, c)] : []
  }

  const onHeaders = (p: PduDraft, reps: HeaderRep[], endStream: boolean): PduDraft[] => {
    const sid = Number(p.keys?.streamId ?? 0)
    const out: PduDraft[] = []
    let c = calls.get(sid)
    if (p.dir === 'c2s') {
      if (c) return out
      const ct = reps.find((h) => h.name === 'content-type')?.value ?? ''
      const path = reps.find((h) => h.name === ':path')?.value ?? ''
      if (!ct.startsWith('application/grpc')) return out
      const info = schema.lookup(path)
      c = {
        streamId: sid,
        path,
        info,
        encoding: {},
        reasm: { c2s: new MessageReassembler(), s2c: new MessageReassembler() },
        responded: false,
        done: false
      }
      calls.set(sid, c)
      const meaning = callFields(reps, path, info)
      if (meaning.encoding) c.encoding.c2s = meaning.encoding
      const label = info ? `${info.method} (${info.callType})` : `${path} (not in sensor.proto)`
      out.push(
        headerPdu(
          p,
          'call',
          `call ${label}${meaning.timeoutMs !== undefined ? `, deadline ${meaning.timeoutMs} ms` : ''}`,
          meaning.fields,
          { ...base(c), timeoutMs: meaning.timeoutMs },
          meaning.problems
        )
      )
      if (endStream) out.push(halfClose(p, c))
      return out
    }
    if (!c || c.done) return out
    const trailers = endStream
    const meaning = responseFields(reps, trailers)
    if (meaning.encoding) c.encoding.s2c = meaning.encoding
    if (!trailers) {
      c.responded = true
      out.push(
        headerPdu(
          p,
          'headers',
          `${c.info?.method ?? c.path}: response headers`,
          meaning.fields,
          base(c),
          meaning.problems
        )
      )
      return out
    }
    c.done = true
    out.push(...flush(c, 's2c', 'the trailers'), ...flush(c, 'c2s', 'the call ended'))
    const st = meaning.status
    const msg =
      meaning.grpcMessage && meaning.grpcMessage !== grpcStatusName(st ?? -1)
        ? `: ${meaning.grpcMessage}`
        : ''
    const label = st === undefined ? 'no grpc-status' : `${grpcStatusName(st)} (${st})${msg}`
    out.push(
      headerPdu(
        p,
        'status',
        `${c.info?.method ?? c.path}: status ${label}${c.responded ? '' : ' (trailers-only response)'}`,
        meaning.fields,
        {
          ...base(c),
          status: st,
          statusName: st === undefined ? undefined : grpcStatusName(st),
          grpcMessage: meaning.grpcMessage
        },
        meaning.problems
      )
    )
    return out
  }

  const halfClose = (p: PduDraft, c: Call): PduDraft => {
    const f = field(
      'END_STREAM flag',
      4,
      5,
      'set: the client sends no more messages; the call goes on until the server’s trailers',
      { id: F.endStream, mask: 0x01 }
    )
    return headerPdu(
      p,
      'half-close',
      `${c.info?.method ?? c.path}: client half-close (END_STREAM)`,
      [f],
      base(c),
      []
    )
  }

  const onData = (p: PduDraft): PduDraft[] => {
    const sid = Number(p.keys?.streamId ?? 0)
    const c = calls.get(sid)
    const data = dataField(p)
    if (!c || !data) return [p]
    const payload = p.data.subarray(data.start, data.end)
    const at = p.offset >= 0 ? p.offset + data.start : -1
    const r = c.reasm[p.dir].push(payload, at)
    const out: PduDraft[] = [withParts(p, data, r.parts, c, p.dir)]
    for (const m of r.messages) {
      const d = decodeMessage(m.bytes, {
        dir: p.dir,
        path: c.path,
        info: c.info,
        index: m.index,
        encoding: c.encoding[p.dir]
      })
      out.push({
        dir: p.dir,
        protocol: 'grpc',
        summary: c.done ? `${d.summary} (arrived after the call ended: it was already in flight)` : d.summary,
        fields: d.fields,
        data: m.bytes,
        offset: offsetOf(m.segments),
        keys: keysOf({
          ...base(c),
          grpc: 'message',
          messageType: d.messageType,
          index: m.index,
          length: m.bytes.length - 5,
          compressed: m.bytes[0] === 1,
          segments: segmentsKey(m.segments),
          frames: m.segments.length
        }),
        ...(d.malformed ? { malformed: d.malformed } : {})
      })
    }
    if (r.broken) out.push(brokenPdu(r.broken, p.dir, c))
    if (p.keys?.endStream === true) {
      out.push(...flush(c, p.dir, p.dir === 'c2s' ? 'the client’s END_STREAM' : 'the server’s END_STREAM'))
      if (p.dir === 'c2s') out.push(halfClose(p, c))
    }
    return out
  }

  const onReset = (p: PduDraft): PduDraft[] => {
    const sid = Number(p.keys?.streamId ?? 0)
    const c = calls.get(sid)
    if (!c || c.done) return []
    c.done = true
    const code = String(p.keys?.error ?? '')
    const who = p.dir === 'c2s' ? 'client' : 'server'
    const f = field(
      'RST_STREAM',
      9,
      p.data.length,
      `${code}: the ${who} abandoned the call${code === 'CANCEL' ? ' (cancelled, or its deadline passed)' : ''}`,
      { id: F.reset }
    )
    return [
      ...flush(c, 'c2s', 'RST_STREAM'),
      ...flush(c, 's2c', 'RST_STREAM'),
      headerPdu(
        p,
        'reset',
        `${c.info?.method ?? c.path}: stream reset by the ${who} (${code})`,
        [f],
        { ...base(c), error: code },
        []
      )
    ]
  }

  const chain = (frames: PduDraft[]): PduDraft[] => {
    const out: PduDraft[] = []
    for (const p of frames) {
      if (p.protocol !== 'http2') {
        out.push(p)
        continue
      }
      const k = p.keys ?? {}
      const sid = Number(k.streamId ?? 0)
      if (k.type === 'DATA') {
        out.push(...onData(p))
        continue
      }
      out.push(p)
      if (k.type === 'HEADERS' || k.type === 'CONTINUATION') {
        if (k.type === 'HEADERS') headersEnd[p.dir].set(sid, k.endStream === true)
        if (typeof k.headers !== 'number') continue
        const endStream = headersEnd[p.dir].get(sid) ?? false
        headersEnd[p.dir].delete(sid)
        out.push(...onHeaders(p, headerReps(p.fields), endStream))
      } else if (k.type === 'RST_STREAM') out.push(...onReset(p))
    }
    return out
  }

  return {
    push: (dir, chunk, offset) => chain(h2.push(dir, chunk, offset)),
    end(dir) {
      const out = chain(h2.end?.(dir) ?? [])
      for (const c of calls.values()) out.push(...flush(c, dir, 'the connection ended'))
      return out
    }
  }
}

/**
 * Heuristic: the HTTP/2 client preface (gRPC always speaks HTTP/2; whether a stream is a gRPC call
 * shows in its HEADERS). Never throws.
 */
export function looksLike(first: Uint8Array, dir: Direction): number {
  const preface = 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'
  if (dir !== 'c2s' || first.length < 4) return 0
  const n = Math.min(first.length, preface.length)
  for (let i = 0; i < n; i++) if (first[i] !== preface.charCodeAt(i)) return 0
  return 0.5
}

export const grpcDissector: DissectorDef = registerDissector({
  id: 'grpc',
  name: 'gRPC (HTTP/2 + length-prefixed Protobuf)',
  transport: 'tcp',
  create: () => createGrpcDissector()
})
