// AMQP 0-9-1 (Wireshark's packet-amqp.c as the model): the protocol header, then frames of
// type (1 method, 2 content header, 3 body, 8 heartbeat), channel, size, payload and the end
// octet 0xCE. Method arguments and content properties are laid out by amqplib's definitions
// (spec.ts). A content-bearing method (Basic.Publish, Deliver, Return, Get-Ok) travels with its
// content header and body frames: they make one PDU, as the specification groups them into one
// command, so a message's routing key and body are fields of the same PDU.
import type { Direction, Field } from '../../../../shared/events'
import { AMQP, AMQP_FRAME_TYPES, AMQP_PORT, CONTENT_METHODS, type AmqpFrameKind, type AmqpKeys } from '../../../../shared/protocols/amqp'
import { field, hexByte, printable } from '../../dissect/fields'
import { framed, type Decoded, type LengthResult } from '../../dissect/reassembly'
import type { DissectorDef, StreamDissector } from '../../dissect/types'
import { ByteReader, DissectError } from '../common/reader'
import { className, methodInfo, propertiesInfo } from './spec'
import { label, methodArguments, properties, type Scalar } from './values'

export const FRAME_END = 0xce
const HEADER = 7
const PROTOCOL_HEADER = [0x41, 0x4d, 0x51, 0x50] // "AMQP"
const MAX_PDU = 16 * 1024 * 1024

const u32 = (b: Uint8Array, at: number): number => b[at] * 0x1000000 + ((b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3])
const u16 = (b: Uint8Array, at: number): number => (b[at] << 8) | b[at + 1]

/** Method frames whose content follows: class 60 methods 40 (Publish), 50 (Return), 60 (Deliver), 71 (Get-Ok). */
const isContentMethod = (classId: number, methodId: number): boolean => classId === 60 && [40, 50, 60, 71].includes(methodId)

/**
 * Length of the next PDU. A content-bearing method is followed on its channel by a content header
 * and as many body frames as the header's body size needs: the PDU spans all of them. If another
 * frame comes first (a peer that does not follow the specification), the method stands alone.
 */
export function amqpPduLength(buf: Uint8Array): LengthResult {
  if (buf[0] === PROTOCOL_HEADER[0]) return 8
  if (buf.length < HEADER) return 'more'
  const type = buf[0]
  if (!AMQP_FRAME_TYPES[type])
    return { malformed: `frame type ${hexByte(type)} is not 1 (method), 2 (content header), 3 (body) or 8 (heartbeat): the bytes are not AMQP 0-9-1 frames` }
  const first = HEADER + u32(buf, 3) + 1
  if (first > MAX_PDU) return first
  if (type !== 1) return first
  if (buf.length < HEADER + 4) return 'more'
  if (!isContentMethod(u16(buf, 7), u16(buf, 9))) return first
  const channel = u16(buf, 1)
  // The content header: type 2 on the same channel, body size at payload offset 4 (8 bytes).
  if (buf.length < first + HEADER) return 'more'
  if (buf[first] !== 2 || u16(buf, first + 1) !== channel) return first
  const headerEnd = first + HEADER + u32(buf, first + 3) + 1
  if (buf.length < first + HEADER + 12) return headerEnd > MAX_PDU ? first : 'more'
  const bodySize = u32(buf, first + HEADER + 4) * 0x100000000 + u32(buf, first + HEADER + 8)
  if (bodySize > MAX_PDU) return first
  let at = headerEnd
  let left = bodySize
  while (left > 0) {
    if (buf.length < at + HEADER) return 'more'
    if (buf[at] !== 3 || u16(buf, at + 1) !== channel) return at
    const size = u32(buf, at + 3)
    left -= size
    at += HEADER + size + 1
    if (at > MAX_PDU) return first
  }
  return at
}

interface FrameResult {
  field: Field
  kind: AmqpFrameKind
  channel: number
  /** What this frame adds to the PDU's keys and summary. */
  keys: Record<string, Scalar>
  summary: string
  malformed?: { reason: string; start: number; end: number }
}

/** What a frame's payload decoder fills in; kept when it fails half-way, so the tree shows how far it got. */
interface Inner {
  fields: Field[]
  keys: Record<string, Scalar>
  summary: string
}

const FRAME_NAMES: Record<AmqpFrameKind, string> = {
  'protocol-header': 'Protocol header',
  method: 'Method frame',
  header: 'Content header frame',
  body: 'Body frame',
  heartbeat: 'Heartbeat frame'
}

/** The kind as the Type field shows it (`Method`, `Content header`…). */
const TYPE_NAMES = Object.fromEntries(
  Object.entries(FRAME_NAMES).map(([kind, name]) => [kind, name.replace(' frame', '')])
) as Record<AmqpFrameKind, string>

/** The Type field's value per kind, `1 (Method)`: each frame type has one kind. */
const TYPE_TEXT = Object.fromEntries(
  Object.entries(AMQP_FRAME_TYPES).map(([type, kind]) => [kind, `${type} (${TYPE_NAMES[kind]})`])
) as Record<AmqpFrameKind, string>

function protocolHeader(pdu: Uint8Array): Decoded {
  const r = new ByteReader(pdu)
  const name = r.latin1(4, 'protocol name')
  if (name !== 'AMQP') r.fail(`protocol header starts with "${printable(pdu.subarray(0, 4))}", not "AMQP"`, 0, 4)
  const [a, b, c, d] = [r.u8(), r.u8(), r.u8(), r.u8()]
  const version = a === 0 ? `${b}-${c}-${d}` : `${a} ${b}-${c}-${d}`
  const supported = a === 0 && b === 0 && c === 9 && d === 1
  const fields: Field[] = [
    field('Protocol', 0, 4, '"AMQP"', { id: AMQP.initProtocol }),
    field('Protocol id (major)', 4, 5, String(a), { id: AMQP.initIdMajor }),
    field('Protocol id (minor)', 5, 6, String(b), { id: AMQP.initIdMinor }),
    field('Version major', 6, 7, String(c), { id: AMQP.initVersionMajor }),
    field('Version minor', 7, 8, String(d), { id: AMQP.initVersionMinor })
  ]
  const keys: AmqpKeys = { frame: 'protocol-header', frames: 1, channel: 0, version }
  return {
    summary: supported ? 'Protocol header AMQP 0-9-1' : `Protocol header AMQP ${version} (not 0-9-1: the broker answers with the version it speaks and closes)`,
    fields: [field('Protocol header', 0, 8, `AMQP ${version}`, { id: AMQP.protocolHeader, children: fields })],
    keys: clean(keys)
  }
}

/** One frame at `r.pos`. Errors inside the payload are kept in the frame (its framing is sound). */
function frame(r: ByteReader): FrameResult {
  const start = r.pos
  const type = r.u8('frame type')
  const kind = AMQP_FRAME_TYPES[type]
  if (!kind) r.fail(`frame type ${hexByte(type)} is not 1, 2, 3 or 8`, start, start + 1)
  const channel = r.u16('channel')
  const size = r.u32('frame size')
  const payload = r.sub(size, 'frame payload')
  const endAt = r.pos
  const end = r.u8('frame end')
  const head: Field[] = [
    field('Type', start, start + 1, TYPE_TEXT[kind], { id: AMQP.type }),
    field('Channel', start + 1, start + 3, String(channel), { id: AMQP.channel }),
    field('Length', start + 3, start + 7, String(size), { id: AMQP.length })
  ]
  const inner: Inner = { fields: [], keys: {}, summary: kind === 'heartbeat' ? 'Heartbeat' : FRAME_NAMES[kind] }
  let malformed: FrameResult['malformed']
  try {
    if (kind === 'method') method(payload, inner)
    else if (kind === 'header') contentHeader(payload, inner)
    else if (kind === 'body') body(payload, inner)
    else if (size > 0) payload.fail('a heartbeat frame has no payload', payload.pos, payload.limit)
    if (!payload.done) payload.fail(`${payload.left} bytes after the last ${kind === 'method' ? 'argument' : 'property'}`, payload.pos, payload.limit)
  } catch (err) {
    if (!(err instanceof DissectError)) throw err
    malformed = { reason: err.reason, start: err.start, end: err.end }
    inner.fields.push(field('Malformed', err.start, Math.max(err.end, err.start), err.reason, { malformed: err.reason }))
    inner.summary = `${inner.summary} (malformed: ${err.reason})`
  }
  const endField =
    end === FRAME_END
      ? field('Frame end', endAt, endAt + 1, '0xce', { id: AMQP.frameEnd })
      : field('Frame end', endAt, endAt + 1, `${hexByte(end)} (expected 0xce)`, { id: AMQP.frameEnd, malformed: 'a frame must end with 0xCE' })
  if (end !== FRAME_END) malformed ??= { reason: `frame end is ${hexByte(end)}, not 0xCE: the frame size is wrong or the bytes are not AMQP`, start: endAt, end: endAt + 1 }
  // The optional key set after the literal: a spread of an optional part is a call into the runtime per frame.
  const result: FrameResult = {
    field: field(FRAME_NAMES[kind], start, r.pos, inner.summary, { id: AMQP.frame, children: head.concat(inner.fields, endField) }),
    kind,
    channel,
    keys: inner.keys,
    summary: inner.summary
  }
  if (malformed) result.malformed = malformed
  return result
}

function method(r: ByteReader, out: Inner): void {
  const at = r.pos
  const classId = r.u16('class id')
  const methodId = r.u16('method id')
  const info = methodInfo(classId, methodId)
  out.keys.classId = classId
  out.keys.methodId = methodId
  out.fields.push(
    field('Class', at, at + 2, `${className(classId) ?? 'unknown'} (${classId})`, { id: AMQP.methodClass }),
    field('Method', at + 2, at + 4, `${info ? info.method : 'unknown'} (${methodId})`, { id: AMQP.methodMethod })
  )
  if (!info) return r.fail(`no method ${classId}.${methodId} in AMQP 0-9-1`, at, at + 4)
  out.keys.method = info.name
  out.summary = info.name
  const argsAt = r.pos
  const decoded = methodArguments(r, info.args)
  if (decoded.fields.length) out.fields.push(field('Arguments', argsAt, r.pos, undefined, { id: AMQP.methodArguments, children: decoded.fields }))
  Object.assign(out.keys, decoded.values)
  out.summary = methodSummary(info.name, decoded.values)
}

const q = (s: Scalar | undefined): string => `"${String(s ?? '')}"`

function methodSummary(name: string, v: Record<string, Scalar>): string {
  const parts: string[] = [name]
  const binding = name === 'Queue.Bind' || name === 'Queue.Unbind'
  if (binding) parts.push(`${q(v.queue)} ← ${q(v.exchange)}`)
  else if (typeof v.exchange === 'string' && name.startsWith('Exchange.')) parts.push(`${q(v.exchange)}${v.type ? ` type=${String(v.type)}` : ''}${v.durable ? ' durable' : ''}`)
  else if (typeof v.exchange === 'string') parts.push(`exchange=${q(v.exchange)}`)
  if (typeof v.queue === 'string' && !binding) parts.push(`queue=${q(v.queue)}${v.durable ? ' durable' : ''}`)
  if (typeof v.routingKey === 'string') parts.push(`key=${q(v.routingKey)}`)
  if (typeof v.messageCount === 'number') parts.push(`messages=${v.messageCount}`)
  if (typeof v.consumerCount === 'number') parts.push(`consumers=${v.consumerCount}`)
  if (typeof v.prefetchCount === 'number') parts.push(`prefetch=${v.prefetchCount}`)
  if (typeof v.consumerTag === 'string' && v.consumerTag) parts.push(`consumer=${q(v.consumerTag)}`)
  if (typeof v.deliveryTag === 'number') parts.push(`tag=${v.deliveryTag}${v.multiple ? ' multiple' : ''}`)
  if (v.redelivered === true) parts.push('redelivered')
  if (typeof v.requeue === 'boolean' && (name === 'Basic.Nack' || name === 'Basic.Reject')) parts.push(v.requeue ? 'requeue' : 'no requeue')
  if (typeof v.replyCode === 'number') parts.push(`${v.replyCode} ${String(v.replyText ?? '')}`)
  if (typeof v.channelMax === 'number') parts.push(`channel-max=${v.channelMax} frame-max=${String(v.frameMax)} heartbeat=${String(v.heartbeat)}`)
  return parts.join(' ')
}

function contentHeader(r: ByteReader, out: Inner): void {
  const at = r.pos
  const classId = r.u16('class id')
  const weight = r.u16('weight')
  const bodySize = Number(r.u64('body size'))
  out.keys.bodySize = bodySize
  out.summary = `Content header ${bodySize} bytes`
  out.fields.push(
    field('Class', at, at + 2, `${className(classId) ?? 'unknown'} (${classId})`, { id: AMQP.headerClass }),
    field('Weight', at + 2, at + 4, String(weight), { id: AMQP.headerWeight, ...(weight !== 0 ? { malformed: 'weight must be 0' } : {}) }),
    field('Body size', at + 4, at + 12, `${bodySize} bytes`, { id: AMQP.headerBodySize })
  )
  const props = propertiesInfo(classId)
  if (!props) return r.fail(`class ${classId} has no content properties`, at, at + 2)
  const p = properties(r, props)
  out.fields.push(p.flagsField)
  if (p.fields.length) out.fields.push(field('Properties', p.flagsField.end, r.pos, undefined, { id: AMQP.headerProperties, children: p.fields }))
  Object.assign(out.keys, p.values)
  const shown = Object.entries(p.values)
    .filter(([k]) => !k.includes('.'))
    .map(([k, v]) => `${label(k).toLowerCase()}=${String(v)}`)
    .join(' ')
  out.summary = `Content header ${bodySize} bytes${shown ? ` ${shown}` : ''}`
}

function body(r: ByteReader, out: Inner): void {
  const at = r.pos
  const bytes = r.bytes(r.left, 'body')
  const text = printable(bytes, 200)
  out.fields.push(field('Body', at, r.pos, `«${text}»`, { id: AMQP.payload }))
  out.keys.body = text
  out.summary = `Body «${printable(bytes, 60)}»`
}

/** Drops undefined keys (PDU keys are strings, numbers and booleans): `k` itself when it has none. */
function clean(k: AmqpKeys): Record<string, string | number | boolean> {
  let whole = true
  for (const key in k)
    if (k[key as keyof AmqpKeys] === undefined) {
      whole = false
      break
    }
  if (whole) return k as Record<string, string | number | boolean>
  const out: Record<string, string | number | boolean> = {}
  // for…in, not Object.entries: no array of pairs per PDU (a plain object: only its own keys).
  for (const key in k) {
    const v = k[key as keyof AmqpKeys]
    if (v !== undefined) out[key] = v
  }
  return out
}

/** The message body (first 200 characters), across its body frames. */
function bodyText(buf: Uint8Array, parts: (Field | undefined)[]): string {
  const chunks = parts.filter((p): p is Field => !!p).map((p) => buf.subarray(p.start, p.end))
  const all = new Uint8Array(chunks.reduce((n, c) => n + Math.min(c.length, 800), 0))
  let at = 0
  for (const c of chunks) {
    all.set(c.subarray(0, 800), at)
    at += Math.min(c.length, 800)
  }
  return printable(all, 200)
}

export function decodeAmqp(pdu: Uint8Array): Decoded {
  if (pdu[0] === PROTOCOL_HEADER[0]) return protocolHeader(pdu)
  const r = new ByteReader(pdu)
  const frames: FrameResult[] = []
  while (!r.done) frames.push(frame(r))
  const [first] = frames
  const keys: AmqpKeys = { frame: first.kind, frames: frames.length, channel: first.channel }
  for (const f of frames) Object.assign(keys, f.keys)
  let summary = first.summary
  if (typeof keys.method === 'string' && CONTENT_METHODS.has(keys.method) && frames.length > 1) {
    const bodies = frames.filter((f) => f.kind === 'body').map((f) => f.field.children?.find((c) => c.id === AMQP.payload))
    keys.body = bodyText(r.buf, bodies)
    summary = `${first.summary} «${keys.body.length > 60 ? `${keys.body.slice(0, 60)}…` : keys.body}»`
  }
  const malformed = frames.find((f) => f.malformed)?.malformed
  const decoded: Decoded = {
    summary,
    fields: frames.length === 1 ? (first.field.children ?? []) : frames.map((f) => f.field),
    keys: clean(keys)
  }
  if (malformed) decoded.malformed = malformed
  return decoded
}

/** Does this look like AMQP 0-9-1? The protocol header, or a frame with a known type and the end octet where its size says. */
export function looksLike(first: Uint8Array, _dir: Direction): number {
  try {
    if (first.length >= 4 && PROTOCOL_HEADER.every((b, i) => first[i] === b)) return first.length >= 8 && first[4] === 0 && first[5] === 0 && first[6] === 9 && first[7] === 1 ? 1 : 0.9
    if (first.length < HEADER + 1 || !AMQP_FRAME_TYPES[first[0]]) return 0
    const size = u32(first, 3)
    if (first.length < HEADER + size + 1) return 0.3
    return first[HEADER + size] === FRAME_END ? 0.9 : 0
  } catch {
    return 0
  }
}

export const WELL_KNOWN_PORTS = [AMQP_PORT]

export function createAmqpDissector(): StreamDissector {
  return framed<null>({
    protocol: 'amqp',
    state: () => null,
    pduLength: (buf) => amqpPduLength(buf),
    decode: (pdu) => decodeAmqp(pdu),
    maxPdu: MAX_PDU
  })
}

export const amqpDissector: DissectorDef = {
  id: 'amqp',
  name: 'AMQP 0-9-1',
  transport: 'tcp',
  ports: WELL_KNOWN_PORTS,
  looksLike,
  create: createAmqpDissector
}
