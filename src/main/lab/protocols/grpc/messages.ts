// gRPC Length-Prefixed-Message reassembly for one direction of one HTTP/2 stream: the DATA frames'
// payloads are one byte stream of messages, each a 1-byte compressed flag, a 4-byte big-endian
// length and that many bytes of (usually protobuf) data. A message may span DATA frames and a DATA
// frame may carry several messages: `push` takes one frame's payload and returns the messages it
// completes, plus which of its bytes were prefix and which were message data (for the frame's own
// field tree). Pure: no I/O, never throws.
import { ByteReader } from '../common/reader'

/** Where a piece of a message sat: its offset in the TCP stream (-1 when not a TCP stream offset). */
export interface Segment {
  at: number
  length: number
}

export interface RawMessage {
  /** The whole message: the 5-byte prefix and its data. */
  bytes: Uint8Array
  segments: Segment[]
  /** Message number in this direction of the stream, from 1. */
  index: number
}

/** A run of bytes of one pushed payload that belongs to message `index`. */
export interface Part {
  index: number
  kind: 'prefix' | 'data'
  /** Range in the pushed payload. */
  start: number
  end: number
}

export interface Broken {
  reason: string
  bytes: Uint8Array
  segments: Segment[]
  index: number
}

export interface PushResult {
  messages: RawMessage[]
  parts: Part[]
  /** Bytes that cannot be messages (bad flag, absurd length, after an earlier error). */
  broken?: Broken
}

/** Largest message Wirelab buffers (grpc-js accepts 4 MiB by default; some servers raise it). */
export const MAX_MESSAGE = 16 * 1024 * 1024

export class MessageReassembler {
  private prefix = new Uint8Array(5)
  private have = 0
  private length = -1
  private chunks: Uint8Array[] = []
  private segments: Segment[] = []
  private index = 1
  private dead: string | null = null

  /** The number of the message partly received, or null. */
  get pendingIndex(): number | null {
    return this.have > 0 && !this.dead ? this.index : null
  }

  /** Bytes of that message received so far. */
  get pendingBytes(): number {
    return this.have
  }

  push(payload: Uint8Array, at: number): PushResult {
    const out: PushResult = { messages: [], parts: [] }
    if (payload.length === 0) return out
    if (this.dead) {
      out.broken = {
        reason: `not decoded: ${this.dead}`,
        bytes: payload.slice(),
        segments: [{ at, length: payload.length }],
        index: this.index
      }
      return out
    }
    let i = 0
    const take = (n: number, kind: Part['kind']): Uint8Array => {
      const piece = payload.subarray(i, i + n)
      out.parts.push({ index: this.index, kind, start: i, end: i + n })
      this.chunks.push(piece)
      this.segments.push({ at: at < 0 ? -1 : at + i, length: n })
      i += n
      this.have += n
      return piece
    }
    while (i < payload.length) {
      if (this.have < 5) {
        const n = Math.min(5 - this.have, payload.length - i)
        this.prefix.set(take(n, 'prefix'), this.have - n)
        if (this.have - n === 0) {
          const flag = this.prefix[0]
          if (flag > 1)
            return this.fail(
              out,
              payload,
              i,
              at,
              `compressed flag is ${flag} (0x${flag.toString(16).padStart(2, '0')}), not 0 or 1: these bytes are not a gRPC length-prefixed message`
            )
        }
        if (this.have < 5) break
        this.length = new ByteReader(this.prefix, 1).u32('message length')
        if (this.length > MAX_MESSAGE)
          return this.fail(
            out,
            payload,
            i,
            at,
            `the prefix declares ${this.length} bytes, more than the ${MAX_MESSAGE} Wirelab buffers for one message`
          )
      }
      const want = 5 + this.length - this.have
      if (want > 0) take(Math.min(want, payload.length - i), 'data')
      if (this.have === 5 + this.length) out.messages.push(this.complete())
    }
    return out
  }

  /** The stream direction ended (END_STREAM, RST_STREAM, connection closed): what was left half-received. */
  end(why: string): Broken | null {
    if (this.have === 0 || this.dead) return null
    const bytes = this.joined()
    const reason =
      this.have < 5
        ? `truncated prefix: ${this.have} of its 5 bytes arrived before ${why}`
        : `the prefix declares ${this.length} bytes but only ${this.have - 5} arrived before ${why}`
    const broken = { reason, bytes, segments: merge(this.segments), index: this.index }
    this.reset()
    this.index++
    return broken
  }

  /** Flags this message's bytes so far and the rest of the payload from `i`; later payloads too. */
  private fail(out: PushResult, payload: Uint8Array, i: number, at: number, reason: string): PushResult {
    const earlier = this.joined()
    const rest = payload.subarray(i)
    const bytes = new Uint8Array(earlier.length + rest.length)
    bytes.set(earlier, 0)
    bytes.set(rest, earlier.length)
    const segments = merge(
      [...this.segments, { at: at < 0 ? -1 : at + i, length: rest.length }].filter((x) => x.length > 0)
    )
    out.parts = out.parts.filter((p) => p.index !== this.index)
    out.broken = { reason, bytes, segments, index: this.index }
    this.dead = `the stream lost gRPC framing earlier (${reason.split(':')[0]})`
    this.reset()
    return out
  }

  private joined(): Uint8Array {
    const bytes = new Uint8Array(this.have)
    let o = 0
    for (const c of this.chunks) {
      bytes.set(c, o)
      o += c.length
    }
    return bytes
  }

  private complete(): RawMessage {
    const m: RawMessage = { bytes: this.joined(), segments: merge(this.segments), index: this.index++ }
    this.reset()
    return m
  }

  private reset(): void {
    this.prefix = new Uint8Array(5)
    this.have = 0
    this.length = -1
    this.chunks = []
    this.segments = []
  }
}

/** Adjacent pieces (the same DATA frame) become one. */
function merge(segments: Segment[]): Segment[] {
  const out: Segment[] = []
  for (const s of segments) {
    const last = out.at(-1)
    if (last && last.at >= 0 && s.at === last.at + last.length) last.length += s.length
    else out.push({ ...s })
  }
  return out
}
