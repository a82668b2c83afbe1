// The WebSocket view as data: the Upgrade exchange of the connection shown (key, expected and
// received Sec-WebSocket-Accept), its frames, and one frame's header laid out bit by bit.
import type { PduEvent } from '@shared/events'
import { WEBSOCKET_FIELDS as WS } from '@shared/protocols/websocket'
import { findField } from '../fields'

/** RFC 6455's GUID, appended to Sec-WebSocket-Key before hashing. */
export const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11'

export interface WebSocketModel {
  /** The Upgrade request/response and WebSocket PDUs of the run. */
  pdus: PduEvent[]
  /** Well-formed frames. */
  frames: PduEvent[]
  /** The frame laid out: the selected one, else the newest. */
  shown: PduEvent | undefined
  conn: string | undefined
  request: PduEvent | undefined
  response: PduEvent | undefined
  key: string
  expectedAccept: string
  /** The server's Sec-WebSocket-Accept ('' until the 101 arrives). */
  accept: string
}

export function webSocketModel(pdus: readonly PduEvent[], selectedSeq: number | null): WebSocketModel {
  const ws = pdus.filter(
    (p) =>
      !p.modeled &&
      (p.protocol === 'websocket' ||
        (p.protocol === 'http' && (p.keys?.upgrade === true || p.keys?.status === 101)))
  )
  const frames = ws.filter((p) => p.protocol === 'websocket' && !p.malformed)
  const shown = frames.find((f) => f.seq === selectedSeq) ?? frames.at(-1)
  const conn = shown?.conn ?? ws.at(-1)?.conn
  const request = ws.find((p) => p.conn === conn && p.dir === 'c2s' && p.protocol === 'http')
  const response = ws.find((p) => p.conn === conn && p.dir === 's2c' && p.protocol === 'http')
  return {
    pdus: ws,
    frames,
    shown,
    conn,
    request,
    response,
    key: String(request?.keys?.wsKey ?? ''),
    expectedAccept: String(request?.keys?.expectedAccept ?? ''),
    accept: response?.keys?.wsAccept !== undefined ? String(response.keys.wsAccept) : ''
  }
}

/** One header field of a frame: its field id (to select it), label and value as bits or a number. */
export interface FrameBit {
  id: string
  label: string
  value: string
  wide?: boolean
}

/** A frame's header, field by field, as RFC 6455 draws it. */
export function frameBits(pdu: PduEvent): FrameBit[] {
  const len = String(pdu.keys?.len)
  const b0 = pdu.data[0]
  const b1 = pdu.data[1]
  const len7 = b1 & 0x7f
  const opcode = findField(pdu.fields, WS.opcode)?.value?.split(' (')[0] ?? ''
  const bits: FrameBit[] = [
    { id: WS.fin, label: 'FIN', value: String(b0 >> 7) },
    { id: WS.rsv1, label: 'RSV1-3', value: `${(b0 >> 6) & 1}${(b0 >> 5) & 1}${(b0 >> 4) & 1}` },
    { id: WS.opcode, label: 'opcode', value: `${b0 & 0x0f} ${opcode}`, wide: true },
    { id: WS.mask, label: 'MASK', value: String(b1 >> 7) },
    { id: WS.payloadLength, label: 'len (7 bits)', value: String(len7) }
  ]
  if (len7 === 126)
    bits.push({ id: WS.payloadLengthExt16, label: 'len (16 bits)', value: len, wide: true })
  if (len7 === 127)
    bits.push({ id: WS.payloadLengthExt64, label: 'len (64 bits)', value: len, wide: true })
  const maskKey = findField(pdu.fields, WS.maskingKey)
  if (maskKey)
    bits.push({ id: WS.maskingKey, label: 'masking key', value: maskKey.value ?? '', wide: true })
  return bits
}
