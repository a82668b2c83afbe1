// MQTT 3.1, 3.1.1 and 5.0 (Wireshark's packet-mqtt.c as the model): fixed header bits, the
// remaining-length varint, variable headers (connect flags bit by bit, packet identifiers, MQTT 5
// properties) and payloads, every field with its byte range. Framing comes from `framed()`: the
// "how long is the next PDU" question is the fixed header's remaining length.
import type { Direction, Field } from '../../../../shared/events'
import { field, hexByte, printable } from '../../dissect/fields'
import { DissectError } from '../../dissect/error'
import { framed, type Decoded, type LengthResult } from '../../dissect/reassembly'
import type { DissectorDef } from '../../dissect/types'
import { ByteReader } from '../common/reader'
import { MQTT_FIELDS as F } from '../../../../shared/protocols/mqtt'
import type { MqttKeys } from '../../../../shared/protocols/mqtt'
import { PACKET_TYPES, CONNACK_CODES, REASON_CODES, PROPERTIES, type PacketType } from './names'

export interface MqttState {
  /** Protocol level from the CONNECT: 3 (3.1), 4 (3.1.1) or 5. Until seen, 3.1.1 is assumed. */
  version: number
}

const decoder = new TextDecoder('utf-8', { fatal: true })

/** A length-prefixed field (UTF-8 string or binary data) with its two children. */
function prefixed(r: ByteReader, name: string, id: string, kind: 'string' | 'binary'): { f: Field; value: string; raw: Uint8Array } {
  const start = r.pos
  const len = r.u16(`${name} length`)
  const raw = r.bytes(len, name)
  let value: string
  let malformed: string | undefined
  if (kind === 'string') {
    try {
      value = decoder.decode(raw)
      if (value.includes('\u0000')) malformed = 'UTF-8 string contains U+0000, which MQTT forbids'
    } catch {
      value = printable(raw)
      malformed = 'not valid UTF-8'
    }
  } else value = printable(raw, 400)
  const shown = kind === 'string' ? JSON.stringify(value) : `${JSON.stringify(value)} (${len} byte${len === 1 ? '' : 's'})`
  const f = field(name, start, r.pos, shown, {
    id,
    children: [field('Length', start, start + 2, String(len), { id: `${id}_len` }), field('Value', start + 2, r.pos, shown, { id })],
    ...(malformed ? { malformed } : {})
  })
  return { f, value, raw }
}

function properties(r: ByteReader, id: string): { f: Field; props: Record<string, string | number> } {
  const start = r.pos
  const length = r.varint('Properties length', 4)
  const lenEnd = r.pos
  if (r.pos + length > r.limit)
    throw new DissectError(`Properties length ${length} runs past the end of the packet (${r.limit - r.pos} bytes left)`, start, r.limit)
  const sub = new ByteReader(r.buf, r.pos, r.pos + length)
  const children: Field[] = [field('Properties length', start, lenEnd, String(length), { id: `${id}.len` })]
  const props: Record<string, string | number> = {}
  while (sub.left > 0) {
    const ps = sub.pos
    const pid = sub.varint('Property identifier', 4)
    const def = PROPERTIES[pid]
    if (!def) throw new DissectError(`unknown property identifier ${hexByte(pid)}`, ps, sub.pos)
    const [name, kind] = def
    let value: string | number
    if (kind === 'byte') value = sub.u8(name)
    else if (kind === 'u16') value = sub.u16(name)
    else if (kind === 'u32') value = sub.u32(name)
    else if (kind === 'varint') value = sub.varint(name, 4)
    else if (kind === 'pair') {
      const k = prefixed(sub, 'Key', F.propertyKey, 'string')
      const v = prefixed(sub, 'Value', F.propertyValue, 'string')
      value = `${k.value}=${v.value}`
    } else value = prefixed(sub, name, F.propertyValue, kind).value
    props[name] = value
    children.push(
      field(name, ps, sub.pos, typeof value === 'number' ? String(value) : JSON.stringify(value), {
        id: `mqtt.property.${name.toLowerCase().replace(/ /g, '_')}`,
        children: [field('Identifier', ps, ps + 1, hexByte(pid), { id: F.propertyId })]
      })
    )
  }
  r.pos = sub.pos
  return { f: field('Properties', start, r.pos, `${Object.keys(props).length} propert${Object.keys(props).length === 1 ? 'y' : 'ies'}`, { id, children }), props }
}

/** Fixed-header flag rules: PUBREL, SUBSCRIBE and UNSUBSCRIBE must carry 0010, the rest 0000 (PUBLISH aside). */
function expectedFlags(type: number): number | null {
  if (type === 3) return null
  return type === 6 || type === 8 || type === 10 ? 0x2 : 0x0
}

function codeName(code: number, v5: boolean, type: PacketType): string {
  if (!v5 && type === 'CONNACK') return CONNACK_CODES[code] ?? `Reserved (${code})`
  if (!v5 && type === 'SUBACK') return code === 0x80 ? 'Failure' : code <= 2 ? `Granted QoS ${code}` : `Reserved (${code})`
  if (code === 0 && type === 'SUBACK') return 'Granted QoS 0'
  if (code === 0 && type === 'DISCONNECT') return 'Normal disconnection'
  return REASON_CODES[code] ?? `Reserved (${hexByte(code)})`
}

export function decodeMqtt(pdu: Uint8Array, dir: Direction, state: MqttState): Decoded {
  const b0 = pdu[0]
  const typeNum = b0 >> 4
  const type = PACKET_TYPES[typeNum]
  const flags = b0 & 0x0f
  const keys: MqttKeys = { type }
  const fields: Field[] = []
  const problems: { reason: string; start: number; end: number }[] = []

  // Fixed header
  const lr = new ByteReader(pdu, 1, pdu.length)
  const remaining = lr.varint('Remaining length', 4)
  const fhEnd = lr.pos
  const fh: Field[] = [field('Packet type', 0, 1, `${type} (${typeNum})`, { id: F.msgtype, mask: 0xf0 })]
  let qos = 0
  if (typeNum === 3) {
    qos = (flags >> 1) & 3
    const retain = (flags & 1) === 1
    const dup = (flags & 8) === 8
    fh.push(
      field('DUP flag', 0, 1, dup ? '1 (re-delivery)' : '0', { id: F.dupflag, mask: 0x08 }),
      field('QoS level', 0, 1, String(qos), { id: F.qos, mask: 0x06, ...(qos === 3 ? { malformed: 'QoS 3 does not exist' } : {}) }),
      field('RETAIN flag', 0, 1, retain ? '1 (keep as the topic\'s retained message)' : '0', { id: F.retain, mask: 0x01 })
    )
    if (qos === 3) problems.push({ reason: 'PUBLISH with QoS 3 (both QoS bits set)', start: 0, end: 1 })
    keys.qos = qos
    keys.retain = retain
    keys.dup = dup
  } else {
    const want = expectedFlags(typeNum)
    const bad = typeNum === 0 ? 'packet type 0 is reserved' : want !== null && flags !== want ? `flags must be ${want.toString(2).padStart(4, '0')}, got ${flags.toString(2).padStart(4, '0')}` : undefined
    fh.push(field('Flags', 0, 1, flags.toString(2).padStart(4, '0'), { id: F.hdrflags, mask: 0x0f, ...(bad ? { malformed: bad } : {}) }))
    if (bad) problems.push({ reason: `${type}: ${bad}`, start: 0, end: 1 })
    if (typeNum === 15 && state.version !== 5) problems.push({ reason: 'AUTH exists only in MQTT 5', start: 0, end: 1 })
  }
  fh.push(field('Remaining length', 1, fhEnd, `${remaining} byte${remaining === 1 ? '' : 's'}`, { id: F.len }))
  fields.push(field('Fixed header', 0, fhEnd, `${type}`, { id: F.hdr, children: fh }))

  const r = new ByteReader(pdu, fhEnd, pdu.length)
  const vh: Field[] = []
  const pl: Field[] = []
  let summary: string = type
  const v5 = (): boolean => state.version === 5

  const group = (name: string, id: string, children: Field[]): void => {
    if (children.length === 0) return
    const start = Math.min(...children.map((c) => c.start))
    const end = Math.max(...children.map((c) => c.end))
    fields.push(field(name, start, end, undefined, { id, children }))
  }

  try {
    switch (type) {
      case 'CONNECT': {
        const name = prefixed(r, 'Protocol name', F.protoName, 'string')
        vh.push(name.f)
        const level = r.u8('Protocol level')
        const versionName = level === 3 ? '3.1' : level === 4 ? '3.1.1' : level === 5 ? '5.0' : `unknown (${level})`
        vh.push(field('Protocol level', r.pos - 1, r.pos, `${level} (MQTT ${versionName})`, { id: F.ver }))
        if (level === 3 || level === 4 || level === 5) state.version = level
        if (!((name.value === 'MQIsdp' && level === 3) || (name.value === 'MQTT' && (level === 4 || level === 5))))
          problems.push({ reason: `protocol name "${name.value}" with level ${level} is not MQTT 3.1, 3.1.1 or 5.0`, start: name.f.start, end: r.pos })
        const fp = r.pos
        const cf = r.u8('Connect flags')
        const bit = (mask: number, label: string, id: string, value: string, malformed?: string): Field =>
          field(label, fp, fp + 1, value, { id, mask, ...(malformed ? { malformed } : {}) })
        const hasUser = (cf & 0x80) !== 0
        const hasPass = (cf & 0x40) !== 0
        const willRetain = (cf & 0x20) !== 0
        const willQos = (cf >> 3) & 3
        const hasWill = (cf & 0x04) !== 0
        const clean = (cf & 0x02) !== 0
        const reserved = cf & 0x01
        vh.push(
          field('Connect flags', fp, fp + 1, hexByte(cf), {
            id: F.conflags,
            children: [
              bit(0x80, 'User name flag', F.conflagUname, hasUser ? '1' : '0'),
              bit(0x40, 'Password flag', F.conflagPasswd, hasPass ? '1' : '0'),
              bit(0x20, 'Will retain', F.conflagRetain, willRetain ? '1' : '0'),
              bit(0x18, 'Will QoS', F.conflagQos, String(willQos), willQos === 3 ? 'Will QoS 3 does not exist' : undefined),
              bit(0x04, 'Will flag', F.conflagWillflag, hasWill ? '1 (Last Will in payload)' : '0'),
              bit(0x02, level === 5 ? 'Clean start' : 'Clean session', F.conflagCleansess, clean ? '1' : '0 (persistent session)'),
              bit(0x01, 'Reserved', F.conflagReserved, String(reserved), reserved ? 'reserved bit must be 0' : undefined)
            ]
          })
        )
        if (reserved) problems.push({ reason: 'CONNECT reserved flag is set', start: fp, end: fp + 1 })
        if (willQos === 3) problems.push({ reason: 'Will QoS 3 does not exist', start: fp, end: fp + 1 })
        if (!hasWill && (willQos !== 0 || willRetain)) problems.push({ reason: 'Will QoS/retain set without the Will flag', start: fp, end: fp + 1 })
        const keepalive = r.u16('Keep alive')
        vh.push(field('Keep alive', r.pos - 2, r.pos, `${keepalive} s`, { id: F.kalive }))
        if (level === 5) vh.push(properties(r, F.properties).f)
        const id = prefixed(r, 'Client ID', F.clientid, 'string')
        pl.push(id.f)
        keys.clientId = id.value
        keys.version = level
        keys.clean = clean
        keys.keepalive = keepalive
        if (hasWill) {
          if (level === 5) pl.push(properties(r, F.willProperties).f)
          const wt = prefixed(r, 'Will topic', F.willtopic, 'string')
          const wm = prefixed(r, 'Will message', F.willmsg, 'binary')
          pl.push(wt.f, wm.f)
          keys.willTopic = wt.value
          keys.willPayload = printable(wm.raw, 100)
          keys.willQos = willQos
          keys.willRetain = willRetain
        }
        if (hasUser) {
          const u = prefixed(r, 'User name', F.username, 'string')
          pl.push(u.f)
          keys.username = u.value
        }
        if (hasPass) pl.push(prefixed(r, 'Password', F.passwd, 'binary').f)
        summary = `CONNECT MQTT ${versionName}, client "${id.value}"${clean ? '' : ', persistent session'}${hasWill ? `, will on "${String(keys.willTopic)}"` : ''}, keep-alive ${keepalive}s`
        break
      }
      case 'CONNACK': {
        const fp = r.pos
        const af = r.u8('Acknowledge flags')
        const sp = (af & 1) === 1
        vh.push(
          field('Acknowledge flags', fp, fp + 1, hexByte(af), {
            id: F.conackFlags,
            children: [
              field('Session present', fp, fp + 1, sp ? '1' : '0', { id: F.conackFlagsSp, mask: 0x01 }),
              field('Reserved', fp, fp + 1, String(af >> 1), { id: F.conackFlagsReserved, mask: 0xfe, ...(af & 0xfe ? { malformed: 'reserved bits must be 0' } : {}) })
            ]
          })
        )
        const code = r.u8('Return code')
        // A broker that does not speak MQTT 5 answers a 5.0 CONNECT in the 3.1.1 format: no
        // properties, and a 3.1.1 return code (1 = unacceptable protocol version).
        const oldFormat = v5() && r.left === 0
        const text = oldFormat ? `${CONNACK_CODES[code] ?? `Reserved (${code})`} (3.1.1 return code)` : codeName(code, v5(), 'CONNACK')
        vh.push(field(v5() && !oldFormat ? 'Reason code' : 'Return code', r.pos - 1, r.pos, `${code} (${text})`, { id: F.conackVal }))
        keys.returnCode = code
        keys.sessionPresent = sp
        let note = ''
        if (oldFormat) note = ' — a 3.1.1-format CONNACK: no MQTT 5 properties'
        else if (v5()) vh.push(properties(r, F.properties).f)
        summary = `CONNACK ${text}${sp ? ', session present' : ''}${note}`
        break
      }
      case 'PUBLISH': {
        const t = prefixed(r, 'Topic', F.topic, 'string')
        vh.push(t.f)
        keys.topic = t.value
        if (/[+#]/.test(t.value)) problems.push({ reason: 'a topic name must not contain the wildcards + or #', start: t.f.start, end: t.f.end })
        if (qos > 0) {
          const pid = r.u16('Packet identifier')
          vh.push(field('Packet identifier', r.pos - 2, r.pos, String(pid), { id: F.msgid }))
          keys.packetId = pid
          if (pid === 0) problems.push({ reason: 'packet identifier 0 is not allowed', start: r.pos - 2, end: r.pos })
        }
        if (v5()) {
          const p = properties(r, F.properties)
          vh.push(p.f)
          if (typeof p.props['Topic Alias'] === 'number') keys.topicAlias = p.props['Topic Alias']
        }
        const payload = r.bytes(r.left, 'Payload')
        if (payload.length > 0) pl.push(field('Message', r.pos - payload.length, r.pos, JSON.stringify(printable(payload, 400)), { id: F.msg }))
        keys.payload = printable(payload, 100)
        keys.size = payload.length
        summary = `PUBLISH${qos > 0 ? ` (QoS ${qos}, id ${String(keys.packetId)})` : ' (QoS 0)'}${keys.retain ? ' retained' : ''}${keys.dup ? ' DUP' : ''} ${t.value}: ${printable(payload, 40)}`
        break
      }
      case 'PUBACK':
      case 'PUBREC':
      case 'PUBREL':
      case 'PUBCOMP':
      case 'UNSUBACK':
      case 'SUBACK':
      case 'SUBSCRIBE':
      case 'UNSUBSCRIBE': {
        const pid = r.u16('Packet identifier')
        vh.push(field('Packet identifier', r.pos - 2, r.pos, String(pid), { id: F.msgid }))
        keys.packetId = pid
        if (pid === 0) problems.push({ reason: 'packet identifier 0 is not allowed', start: r.pos - 2, end: r.pos })
        if (type === 'SUBSCRIBE' || type === 'UNSUBSCRIBE') {
          if (v5()) vh.push(properties(r, F.properties).f)
          const filters: string[] = []
          const qoses: number[] = []
          if (r.left === 0) problems.push({ reason: `${type} must carry at least one topic filter`, start: 0, end: pdu.length })
          while (r.left > 0) {
            const tf = prefixed(r, 'Topic filter', F.topic, 'string')
            filters.push(tf.value)
            if (type === 'SUBSCRIBE') {
              const op = r.pos
              const o = r.u8('Subscription options')
              const q = o & 3
              qoses.push(q)
              const kids: Field[] = [field('Requested QoS', op, op + 1, String(q), { id: F.subQos, mask: 0x03, ...(q === 3 ? { malformed: 'QoS 3 does not exist' } : {}) })]
              if (v5())
                kids.push(
                  field('No Local', op, op + 1, String((o >> 2) & 1), { id: F.subNl, mask: 0x04 }),
                  field('Retain As Published', op, op + 1, String((o >> 3) & 1), { id: F.subRap, mask: 0x08 }),
                  field('Retain Handling', op, op + 1, String((o >> 4) & 3), { id: F.subRh, mask: 0x30 })
                )
              const reservedMask = v5() ? 0xc0 : 0xfc
              kids.push(field('Reserved', op, op + 1, String(o & reservedMask), { id: F.subReserved, mask: reservedMask, ...(o & reservedMask ? { malformed: 'reserved bits must be 0' } : {}) }))
              if (q === 3 || o & reservedMask) problems.push({ reason: 'invalid subscription options', start: op, end: op + 1 })
              pl.push(field(`Subscription ${JSON.stringify(tf.value)}`, tf.f.start, r.pos, `QoS ${q}`, { id: F.subscription, children: [tf.f, field('Subscription options', op, op + 1, hexByte(o), { id: F.subOptions, children: kids })] }))
            } else pl.push(tf.f)
          }
          keys.topic = filters.join(' ')
          keys.filters = filters
          if (type === 'SUBSCRIBE') keys.filterQos = qoses
          summary = `${type} id ${pid}: ${filters.map((f, i) => (type === 'SUBSCRIBE' ? `${f} (QoS ${qoses[i]})` : f)).join(', ')}`
        } else if (type === 'SUBACK' || (type === 'UNSUBACK' && v5())) {
          if (v5()) vh.push(properties(r, F.properties).f)
          const codes: number[] = []
          while (r.left > 0) {
            const c = r.u8('Return code')
            codes.push(c)
            pl.push(field(v5() ? 'Reason code' : 'Return code', r.pos - 1, r.pos, `${c} (${codeName(c, v5(), type)})`, { id: type === 'SUBACK' ? F.subackQos : F.unsubackReason }))
          }
          keys.codes = codes
          summary = `${type} id ${pid}: ${codes.map((c) => codeName(c, v5(), type)).join(', ')}`
        } else {
          // PUBACK/PUBREC/PUBREL/PUBCOMP (and UNSUBACK before MQTT 5)
          if (v5() && r.left > 0) {
            const c = r.u8('Reason code')
            vh.push(field('Reason code', r.pos - 1, r.pos, `${c} (${codeName(c, true, type)})`, { id: F.reasonCode }))
            keys.reasonCode = c
            if (r.left > 0) vh.push(properties(r, F.properties).f)
          }
          summary = `${type} id ${pid}${typeof keys.reasonCode === 'number' && keys.reasonCode !== 0 ? ` (${codeName(keys.reasonCode, true, type)})` : ''}`
        }
        break
      }
      case 'DISCONNECT':
      case 'AUTH': {
        if (v5() && r.left > 0) {
          const c = r.u8('Reason code')
          vh.push(field('Reason code', r.pos - 1, r.pos, `${c} (${codeName(c, true, type)})`, { id: F.reasonCode }))
          keys.reasonCode = c
          if (r.left > 0) vh.push(properties(r, F.properties).f)
          summary = `${type} (${codeName(c, true, type)})`
        }
        break
      }
      case 'PINGREQ':
        summary = 'PINGREQ (keep-alive: are you there?)'
        break
      case 'PINGRESP':
        summary = 'PINGRESP (keep-alive: yes)'
        break
      default:
        break
    }
    if (r.left > 0) {
      problems.push({ reason: `${r.left} unexpected byte${r.left === 1 ? '' : 's'} after the ${type} packet's content`, start: r.pos, end: pdu.length })
      pl.push(field('Unexpected bytes', r.pos, pdu.length, `${r.left} bytes`, { malformed: 'not part of the packet' }))
    }
  } catch (err) {
    if (!(err instanceof DissectError)) throw err
    problems.push({ reason: err.message, start: err.start, end: err.end })
    const start = Math.min(err.start, pdu.length)
    pl.push(field('Malformed', start, Math.max(start, Math.min(err.end, pdu.length)), err.message, { malformed: err.message }))
  }
  group('Variable header', F.vheader, vh)
  group('Payload', F.payload, pl)
  void dir
  // Field-level findings (invalid UTF-8, reserved bits…) flag the PDU too.
  const walk = (fs: Field[]): void => {
    for (const f of fs) {
      if (f.malformed && !problems.some((p) => p.start === f.start && p.end === f.end)) problems.push({ reason: `${f.name}: ${f.malformed}`, start: f.start, end: f.end })
      if (f.children) walk(f.children)
    }
  }
  walk(fields)
  const first = problems[0]
  return {
    summary: first ? `${summary} [malformed: ${first.reason}]` : summary,
    fields,
    keys,
    ...(first ? { malformed: first } : {})
  }
}

export function mqttPduLength(buf: Uint8Array): LengthResult {
  if (buf.length < 2) return 'more'
  let value = 0
  let mult = 1
  for (let i = 1; i <= 4; i++) {
    if (i >= buf.length) return 'more'
    const b = buf[i]
    value += (b & 0x7f) * mult
    if ((b & 0x80) === 0) return 1 + i + value
    mult *= 128
  }
  return { malformed: 'remaining length is longer than 4 bytes: this is not an MQTT stream' }
}

export const createMqttDissector = (): ReturnType<typeof framed> =>
  framed<MqttState>({
    protocol: 'mqtt',
    state: () => ({ version: 4 }),
    pduLength: (buf) => mqttPduLength(buf),
    decode: (pdu, dir, state) => decodeMqtt(pdu, dir, state)
  })

/** A CONNECT with the protocol name "MQTT" (3.1.1, 5) or "MQIsdp" (3.1) (c2s); a CONNACK (s2c). */
export function looksLikeMqtt(first: Uint8Array, dir: Direction): number {
  if (dir === 's2c') return first.length >= 4 && first[0] === 0x20 && (first[1] === 2 || first[1] === 3 || first[1] > 3) && first[2] <= 1 ? 0.6 : 0
  if (first[0] !== 0x10) return 0
  const len = mqttPduLength(first)
  if (typeof len === 'object') return 0
  let at = 2
  while (at < Math.min(first.length, 5) && first[at - 1] & 0x80) at++
  const name = String.fromCharCode(...first.subarray(at + 2, at + 8))
  if (first[at] === 0 && ((first[at + 1] === 4 && name.startsWith('MQTT')) || (first[at + 1] === 6 && name === 'MQIsdp'))) return 1
  return first.length < at + 8 ? 0.4 : 0
}

export const mqttDissector: DissectorDef = {
  id: 'mqtt',
  name: 'MQTT',
  transport: 'tcp',
  ports: [1883],
  looksLike: looksLikeMqtt,
  create: createMqttDissector
}
