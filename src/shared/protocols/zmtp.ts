// ZMTP 3.x (ZeroMQ's wire protocol, rfc.zeromq.org 23 and 37): field ids and PDU keys, declared
// once for the engine's dissector and the renderer's views. Wireshark has no ZMTP dissector; the
// ids follow the names of the Wireshark Lua plugin (whitequark/zmtp-wireshark) where it has them.

export const ZMTP = {
  greeting: 'zmtp.greeting',
  signature: 'zmtp.signature',
  versionMajor: 'zmtp.version.major',
  versionMinor: 'zmtp.version.minor',
  mechanism: 'zmtp.mechanism',
  asServer: 'zmtp.as_server',
  filler: 'zmtp.filler',
  frame: 'zmtp.frame',
  flags: 'zmtp.flags',
  flagMore: 'zmtp.flags.more',
  flagLong: 'zmtp.flags.long',
  flagCommand: 'zmtp.flags.command',
  length: 'zmtp.length',
  commandName: 'zmtp.command.name',
  commandData: 'zmtp.command.data',
  property: 'zmtp.metadata',
  propertyName: 'zmtp.metadata.key',
  propertyValue: 'zmtp.metadata.value',
  subscription: 'zmtp.subscription',
  pingTtl: 'zmtp.ping.ttl',
  pingContext: 'zmtp.ping.context',
  errorReason: 'zmtp.error.reason',
  delimiter: 'zmtp.delimiter',
  body: 'zmtp.data'
} as const

export const ZMTP_FLAGS = { more: 0x01, long: 0x02, command: 0x04 } as const

/** The course's ports: REQ/REP on 5555 (the ZeroMQ guide's hello world), PUB/SUB on 5556, PUSH/PULL on 5557. */
export const ZMQ_PORTS = { reqrep: 5555, pubsub: 5556, pushpull: 5557 } as const

export type ZmtpKind = 'greeting' | 'command' | 'message'

/**
 * A PDU's keys. One PDU is the greeting, one command, or one whole message (its frames up to the
 * one without MORE).
 */
export interface ZmtpKeys {
  kind: ZmtpKind
  /** Frames in this PDU (messages). */
  frames?: number
  /** Greeting. */
  version?: string
  mechanism?: string
  asServer?: boolean
  /** `READY`, `SUBSCRIBE`, `CANCEL`, `PING`, `PONG`, `ERROR`, `HELLO`… */
  command?: string
  /** READY's Socket-Type property (`REQ`, `SUB`…). */
  socketType?: string
  identity?: string
  /** SUBSCRIBE/CANCEL: the topic prefix (as text). */
  topic?: string
  /** ERROR: the reason. */
  reason?: string
  /** Messages: the first frame after any delimiter (the topic of a PUB message), as text. */
  first?: string
  /** Messages: every data frame as text, joined with ` | ` (first 200 characters). */
  body?: string
  /** Messages: the REQ/REP envelope's empty delimiter frame is there. */
  delimiter?: boolean
  [key: string]: string | number | boolean | undefined
}
