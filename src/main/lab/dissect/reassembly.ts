// Stream reassembly, Wireshark-style: the protocol says how long the next PDU is, reassembly
// buffers until it has that many bytes, and hands the dissector whole PDUs with their stream
// offsets. Used by every length-delimited protocol (MQTT, HTTP/2, WebSocket, TLS…).
import type { Direction } from '../../../shared/events'
import { DissectError, reasonOf } from './error'
import { malformedPdu } from './fields'
import type { Decoded, PduDraft, StreamDissector } from './types'
import { concatBytes } from '../../../shared/bytes'

export type { Decoded }

export type LengthResult =
  /** The next PDU is this many bytes long. */
  | number
  /** Not enough bytes yet to know. */
  | 'more'
  /** The bytes cannot start a PDU: flag `length` bytes (default: everything buffered) as malformed. */
  | { malformed: string; length?: number }

export interface FramedProtocol<State> {
  protocol: string
  /** Per-connection state shared by both directions (protocol version, tables…). */
  state(): State
  /** Length of the PDU at the start of `buf` (which holds only the bytes not yet consumed). */
  pduLength(buf: Uint8Array, dir: Direction, state: State): LengthResult
  /**
   * Decode one whole PDU, which starts at stream `offset`. May throw: the caller turns that into a
   * malformed PDU (covering a `DissectError`'s range, or the whole PDU).
   */
  decode(pdu: Uint8Array, dir: Direction, state: State, offset: number): Decoded
  /** Most bytes to buffer waiting for one PDU before flagging it (default 16 MiB). */
  maxPdu?: number
}

/** PDUs up to this many bytes are copied on their own (V8 keeps such arrays in its heap). */
const SMALL_PDU = 64

const sliceCopy = Uint8Array.prototype.slice

/** A copy of `bytes[start, end)`: TypedArray slice(), a copy even of a Buffer (whose own slice() is a view). */
function copyOf(bytes: Uint8Array, start = 0, end = bytes.length): Uint8Array {
  return sliceCopy.call(bytes, start, end)
}

export function framed<State>(proto: FramedProtocol<State>): StreamDissector {
  const state = proto.state()
  const buffers: Record<Direction, { buf: Uint8Array; offset: number; dead: boolean }> = {
    c2s: { buf: new Uint8Array(0), offset: 0, dead: false },
    s2c: { buf: new Uint8Array(0), offset: 0, dead: false }
  }
  const maxPdu = proto.maxPdu ?? 16 * 1024 * 1024

  const decodeOne = (bytes: Uint8Array, dir: Direction, offset: number, out: PduDraft[]): void => {
    let d: Decoded
    try {
      d = proto.decode(bytes, dir, state, offset)
    } catch (err) {
      const ranged = err instanceof DissectError && err.start >= 0 && err.end <= bytes.length && err.start <= err.end
      out.push(malformedPdu(proto.protocol, dir, bytes, offset, reasonOf(err), ranged ? err.start : 0, ranged ? err.end : bytes.length))
      return
    }
    // Literals, not spreads of optional parts: a spread after other keys is a call into the runtime
    // and an empty object per PDU. The keys' order is the same either way.
    const protocol = d.protocol ?? proto.protocol
    const { summary, fields, keys, malformed } = d
    out.push(
      malformed
        ? keys
          ? { dir, protocol, summary, fields, data: bytes, offset, keys, malformed }
          : { dir, protocol, summary, fields, data: bytes, offset, malformed }
        : keys
          ? { dir, protocol, summary, fields, data: bytes, offset, keys }
          : { dir, protocol, summary, fields, data: bytes, offset }
    )
    if (d.extra) for (const x of d.extra) out.push(x)
  }

  return {
    push(dir, chunk, offset) {
      const s = buffers[dir]
      if (s.buf.length === 0) s.offset = offset
      // What waited is ours, and so is its concatenation with the chunk; a chunk alone is the
      // caller's (maybe a Node Buffer, whose slice() is a view). Small PDUs are copied out of it
      // one by one (V8 keeps arrays of up to 64 bytes in its heap: no ArrayBuffer); before the
      // first larger one, or before bytes wait, the rest of the chunk is copied once and PDUs are
      // views of the copy: an ArrayBuffer per push, not per PDU (each costs the collector's
      // sweeper a release).
      let owned = s.buf.length > 0
      s.buf = owned ? concatBytes([s.buf, chunk]) : chunk
      const own = (): Uint8Array => {
        if (!owned) {
          s.buf = copyOf(s.buf)
          owned = true
        }
        return s.buf
      }
      const out: PduDraft[] = []
      if (s.dead) {
        out.push(malformedPdu(proto.protocol, dir, own(), s.offset, 'not decoded: the stream lost framing earlier'))
        s.offset += s.buf.length
        s.buf = new Uint8Array(0)
        return out
      }
      while (s.buf.length > 0) {
        let len: LengthResult
        try {
          len = proto.pduLength(s.buf, dir, state)
        } catch (err) {
          len = { malformed: err instanceof Error ? err.message : String(err) }
        }
        if (len === 'more') {
          if (s.buf.length > maxPdu) len = { malformed: `no complete PDU in ${s.buf.length} bytes` }
          else break
        }
        if (typeof len === 'object') {
          const n = Math.min(s.buf.length, Math.max(1, len.length ?? s.buf.length))
          out.push(malformedPdu(proto.protocol, dir, copyOf(s.buf, 0, n), s.offset, len.malformed))
          if (len.length === undefined) s.dead = true
          s.buf = s.buf.subarray(n)
          s.offset += n
          continue
        }
        if (!Number.isInteger(len) || len <= 0) {
          out.push(malformedPdu(proto.protocol, dir, own(), s.offset, `invalid PDU length ${len}`))
          s.dead = true
          s.offset += s.buf.length
          s.buf = new Uint8Array(0)
          break
        }
        if (len > maxPdu) {
          out.push(malformedPdu(proto.protocol, dir, own(), s.offset, `declared length ${len} exceeds ${maxPdu}`))
          s.dead = true
          s.offset += s.buf.length
          s.buf = new Uint8Array(0)
          break
        }
        if (s.buf.length < len) break
        decodeOne(len <= SMALL_PDU ? copyOf(s.buf, 0, len) : own().subarray(0, len), dir, s.offset, out)
        // A view of the rest: a chunk of many small PDUs stays linear.
        s.buf = s.buf.subarray(len)
        s.offset += len
      }
      // What waits for more bytes is ours, never a view of the caller's chunk.
      if (s.buf.length) own()
      return out
    },
    end(dir) {
      const s = buffers[dir]
      if (s.buf.length === 0) return []
      const pdu = malformedPdu(proto.protocol, dir, s.buf, s.offset, `truncated: stream ended inside a PDU (${s.buf.length} bytes)`)
      s.buf = new Uint8Array(0)
      return [pdu]
    }
  }
}
