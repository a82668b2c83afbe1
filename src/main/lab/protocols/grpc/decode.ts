// Field trees for what gRPC puts on HTTP/2: one length-prefixed message (compressed flag, each of
// the 4 length bytes, the protobuf fields named from the .proto), and the gRPC meaning of the
// request headers, response headers and trailers, each pointing at the HPACK representation that
// carried it. Pure: never throws.
import type { Direction, Field, Malformed } from '../../../../shared/events'
import { GRPC_FIELDS as F, grpcStatusName } from '../../../../shared/protocols/grpc'
import { chain } from '../../dissect/chain'
import { field, hex, hexByte } from '../../dissect/fields'
import { ByteReader } from '../common/reader'
import type { MethodInfo } from './schema'

export interface DecodedMessage {
  summary: string
  fields: Field[]
  messageType?: string
  malformed?: Malformed
}

const WEIGHTS = ['× 16777216 (2^24)', '× 65536 (2^16)', '× 256 (2^8)', '× 1']

const LINE_BREAK = /[\n\r\u2028\u2029]/

/** `name (type = n)` → `name`: what `name.replace(/ \(.*\)$/, '')` does, without the regex. */
export function withoutType(name: string): string {
  const first = name.indexOf(' (')
  if (first < 0 || !name.endsWith(')')) return name
  // Without line breaks (nearly always), the first ` (` is the one.
  if (!LINE_BREAK.test(name)) return first + 2 < name.length ? name.slice(0, first) : name
  // `.` stops at line breaks, so the ` (` must come after the last one.
  const at = name.indexOf(' (', Math.max(name.lastIndexOf('\n'), name.lastIndexOf('\r'), name.lastIndexOf('\u2028'), name.lastIndexOf('\u2029')) + 1)
  return at >= 0 && at + 2 < name.length ? name.slice(0, at) : name
}

/** A short rendering of protobuf fields: `{sensor_id: "A1", ultimos_minutos: 5}` (repeated fields as lists). */
export function briefFields(fields: Field[], max = 90): string {
  const values = new Map<string, string[]>()
  for (const f of fields) {
    const name = withoutType(f.name)
    const v = f.value ?? ''
    const shown = v.length > 40 ? v.slice(0, 39) + '…' : v
    const vs = values.get(name)
    if (vs) vs.push(shown)
    else values.set(name, [shown])
  }
  let text = '{'
  for (const [k, vs] of values) {
    if (text.length > 1) text += ', '
    text += `${k}: ${vs.length > 1 ? `[${vs.join(', ')}]` : vs[0]}`
  }
  text += '}'
  return text.length > max ? text.slice(0, max - 1) + '…' : text
}

/** One whole length-prefixed message (`msg` = 5-byte prefix + data). */
export function decodeMessage(
  msg: Uint8Array,
  o: { dir: Direction; path: string; info?: MethodInfo; index: number; encoding?: string }
): DecodedMessage {
  const flag = msg[0]
  const length = new ByteReader(msg, 1).u32('message length')
  const role = o.dir === 'c2s' ? 'request' : 'response'
  const type = o.info ? (o.dir === 'c2s' ? o.info.requestType : o.info.responseType) : undefined
  const lengthBytes = [1, 2, 3, 4].map((i) =>
    field(`Length byte ${i}`, i, i + 1, `${hexByte(msg[i])} = ${msg[i]} ${WEIGHTS[i - 1]}`, {
      id: F.lengthByte
    })
  )
  const prefix: Field[] = [
    field(
      'Compressed flag',
      0,
      1,
      flag === 1
        ? `1: compressed with ${o.encoding ?? 'the grpc-encoding of the call'}`
        : '0: not compressed',
      { id: F.compressedFlag }
    ),
    field(
      'Message length',
      1,
      5,
      `${length} byte${length === 1 ? '' : 's'} (${hex(msg.subarray(1, 5), ' ')}, big-endian)`,
      { id: F.messageLength, children: lengthBytes }
    )
  ]
  let malformed: Malformed | undefined
  let data: Field
  let detail: string
  if (flag === 1) {
    detail = `compressed (${o.encoding ?? 'no grpc-encoding'})`
    data = field('Message data', 5, msg.length, `${length} bytes, ${detail}: not decoded`, {
      id: F.messageData
    })
    if (!o.encoding || o.encoding === 'identity')
      malformed = {
        reason: 'the compressed flag is set but the call declared no grpc-encoding',
        start: 0,
        end: 1
      }
  } else {
    // The protobuf inside, through the chaining API: named from the .proto when the method is known.
    const body = msg.subarray(5)
    const pb = chain(
      body,
      type
        ? { dir: o.dir, outer: 'grpc', offset: 5, path: o.path, schema: type }
        : { dir: o.dir, outer: 'grpc', offset: 5, path: o.path },
      'protobuf'
    )
    const children = pb?.fields ?? []
    const named = children.filter((f) => !f.malformed)
    detail = type ? `${type.name} ${briefFields(named)}` : `${body.length} bytes, no schema`
    const count = `${named.length} field${named.length === 1 ? '' : 's'}`
    data = field(
      'Message data',
      5,
      msg.length,
      body.length
        ? type
          ? `${type.name}: ${count}`
          : `Protobuf without a schema: ${count}`
        : `empty ${type?.name ?? 'message'}: every field has its default value`,
      { id: F.messageData, children }
    )
    if (pb?.malformed)
      malformed = {
        reason: `${type?.name ?? 'Protobuf'}: ${pb.malformed.reason}`,
        start: pb.malformed.start,
        end: pb.malformed.end
      }
    else if (!o.info)
      malformed = {
        reason: `${o.path} is not a method of the .proto Wirelab knows (sensor.proto): fields shown without names, like protoc --decode_raw`,
        start: 5,
        end: msg.length
      }
  }
  const top = field(
    'gRPC message',
    0,
    msg.length,
    `${o.path} ${role} #${o.index}${type ? ` · ${type.name}` : ''}`,
    { id: F.message, children: [...prefix, data] }
  )
  if (malformed) top.malformed = malformed.reason
  const name = o.info?.method ?? o.path
  // Optional keys assigned after the literal, in the same order (no spread per message).
  const decoded: DecodedMessage = {
    summary: `${name} ${role} #${o.index}: ${detail}${malformed ? ` [malformed: ${malformed.reason}]` : ''}`,
    fields: [top]
  }
  if (type) decoded.messageType = type.name
  if (malformed) decoded.malformed = malformed
  return decoded
}

// ---------------------------------------------------------------- headers and trailers

/** A header as the HTTP/2 dissector decoded it: its HPACK representation's range in the frame. */
export interface HeaderRep {
  name: string
  value: string
  start: number
  end: number
}

/** The decoded headers of an http2 HEADERS/CONTINUATION PDU, from its field tree. */
export function headerReps(fields: Field[]): HeaderRep[] {
  const block = fields
    .find((f) => f.id === 'http2.payload')
    ?.children?.find((f) => f.id === 'http2.header_block')
  const out: HeaderRep[] = []
  for (const f of block?.children ?? []) {
    if (f.id !== 'http2.header') continue
    const at = f.name.indexOf(': ', 1)
    if (at < 0) continue
    out.push({ name: f.name.slice(0, at), value: f.name.slice(at + 2), start: f.start, end: f.end })
  }
  return out
}

const TIMEOUT_UNITS: Record<string, [number, string]> = {
  H: [3_600_000, 'hours'],
  M: [60_000, 'minutes'],
  S: [1000, 'seconds'],
  m: [1, 'milliseconds'],
  u: [0.001, 'microseconds'],
  n: [0.000001, 'nanoseconds']
}

/** `grpc-timeout: 1999m` → 1999 ms (null when it does not follow the spec: 1–8 digits and a unit). */
export function parseTimeout(v: string): { ms: number; text: string } | null {
  const m = /^(\d{1,8})([HMSmun])$/.exec(v)
  if (!m) return null
  const [mult, unit] = TIMEOUT_UNITS[m[2]]
  return { ms: Number(m[1]) * mult, text: `${Number(m[1])} ${unit}` }
}

/** grpc-message is percent-encoded UTF-8. */
export function percentDecode(v: string): string {
  try {
    return decodeURIComponent(v)
  } catch {
    return v
  }
}

const bounds = (children: Field[]): [number, number] => [
  Math.min(...children.map((c) => c.start)),
  Math.max(...children.map((c) => c.end))
]

export interface HeadersMeaning {
  fields: Field[]
  problems: string[]
}

/** The request headers of a gRPC call. */
export function callFields(
  reps: HeaderRep[],
  path: string,
  info: MethodInfo | undefined
): HeadersMeaning & { timeoutMs?: number; encoding?: string } {
  const children: Field[] = []
  const problems: string[] = []
  let timeoutMs: number | undefined
  let encoding: string | undefined
  for (const h of reps) {
    const at = [h.start, h.end] as const
    switch (h.name) {
      case ':path':
        children.push(
          field(
            `:path: ${h.value}`,
            ...at,
            info
              ? `service ${info.service}, method ${info.method} (${info.callType})`
              : `not a method of sensor.proto`,
            { id: F.path, ...(info ? {} : { malformed: `unknown method ${path}` }) }
          )
        )
        break
      case 'content-type':
        children.push(
          field(`content-type: ${h.value}`, ...at, 'application/grpc: the body is length-prefixed messages', {
            id: F.contentType
          })
        )
        break
      case 'te':
        children.push(
          field(
            `te: ${h.value}`,
            ...at,
            h.value === 'trailers'
              ? 'the client accepts trailers: the call’s status comes after the body'
              : 'gRPC needs "te: trailers"',
            { id: F.te }
          )
        )
        break
      case 'grpc-timeout': {
        const t = parseTimeout(h.value)
        if (t) timeoutMs = t.ms
        else problems.push(`grpc-timeout "${h.value}" is not 1–8 digits and a unit (H M S m u n)`)
        children.push(
          field(
            `grpc-timeout: ${h.value}`,
            ...at,
            t ? `deadline in ${t.text}: the call is cancelled after that` : 'not a valid timeout',
            { id: F.timeout }
          )
        )
        break
      }
      case 'grpc-encoding':
        encoding = h.value
        children.push(
          field(`grpc-encoding: ${h.value}`, ...at, 'how this side compresses messages whose flag is 1', {
            id: F.encoding
          })
        )
        break
      default:
        if (h.name.startsWith(':') || h.name.startsWith('grpc-') || h.name === 'user-agent')
          children.push(
            field(
              `${h.name}: ${h.value}`,
              ...at,
              h.name.startsWith('grpc-') ? 'gRPC header' : 'HTTP/2 header',
              { id: F.header }
            )
          )
    }
  }
  if (!reps.some((h) => h.name === 'te')) problems.push('no "te: trailers" header: gRPC requires it')
  const [start, end] = bounds(children)
  const top = field(
    'gRPC call',
    start,
    end,
    `${path}${info ? ` · ${info.callType}` : ''}${timeoutMs !== undefined ? ` · deadline ${timeoutMs} ms` : ''}`,
    { id: F.call, children }
  )
  return {
    fields: [top],
    problems,
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(encoding ? { encoding } : {})
  }
}

/** Response headers and/or trailers (a trailers-only response carries both in one block). */
export function responseFields(
  reps: HeaderRep[],
  trailers: boolean
): HeadersMeaning & { status?: number; grpcMessage?: string; encoding?: string } {
  const children: Field[] = []
  const problems: string[] = []
  let status: number | undefined
  let grpcMessage: string | undefined
  let encoding: string | undefined
  for (const h of reps) {
    const at = [h.start, h.end] as const
    if (h.name === 'grpc-status') {
      const n = /^\d+$/.test(h.value) ? Number(h.value) : NaN
      if (Number.isNaN(n)) problems.push(`grpc-status "${h.value}" is not a number`)
      else status = n
      children.push(
        field(
          `grpc-status: ${h.value}`,
          ...at,
          Number.isNaN(n)
            ? 'not a number'
            : `${grpcStatusName(n)} (${n})${n === 0 ? ': the call succeeded' : ''}`,
          { id: F.status }
        )
      )
    } else if (h.name === 'grpc-message') {
      grpcMessage = percentDecode(h.value)
      children.push(
        field(`grpc-message: ${h.value}`, ...at, JSON.stringify(grpcMessage), { id: F.statusMessage })
      )
    } else if (h.name === 'content-type')
      children.push(field(`content-type: ${h.value}`, ...at, 'application/grpc', { id: F.contentType }))
    else if (h.name === 'grpc-encoding') {
      encoding = h.value
      children.push(
        field(`grpc-encoding: ${h.value}`, ...at, 'how the server compresses messages whose flag is 1', {
          id: F.encoding
        })
      )
    } else if (h.name === ':status' || h.name.startsWith('grpc-'))
      children.push(
        field(
          `${h.name}: ${h.value}`,
          ...at,
          h.name === ':status'
            ? 'HTTP status: 200 even when the call fails (the gRPC status is in grpc-status)'
            : 'gRPC header',
          { id: F.header }
        )
      )
  }
  if (trailers && status === undefined) problems.push('the trailers carry no grpc-status')
  const name = trailers ? 'gRPC status (trailers)' : 'gRPC response headers'
  const value = trailers
    ? status !== undefined
      ? `${grpcStatusName(status)} (${status})${grpcMessage ? `: ${grpcMessage}` : ''}`
      : 'no grpc-status'
    : 'the server accepted the call'
  if (!children.length) return { fields: [], problems }
  const [start, end] = bounds(children)
  return {
    fields: [field(name, start, end, value, { id: trailers ? F.trailers : F.responseHeaders, children })],
    problems,
    ...(status !== undefined ? { status } : {}),
    ...(grpcMessage !== undefined ? { grpcMessage } : {}),
    ...(encoding ? { encoding } : {})
  }
}
