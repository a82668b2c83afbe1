// gRPC (`grpc`) on a connection: HTTP/2 (handed off to the `http2` dissector, which passes every
// application/grpc DATA payload to the `grpc` inner protocol through `chain()`: the messages), plus
// what a call is made of besides messages, read from the frames around them — the request HEADERS
// (method path → call type, deadline), the response headers, the client's half-close
// (END_STREAM), the trailers (grpc-status, grpc-message) and RST_STREAM — each a `grpc` PDU on the
// frame that carried it. A message still incomplete when its stream ends is flagged with its bytes.
import type { Direction, Field } from '../../../../shared/events'
import { GRPC_FIELDS as F, grpcStatusName, type GrpcKeys } from '../../../../shared/protocols/grpc'
import { handOff } from '../../dissect/chain'
import { field } from '../../dissect/fields'
import type { DissectorDef, PduDraft, StreamDissector } from '../../dissect/types'
import { callFields, headerReps, responseFields, type HeaderRep } from './decode'
import { ByteReader } from '../common/reader'
import type { Segment } from './messages'
import { brokenPdu, callKeys, keysOf, sensorSchema } from './payload'

/** The course's port for gRPC (seeds 000, 001). */
export const GRPC_PORTS = [50051]

interface Call {
  keys: GrpcKeys
  responded: boolean
  done: boolean
  /** The bytes of a message not yet complete, per direction (from the DATA frames' parts). */
  pending: Record<Direction, { index: number; pieces: { bytes: Uint8Array; at: number }[] } | null>
}

const dataField = (p: PduDraft): Field | undefined =>
  p.fields.find((f) => f.id === 'http2.payload')?.children?.find((f) => f.id === 'http2.data.data')

function headerPdu(
  p: PduDraft,
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
    keys: keysOf(keys),
    ...(problems.length ? { malformed: { reason: problems.join('; '), start: 0, end: p.data.length } } : {})
  }
}

export function createGrpcDissector(): StreamDissector {
  const h2 = handOff('http2')
  const calls = new Map<number, Call>()
  /** END_STREAM of a HEADERS frame whose block continues in CONTINUATION frames. */
  const headersEnd: Record<Direction, Map<number, boolean>> = { c2s: new Map(), s2c: new Map() }
  const name = (c: Call): string => c.keys.method ?? c.keys.path ?? '?'

  /** Follows the unfinished message of a DATA frame's stream and direction, from its parts. */
  const track = (c: Call, p: PduDraft): void => {
    const idx = p.keys?.grpcPendingIndex
    if (typeof idx !== 'number') {
      c.pending[p.dir] = null
      return
    }
    if (c.pending[p.dir]?.index !== idx) c.pending[p.dir] = { index: idx, pieces: [] }
    const data = dataField(p)
    for (const part of data?.children ?? [])
      if (part.name.startsWith(`gRPC message #${idx}:`))
        c.pending[p.dir]!.pieces.push({
          bytes: p.data.slice(part.start, part.end),
          at: p.offset >= 0 ? p.offset + part.start : -1
        })
  }

  /** The unfinished message of `dir`, flagged: its stream ended (`why`) before it was complete. */
  const flush = (c: Call, dir: Direction, why: string): PduDraft[] => {
    const pend = c.pending[dir]
    c.pending[dir] = null
    if (!pend?.pieces.length) return []
    const bytes = new Uint8Array(pend.pieces.reduce((n, x) => n + x.bytes.length, 0))
    const segments: Segment[] = []
    let o = 0
    for (const x of pend.pieces) {
      bytes.set(x.bytes, o)
      o += x.bytes.length
      const last = segments.at(-1)
      if (last && last.at >= 0 && x.at === last.at + last.length) last.length += x.bytes.length
      else segments.push({ at: x.at, length: x.bytes.length })
    }
    const declared = bytes.length >= 5 ? new ByteReader(bytes, 1).u32('message length') : -1
    const reason =
      declared < 0
        ? `truncated prefix: ${bytes.length} of its 5 bytes arrived before ${why}`
        : `the prefix declares ${declared} bytes but only ${bytes.length - 5} arrived before ${why}`
    return [brokenPdu({ reason, bytes, segments, index: pend.index }, dir, c.keys)]
  }

  const onHeaders = (p: PduDraft, reps: HeaderRep[], endStream: boolean): PduDraft[] => {
    const sid = Number(p.keys?.streamId ?? 0)
    const out: PduDraft[] = []
    let c = calls.get(sid)
    if (p.dir === 'c2s') {
      if (c) return out
      const ct = reps.find((h) => h.name === 'content-type')?.value ?? ''
      if (!ct.startsWith('application/grpc')) return out
      const path = reps.find((h) => h.name === ':path')?.value ?? ''
      const info = sensorSchema().lookup(path)
      c = {
        keys: callKeys(sid, path, info),
        responded: false,
        done: false,
        pending: { c2s: null, s2c: null }
      }
      calls.set(sid, c)
      const meaning = callFields(reps, path, info)
      const label = info ? `${info.method} (${info.callType})` : `${path} (not in sensor.proto)`
      out.push(
        headerPdu(
          p,
          `call ${label}${meaning.timeoutMs !== undefined ? `, deadline ${meaning.timeoutMs} ms` : ''}`,
          meaning.fields,
          Object.assign({}, c.keys, { timeoutMs: meaning.timeoutMs }),
          meaning.problems
        )
      )
      if (endStream) out.push(halfClose(p, c))
      return out
    }
    if (!c || c.done) return out
    const meaning = responseFields(reps, endStream)
    if (!endStream) {
      c.responded = true
      out.push(
        headerPdu(
          p,
          `${name(c)}: response headers`,
          meaning.fields,
          Object.assign({}, c.keys, { grpc: 'headers' as const }),
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
    const keys: GrpcKeys = Object.assign({}, c.keys, {
      grpc: 'status' as const,
      status: st,
      statusName: st === undefined ? undefined : grpcStatusName(st),
      grpcMessage: meaning.grpcMessage
    })
    out.push(
      headerPdu(
        p,
        `${name(c)}: status ${label}${c.responded ? '' : ' (trailers-only response)'}`,
        meaning.fields,
        keys,
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
      `${name(c)}: client half-close (END_STREAM)`,
      [f],
      Object.assign({}, c.keys, { grpc: 'half-close' as const }),
      []
    )
  }

  const onReset = (p: PduDraft): PduDraft[] => {
    const c = calls.get(Number(p.keys?.streamId ?? 0))
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
        `${name(c)}: stream reset by the ${who} (${code})`,
        [f],
        Object.assign({}, c.keys, { grpc: 'reset' as const, error: code }),
        []
      )
    ]
  }

  const follow = (frames: PduDraft[]): PduDraft[] => {
    const out: PduDraft[] = []
    let after: PduDraft[] = []
    const release = (): void => {
      out.push(...after)
      after = []
    }
    for (const p of frames) {
      // The messages a DATA frame completes (its extras) come right after it: a half-close or a
      // flush that frame causes waits until they are out.
      if (p.protocol !== 'grpc') release()
      if (p.protocol === 'grpc') {
        const c = calls.get(Number(p.keys?.streamId ?? 0))
        out.push(
          c?.done && p.keys?.grpc === 'message'
            ? Object.assign({}, p, { summary: `${p.summary} (arrived after the call ended: it was already in flight)` })
            : p
        )
        continue
      }
      out.push(p)
      if (p.protocol !== 'http2') continue
      const k = p.keys ?? {}
      const sid = Number(k.streamId ?? 0)
      const c = calls.get(sid)
      if (k.type === 'DATA') {
        if (!c) continue
        if (k.inner === 'grpc') track(c, p)
        if (k.endStream === true) {
          after.push(
            ...flush(c, p.dir, p.dir === 'c2s' ? 'the client’s END_STREAM' : 'the server’s END_STREAM')
          )
          if (p.dir === 'c2s') after.push(halfClose(p, c))
        }
      } else if (k.type === 'HEADERS' || k.type === 'CONTINUATION') {
        if (k.type === 'HEADERS') headersEnd[p.dir].set(sid, k.endStream === true)
        if (typeof k.headers !== 'number') continue
        const endStream = headersEnd[p.dir].get(sid) ?? false
        headersEnd[p.dir].delete(sid)
        out.push(...onHeaders(p, headerReps(p.fields), endStream))
      } else if (k.type === 'RST_STREAM') out.push(...onReset(p))
    }
    release()
    return out
  }

  return {
    push: (dir, chunk, offset) => follow(h2.push(dir, chunk, offset)),
    end(dir) {
      const out = follow(h2.end?.(dir) ?? [])
      for (const c of calls.values()) out.push(...flush(c, dir, 'the connection ended'))
      return out
    }
  }
}

/**
 * Heuristic: the HTTP/2 client preface followed, in the same first bytes, by a request whose
 * content-type is application/grpc (curl and some clients send them together). A preface alone
 * is HTTP/2's, whose DATA still reaches gRPC through the chaining API. Never throws.
 */
export function looksLikeGrpc(first: Uint8Array, dir: Direction): number {
  if (dir !== 'c2s' || first.length < 24 + 9) return 0
  const frames = handOff('http2').push('c2s', first, 0)
  if (frames[0]?.keys?.type !== 'PREFACE') return 0
  const headers = frames.find((p) => p.keys?.type === 'HEADERS')
  return headers &&
    headerReps(headers.fields).some(
      (h) => h.name === 'content-type' && h.value.startsWith('application/grpc')
    )
    ? 1
    : 0
}

export const grpcDissector: DissectorDef = {
  id: 'grpc',
  name: 'gRPC (HTTP/2 + length-prefixed Protobuf)',
  transport: 'tcp',
  ports: GRPC_PORTS,
  looksLike: looksLikeGrpc,
  create: createGrpcDissector
}
