// Thrift RPC (the "thrift" dissector): field ids and PDU keys, declared once for the engine and
// the renderer's views. Body fields are named from the IDL: `thrift.args.<param>`,
// `thrift.result.success`, `thrift.result.<exception>`, nested structs below them.

export const THRIFT = {
  frameLength: 'thrift.frame_len',
  version: 'thrift.version',
  protocolId: 'thrift.protocol_id',
  type: 'thrift.mtype',
  method: 'thrift.method',
  methodLength: 'thrift.method.length',
  seqid: 'thrift.seq_id',
  args: 'thrift.args',
  result: 'thrift.result',
  exception: 'thrift.exception'
} as const

/** Message types (the low byte of the binary version word; bits 5–7 of the compact type byte). */
export const THRIFT_MESSAGE_TYPES = { 1: 'CALL', 2: 'REPLY', 3: 'EXCEPTION', 4: 'ONEWAY' } as const
export type ThriftMessageType = (typeof THRIFT_MESSAGE_TYPES)[keyof typeof THRIFT_MESSAGE_TYPES]

export type ThriftProtocolName = 'binary' | 'compact'
export type ThriftTransportName = 'buffered' | 'framed'

/** The `keys` of a Thrift PDU. */
export interface ThriftKeys {
  [k: string]: string | number | boolean
  method: string
  seqid: number
  mtype: ThriftMessageType
  protocol: ThriftProtocolName
  transport: ThriftTransportName
  /** `binary` messages without the version word (old, non-strict writers). */
  strict: boolean
}

/** The course's port for the Thrift lesson: Hive Metastore's, a convention (IANA lists 9083 as emc-pp-mgmtsvc). */
export const THRIFT_PORT = 9083
