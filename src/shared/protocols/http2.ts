// HTTP/2 (`http2`): the connection preface and frames, with HPACK header blocks and flow control
// windows. Field ids (Wireshark's) and PDU keys, declared once for the dissector and the views.
// Per-flag ids are `http2.flags.<flag>` (`http2.flags.end_stream`…).

export const HTTP2 = 'http2'

export const HTTP2_FIELDS = {
  dataData: 'http2.data.data',
  exclusive: 'http2.exclusive',
  flags: 'http2.flags',
  flagsUnused: 'http2.flags.unused',
  flowControl: 'http2.flow_control',
  goawayAddata: 'http2.goaway.addata',
  goawayError: 'http2.goaway.error',
  goawayLastStreamId: 'http2.goaway.last_stream_id',
  header: 'http2.header',
  headerHuffman: 'http2.header.huffman',
  headerIndex: 'http2.header.index',
  headerLength: 'http2.header.length',
  headerRepr: 'http2.header.repr',
  headerTableSize: 'http2.header.table_size',
  headerTableSizeUpdate: 'http2.header.table_size_update',
  headerBlock: 'http2.header_block',
  length: 'http2.length',
  magic: 'http2.magic',
  magicPri: 'http2.magic.pri',
  magicSm: 'http2.magic.sm',
  padLength: 'http2.pad_length',
  padding: 'http2.padding',
  payload: 'http2.payload',
  ping: 'http2.ping',
  pushPromisePromisedStreamId: 'http2.push_promise.promised_stream_id',
  r: 'http2.r',
  rstStreamError: 'http2.rst_stream.error',
  settings: 'http2.settings',
  settingsId: 'http2.settings.id',
  settingsValue: 'http2.settings.value',
  streamDependency: 'http2.stream_dependency',
  streamid: 'http2.streamid',
  type: 'http2.type',
  unknown: 'http2.unknown',
  weight: 'http2.weight',
  windowConnection: 'http2.window.connection',
  windowStream: 'http2.window.stream',
  windowUpdateWindowSizeIncrement: 'http2.window_update.window_size_increment'
} as const

/** The keys of an `http2` frame PDU. */
export type Http2Keys = {
  streamId: number
  /** Frame type name (`DATA`, `HEADERS`…), or `PREFACE`. */
  type: string
  flags?: number
  length?: number
  endStream?: boolean
  endHeaders?: boolean
  padded?: boolean
  priority?: boolean
  ack?: boolean
  /** HEADERS: request and response pseudo-headers, and the HPACK table after the block. */
  method?: string
  path?: string
  status?: number
  authority?: string
  headers?: number
  indexed?: number
  hpackTableSize?: number
  hpackTableEntries?: number
  hpackAdded?: number
  hpackEvicted?: number
  /** DATA and WINDOW_UPDATE: flow-control windows of the direction `windowDir` sends in. */
  dataLength?: number
  connWindow?: number
  streamWindow?: number
  windowDir?: 'c2s' | 's2c'
  increment?: number
  initialWindow?: number
  maxConcurrentStreams?: number
  promisedStreamId?: number
  error?: string
  /** DATA: the inner protocol that read the data (through the chaining API). */
  inner?: string
  /** Frames of HTTP/2 over TLS (decrypted). */
  tls?: boolean
}
