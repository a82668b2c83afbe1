// WebSocket (`websocket`): the frames after the HTTP Upgrade (the Upgrade request and its 101
// answer are `http` PDUs, see http.ts). Field ids and PDU keys, declared once for the dissector
// and the views.

export const WEBSOCKET = 'websocket'

export const WEBSOCKET_FIELDS = {
  acceptCheck: 'websocket.accept_check',
  closeCode: 'websocket.close.code',
  closeReason: 'websocket.close.reason',
  expectedAccept: 'websocket.expected_accept',
  fin: 'websocket.fin',
  header: 'websocket.header',
  mask: 'websocket.mask',
  maskedPayload: 'websocket.masked_payload',
  maskingKey: 'websocket.masking_key',
  opcode: 'websocket.opcode',
  payload: 'websocket.payload',
  payloadBinary: 'websocket.payload.binary',
  payloadCompressed: 'websocket.payload.compressed',
  payloadText: 'websocket.payload.text',
  payloadLength: 'websocket.payload_length',
  payloadLengthExt16: 'websocket.payload_length_ext_16',
  payloadLengthExt64: 'websocket.payload_length_ext_64',
  rsv1: 'websocket.rsv1',
  rsv2: 'websocket.rsv2',
  rsv3: 'websocket.rsv3'
} as const

/** The keys of a `websocket` frame PDU. */
export type WebSocketKeys = {
  opcode: number
  fin: boolean
  masked: boolean
  /** Payload length. */
  len: number
  /** The unmasked text of a text, ping or pong frame. */
  text?: string
  closeCode?: number
}
