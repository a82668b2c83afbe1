// Redis serialization protocol, RESP2 and RESP3 (`resp`, as Wireshark names it): field ids and the
// `keys` of its PDUs, declared once for the engine and the views.

export const RESP = {
  command: 'resp.command',
  inline: 'resp.inline',
  reply: 'resp.reply',
  /** The type byte that starts every value (`*`, `$`, `+`, `%`…). */
  typeByte: 'resp.type',
  arrayLength: 'resp.array.length',
  bulkLength: 'resp.bulk.length',
  bulkValue: 'resp.bulk.value',
  string: 'resp.string',
  error: 'resp.error',
  integer: 'resp.integer',
  double: 'resp.double',
  boolean: 'resp.boolean',
  bignum: 'resp.bignum',
  null: 'resp.null',
  verbatimFormat: 'resp.verbatim.format',
  element: 'resp.element',
  mapKey: 'resp.map.key',
  mapValue: 'resp.map.value',
  attribute: 'resp.attribute',
  crlf: 'resp.crlf'
} as const

/** RESP type bytes and what they are. RESP3 added everything after `*`. */
export const RESP_TYPES: Record<string, { name: string; resp3: boolean }> = {
  '+': { name: 'simple string', resp3: false },
  '-': { name: 'error', resp3: false },
  ':': { name: 'integer', resp3: false },
  $: { name: 'bulk string', resp3: false },
  '*': { name: 'array', resp3: false },
  _: { name: 'null', resp3: true },
  '#': { name: 'boolean', resp3: true },
  ',': { name: 'double', resp3: true },
  '(': { name: 'big number', resp3: true },
  '!': { name: 'bulk error', resp3: true },
  '=': { name: 'verbatim string', resp3: true },
  '%': { name: 'map', resp3: true },
  '~': { name: 'set', resp3: true },
  '|': { name: 'attribute', resp3: true },
  '>': { name: 'push', resp3: true },
  ';': { name: 'streamed string chunk', resp3: true },
  '.': { name: 'end of streamed aggregate', resp3: true }
}

export interface RespKeys {
  /** `command` (client → server) or `reply` (server → client) or `push` (out of band). */
  kind: 'command' | 'reply' | 'push'
  /** The command name, upper-case (on replies: the command it answers). */
  cmd?: string
  /** First argument of a command (its key, for key commands). */
  key?: string
  args?: number
  /** Pairs a reply with its command: both carry the same index (1, 2, …). */
  index?: number
  /** The reply's type name (`bulk string`, `null`, `map`…). */
  type?: string
  /** A reply that is null (a cache miss, for GET). */
  nil?: boolean
  /** The reply is an error (`-ERR …`, `!…`). */
  error?: string
  /** The protocol version the connection speaks (2, or 3 after HELLO 3). */
  resp?: number
  /** Inline command (a plain text line, the way telnet or `nc` send them). */
  inline?: boolean
}

export const REDIS_PORT = 6379
