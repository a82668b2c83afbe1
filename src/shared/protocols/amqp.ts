// AMQP 0-9-1 (RabbitMQ): field ids and PDU keys, declared once for the engine's dissector and the
// renderer's views. Ids follow Wireshark's AMQP dissector (`amqp.method.arguments.routing_key`),
// so a field can be looked up the same way in both tools.
import { memo } from '../memo'

export const AMQP = {
  protocolHeader: 'amqp.init',
  initProtocol: 'amqp.init.protocol',
  initIdMajor: 'amqp.init.id_major',
  initIdMinor: 'amqp.init.id_minor',
  initVersionMajor: 'amqp.init.version_major',
  initVersionMinor: 'amqp.init.version_minor',
  frame: 'amqp.frame',
  type: 'amqp.type',
  channel: 'amqp.channel',
  length: 'amqp.length',
  frameEnd: 'amqp.frame_end',
  methodClass: 'amqp.method.class',
  methodMethod: 'amqp.method.method',
  methodArguments: 'amqp.method.arguments',
  headerClass: 'amqp.header.class',
  headerWeight: 'amqp.header.weight',
  headerBodySize: 'amqp.header.body-size',
  headerPropertyFlags: 'amqp.header.property-flags',
  headerProperties: 'amqp.header.properties',
  payload: 'amqp.payload',
  tableEntry: 'amqp.table.entry'
} as const

/** `routingKey` → `routing_key`. */
const snake = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)

/** `amqp.method.arguments.<name>` for an argument amqplib calls `routingKey` (Wireshark: `routing_key`). */
export const amqpArgumentId = memo((name: string): string => `amqp.method.arguments.${snake(name)}`, 1024)
/** `amqp.method.properties.<name>` for a content property (`contentType` → `content_type`). */
export const amqpPropertyId = memo((name: string): string => `amqp.method.properties.${snake(name)}`, 1024)

export const AMQP_PORT = 5672

export type AmqpFrameKind = 'protocol-header' | 'method' | 'header' | 'body' | 'heartbeat'

/** Frame type octets (AMQP 0-9-1 §4.2.3; RabbitMQ uses 8 for heartbeats). */
export const AMQP_FRAME_TYPES: Record<number, AmqpFrameKind> = { 1: 'method', 2: 'header', 3: 'body', 8: 'heartbeat' }

/**
 * A PDU's keys. One PDU is one frame, except a content-bearing method (Basic.Publish, Deliver,
 * Return, Get-Ok), which is one PDU with its content header and body frames, as the specification
 * groups them into one command. Method arguments and content properties with scalar values are
 * keys under amqplib's names (`exchange`, `routingKey`, `deliveryTag`, `contentType`…).
 */
export interface AmqpKeys {
  frame: AmqpFrameKind
  /** Frames in this PDU. */
  frames: number
  channel: number
  /** `Basic.Publish`, `Queue.Declare-Ok`… */
  method?: string
  classId?: number
  methodId?: number
  bodySize?: number
  /** The message body as text (first 200 characters). */
  body?: string
  [arg: string]: string | number | boolean | undefined
}

/** Methods followed by a content header and body frames. */
export const CONTENT_METHODS = new Set(['Basic.Publish', 'Basic.Return', 'Basic.Deliver', 'Basic.Get-Ok'])
