// gRPC (`grpc`) as the engine dissects it and the views read it: field ids, declared once, and the
// keys every `grpc` PDU carries. Pure TypeScript, shared by the engine and the renderer.

/** The four call types of the course's table (seed 001), from the method's `stream` markers. */
export type CallType = 'unary' | 'server-streaming' | 'client-streaming' | 'bidi'

export const CALL_TYPES: readonly CallType[] = ['unary', 'server-streaming', 'client-streaming', 'bidi']

/** What one `grpc` PDU is. */
export type GrpcEventKind =
  /** The request HEADERS: the call starts (method path, deadline, content-type, te). */
  | 'call'
  /** The response HEADERS (:status 200, content-type), before any response message. */
  | 'headers'
  /** One length-prefixed message (5-byte prefix + protobuf), reassembled across DATA frames. */
  | 'message'
  /** The client's END_STREAM: it will send no more messages (the call goes on). */
  | 'half-close'
  /** The trailers (or a trailers-only response): grpc-status and grpc-message end the call. */
  | 'status'
  /** RST_STREAM: the stream was cancelled (a cancel, a deadline) by either side. */
  | 'reset'

export interface GrpcKeys {
  /** The HTTP/2 stream the call runs on: one call = one stream. */
  streamId: number
  grpc: GrpcEventKind
  /** `/SensorService/GetTemperatura`. */
  path?: string
  service?: string
  method?: string
  callType?: CallType
  /** Protobuf message type of this message (request type c2s, response type s2c). */
  messageType?: string
  /** Message number on this stream and direction, from 1. */
  index?: number
  /** The length the 4-byte prefix declares. */
  length?: number
  compressed?: boolean
  /** Where the message's bytes sit in the TCP stream: `offset+length` pieces joined by `,`. */
  segments?: string
  /** DATA frames the message spans. */
  frames?: number
  /** grpc-status (trailers) and its name. */
  status?: number
  statusName?: string
  /** grpc-message, percent-decoded. */
  grpcMessage?: string
  /** grpc-timeout, in milliseconds. */
  timeoutMs?: number
  /** RST_STREAM error code name. */
  error?: string
  /** The method path is not in the .proto the dissector knows. */
  unknownMethod?: boolean
}

/** Field ids (Wireshark's names where it has them). */
export const GRPC_FIELDS = {
  message: 'grpc.message',
  compressedFlag: 'grpc.compressed_flag',
  messageLength: 'grpc.message_length',
  lengthByte: 'grpc.message_length.byte',
  messageData: 'grpc.message_data',
  call: 'grpc.call',
  path: 'grpc.path',
  contentType: 'grpc.content_type',
  te: 'grpc.te',
  timeout: 'grpc.timeout',
  encoding: 'grpc.encoding',
  header: 'grpc.header',
  responseHeaders: 'grpc.response_headers',
  trailers: 'grpc.trailers',
  status: 'grpc.status',
  statusMessage: 'grpc.status_message',
  endStream: 'grpc.end_stream',
  reset: 'grpc.reset',
  /** Inside an http2 DATA frame: which bytes belong to which gRPC message. */
  dataPart: 'grpc.data_part'
} as const

/** grpc-status codes (grpc/doc/statuscodes.md). */
export const GRPC_STATUS: readonly string[] = [
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED'
]

export const grpcStatusName = (code: number): string => GRPC_STATUS[code] ?? `UNKNOWN_CODE(${code})`

/** Parses the `segments` key back into pieces. */
export function parseSegments(s: string | undefined): { offset: number; length: number }[] {
  if (!s) return []
  return s.split(',').map((p) => {
    const [o, l] = p.split('+').map(Number)
    return { offset: o, length: l }
  })
}
