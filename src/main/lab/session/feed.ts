// Streams the session log toward one renderer: a packet every few milliseconds while events come,
// carrying the log's own bytes (no per-event serialisation), bounded in size, paced by the
// transport. The feed is a read position in the log, not a queue: when the renderer is slow it
// falls behind and catches up from memory or disk, and nothing is ever dropped. Replies to
// `session:range` come from here too.
import type { FollowReply, RangeRequest } from '../../../shared/api'
import type { Chunk } from '../../../shared/codec/chunk-log'
import { buildPacket, contextSegment, PACKET_LIVE, PACKET_RANGE, type PacketInfo, type Segment } from '../../../shared/codec/packet'
import { buildRange } from '../../../shared/codec/range'
import type { Session } from './session'

export interface LogFeedOptions {
  /** Flush interval in ms: a quarter of an animation frame, so an event waits at most 4 ms to be sent. */
  intervalMs?: number
  /** Returns false while the transport is congested (e.g. WebSocket bufferedAmount high). */
  ready?: () => boolean
  /** A packet stops growing past this many bytes (default 1 MiB; a single chunk may exceed it). */
  maxBytes?: number
}

function info(session: Session, type: number): PacketInfo {
  const st = session.stats()
  return {
    type,
    logId: session.id,
    total: st.events,
    totalMarks: st.marks,
    dropped: 0,
    kibInMemory: st.bytesInMemory / 1024,
    kibOnDisk: st.bytesOnDisk / 1024
  }
}

export class LogFeed {
  private chunk = 0
  private offset = 0
  private following = false
  /** Sent before the stream when it starts past the beginning of a run (shared/codec/context.ts). */
  private context: Segment | null = null
  private logId: number
  private timer: ReturnType<typeof setTimeout> | null = null
  private closed = false
  private readonly intervalMs: number
  private readonly ready: () => boolean
  private readonly maxBytes: number
  private readonly unsubscribe: () => void

  constructor(
    private readonly session: Session,
    private readonly send: (packet: Uint8Array) => void,
    options: LogFeedOptions = {}
  ) {
    this.intervalMs = options.intervalMs ?? 4
    this.ready = options.ready ?? (() => true)
    this.maxBytes = options.maxBytes ?? 1 << 20
    this.logId = session.id
    const offAppend = session.subscribe(() => this.schedule())
    const offClear = session.onClear(() => this.schedule())
    this.unsubscribe = () => {
      offAppend()
      offClear()
    }
  }

  /**
   * Streams from the chunk that holds `from` (1 = the whole log; past the end = new events only),
   * or the last `tail` events.
   */
  follow(from = 1, tail?: number): FollowReply {
    const log = this.session.chunks
    if (tail !== undefined) from = Math.max(1, log.size - tail + 1)
    const c = log.chunkOf(Math.min(Math.max(1, from), Math.max(1, log.size)))
    this.chunk = c ? c.index : log.chunkCount
    this.offset = 0
    this.logId = this.session.id
    this.following = true
    const start = c ? c.firstSeq : log.size + 1
    const context = start > 1 ? this.session.contextBefore(start) : []
    this.context = context.length ? contextSegment(context) : null
    this.schedule()
    return {
      logId: this.session.id,
      from: start,
      total: log.size,
      totalMarks: log.marks,
      marksBefore: c ? c.marksBefore : log.marks
    }
  }

  private schedule(): void {
    if (this.timer || this.closed || !this.following) return
    this.timer = setTimeout(() => {
      this.timer = null
      this.flush()
    }, this.intervalMs)
  }

  /** Sends what the renderer has not seen yet, in packets of about `maxBytes`. */
  flush(): void {
    if (this.closed || !this.following) return
    if (this.logId !== this.session.id) {
      // The log was cleared: the renderer gets the new one from its start (an empty packet says so).
      this.logId = this.session.id
      this.chunk = 0
      this.offset = 0
      this.context = null
      if (this.session.size === 0) this.send(buildPacket(info(this.session, PACKET_LIVE), []))
    }
    const log = this.session.chunks
    for (;;) {
      if (!this.ready()) {
        this.schedule()
        return
      }
      const segments: Segment[] = this.context ? [this.context] : []
      this.context = null
      let size = 0
      while (size < this.maxBytes && this.chunk < log.chunkCount) {
        const c = log.chunk(this.chunk) as Chunk
        const bytes = log.bytesOf(c)
        if (this.offset < bytes.length) {
          segments.push({ chunk: c.index, offset: this.offset, bytes: bytes.subarray(this.offset) })
          size += bytes.length - this.offset
          this.offset = bytes.length
        }
        if (log.isOpen(c)) break
        this.chunk++
        this.offset = 0
      }
      if (!segments.length) return
      this.send(buildPacket(info(this.session, PACKET_LIVE), segments))
    }
  }

  close(): void {
    this.closed = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.unsubscribe()
  }
}

/** The events a renderer asked for as a range packet (shared/codec/range.ts). */
export function rangePacket(session: Session, req: RangeRequest): Uint8Array {
  return buildRange(session.chunks, (from) => session.contextBefore(from), req, info(session, PACKET_RANGE))
}
