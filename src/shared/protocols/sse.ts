// Server-Sent Events (`sse`): the pieces of a text/event-stream body, line by line (the request
// and the response head are `http` PDUs). Field ids and PDU keys, declared once for the dissector
// and the views.

export const SSE = 'sse'

export const SSE_FIELDS = {
  comment: 'sse.comment',
  dispatch: 'sse.dispatch',
  other: 'sse.other',
  data: 'sse.data',
  event: 'sse.event',
  id: 'sse.id',
  retry: 'sse.retry'
} as const

/** The keys of an `sse` PDU (a piece of the event stream), and of the HTTP PDUs around it. */
export type SseKeys = {
  /** How many events this piece dispatched (blank lines). */
  events?: number
  /** The last dispatched event's type, data and id (when it carried one). */
  eventType?: string
  data?: string
  id?: string
  retry?: number
  /** An OpenAI-style chat completion chunk: its token, and whether it is the final `[DONE]`. */
  token?: string
  done?: boolean
  /** The chunk number of a chunked body. */
  chunk?: number
  lastChunk?: boolean
  /** The body ended inside a line. */
  truncatedLine?: boolean
  /** A JSON request body's `stream` flag. */
  stream?: boolean
}
