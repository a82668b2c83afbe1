// HTTP/2 (RFC 9113) constants: frame types, flags, settings and error codes.

export const PREFACE = new TextEncoder().encode('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n')

export const FRAME_TYPES = [
  'DATA',
  'HEADERS',
  'PRIORITY',
  'RST_STREAM',
  'SETTINGS',
  'PUSH_PROMISE',
  'PING',
  'GOAWAY',
  'WINDOW_UPDATE',
  'CONTINUATION'
] as const

export type FrameTypeName = (typeof FRAME_TYPES)[number]

export function frameTypeName(type: number): string {
  return FRAME_TYPES[type] ?? `UNKNOWN(0x${type.toString(16).padStart(2, '0')})`
}

/** The flags each frame type defines: bit → name. */
export const FRAME_FLAGS: Record<number, [number, string][]> = {
  0: [[0x01, 'END_STREAM'], [0x08, 'PADDED']],
  1: [[0x01, 'END_STREAM'], [0x04, 'END_HEADERS'], [0x08, 'PADDED'], [0x20, 'PRIORITY']],
  4: [[0x01, 'ACK']],
  5: [[0x04, 'END_HEADERS'], [0x08, 'PADDED']],
  6: [[0x01, 'ACK']],
  9: [[0x04, 'END_HEADERS']]
}

export const SETTINGS: Record<number, string> = {
  1: 'SETTINGS_HEADER_TABLE_SIZE',
  2: 'SETTINGS_ENABLE_PUSH',
  3: 'SETTINGS_MAX_CONCURRENT_STREAMS',
  4: 'SETTINGS_INITIAL_WINDOW_SIZE',
  5: 'SETTINGS_MAX_FRAME_SIZE',
  6: 'SETTINGS_MAX_HEADER_LIST_SIZE',
  8: 'SETTINGS_ENABLE_CONNECT_PROTOCOL',
  9: 'SETTINGS_NO_RFC7540_PRIORITIES'
}

export const ERROR_CODES: Record<number, string> = {
  0: 'NO_ERROR',
  1: 'PROTOCOL_ERROR',
  2: 'INTERNAL_ERROR',
  3: 'FLOW_CONTROL_ERROR',
  4: 'SETTINGS_TIMEOUT',
  5: 'STREAM_CLOSED',
  6: 'FRAME_SIZE_ERROR',
  7: 'REFUSED_STREAM',
  8: 'CANCEL',
  9: 'COMPRESSION_ERROR',
  10: 'CONNECT_ERROR',
  11: 'ENHANCE_YOUR_CALM',
  12: 'INADEQUATE_SECURITY',
  13: 'HTTP_1_1_REQUIRED'
}

export const errorName = (code: number): string => ERROR_CODES[code] ?? `UNKNOWN(0x${code.toString(16)})`

export const DEFAULT_WINDOW = 65_535
