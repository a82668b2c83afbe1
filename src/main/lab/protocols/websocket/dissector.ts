// WebSocket (RFC 6455): the connection starts as an HTTP/1.1 Upgrade request answered by
// "101 Switching Protocols"; after that, no more HTTP — frames in both directions.
// Frame layout: FIN, RSV1-3, opcode | MASK, 7-bit length [16- or 64-bit extended length]
// [4-byte masking key] payload (client-to-server payloads are masked with the key).
import { createHash } from 'node:crypto'
import type { Direction, Field } from '../../../../shared/events'
import { field, hex, hexByte, printable } from '../../dissect/fields'
import { framed, type Decoded } from '../../dissect/reassembly'
import type { DissectorDef, StreamDissector } from '../../dissect/types'
import { httpHeaderPath } from '../../../../shared/protocols/http'
import { couldBeHttp, header, headEnd, headText, http1Score, parseHead } from '../common/http1'
import { WEBSOCKET_FIELDS as F } from '../../../../shared/protocols/websocket'
import type { HttpKeys } from '../../../../shared/protocols/http'
import type { WebSocketKeys } from '../../../../shared/protocols/websocket'

/** The GUID RFC 6455 appends to the client's key. */
export const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11'

/** Sec-WebSocket-Accept = base64(SHA-1(Sec-WebSocket-Key + GUID)). */
export function acceptKey(key: string): string {
  return createHash('sha1')
    .update(key + WS_GUID)
    .digest('base64')
}

export const OPCODES: Record<number, string> = {
  0x0: 'Continuation',
  0x1: 'Text',
  0x2: 'Binary',
  0x8: 'Connection Close',
  0x9: 'Ping',
  0xa: 'Pong'
}

export const CLOSE_CODES: Record<number, string> = {
  1000: 'Normal Closure',
  1001: 'Going Away',
  1002: 'Protocol error',
  1003: 'Unsupported Data',
  1005: 'No Status Received',
  1006: 'Abnormal Closure',
  1007: 'Invalid frame payload data',
  1008: 'Policy Violation',
  1009: 'Message Too Big',
  1010: 'Mandatory Extension',
  1011: 'Internal Error',
  1012: 'Service Restart',
  1013: 'Try Again Later',
  1015: 'TLS handshake'
}

const MAX_HEAD = 16 * 1024
const UTF8 = new TextDecoder()

interface WsState {
  phase: Record<Direction, 'http' | 'ws'>
  key?: string
  /** Opcode of the message a continuation frame belongs to, per direction. */
  fragmented: Record<Direction, number | null>
}

/** Total frame length from its header, or 'more'. */
export function frameLength(buf: Uint8Array): number | 'more' | { malformed: string } {
  if (buf.length < 2) return 'more'
  const masked = (buf[1] & 0x80) !== 0
  const len7 = buf[1] & 0x7f
  let header = 2
  let payload = len7
  if (len7 === 126) {
    if (buf.length < 4) return 'more'
    header = 4
    payload = (buf[2] << 8) | buf[3]
  } else if (len7 === 127) {
    if (buf.length < 10) return 'more'
    header = 10
    if (buf[2] & 0x80) return { malformed: '64-bit payload length has its most significant bit set' }
    const high = ((buf[2] << 24) >>> 0) + ((buf[3] << 16) | (buf[4] << 8) | buf[5])
    if (high > 0x1fffff) return { malformed: 'payload length beyond 2^53 bytes' }
    payload = high * 2 ** 32 + (((buf[6] << 24) >>> 0) + ((buf[7] << 16) | (buf[8] << 8) | buf[9]))
  }
  if (masked) header += 4
  return header + payload
}

function decodeFrame(pdu: Uint8Array, dir: Direction, state: WsState): Decoded {
  const b0 = pdu[0]
  const b1 = pdu[1]
  const fin = (b0 & 0x80) !== 0
  const rsv = [(b0 & 0x40) !== 0, (b0 & 0x20) !== 0, (b0 & 0x10) !== 0]
  const opcode = b0 & 0x0f
  const masked = (b1 & 0x80) !== 0
  const len7 = b1 & 0x7f
  let at = 2
  let payloadLen = len7
  const headerFields: Field[] = [
    field('FIN', 0, 1, fin ? '1 (final fragment)' : '0 (more fragments follow)', {
      id: F.fin,
      mask: 0x80
    }),
    field('RSV1', 0, 1, rsv[0] ? '1 (compressed: permessage-deflate)' : '0', {
      id: F.rsv1,
      mask: 0x40
    }),
    field('RSV2', 0, 1, rsv[1] ? '1' : '0', { id: F.rsv2, mask: 0x20 }),
    field('RSV3', 0, 1, rsv[2] ? '1' : '0', { id: F.rsv3, mask: 0x10 }),
    field('Opcode', 0, 1, `${OPCODES[opcode] ?? 'Reserved'} (${opcode})`, {
      id: F.opcode,
      mask: 0x0f,
      ...(OPCODES[opcode] ? {} : { malformed: `reserved opcode ${opcode}` })
    }),
    field('MASK', 1, 2, masked ? '1 (payload masked)' : '0 (not masked)', {
      id: F.mask,
      mask: 0x80
    }),
    field(
      'Payload length',
      1,
      2,
      len7 === 126
        ? '126 (16-bit length follows)'
        : len7 === 127
          ? '127 (64-bit length follows)'
          : String(len7),
      {
        id: F.payloadLength,
        mask: 0x7f
      }
    )
  ]
  if (len7 === 126) {
    payloadLen = (pdu[2] << 8) | pdu[3]
    headerFields.push(
      field('Extended payload length (16 bits)', 2, 4, String(payloadLen), {
        id: F.payloadLengthExt16
      })
    )
    at = 4
  } else if (len7 === 127) {
    payloadLen = pdu.length - 10 - (masked ? 4 : 0)
    headerFields.push(
      field('Extended payload length (64 bits)', 2, 10, String(payloadLen), {
        id: F.payloadLengthExt64
      })
    )
    at = 10
  }
  let key: Uint8Array | null = null
  if (masked) {
    key = pdu.subarray(at, at + 4)
    headerFields.push(field('Masking key', at, at + 4, hex(key, ''), { id: F.maskingKey }))
    at += 4
  }
  const masking = key
  const raw = pdu.subarray(at)
  let payload = raw
  if (masking) payload = unmask(raw, masking)
  const fields: Field[] = [
    field('Frame header', 0, at, `${OPCODES[opcode] ?? `opcode ${opcode}`}${fin ? '' : ', not final'}`, {
      id: F.header,
      children: headerFields
    })
  ]
  const pStart = at
  const pEnd = pdu.length
  const payloadChildren: Field[] = []
  if (masked)
    payloadChildren.push(
      field(
        'Masked bytes (as sent)',
        pStart,
        pEnd,
        hex(raw.subarray(0, 32)) + (raw.length > 32 ? ' …' : ''),
        { id: F.maskedPayload }
      )
    )
  // Which message type the bytes belong to (a continuation frame inherits the first frame's).
  let msgType = opcode
  if (opcode === 0x0) msgType = state.fragmented[dir] ?? 0x1
  if (opcode === 0x1 || opcode === 0x2) state.fragmented[dir] = fin ? null : opcode
  else if (opcode === 0x0 && fin) state.fragmented[dir] = null
  let summaryText = ''
  const keys: WebSocketKeys = { opcode, fin, masked, len: payloadLen }
  if (opcode === 0x8) {
    if (payload.length >= 2) {
      const code = (payload[0] << 8) | payload[1]
      const reason = UTF8.decode(payload.subarray(2))
      keys.closeCode = code
      payloadChildren.push(
        field('Status code', pStart, pStart + 2, `${code} (${CLOSE_CODES[code] ?? 'unknown'})`, {
          id: F.closeCode
        })
      )
      if (payload.length > 2)
        payloadChildren.push(
          field('Reason', pStart + 2, pEnd, JSON.stringify(reason), { id: F.closeReason })
        )
      summaryText = ` ${code} ${CLOSE_CODES[code] ?? ''}${reason ? ` "${reason}"` : ''}`
    } else if (payload.length === 1) {
      payloadChildren.push(
        field('Status code', pStart, pEnd, 'truncated: 1 byte', {
          malformed: 'a close payload is 0 or at least 2 bytes'
        })
      )
    } else summaryText = ' (no status code)'
  } else if (rsv[0]) {
    payloadChildren.push(
      field('Compressed data (permessage-deflate)', pStart, pEnd, `${payload.length} bytes`, {
        id: F.payloadCompressed
      })
    )
  } else if (msgType === 0x1 || opcode === 0x9 || opcode === 0xa) {
    const text = printable(payload, 400)
    payloadChildren.push(
      field(masked ? 'Unmasked text' : 'Text', pStart, pEnd, JSON.stringify(text), {
        id: F.payloadText
      })
    )
    keys.text = UTF8.decode(payload)
    if (payload.length || opcode === 0x1) summaryText = ` "${printable(payload, 60)}"`
  } else if (payload.length) {
    payloadChildren.push(
      field(
        masked ? 'Unmasked bytes' : 'Bytes',
        pStart,
        pEnd,
        hex(payload.subarray(0, 32)) + (payload.length > 32 ? ' …' : ''),
        { id: F.payloadBinary }
      )
    )
  }
  if (pEnd > pStart || opcode === 0x1) {
    fields.push(
      field(
        'Payload',
        pStart,
        pEnd,
        `${payloadLen} byte${payloadLen === 1 ? '' : 's'}${masked ? ', masked' : ''}`,
        { id: F.payload, children: payloadChildren }
      )
    )
  }
  const name = OPCODES[opcode] ?? `Reserved opcode ${hexByte(opcode)}`
  return {
    protocol: 'websocket',
    summary: `${name}${fin ? '' : ' (fragment)'}${masked ? ' [masked]' : ''}${summaryText}`,
    fields,
    keys,
    ...(OPCODES[opcode] ? {} : { malformed: { reason: `reserved opcode ${opcode}`, start: 0, end: 1 } })
  }
}

/**
 * The payload XORed with the 4-byte masking key (RFC 6455 §5.3), four bytes at a time: a copy of
 * the bytes (aligned, in a buffer of its own) XORed in place as 32-bit words, the key read the same
 * way so the byte order is the machine's on both sides.
 */
export function unmask(raw: Uint8Array, key: Uint8Array): Uint8Array {
  const out = new Uint8Array(raw.length)
  out.set(raw)
  const words = raw.length >>> 2
  if (words) {
    const k = new Uint32Array(Uint8Array.from(key.subarray(0, 4)).buffer)[0]
    const w = new Uint32Array(out.buffer, 0, words)
    for (let i = 0; i < words; i++) w[i] ^= k
  }
  for (let i = words << 2; i < raw.length; i++) out[i] ^= key[i & 3]
  return out
}

/** A header's field in a head's tree (where the handshake checks are attached). */
function headerFieldOf(fields: Field[], name: string): Field | undefined {
  const path = httpHeaderPath(fields, name)
  return path ? fields[path[0]].children?.[path[1]] : undefined
}

function decodeHead(pdu: Uint8Array, dir: Direction, state: WsState): Decoded {
  const head = parseHead(pdu)
  const fields = head.fields
  const keys: HttpKeys = {}
  let summary = head.startLine
  if (head.kind === 'request') {
    const key = header(head, 'sec-websocket-key')
    keys.method = head.method ?? ''
    keys.target = head.target ?? ''
    if ((header(head, 'upgrade') ?? '').toLowerCase() === 'websocket') {
      keys.upgrade = true
      if (dir === 'c2s') state.phase.c2s = 'ws'
      if (key) {
        state.key = key
        keys.wsKey = key
        keys.expectedAccept = acceptKey(key)
        const f = headerFieldOf(fields, 'sec-websocket-key')
        f?.children?.push(
          field(
            'Accept the server must answer',
            f.start,
            f.end,
            `base64(SHA-1("${key}" + "${WS_GUID}")) = ${acceptKey(key)}`,
            { id: F.expectedAccept }
          )
        )
      }
      summary = `${head.startLine} (Upgrade: websocket)`
    }
  } else {
    keys.status = head.status ?? 0
    const accept = header(head, 'sec-websocket-accept')
    if (head.status === 101) {
      state.phase[dir] = 'ws'
      summary = `${head.startLine} — from here on, WebSocket frames`
    }
    if (accept) {
      keys.wsAccept = accept
      const f = headerFieldOf(fields, 'sec-websocket-accept')
      if (state.key && f) {
        const expected = acceptKey(state.key)
        const good = expected === accept
        keys.acceptValid = good
        f.children?.push(
          field(
            'Check',
            f.start,
            f.end,
            good ? `matches base64(SHA-1(key + GUID)) = ${expected}` : `expected ${expected}`,
            {
              id: F.acceptCheck,
              ...(good ? {} : { malformed: 'Sec-WebSocket-Accept does not match the key' })
            }
          )
        )
      }
    }
  }
  return { protocol: 'http', summary, fields, keys, ...(head.malformed ? { malformed: head.malformed } : {}) }
}

export function websocketDissector(): StreamDissector {
  return framed<WsState>({
    protocol: 'websocket',
    state: () => ({ phase: { c2s: 'http', s2c: 'http' }, fragmented: { c2s: null, s2c: null } }),
    pduLength(buf, dir, state) {
      if (state.phase[dir] === 'http') {
        if (!couldBeHttp(buf)) return { malformed: 'expected an HTTP Upgrade request or response' }
        const end = headEnd(buf)
        if (end < 0)
          return buf.length > MAX_HEAD ? { malformed: `no end of HTTP head in ${buf.length} bytes` } : 'more'
        return end
      }
      return frameLength(buf)
    },
    decode(pdu, dir, state) {
      // pduLength measured this PDU in the current phase; decoding a 101 switches to frames.
      return state.phase[dir] === 'http' ? decodeHead(pdu, dir, state) : decodeFrame(pdu, dir, state)
    },
    maxPdu: 64 * 1024 * 1024
  })
}

/** An HTTP Upgrade to websocket (c2s) or its 101 answer (s2c); a plain HTTP head scores low. */
export function looksLikeWebSocket(first: Uint8Array, dir: Direction): number {
  const http = http1Score(first, dir)
  if (http === 0) return 0
  const text = headText(first)
  if (text === null) return 0.3
  if (dir === 'c2s') return /\r\nupgrade:[ \t]*websocket[ \t]*\r\n/.test(text) ? 0.95 : 0.2
  return text.startsWith('http/1.1 101') && /\r\nupgrade:[ \t]*websocket/.test(text) ? 0.95 : 0.2
}

export const websocketDef: DissectorDef = {
  id: 'websocket',
  name: 'WebSocket (HTTP Upgrade, then frames)',
  transport: 'tcp',
  ports: [8765],
  looksLike: looksLikeWebSocket,
  create: websocketDissector
}
