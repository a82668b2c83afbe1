// One byte reader for every dissector: big- and little-endian integers, varints, strings and
// slices, each read checked against the end of the PDU. A read past the end throws a
// `DissectError` carrying the byte range that was being read and why, which `framed()` and the
// dissector wrappers turn into a malformed PDU with exactly that range.
import { DissectError } from '../../dissect/error'

export { DissectError }

const utf8Strict = new TextDecoder('utf-8', { fatal: true })
const utf8Lenient = new TextDecoder('utf-8', { fatal: false })

export class ByteReader {
  /** Position of the next byte to read. */
  pos: number

  constructor(
    readonly buf: Uint8Array,
    start = 0,
    /** End of the readable region (exclusive); defaults to the end of `buf`. */
    readonly limit = buf.length
  ) {
    this.pos = start
  }

  /** Bytes left before `limit`. */
  get left(): number {
    return this.limit - this.pos
  }

  get done(): boolean {
    return this.pos >= this.limit
  }

  /** Throws a ranged error unless `n` more bytes are available for `what`. */
  need(n: number, what: string): void {
    if (!Number.isSafeInteger(n) || n < 0 || this.pos + n > this.limit)
      throw new DissectError(
        `${what}: needs ${n} byte${n === 1 ? '' : 's'}, only ${Math.max(0, this.left)} left`,
        this.pos,
        this.limit,
        Number.isSafeInteger(n) && n >= 0 ? this.pos + n : undefined
      )
  }

  /** A ranged error at the current position (or the given range). */
  fail(reason: string, start = this.pos, end = Math.min(this.limit, start + 1)): never {
    throw new DissectError(reason, start, Math.max(start, end))
  }

  peek(what = 'byte'): number {
    this.need(1, what)
    return this.buf[this.pos]
  }

  u8(what = 'byte'): number {
    this.need(1, what)
    return this.buf[this.pos++]
  }

  i8(what = 'byte'): number {
    const v = this.u8(what)
    return v > 0x7f ? v - 0x100 : v
  }

  u16(what = 'uint16'): number {
    this.need(2, what)
    const b = this.buf
    const v = (b[this.pos] << 8) | b[this.pos + 1]
    this.pos += 2
    return v
  }

  i16(what = 'int16'): number {
    const v = this.u16(what)
    return v > 0x7fff ? v - 0x10000 : v
  }

  u24(what = 'uint24'): number {
    this.need(3, what)
    const b = this.buf
    const v = (b[this.pos] << 16) | (b[this.pos + 1] << 8) | b[this.pos + 2]
    this.pos += 3
    return v
  }

  u32(what = 'uint32'): number {
    this.need(4, what)
    const b = this.buf
    const v = b[this.pos] * 0x1000000 + ((b[this.pos + 1] << 16) | (b[this.pos + 2] << 8) | b[this.pos + 3])
    this.pos += 4
    return v
  }

  i32(what = 'int32'): number {
    const v = this.u32(what)
    return v > 0x7fffffff ? v - 0x100000000 : v
  }

  u64(what = 'uint64'): bigint {
    const hi = this.u32(what)
    const lo = this.u32(what)
    return (BigInt(hi) << 32n) | BigInt(lo)
  }

  i64(what = 'int64'): bigint {
    return BigInt.asIntN(64, this.u64(what))
  }

  u16le(what = 'uint16'): number {
    this.need(2, what)
    const v = this.buf[this.pos] | (this.buf[this.pos + 1] << 8)
    this.pos += 2
    return v
  }

  u32le(what = 'uint32'): number {
    this.need(4, what)
    const b = this.buf
    const v = b[this.pos] + ((b[this.pos + 1] << 8) | (b[this.pos + 2] << 16)) + b[this.pos + 3] * 0x1000000
    this.pos += 4
    return v
  }

  f32(what = 'float'): number {
    this.need(4, what)
    const v = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 4).getFloat32(0)
    this.pos += 4
    return v
  }

  f64(what = 'double'): number {
    this.need(8, what)
    const v = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 8).getFloat64(0)
    this.pos += 8
    return v
  }

  /**
   * An unsigned LEB128 varint (protobuf, Thrift compact, Avro before zig-zag), at most `maxBytes`
   * long. Values beyond 2^53 lose precision: use `varint64` for those.
   */
  varint(what = 'varint', maxBytes = 10): number {
    const start = this.pos
    let value = 0
    let mult = 1
    for (let i = 0; i < maxBytes; i++) {
      const b = this.u8(what)
      value += (b & 0x7f) * mult
      if ((b & 0x80) === 0) return value
      mult *= 128
    }
    return this.fail(`${what}: varint longer than ${maxBytes} bytes`, start, this.pos)
  }

  varint64(what = 'varint'): bigint {
    const start = this.pos
    let value = 0n
    let shift = 0n
    for (let i = 0; i < 10; i++) {
      const b = this.u8(what)
      value |= BigInt(b & 0x7f) << shift
      if ((b & 0x80) === 0) return BigInt.asUintN(64, value)
      shift += 7n
    }
    return this.fail(`${what}: varint longer than 10 bytes`, start, this.pos)
  }

  /** `n` bytes, as a view into the buffer (no copy). */
  bytes(n: number, what = 'bytes'): Uint8Array {
    this.need(n, what)
    const out = this.buf.subarray(this.pos, this.pos + n)
    this.pos += n
    return out
  }

  /** A DataView over the next `n` bytes (for IEEE-754 numbers in either byte order). */
  view(n: number, what = 'bytes'): DataView {
    const b = this.bytes(n, what)
    return new DataView(b.buffer, b.byteOffset, b.byteLength)
  }

  skip(n: number, what = 'bytes'): void {
    this.need(n, what)
    this.pos += n
  }

  /** UTF-8 text; invalid UTF-8 is a ranged error when `strict`. */
  utf8(n: number, what = 'string', strict = false): string {
    const start = this.pos
    const raw = this.bytes(n, what)
    if (!strict) return utf8Lenient.decode(raw)
    try {
      return utf8Strict.decode(raw)
    } catch {
      return this.fail(`${what}: not valid UTF-8`, start, start + n)
    }
  }

  /** One byte per character (ASCII protocol text: AMQP short strings, HTTP heads…). */
  latin1(n: number, what = 'string'): string {
    const raw = this.bytes(n, what)
    let s = ''
    for (let i = 0; i < raw.length; i++) s += String.fromCharCode(raw[i])
    return s
  }

  /** A reader over the next `n` bytes (same buffer, same offsets); this reader moves past them. */
  sub(n: number, what = 'bytes'): ByteReader {
    this.need(n, what)
    const r = new ByteReader(this.buf, this.pos, this.pos + n)
    this.pos += n
    return r
  }

  /** Index of `byte` at or after the current position, or -1 before `limit`. */
  indexOf(byte: number): number {
    const i = this.buf.indexOf(byte, this.pos)
    return i < 0 || i >= this.limit ? -1 : i
  }
}

/**
 * `buf[start, end)` as text when it is short and plain: at most 32 bytes, each printable ASCII
 * (0x20–0x7e) other than `"` and `\`. Such text is what `utf8()` decodes, shows as itself, and
 * quotes in JSON as `"text"`. Anything else: undefined (decode it the usual way). Read byte by
 * byte: for the short names and values protocols carry, a view plus a decoder call costs several
 * times more than the characters.
 */
export function plainAscii(buf: Uint8Array, start: number, end: number): string | undefined {
  if (end - start > 32) return undefined
  let s = ''
  for (let i = start; i < end; i++) {
    const c = buf[i]
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) return undefined
    s += String.fromCharCode(c)
  }
  return s
}
