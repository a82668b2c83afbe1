// gRPC as an inner protocol (reached through `chain()`): the payload of an HTTP/2 DATA frame on a
// stream whose content-type is application/grpc. Its bytes continue the stream's run of
// length-prefixed messages (reassembled per stream and direction in the chaining state); the
// frame's own tree says which bytes are prefix and which message data, and every message the
// frame completes follows it as a `grpc` PDU: the 5-byte prefix, each byte ranged, then the
// protobuf fields named from sensor.proto by the method path.
import type { Direction, Field } from '../../../../shared/events'
import { GRPC_FIELDS as F, type GrpcKeys } from '../../../../shared/protocols/grpc'
import { field, shiftFields } from '../../dissect/fields'
import type { ChainContext, Decoded, PayloadDef, PduDraft } from '../../dissect/types'
import { ByteReader } from '../common/reader'
import { sensorRoot } from '../common/sensor-proto'
import { decodeMessage } from './decode'
import { MessageReassembler, type Broken, type Part, type Segment } from './messages'
import { GrpcSchema, splitPath, type MethodInfo } from './schema'

let defaultSchema: GrpcSchema | null = null

/** The methods of the course's sensor.proto, by path. */
export function sensorSchema(): GrpcSchema {
  return (defaultSchema ??= new GrpcSchema([sensorRoot()]))
}

type Keys = NonNullable<PduDraft['keys']>

/** The keys of `k` and then of `more` (which wins, in `k`'s order), without the undefined ones. */
export function keysOf(k: GrpcKeys, more?: Partial<GrpcKeys>): Keys {
  const all = more ? Object.assign({}, k, more) : k
  const out: Keys = {}
  for (const name in all) {
    const v = all[name as keyof GrpcKeys]
    if (v !== undefined) out[name] = v as string | number | boolean
  }
  return out
}

export const segmentsKey = (segments: Segment[]): string =>
  segments.map((s) => `${s.at}+${s.length}`).join(',')

/** A PDU's own stream offset when its bytes are one contiguous run of the TCP stream, else -1. */
export const offsetOf = (segments: Segment[]): number =>
  segments.length === 1 && segments[0].at >= 0 ? segments[0].at : -1

/** What every `grpc` PDU of a call says about the call. */
export function callKeys(streamId: number, path: string, info: MethodInfo | undefined): GrpcKeys {
  const parts = splitPath(path)
  return {
    streamId,
    grpc: 'call',
    path,
    service: info?.service ?? parts?.service,
    method: info?.method ?? parts?.method,
    callType: info?.callType,
    unknownMethod: info ? undefined : true
  }
}

/** A malformed `grpc` PDU for bytes that could not be a message (bad flag, cut short…). */
export function brokenPdu(b: Broken, dir: Direction, call: GrpcKeys): PduDraft {
  const n = b.bytes.length
  const children: Field[] = []
  if (n >= 1)
    children.push(
      field(
        'Compressed flag',
        0,
        1,
        b.bytes[0] <= 1
          ? String(b.bytes[0])
          : `0x${b.bytes[0].toString(16).padStart(2, '0')}: must be 0 or 1`,
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
    keys: keysOf(call, { grpc: 'message', index: b.index, segments: segmentsKey(b.segments) })
  }
}

interface ChainState {
  reassembler?: MessageReassembler
}

function decodeData(payload: Uint8Array, ctx: ChainContext): Decoded {
  const state = (ctx.state ?? {}) as ChainState
  const r = (state.reassembler ??= new MessageReassembler())
  const path = ctx.path ?? ''
  const info = sensorSchema().lookup(path)
  const call = callKeys(ctx.streamId ?? 0, path, info)
  const at = ctx.streamOffset !== undefined && ctx.streamOffset >= 0 ? ctx.streamOffset + ctx.offset : -1
  const out = r.push(payload, at)
  const typeName = info ? (ctx.dir === 'c2s' ? info.requestType.name : info.responseType.name) : 'message'
  const extra: PduDraft[] = []
  // A message whole inside this payload: its prefix fields also go under the frame's prefix part.
  const inside = new Map<number, Field[]>()
  for (const m of out.messages) {
    const d = decodeMessage(m.bytes, { dir: ctx.dir, path, info, index: m.index })
    const here = out.parts.filter((p) => p.index === m.index).reduce((n, p) => n + p.end - p.start, 0)
    if (here === m.bytes.length) inside.set(m.index, d.fields)
    const pdu: PduDraft = {
      dir: ctx.dir,
      protocol: 'grpc',
      summary: d.summary,
      fields: d.fields,
      data: m.bytes,
      offset: offsetOf(m.segments),
      keys: keysOf(call, {
        grpc: 'message',
        messageType: d.messageType,
        index: m.index,
        length: m.bytes.length - 5,
        compressed: m.bytes[0] === 1,
        segments: segmentsKey(m.segments),
        frames: m.segments.length
      })
    }
    if (d.malformed) pdu.malformed = d.malformed
    extra.push(pdu)
  }
  const fields = out.parts.map((p: Part) => {
    const label = `gRPC message #${p.index}: ${p.kind === 'prefix' ? 'length prefix' : 'message data'}`
    const value =
      p.kind === 'prefix'
        ? `${p.end - p.start} of the 5 prefix bytes`
        : `${p.end - p.start} bytes of ${typeName}`
    // A whole message's prefix gets its flag and length bytes here; its protobuf fields are in the
    // message's own PDU (not repeated in every frame's tree).
    const tree = p.kind === 'prefix' ? inside.get(p.index)?.[0]?.children : undefined
    const children = tree?.slice(0, 2)
    const base = p.start
    return field(
      label,
      p.start,
      p.end,
      value,
      children?.length ? { id: F.dataPart, children: shiftFields(children, base) } : { id: F.dataPart }
    )
  })
  if (out.broken) {
    extra.push(brokenPdu(out.broken, ctx.dir, call))
    const start = Math.max(0, payload.length - (out.broken.segments.at(-1)?.length ?? payload.length))
    fields.push(
      field('Not gRPC messages', start, payload.length, out.broken.reason, {
        id: F.dataPart,
        malformed: out.broken.reason
      })
    )
  }
  const pending = r.pendingIndex
  // Optional keys assigned after the literals, in the same order (no spread per DATA frame).
  const decoded: Decoded = {
    summary: `gRPC: ${out.messages.length} message${out.messages.length === 1 ? '' : 's'} completed${pending !== null ? `, #${pending} continues` : ''}`,
    fields,
    keys:
      pending !== null
        ? { grpcMessages: out.messages.length, grpcPendingIndex: pending, grpcPendingBytes: r.pendingBytes }
        : { grpcMessages: out.messages.length }
  }
  if (extra.length) decoded.extra = extra
  if (out.broken) decoded.malformed = { reason: out.broken.reason, start: fields.at(-1)!.start, end: payload.length }
  return decoded
}

export const grpcPayload: PayloadDef = {
  id: 'grpc',
  name: 'gRPC',
  accepts: (_payload, ctx) => (/^application\/grpc(\+[a-z]+)?(;|$)/i.test(ctx.contentType ?? '') ? 1 : 0),
  decode: decodeData
}
