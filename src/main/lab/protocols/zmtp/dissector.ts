// ZMTP 3.0 and 3.1 (ZeroMQ's wire protocol): each side sends a 64-byte greeting (signature,
// version, security mechanism, as-server), then frames: a flags octet (MORE, LONG, COMMAND), a
// 1- or 8-byte size and the body. Commands (READY with its properties, SUBSCRIBE/CANCEL, PING/PONG,
// ERROR, and the PLAIN/CURVE handshakes) are single frames; a message is the frames up to the one
// without MORE, one PDU. tshark has no ZMTP dissector: the tests use bytes libzmq produced.
import type { Direction, Field } from '../../../../shared/events'
import { ZMTP, ZMTP_FLAGS, ZMQ_PORTS, type ZmtpKeys } from '../../../../shared/protocols/zmtp'
import { field, hex, hexByte, printable } from '../../dissect/fields'
import { framed, type Decoded, type LengthResult } from '../../dissect/reassembly'
import type { DissectorDef, StreamDissector } from '../../dissect/types'
import { ByteReader, DissectError } from '../common/reader'

export const GREETING = 64
const MAX_PDU = 16 * 1024 * 1024

/** Per connection: whether each side's greeting is past, and each side's socket type (from READY). */
export interface ZmtpState {
  greeted: Record<Direction, boolean>
  socketType: Partial<Record<Direction, string>>
  /** The security mechanism both greetings name (NULL, PLAIN, CURVE). */
  mechanism: string
}

const u32 = (b: Uint8Array, at: number): number => b[at] * 0x1000000 + ((b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3])

/** Size of the frame at `at` (header included), 'more', or a reason it cannot be a frame. */
function frameLength(buf: Uint8Array, at: number): number | 'more' | string {
  if (buf.length < at + 1) return 'more'
  const flags = buf[at]
  if (flags & 0xf8) return `flags ${hexByte(flags)} set reserved bits (only MORE 0x01, LONG 0x02 and COMMAND 0x04 exist)`
  if (flags & ZMTP_FLAGS.long) {
    if (buf.length < at + 9) return 'more'
    const hi = u32(buf, at + 1)
    const size = hi * 0x100000000 + u32(buf, at + 5)
    return hi > 0 || size > MAX_PDU ? `frame size ${hi > 0 ? 'beyond 4 GiB' : size} is larger than Wirelab decodes (${MAX_PDU} bytes)` : 9 + size
  }
  if (buf.length < at + 2) return 'more'
  return 2 + buf[at + 1]
}

export function zmtpPduLength(buf: Uint8Array, dir: Direction, state: ZmtpState): LengthResult {
  if (buf.length === 0) return 'more'
  if (!state.greeted[dir]) {
    if (buf[0] !== 0xff) return { malformed: `a ZMTP 3 greeting starts with 0xff, not ${hexByte(buf[0])}: the peer is not speaking ZMTP 3 (or not ZeroMQ at all)` }
    if (buf.length >= 10 && buf[9] !== 0x7f) return { malformed: `byte 9 of a ZMTP 3 greeting is 0x7f, not ${hexByte(buf[9])}: a ZMTP 1.0/2.0 peer or not ZeroMQ` }
    return GREETING
  }
  let at = 0
  for (;;) {
    const n = frameLength(buf, at)
    if (n === 'more') return 'more'
    if (typeof n === 'string') return at > 0 ? at : { malformed: n }
    const flags = buf[at]
    at += n
    // A command is one frame; a message ends with the first frame without MORE.
    if (flags & ZMTP_FLAGS.command || !(flags & ZMTP_FLAGS.more)) return at
  }
}

function flagsField(r: ByteReader): { flags: number; field: Field } {
  const at = r.pos
  const flags = r.u8('flags')
  const bit = (mask: number, name: string, id: string, on: string, off: string): Field => field(name, at, at + 1, flags & mask ? on : off, { id, mask })
  const names = [flags & ZMTP_FLAGS.command ? 'COMMAND' : '', flags & ZMTP_FLAGS.long ? 'LONG' : '', flags & ZMTP_FLAGS.more ? 'MORE' : ''].filter(Boolean)
  return {
    flags,
    field: field('Flags', at, at + 1, `${hexByte(flags)}${names.length ? ` (${names.join(', ')})` : ''}`, {
      id: ZMTP.flags,
      children: [
        bit(ZMTP_FLAGS.more, 'MORE', ZMTP.flagMore, '1: more frames follow', '0: last frame'),
        bit(ZMTP_FLAGS.long, 'LONG', ZMTP.flagLong, '1: 8-byte size', '0: 1-byte size'),
        bit(ZMTP_FLAGS.command, 'COMMAND', ZMTP.flagCommand, '1: command', '0: message frame')
      ]
    })
  }
}

/** Flags and size; returns a reader over the body. */
function frameHead(r: ByteReader, fields: Field[]): { flags: number; body: ByteReader } {
  const f = flagsField(r)
  if (f.flags & 0xf8) r.fail(`flags ${hexByte(f.flags)} set reserved bits`, r.pos - 1, r.pos)
  fields.push(f.field)
  const at = r.pos
  const size = f.flags & ZMTP_FLAGS.long ? Number(r.u64('size')) : r.u8('size')
  fields.push(field('Size', at, r.pos, `${size} byte${size === 1 ? '' : 's'}`, { id: ZMTP.length }))
  return { flags: f.flags, body: r.sub(size, 'frame body') }
}

function greeting(pdu: Uint8Array, dir: Direction, state: ZmtpState): Decoded {
  state.greeted[dir] = true
  const r = new ByteReader(pdu)
  r.u8('signature')
  r.skip(8, 'signature padding')
  if (r.u8('signature end') !== 0x7f) r.fail('the signature ends with 0x7f', 9, 10)
  const major = r.u8('version major')
  const minor = r.u8('version minor')
  const mechRaw = r.bytes(20, 'mechanism')
  const end = mechRaw.indexOf(0)
  const mechanism = printable(mechRaw.subarray(0, end < 0 ? 20 : end))
  state.mechanism = mechanism
  const asServer = r.u8('as-server')
  r.skip(31, 'filler')
  const keys: ZmtpKeys = { kind: 'greeting', version: `${major}.${minor}`, mechanism, asServer: asServer === 1 }
  return {
    summary: `Greeting ZMTP ${major}.${minor} ${mechanism}${asServer ? ' as-server' : ''}`,
    fields: [
      field('Greeting', 0, GREETING, `ZMTP ${major}.${minor}, mechanism ${mechanism}`, {
        id: ZMTP.greeting,
        children: [
          field('Signature', 0, 10, `ff ${hex(pdu.subarray(1, 9))} 7f`, {
            id: ZMTP.signature,
            children: [field('Start', 0, 1, '0xff'), field('Padding', 1, 9, hex(pdu.subarray(1, 9))), field('End', 9, 10, '0x7f')]
          }),
          field('Version major', 10, 11, String(major), { id: ZMTP.versionMajor, ...(major < 3 ? { malformed: 'ZMTP 3 is major version 3' } : {}) }),
          field('Version minor', 11, 12, String(minor), { id: ZMTP.versionMinor }),
          field('Mechanism', 12, 32, `"${mechanism}" (padded with zeros to 20 bytes)`, { id: ZMTP.mechanism }),
          field('As-server', 32, 33, asServer ? '1: this side is the server of the mechanism' : '0', { id: ZMTP.asServer }),
          field('Filler', 33, 64, '31 zero bytes', { id: ZMTP.filler })
        ]
      })
    ],
    keys: clean(keys)
  }
}

/** READY/INITIATE metadata: name-size(1) name value-size(4) value, to the end. */
function properties(r: ByteReader, keys: ZmtpKeys): Field[] {
  const out: Field[] = []
  while (!r.done) {
    const at = r.pos
    const nl = r.u8('property name length')
    const name = r.latin1(nl, 'property name')
    const vat = r.pos
    const vl = r.u32('property value length')
    const value = printable(r.bytes(vl, `${name} value`))
    if (name.toLowerCase() === 'socket-type') keys.socketType = value
    if (name.toLowerCase() === 'identity') keys.identity = value
    out.push(
      field(name, at, r.pos, `"${value}"`, {
        id: ZMTP.property,
        children: [
          field('Name length', at, at + 1, String(nl)),
          field('Name', at + 1, vat, `"${name}"`, { id: ZMTP.propertyName }),
          field('Value length', vat, vat + 4, String(vl)),
          field('Value', vat + 4, r.pos, `"${value}"`, { id: ZMTP.propertyValue })
        ]
      })
    )
  }
  return out
}

/** A command; a body that breaks the grammar keeps the fields read so far and flags the rest. */
function command(pdu: Uint8Array, dir: Direction, state: ZmtpState): Decoded {
  const r = new ByteReader(pdu)
  const fields: Field[] = []
  const { body } = frameHead(r, fields)
  try {
    return commandBody(body, fields, dir, state)
  } catch (err) {
    if (!(err instanceof DissectError)) throw err
    const end = Math.min(pdu.length, Math.max(err.end, err.start + 1))
    const start = Math.min(err.start, end - 1)
    fields.push(field('Malformed', start, end, err.reason, { malformed: err.reason }))
    return { summary: `Command (malformed: ${err.reason})`, fields, keys: { kind: 'command' }, malformed: { reason: err.reason, start, end } }
  }
}

function commandBody(body: ByteReader, fields: Field[], dir: Direction, state: ZmtpState): Decoded {
  const at = body.pos
  const nl = body.u8('command name length')
  const name = body.latin1(nl, 'command name')
  fields.push(field('Command name', at, body.pos, `${nl} "${name}"`, { id: ZMTP.commandName }))
  const keys: ZmtpKeys = { kind: 'command', command: name }
  let summary = name
  const dataAt = body.pos
  switch (name) {
    case 'READY':
    case 'INITIATE': {
      // CURVE's INITIATE is a cookie and a box of encrypted metadata: shown as data.
      if (name === 'INITIATE' && state.mechanism !== 'PLAIN') break
      const props = properties(body, keys)
      if (keys.socketType) state.socketType[dir] = keys.socketType
      fields.push(...props)
      summary = `${name} ${props.map((p) => `${p.name}=${p.value ?? ''}`).join(' ')}`
      break
    }
    case 'SUBSCRIBE':
    case 'CANCEL': {
      const topic = printable(body.bytes(body.left, 'topic'))
      keys.topic = topic
      fields.push(field(name === 'SUBSCRIBE' ? 'Subscription (topic prefix)' : 'Cancelled subscription', dataAt, body.pos, topic ? `"${topic}"` : '"" (every message)', { id: ZMTP.subscription }))
      summary = `${name} "${topic}"`
      break
    }
    case 'PING': {
      const ttl = body.u16('TTL')
      fields.push(field('TTL', dataAt, dataAt + 2, `${ttl} (tenths of a second)`, { id: ZMTP.pingTtl }))
      if (!body.done) fields.push(field('Context', body.pos, body.limit, hex(body.bytes(body.left, 'context')), { id: ZMTP.pingContext }))
      summary = `PING ttl=${ttl / 10} s`
      break
    }
    case 'PONG':
      if (!body.done) fields.push(field('Context', body.pos, body.limit, hex(body.bytes(body.left, 'context')), { id: ZMTP.pingContext }))
      break
    case 'ERROR': {
      const rl = body.u8('reason length')
      const reason = printable(body.bytes(rl, 'reason'))
      keys.reason = reason
      fields.push(field('Reason', dataAt, body.pos, `"${reason}"`, { id: ZMTP.errorReason }))
      summary = `ERROR "${reason}"`
      break
    }
    case 'HELLO': {
      // PLAIN: username and password, each with a 1-byte length (CURVE's HELLO is fixed binary).
      if (state.mechanism === 'PLAIN') {
        const ul = body.u8('username length')
        const user = printable(body.bytes(ul, 'username'))
        const pat = body.pos
        const pl = body.u8('password length')
        const pass = printable(body.bytes(pl, 'password'))
        fields.push(field('Username', dataAt, pat, `"${user}"`), field('Password (PLAIN sends it in clear text)', pat, body.pos, `"${pass}"`))
        summary = `HELLO user "${user}"`
      }
      break
    }
  }
  if (!body.done) fields.push(field('Data', body.pos, body.limit, hex(body.bytes(body.left, 'data').subarray(0, 32)), { id: ZMTP.commandData }))
  return { summary, fields, keys: clean(keys) }
}

const ENVELOPE = new Set(['REQ', 'REP'])

function message(pdu: Uint8Array, dir: Direction, state: ZmtpState): Decoded {
  const r = new ByteReader(pdu)
  const frames: { field: Field; flags: number; text: string; empty: boolean; children: Field[] }[] = []
  while (!r.done) {
    const start = r.pos
    const children: Field[] = []
    const { flags, body } = frameHead(r, children)
    if (flags & ZMTP_FLAGS.command) r.fail('a command frame inside a message', start, start + 1)
    const data = body.bytes(body.left, 'body')
    const text = printable(data, 200)
    frames.push({ field: field('', start, r.pos), flags, text, empty: data.length === 0, children })
    if (data.length) children.push(field('Body', body.limit - data.length, body.limit, `«${text}»`, { id: ZMTP.body }))
  }
  const sender = state.socketType[dir] ?? ''
  const keys: ZmtpKeys = { kind: 'message', frames: frames.length }
  // ZMTP 3.0 subscriptions travel as a one-frame message: 0x01 (subscribe) or 0x00 (cancel), then the topic.
  if ((sender === 'SUB' || sender === 'XSUB') && frames.length === 1 && (pdu[frames[0].children[1].end] === 1 || pdu[frames[0].children[1].end] === 0) && !frames[0].empty) {
    const f = frames[0]
    const bodyAt = f.children[1].end
    const sub = pdu[bodyAt] === 1
    const topic = printable(pdu.subarray(bodyAt + 1, f.field.end))
    keys.command = sub ? 'SUBSCRIBE' : 'CANCEL'
    keys.topic = topic
    return {
      summary: `${sub ? 'SUBSCRIBE' : 'CANCEL'} "${topic}" (ZMTP 3.0 form: a message)`,
      fields: [
        ...f.children.slice(0, 2),
        field(sub ? 'Subscribe' : 'Cancel', bodyAt, bodyAt + 1, sub ? '0x01: subscribe' : '0x00: cancel'),
        field('Subscription (topic prefix)', bodyAt + 1, f.field.end, `"${topic}"`, { id: ZMTP.subscription })
      ],
      keys: clean(keys)
    }
  }
  const envelope = ENVELOPE.has(sender) && frames.length > 1 && frames[0].empty && frames[0].flags & ZMTP_FLAGS.more
  if (envelope) {
    keys.delimiter = true
    frames[0].children.push(field('Delimiter', frames[0].field.end, frames[0].field.end, 'empty frame: the REQ/REP envelope ends here', { id: ZMTP.delimiter }))
  }
  const data = frames.slice(envelope ? 1 : 0)
  if (data.length) keys.first = data[0].text
  keys.body = data
    .map((f) => f.text)
    .join(' | ')
    .slice(0, 200)
  const named = frames.map((f, i) =>
    field(frames.length === 1 ? 'Frame' : `Frame ${i + 1}${envelope && i === 0 ? ' (delimiter)' : ''}`, f.field.start, f.field.end, f.empty ? 'empty' : `«${f.text}»`, { id: ZMTP.frame, children: f.children })
  )
  const shown = data.map((f) => `«${f.text.length > 40 ? `${f.text.slice(0, 40)}…` : f.text}»`).join(' ')
  return {
    summary: `Message${frames.length > 1 ? ` ${frames.length} frames` : ''}${envelope ? ' [delimiter]' : ''} ${shown}`.trim(),
    fields: frames.length === 1 ? frames[0].children : named,
    keys: clean(keys)
  }
}

function clean(k: ZmtpKeys): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {}
  for (const [key, v] of Object.entries(k)) if (v !== undefined) out[key] = v
  return out
}

export function decodeZmtp(pdu: Uint8Array, dir: Direction, state: ZmtpState): Decoded {
  if (!state.greeted[dir]) return greeting(pdu, dir, state)
  return pdu[0] & ZMTP_FLAGS.command ? command(pdu, dir, state) : message(pdu, dir, state)
}

export const newZmtpState = (): ZmtpState => ({ greeted: { c2s: false, s2c: false }, socketType: {}, mechanism: 'NULL' })

/** Does this look like ZMTP 3? The greeting's 0xff … 0x7f signature and major version 3. */
export function looksLike(first: Uint8Array, _dir: Direction): number {
  if (first.length === 0 || first[0] !== 0xff) return 0
  if (first.length < 10) return 0.3
  if (first[9] !== 0x7f) return 0
  if (first.length < 11) return 0.8
  return first[10] === 3 ? 1 : 0.5
}

export const WELL_KNOWN_PORTS = Object.values(ZMQ_PORTS)

export function createZmtpDissector(): StreamDissector {
  return framed<ZmtpState>({
    protocol: 'zmtp',
    state: newZmtpState,
    pduLength: zmtpPduLength,
    decode: decodeZmtp,
    maxPdu: MAX_PDU + 9
  })
}

export const zmtpDissector: DissectorDef = {
  id: 'zmtp',
  name: 'ZMTP 3 (ZeroMQ)',
  transport: 'tcp',
  ports: WELL_KNOWN_PORTS,
  looksLike,
  create: createZmtpDissector
}
