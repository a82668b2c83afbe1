// A growable little-endian byte buffer for the log's binary records, and the matching cursor to
// read them back. Variable-length integers cover every safe JavaScript integer (stream offsets of
// an hour-long session pass 2³²).

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8')

export class ByteSink {
  buf: Uint8Array
  view: DataView
  pos = 0

  constructor(size = 4096) {
    this.buf = new Uint8Array(size)
    this.view = new DataView(this.buf.buffer)
  }

  /** Makes room for `n` more bytes. */
  reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return
    let size = this.buf.length * 2
    while (size < this.pos + n) size *= 2
    const next = new Uint8Array(size)
    next.set(this.buf.subarray(0, this.pos))
    this.buf = next
    this.view = new DataView(next.buffer)
  }

  u8(v: number): void {
    this.reserve(1)
    this.buf[this.pos++] = v
  }

  u32(v: number): void {
    this.reserve(4)
    this.view.setUint32(this.pos, v, true)
    this.pos += 4
  }

  f64(v: number): void {
    this.reserve(8)
    this.view.setFloat64(this.pos, v, true)
    this.pos += 8
  }

  /** A non-negative safe integer, 7 bits per byte. */
  uvar(v: number): void {
    this.reserve(8)
    const b = this.buf
    if (v < 0x80000000) {
      while (v >= 0x80) {
        b[this.pos++] = (v & 0x7f) | 0x80
        v >>>= 7
      }
      b[this.pos++] = v
      return
    }
    while (v >= 0x80) {
      b[this.pos++] = (v % 0x80) | 0x80
      v = Math.floor(v / 0x80)
    }
    b[this.pos++] = v
  }

  /** A safe integer, zigzag-coded so small negatives stay short. */
  svar(v: number): void {
    this.uvar(v >= 0 ? v * 2 : -v * 2 - 1)
  }

  bytes(data: Uint8Array): void {
    this.reserve(data.length)
    this.buf.set(data, this.pos)
    this.pos += data.length
  }

  /** UTF-8 bytes of `s` without a length (room for `s.length * 3` bytes must be reserved). */
  raw(s: string): number {
    const b = this.buf
    const n = s.length
    let p = this.pos
    let i = 0
    // ASCII by hand: cheaper than TextEncoder for the short strings records are made of.
    for (; i < n; i++) {
      const c = s.charCodeAt(i)
      if (c >= 0x80) break
      b[p++] = c
    }
    if (i < n) p += encoder.encodeInto(i ? s.slice(i) : s, b.subarray(p)).written
    const written = p - this.pos
    this.pos = p
    return written
  }

  /**
   * UTF-8 bytes of `s` preceded by `(length << shift) | tag` as a varint. Long strings get a fixed
   * 5-byte varint, so the text is encoded in place without measuring it first.
   */
  text(s: string, tag = 0, shift = 0): void {
    const n = s.length
    this.reserve(n * 3 + 10)
    const b = this.buf
    if (((n * 3) << shift) + tag < 0x80) {
      const at = this.pos++
      b[at] = (this.raw(s) << shift) | tag
      return
    }
    const at = this.pos
    this.pos += 5
    let v = this.raw(s) * 2 ** shift + tag
    for (let k = 0; k < 4; k++) {
      b[at + k] = (v % 0x80) | 0x80
      v = Math.floor(v / 0x80)
    }
    b[at + 4] = v
  }

  /** The bytes written so far (a view, not a copy). */
  written(): Uint8Array {
    return this.buf.subarray(0, this.pos)
  }
}

/** Reads what a ByteSink wrote. Reads past the end throw a RangeError (a damaged record). */
export class ByteCursor {
  view: DataView
  pos: number

  constructor(
    readonly buf: Uint8Array,
    pos = 0,
    public end = buf.length
  ) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
    this.pos = pos
  }

  private need(n: number): void {
    if (this.pos + n > this.end) throw new RangeError(`record ends early at byte ${this.pos}`)
  }

  u8(): number {
    this.need(1)
    return this.buf[this.pos++]
  }

  u32(): number {
    this.need(4)
    const v = this.view.getUint32(this.pos, true)
    this.pos += 4
    return v
  }

  f64(): number {
    this.need(8)
    const v = this.view.getFloat64(this.pos, true)
    this.pos += 8
    return v
  }

  uvar(): number {
    const b = this.buf
    let v = 0
    let scale = 1
    for (let k = 0; k < 8; k++) {
      if (this.pos >= this.end) throw new RangeError(`record ends early at byte ${this.pos}`)
      const x = b[this.pos++]
      v += (x & 0x7f) * scale
      if (x < 0x80) return v
      scale *= 0x80
    }
    throw new RangeError(`varint too long at byte ${this.pos}`)
  }

  svar(): number {
    const v = this.uvar()
    return v % 2 === 0 ? v / 2 : -(v + 1) / 2
  }

  /** `n` bytes of UTF-8 at the cursor. */
  utf8(n: number): string {
    this.need(n)
    const b = this.buf
    const start = this.pos
    this.pos += n
    if (n < 64) {
      // Short ASCII (most strings in records) in one call; TextDecoder costs more to call than that.
      for (let i = start; i < start + n; i++) if (b[i] >= 0x80) return decoder.decode(b.subarray(start, start + n))
      return String.fromCharCode.apply(null, b.subarray(start, start + n) as unknown as number[])
    }
    return decoder.decode(b.subarray(start, start + n))
  }

  skip(n: number): void {
    this.need(n)
    this.pos += n
  }

  take(n: number): Uint8Array {
    this.need(n)
    const out = this.buf.subarray(this.pos, this.pos + n)
    this.pos += n
    return out
  }
}
