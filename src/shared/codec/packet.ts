// What crosses the bridge: a packet of log bytes, exactly as the log keeps them. A packet holds
// segments, each a run of entries from one chunk starting at a byte offset; a receiver that saw the
// chunk from offset 0 (its string table) can decode any later segment of it. Live packets continue
// where the previous one stopped; replies to `session:range` start every chunk at offset 0.
//
//   header (48 bytes, little-endian)
//     u8  magic 0x57 ('W')   u8 type (1 live, 2 range)   u16 segments
//     u32 log id (changes when the log is cleared)
//     u32 events in the log   u32 events of interest in the log
//     u32 events the bridge dropped so far
//     u32 KiB of log in memory   u32 KiB of log on disk
//     range replies: u32 first seq, u32 last seq, u32 events of interest before the first,
//                    u32 seq asked for (0 if none)        (zero in live packets)
//     u32 reserved
//   segment: u32 chunk index, u32 byte offset in the chunk, u32 length, then `length` bytes

import type { LabEvent } from '../events'
import { ByteSink } from './byte-sink'
import { EventEncoder } from './encode'

/**
 * A segment with this chunk index is not part of the log's chunks: it carries, encoded on its own,
 * the context a window needs from before its start (codec/context.ts).
 */
export const CONTEXT_CHUNK = 0xffffffff

export const PACKET_MAGIC = 0x57
export const PACKET_LIVE = 1
export const PACKET_RANGE = 2
export const PACKET_HEAD = 48
export const SEGMENT_HEAD = 12

export interface PacketInfo {
  type: number
  logId: number
  /** Events and events of interest in the engine's log when the packet was sent. */
  total: number
  totalMarks: number
  dropped: number
  kibInMemory: number
  kibOnDisk: number
  /** Range replies: the events asked for are `from ≤ seq ≤ to`; `marksBefore` precede `from`. */
  from?: number
  to?: number
  marksBefore?: number
  /** Range replies: the seq that was looked for (the n-th event of interest), 0 if none. */
  target?: number
}

export interface Segment {
  chunk: number
  offset: number
  bytes: Uint8Array
}

export function buildPacket(info: PacketInfo, segments: Segment[]): Uint8Array {
  let size = PACKET_HEAD
  for (const s of segments) size += SEGMENT_HEAD + s.bytes.length
  const out = new Uint8Array(size)
  const v = new DataView(out.buffer)
  v.setUint8(0, PACKET_MAGIC)
  v.setUint8(1, info.type)
  v.setUint16(2, segments.length, true)
  v.setUint32(4, info.logId >>> 0, true)
  v.setUint32(8, info.total, true)
  v.setUint32(12, info.totalMarks, true)
  v.setUint32(16, info.dropped, true)
  v.setUint32(20, Math.min(0xffffffff, Math.ceil(info.kibInMemory)), true)
  v.setUint32(24, Math.min(0xffffffff, Math.ceil(info.kibOnDisk)), true)
  v.setUint32(28, info.from ?? 0, true)
  v.setUint32(32, info.to ?? 0, true)
  v.setUint32(36, info.marksBefore ?? 0, true)
  v.setUint32(40, info.target ?? 0, true)
  let at = PACKET_HEAD
  for (const s of segments) {
    v.setUint32(at, s.chunk, true)
    v.setUint32(at + 4, s.offset, true)
    v.setUint32(at + 8, s.bytes.length, true)
    out.set(s.bytes, at + SEGMENT_HEAD)
    at += SEGMENT_HEAD + s.bytes.length
  }
  return out
}

export function isPacket(bytes: Uint8Array): boolean {
  return bytes.length >= PACKET_HEAD && bytes[0] === PACKET_MAGIC
}

/** Events encoded as one self-contained segment (a fresh string table). */
export function contextSegment(events: readonly LabEvent[]): Segment {
  const enc = new EventEncoder()
  const out = new ByteSink(4096)
  for (const e of events) enc.encode(e, out)
  return { chunk: CONTEXT_CHUNK, offset: 0, bytes: out.written() }
}

/** Reads a packet's header and segments (views into `bytes`). Throws on a damaged packet. */
export function parsePacket(bytes: Uint8Array): { info: PacketInfo; segments: Segment[] } {
  if (!isPacket(bytes)) throw new RangeError('not a Wirelab log packet')
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const info: PacketInfo = {
    type: v.getUint8(1),
    logId: v.getUint32(4, true),
    total: v.getUint32(8, true),
    totalMarks: v.getUint32(12, true),
    dropped: v.getUint32(16, true),
    kibInMemory: v.getUint32(20, true),
    kibOnDisk: v.getUint32(24, true),
    from: v.getUint32(28, true),
    to: v.getUint32(32, true),
    marksBefore: v.getUint32(36, true),
    target: v.getUint32(40, true)
  }
  const n = v.getUint16(2, true)
  const segments: Segment[] = []
  let at = PACKET_HEAD
  for (let i = 0; i < n; i++) {
    if (at + SEGMENT_HEAD > bytes.length) throw new RangeError('packet ends inside a segment header')
    const length = v.getUint32(at + 8, true)
    if (at + SEGMENT_HEAD + length > bytes.length) throw new RangeError('packet ends inside a segment')
    segments.push({
      chunk: v.getUint32(at, true),
      offset: v.getUint32(at + 4, true),
      bytes: bytes.subarray(at + SEGMENT_HEAD, at + SEGMENT_HEAD + length)
    })
    at += SEGMENT_HEAD + length
  }
  return { info, segments }
}

/**
 * A binary reply to a command over the WebSocket bridge (JSON replies cannot carry bytes):
 * `[0x52][u32 request id][payload]`. Log packets start with 0x57, so the two never mix.
 */
export const REPLY_MAGIC = 0x52

export function buildReply(id: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(5 + payload.length)
  out[0] = REPLY_MAGIC
  new DataView(out.buffer).setUint32(1, id >>> 0, true)
  out.set(payload, 5)
  return out
}

/** The request id and payload of a binary reply, or null if `bytes` is not one. */
export function parseReply(bytes: Uint8Array): { id: number; payload: Uint8Array } | null {
  if (bytes.length < 5 || bytes[0] !== REPLY_MAGIC) return null
  return { id: new DataView(bytes.buffer, bytes.byteOffset).getUint32(1, true), payload: bytes.subarray(5) }
}
