// Thrift RPC: the message header (version and type, method name, sequence id) and the body struct
// with field names from the IDL, over either transport (framed: a 4-byte length before each
// message; buffered: messages back to back) and either protocol (binary, compact). Transport and
// protocol are recognised from each direction's first bytes. Reads are bounded: a declared method
// name, string or frame longer than a Thrift peer would send is malformed at once, so bytes that
// are not Thrift (curl's `GET `, read as a 1.2 GB length) never make the dissector wait.
import type { Direction, Field } from '../../../../shared/events'
import {
  THRIFT,
  THRIFT_MESSAGE_TYPES,
  type ThriftKeys,
  type ThriftMessageType,
  type ThriftProtocolName,
  type ThriftTransportName
} from '../../../../shared/protocols/thrift'
import { field, hex, hexByte, printable, thousands, utf8 } from '../../dissect/fields'
import { DissectError, reasonOf } from '../../dissect/error'
import { framed, type FramedProtocol, type LengthResult } from '../../dissect/reassembly'
import type { Decoded, DissectorDef } from '../../dissect/types'
import { branch, leaf, masked } from '../common/field-literals'
import { plainAscii } from '../common/reader'
import { walkThriftStruct, type ThriftNames } from '../common/thrift-struct'
import { hmsIdl, type ThriftIdl } from './idl'
import { THRIFT_MAX_MESSAGE } from './server'

/** Longest method name accepted; anything longer is not a method name. */
export const METHOD_NAME_LIMIT = 65_535
const VERSION_1 = 0x80010000
const METHOD_NAME_ID = `${THRIFT.method}.name`
const VERSION_NUMBER_ID = `${THRIFT.version}.number`
const COMPACT_ID = 0x82

interface Framing {
  transport: ThriftTransportName
  protocol: ThriftProtocolName
  strict: boolean
}

interface State {
  framing: Partial<Record<Direction, Framing>>
  /** The walk that measured a direction's next message, reused to decode it (`framed` decodes right after). */
  walked: Partial<Record<Direction, { length: number; walk: Walk }>>
  /** How long a direction's buffer must grow before the next message can be complete. */
  wait: Partial<Record<Direction, number>>
  /** Why a direction's bytes stopped being Thrift, once they did, and whether that PDU was shown. */
  lost: Partial<Record<Direction, { reason: string; shown: boolean }>>
}

const u32 = (b: Uint8Array, at: number): number => ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0
const fmt = thousands

/** The framing that `b` starts with, 'more' if it is too short to tell, or why it is not Thrift. */
function detect(b: Uint8Array): Framing | 'more' | { bad: string } {
  if (b.length >= 1 && b[0] === COMPACT_ID) {
    if (b.length < 2) return 'more'
    if ((b[1] & 0x1f) === 1) return { transport: 'buffered', protocol: 'compact', strict: true }
  }
  if (b.length < 4) return 'more'
  const word = u32(b, 0)
  if ((word & 0xffff0000) >>> 0 === VERSION_1 >>> 0) return { transport: 'buffered', protocol: 'binary', strict: true }
  if (word > 0 && word <= THRIFT_MAX_MESSAGE) {
    // A frame length, if a message header follows it.
    if (b.length < 6) return 'more'
    if (b[4] === 0x80 && b[5] === 0x01) return { transport: 'framed', protocol: 'binary', strict: true }
    if (b[4] === COMPACT_ID && (b[5] & 0x1f) === 1) return { transport: 'framed', protocol: 'compact', strict: true }
  }
  // An old, non-strict binary message starts with the method name's length.
  if (word > 0 && word <= METHOD_NAME_LIMIT) {
    const end = Math.min(b.length, 4 + word)
    let printableName = true
    for (let i = 4; i < end; i++) if (b[i] < 0x20 || b[i] > 0x7e) printableName = false
    if (printableName) return { transport: 'buffered', protocol: 'binary', strict: false }
  }
  const text = printable(b.subarray(0, 4))
  return {
    bad:
      `the first 4 bytes ("${text}", ${hex(b.subarray(0, 4))}) read as an i32 are ${fmt(word)}: not a version word ` +
      `(its top bit 0x80000000 is not set), so a strict reader rejects the message; a lenient one takes it ` +
      `as the method name's length and waits for ${fmt(word)} bytes`
  }
}

/** How sure it is that `first` starts a Thrift message (0 = no), in either direction. Never throws. */
export function looksLike(first: Uint8Array): number {
  try {
    const d = detect(first)
    if (d === 'more' || 'bad' in d) return 0
    return d.strict ? 0.9 : 0.3
  } catch {
    return 0
  }
}

interface Header {
  fields: Field[]
  method: string
  mtype: ThriftMessageType | `type ${number}`
  seqid: number
  /** Where the body struct starts. */
  body: number
}

/** Reads the message header at `at`; throws DissectError (truncated when more bytes could complete it). */
function readHeader(b: Uint8Array, at: number, limit: number, f: Framing): Header {
  const need = (n: number, what: string, pos: number): void => {
    if (pos + n > limit) throw new DissectError(`truncated ${what}`, pos, limit, pos + n)
  }
  const mtypeName = (t: number): Header['mtype'] =>
    THRIFT_MESSAGE_TYPES[t as keyof typeof THRIFT_MESSAGE_TYPES] ?? (`type ${t}` as const)
  const name = (lenStart: number, len: number, lenEnd: number): { method: string; field: Field; end: number } => {
    if (len > METHOD_NAME_LIMIT)
      throw new DissectError(
        `method name length ${fmt(len)} exceeds ${fmt(METHOD_NAME_LIMIT)}: not a Thrift message (a lenient reader would wait for those bytes)`,
        lenStart,
        limit
      )
    need(len, 'method name', lenEnd)
    const ascii = plainAscii(b, lenEnd, lenEnd + len)
    const method = ascii ?? utf8(b.subarray(lenEnd, lenEnd + len))
    const quoted = ascii !== undefined ? `"${ascii}"` : JSON.stringify(method)
    return {
      method,
      end: lenEnd + len,
      field: branch('Method name', lenStart, lenEnd + len, quoted, THRIFT.method, [
        leaf('Length', lenStart, lenEnd, `${len} bytes`, THRIFT.methodLength),
        leaf('Name (UTF-8)', lenEnd, lenEnd + len, quoted, METHOD_NAME_ID)
      ])
    }
  }
  if (f.protocol === 'compact') {
    need(2, 'compact header', at)
    const vt = b[at + 1]
    const typeName = mtypeName(vt >> 5)
    // seqid and name length are varints.
    const varint = (pos: number, what: string): { value: number; end: number } => {
      let value = 0
      let mult = 1
      for (let i = 0; i < 5; i++) {
        need(1, what, pos + i)
        const x = b[pos + i]
        value += (x & 0x7f) * mult
        if ((x & 0x80) === 0) return { value, end: pos + i + 1 }
        mult *= 128
      }
      throw new DissectError(`${what}: varint longer than 5 bytes`, pos, limit)
    }
    const seq = varint(at + 2, 'sequence id')
    const len = varint(seq.end, 'method name length')
    const n = name(seq.end, len.value, len.end)
    return {
      method: n.method,
      mtype: typeName,
      seqid: seq.value,
      body: n.end,
      fields: [
        leaf('Protocol id', at, at + 1, `${hexByte(b[at])}: compact protocol`, THRIFT.protocolId),
        branch('Version and type', at + 1, at + 2, `${hexByte(vt)}: version ${vt & 0x1f}, ${typeName}`, THRIFT.version, [
          masked('Message type', at + 1, at + 2, `${vt >> 5} = ${typeName}`, THRIFT.type, 0xe0),
          masked('Version', at + 1, at + 2, String(vt & 0x1f), VERSION_NUMBER_ID, 0x1f)
        ]),
        leaf('Sequence id (varint)', at + 2, seq.end, String(seq.value), THRIFT.seqid),
        n.field
      ]
    }
  }
  if (f.strict) {
    need(4, 'version word', at)
    const word = u32(b, at)
    const typeName = mtypeName(word & 0xff)
    need(4, 'method name length', at + 4)
    const n = name(at + 4, u32(b, at + 4), at + 8)
    need(4, 'sequence id', n.end)
    const seqid = u32(b, n.end) | 0
    return {
      method: n.method,
      mtype: typeName,
      seqid,
      body: n.end + 4,
      fields: [
        branch('Version and type', at, at + 4, `0x${word.toString(16)}: version 1, ${typeName}`, THRIFT.version, [
          leaf('Version', at, at + 2, '0x8001 (strict binary, version 1)', VERSION_NUMBER_ID),
          leaf('Message type', at + 3, at + 4, `${word & 0xff} = ${typeName}`, THRIFT.type)
        ]),
        n.field,
        leaf('Sequence id', n.end, n.end + 4, String(seqid), THRIFT.seqid)
      ]
    }
  }
  need(4, 'method name length', at)
  const n = name(at, u32(b, at), at + 4)
  need(5, 'message type and sequence id', n.end)
  const typeName = mtypeName(b[n.end])
  const seqid = u32(b, n.end + 1) | 0
  return {
    method: n.method,
    mtype: typeName,
    seqid,
    body: n.end + 5,
    fields: [
      n.field,
      leaf('Message type', n.end, n.end + 1, `${b[n.end]} = ${typeName} (no version word: a non-strict writer)`, THRIFT.type),
      leaf('Sequence id', n.end + 1, n.end + 5, String(seqid), THRIFT.seqid)
    ]
  }
}

const APP_EXCEPTION: ThriftNames = { 1: 'message', 2: 'type' }

function bodyOf(idl: ThriftIdl, h: Header): { names: ThriftNames; prefix: string; label: string } {
  if (h.mtype === 'EXCEPTION') return { names: APP_EXCEPTION, prefix: THRIFT.exception, label: 'TApplicationException' }
  const reply = h.mtype === 'REPLY'
  return {
    names: idl.bodyNames(h.method, reply),
    prefix: reply ? THRIFT.result : THRIFT.args,
    label: `${h.method}_${reply ? 'result' : 'args'}`
  }
}

type Walk = ReturnType<typeof walkMessage>

/** Walks one message at `at`: header then body. Throws DissectError. */
function walkMessage(idl: ThriftIdl, b: Uint8Array, at: number, limit: number, f: Framing) {
  const h = readHeader(b, at, limit, f)
  const body = bodyOf(idl, h)
  const s = walkThriftStruct(b, h.body, limit, f.protocol, body.names, body.prefix, { bound: THRIFT_MAX_MESSAGE })
  return { h, body, s }
}

/**
 * What `JSON.stringify` writes for a decoded value (an i64 beyond 2^53, a bigint, as its digits in
 * quotes), written only until it is longer than `max` characters: a summary shows the first 80 of
 * a reply that may be kilobytes long.
 */
class JsonPrefix {
  text = ''
  constructor(readonly max: number) {}

  /** Appends `v` (a value JSON.stringify writes, not undefined) unless the text is already long enough. */
  add(v: unknown): void {
    if (this.text.length > this.max) return
    if (typeof v === 'string') this.text += JSON.stringify(v)
    else if (typeof v === 'number') this.text += Number.isFinite(v) ? String(v) : 'null'
    else if (typeof v === 'bigint') this.text += `"${v.toString()}"`
    else if (typeof v === 'boolean') this.text += String(v)
    else if (v === null) this.text += 'null'
    else if (Array.isArray(v)) {
      this.text += '['
      for (let i = 0; i < v.length && this.text.length <= this.max; i++) {
        if (i) this.text += ','
        const x: unknown = v[i]
        if (skipped(x)) this.text += 'null'
        else this.add(x)
      }
      this.text += ']'
    } else if (typeof v === 'object') {
      this.text += '{'
      let first = true
      for (const [k, x] of Object.entries(v)) {
        if (this.text.length > this.max) break
        if (skipped(x)) continue
        this.text += `${first ? '' : ','}${JSON.stringify(k)}:`
        first = false
        this.add(x)
      }
      this.text += '}'
    }
  }
}

/** Values JSON.stringify leaves out of objects (and writes as null in arrays). */
const skipped = (x: unknown): boolean => x === undefined || typeof x === 'function' || typeof x === 'symbol'

const short = (v: unknown): string => {
  let text = 'void'
  if (!skipped(v)) {
    const j = new JsonPrefix(80)
    j.add(v)
    text = j.text
  }
  return text.length > 80 ? text.slice(0, 79) + '…' : text
}

function summary(h: Header, value: Record<string, unknown>): string {
  if (h.mtype === 'CALL' || h.mtype === 'ONEWAY') {
    const args = Object.entries(value).map(([k, v]) => `${k}=${short(v)}`)
    return `${h.mtype} ${h.method}(${args.join(', ')}) seqid=${h.seqid}`
  }
  if (h.mtype === 'EXCEPTION') return `EXCEPTION ${h.method}: ${String(value.message ?? '')} seqid=${h.seqid}`
  const [k, v] = Object.entries(value)[0] ?? ['void', undefined]
  return k === 'success' || k === 'void'
    ? `REPLY ${h.method} → ${short(v)} seqid=${h.seqid}`
    : `REPLY ${h.method} ✗ ${k}: ${short(v)} seqid=${h.seqid}`
}

function text(b: Uint8Array): string | undefined {
  const line = b.subarray(0, Math.min(b.length, 200))
  const end = line.indexOf(0x0d) >= 0 ? line.indexOf(0x0d) : line.indexOf(0x0a)
  const first = line.subarray(0, end >= 0 ? end : line.length)
  return first.every((c) => c >= 0x20 && c < 0x7f) && first.length >= 4 ? utf8(first) : undefined
}

export function thriftRpc(idl: ThriftIdl): FramedProtocol<State> {
  return {
    protocol: 'thrift',
    maxPdu: THRIFT_MAX_MESSAGE + 4,
    state: () => ({ framing: {}, lost: {}, wait: {}, walked: {} }),
    pduLength(buf, dir, st): LengthResult {
      if (st.lost[dir]) return buf.length
      let f = st.framing[dir]
      if (!f) {
        const d = detect(buf)
        if (d === 'more') return 'more'
        if ('bad' in d) {
          st.lost[dir] = { reason: d.bad, shown: false }
          return buf.length
        }
        f = st.framing[dir] = d
      }
      if (f.transport === 'framed') {
        if (buf.length < 4) return 'more'
        const len = u32(buf, 0)
        if (len === 0 || len > THRIFT_MAX_MESSAGE) {
          st.lost[dir] = { reason: `frame length ${fmt(len)} is outside 1–${fmt(THRIFT_MAX_MESSAGE)}: not a Thrift frame`, shown: false }
          return buf.length
        }
        return 4 + len
      }
      // A message still arriving is walked again only once the bytes it lacked have come.
      if (buf.length < (st.wait[dir] ?? 0)) return 'more'
      try {
        const walk = walkMessage(idl, buf, 0, buf.length, f)
        st.wait[dir] = 0
        st.walked[dir] = { length: walk.s.end, walk }
        return walk.s.end
      } catch (err) {
        if (err instanceof DissectError && err.needed !== undefined) {
          st.wait[dir] = err.needed
          return 'more'
        }
        st.lost[dir] = { reason: reasonOf(err), shown: false }
        return buf.length
      }
    },
    decode(pdu, dir, st): Decoded {
      const lost = st.lost[dir]
      const f = st.framing[dir]
      if (lost || !f) {
        const first = !lost?.shown
        if (lost) lost.shown = true
        return notThrift(pdu, lost?.reason ?? 'not a Thrift message', first && !f)
      }
      const fields: Field[] = []
      let at = 0
      if (f.transport === 'framed')
        fields.push(leaf('Frame length', 0, 4, `${fmt(u32(pdu, 0))} bytes`, THRIFT.frameLength))
      if (f.transport === 'framed') at = 4
      const cached = st.walked[dir]
      st.walked[dir] = undefined
      try {
        const { h, body, s } = cached && cached.length === pdu.length && at === 0 ? cached.walk : walkMessage(idl, pdu, at, pdu.length, f)
        fields.push(branch('Message header', at, h.body, `${h.mtype} ${h.method}, seqid ${h.seqid}`, 'thrift.header', h.fields))
        fields.push(branch(body.label, h.body, s.end, `${s.fields.length - 1} field${s.fields.length === 2 ? '' : 's'}`, body.prefix, s.fields))
        const keys: ThriftKeys = {
          method: h.method,
          seqid: h.seqid,
          mtype: h.mtype as ThriftMessageType,
          protocol: f.protocol,
          transport: f.transport,
          strict: f.strict
        }
        if (s.end < pdu.length) {
          const reason = `${pdu.length - s.end} bytes after the message's STOP byte`
          fields.push(field('Trailing bytes', s.end, pdu.length, reason, { malformed: reason }))
          return { summary: summary(h, s.value), fields, keys, malformed: { reason, start: s.end, end: pdu.length } }
        }
        return { summary: summary(h, s.value), fields, keys }
      } catch (err) {
        const e = err instanceof DissectError ? err : new DissectError(String(err), at, pdu.length)
        const start = Math.min(Math.max(at, e.start), pdu.length)
        fields.push(field('Malformed message', start, pdu.length, e.message, { malformed: e.message }))
        return { summary: `Malformed THRIFT: ${e.message}`, fields, malformed: { reason: e.message, start, end: pdu.length } }
      }
    }
  }
}

/** Bytes that are not Thrift: what a Thrift reader makes of their first word, and what they look like. */
function notThrift(pdu: Uint8Array, reason: string, first: boolean): Decoded {
  const fields: Field[] = []
  if (pdu.length >= 4 && first) {
    const word = u32(pdu, 0)
    fields.push(
      field('First 4 bytes as an i32', 0, 4, `0x${word.toString(16).padStart(8, '0')} = ${fmt(word)}`, {
        id: 'thrift.not_thrift.word',
        malformed: reason,
        children: [
          field('Top bit (version flag)', 0, 1, word & 0x80000000 ? 'set' : 'not set: no version word', {
            id: 'thrift.not_thrift.version_bit',
            mask: 0x80
          })
        ]
      })
    )
  }
  const line = text(pdu)
  if (line && first) fields.push(field('As text', 0, pdu.length, JSON.stringify(printable(pdu, 120)), { id: 'thrift.not_thrift.text' }))
  else if (!fields.length) fields.push(field('Malformed data', 0, pdu.length, reason, { malformed: reason }))
  const keys = first ? { rejected: true, asLength: pdu.length >= 4 ? u32(pdu, 0) : 0, ...(line ? { text: line } : {}) } : undefined
  return {
    summary: first ? `Not Thrift: ${line ? `"${line}"` : hex(pdu.subarray(0, 8))}` : `Not decoded: the stream is not Thrift (${reason})`,
    fields,
    ...(keys ? { keys } : {}),
    malformed: { reason: first ? reason : `not decoded: ${reason}`, start: 0, end: pdu.length }
  }
}

/** The lesson's dissector: the metastore IDL names the fields. 9083 is Hive Metastore's port, 9090 Thrift's usual one. */
export const thriftDissector: DissectorDef = {
  id: 'thrift',
  name: 'Thrift RPC',
  transport: 'tcp',
  ports: [9083, 9090],
  looksLike,
  create: () => framed(thriftRpc(hmsIdl()))
}
