// HTTP/1.x (`http`): field ids and PDU keys, declared once for the dissectors (http, and the HTTP
// parts of websocket, sse and tls) and the views. The same bytes give the same field tree in every
// lesson: start line, then `http.headers` holding one `http.header` per line and the blank line.
import type { Field } from '../events'

export const HTTP = 'http'

export const HTTP_FIELDS = {
  requestLine: 'http.request.line',
  requestMethod: 'http.request.method',
  requestUri: 'http.request.uri',
  requestVersion: 'http.request.version',
  responseLine: 'http.response.line',
  responseVersion: 'http.response.version',
  responseCode: 'http.response.code',
  responsePhrase: 'http.response.phrase',
  /** All header lines and the blank line; its children are `header` fields named after the header. */
  headers: 'http.headers',
  header: 'http.header',
  headerName: 'http.header.name',
  headerValue: 'http.header.value',
  headersEnd: 'http.headers.end',
  /** A message body (`Body`), with a JSON tree or its text below it. */
  fileData: 'http.file_data',
  fileDataText: 'http.file_data.text',
  chunked: 'http.chunked',
  chunk: 'http.chunk',
  chunkSize: 'http.chunk_size',
  chunkData: 'http.chunk_data',
  chunkCrlf: 'http.chunk_crlf',
  chunkedTrailer: 'http.chunked_trailer',
  /** Bytes after a 101 Switching Protocols, when no other dissector takes them. */
  upgraded: 'http.upgraded'
} as const

/** The keys of an `http` PDU (each dissector sets those that apply). */
export type HttpKeys = {
  method?: string
  /** Request target (REST lesson). */
  path?: string
  /** Request target (WebSocket and SSE lessons). */
  target?: string
  status?: number
  /** Pairs a response with its request on a keep-alive connection (1, 2, …). */
  index?: number
  chunked?: boolean
  bodyLength?: number
  /** WebSocket Upgrade request and its handshake values. */
  upgrade?: boolean
  wsKey?: string
  expectedAccept?: string
  wsAccept?: string
  acceptValid?: boolean
  /** SSE request and response. */
  lastEventId?: string
  acceptsEventStream?: boolean
  eventStream?: boolean
  /** A decrypted HTTP message inside TLS: its start line. */
  httpStart?: string
}

/** The field of header `name` (case-insensitive) in an HTTP PDU's tree, and its path (for selection). */
export function httpHeaderPath(fields: Field[], name: string): number[] | null {
  const lower = name.toLowerCase()
  const at = fields.findIndex((f) => f.id === HTTP_FIELDS.headers)
  const i =
    at < 0
      ? -1
      : (fields[at].children ?? []).findIndex(
          (f) => f.id === HTTP_FIELDS.header && f.name.toLowerCase() === lower
        )
  return i < 0 ? null : [at, i]
}
