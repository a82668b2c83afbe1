// The receiving end of the log stream (feed.ts in the engine): decodes live packets in order,
// keeping the string table of the chunk being streamed, and range replies, whose chunks start at
// their first byte. A live segment that does not continue where the previous one stopped means the
// stream has a gap (the receiver stopped listening for a while): it says so, and the caller
// follows again from what it holds.
import type { LabEvent } from '../events'
import { decodeEntries } from './decode'
import { CONTEXT_CHUNK, parsePacket, type PacketInfo, type Segment } from './packet'

export interface Received {
  info: PacketInfo
  /** False when a segment could not be decoded (a gap, or damaged bytes): follow again. */
  ok: boolean
  /** The packet belongs to another log than the previous one (the log was cleared). */
  newLog: boolean
  /** Events from before the stream's start that its views need (codec/context.ts). */
  context: LabEvent[]
}

export class LogReceiver {
  private chunk = -1
  private offset = 0
  private table: string[] = []
  private logId = -1

  /** Forgets the stream position (after `session:follow`, the next live packet starts a chunk). */
  reset(): void {
    this.chunk = -1
    this.offset = 0
    this.table = []
  }

  /**
   * Decodes a live packet's events with seq ≥ `minSeq`. `lazy` keeps PDU and bytes payloads in the
   * packet (which must then stay unchanged: it is never reused here).
   */
  live(packet: Uint8Array, lazy: boolean, each: (e: LabEvent) => void, minSeq = 0): Received {
    const p = this.open(packet)
    let ok = true
    for (const s of p.segments) if (!(ok = this.segment(s, lazy, each, p.context, minSeq))) break
    return { info: p.info, ok, newLog: p.newLog, context: p.context }
  }

  /**
   * Reads a live packet's header, to decode its segments one at a time (`segment`, in order): the
   * renderer spreads a large packet over several short tasks.
   */
  open(packet: Uint8Array): { info: PacketInfo; newLog: boolean; segments: Segment[]; context: LabEvent[] } {
    const { info, segments } = parsePacket(packet)
    const newLog = info.logId !== this.logId
    if (newLog) {
      this.logId = info.logId
      this.reset()
    }
    return { info, newLog, segments, context: [] }
  }

  /**
   * Decodes one segment of an opened packet: context events into `context`, the log's events with
   * seq ≥ `minSeq` to `each`. False when it does not continue the stream (follow again).
   */
  segment(s: Segment, lazy: boolean, each: (e: LabEvent) => void, context: LabEvent[], minSeq = 0): boolean {
    if (s.chunk === CONTEXT_CHUNK) {
      try {
        decodeEntries(s.bytes, 0, s.bytes.length, [], lazy, (e) => context.push(e))
      } catch {
        return false
      }
      return true
    }
    if (s.offset === 0 && (this.chunk < 0 || s.chunk === this.chunk + 1)) {
      // A chunk's start: the one after the last, or any after a reset (the stream's first).
      this.chunk = s.chunk
      this.table = []
    } else if (s.chunk !== this.chunk || s.offset !== this.offset) {
      this.reset()
      return false
    }
    try {
      const end = decodeEntries(s.bytes, 0, s.bytes.length, this.table, lazy, each, minSeq)
      if (end !== s.bytes.length) throw new RangeError('segment ends inside an entry')
    } catch {
      this.reset()
      return false
    }
    this.offset = s.offset + s.bytes.length
    return true
  }

  /** Reads a live packet's header only (when the events are not wanted now). */
  skip(packet: Uint8Array): Received {
    const { info } = parsePacket(packet)
    const newLog = info.logId !== this.logId
    this.logId = info.logId
    this.reset()
    return { info, ok: true, newLog, context: [] }
  }
}

/** Decodes a range reply: its events with `from ≤ seq ≤ to`. */
export function decodeRange(
  packet: Uint8Array,
  lazy: boolean
): { info: PacketInfo; events: LabEvent[]; context: LabEvent[] } {
  const { info, segments } = parsePacket(packet)
  const events: LabEvent[] = []
  const context: LabEvent[] = []
  const from = info.from ?? 0
  const to = info.to ?? 0
  for (const s of segments) {
    if (s.chunk === CONTEXT_CHUNK) {
      decodeEntries(s.bytes, 0, s.bytes.length, [], lazy, (e) => context.push(e))
      continue
    }
    decodeEntries(s.bytes, 0, s.bytes.length, [], lazy, (e) => {
      if (e.seq >= from && e.seq <= to) events.push(e)
    }, from)
  }
  return { info, events, context }
}
