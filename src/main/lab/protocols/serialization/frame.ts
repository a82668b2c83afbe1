// "On the wire": TCP is a byte stream with no message boundaries, so each encoded message travels
// in a small frame — 1 byte naming the format, 1 byte naming the schema variant, a 4-byte
// big-endian length, then the message (like gRPC's 5-byte prefix or Thrift's framed transport).
// The frame format, shared by the dissector, the receiving server and the sending client.
import { hexByte } from '../../dissect/fields'
import { FORMATS, type FormatId, type SchemaOptions, type TemperaturaType } from './record'

export const HEADER = 6
export const MAX_FRAME = 1 << 20

const TYPES: TemperaturaType[] = ['double', 'float', 'int32']

/** Schema variant in one byte: bits 0-1 temperatura type, bit 2 `unidade` added, bit 3 renumbered. */
export function schemaByte(o: SchemaOptions): number {
  return TYPES.indexOf(o.temperaturaType ?? 'double') | (o.addUnidade ? 4 : 0) | (o.renumber ? 8 : 0)
}

export function schemaFromByte(b: number): SchemaOptions {
  return { temperaturaType: TYPES[b & 3] ?? 'double', addUnidade: (b & 4) !== 0, renumber: (b & 8) !== 0 }
}

export function frame(format: FormatId, o: SchemaOptions, message: Uint8Array): Uint8Array {
  const out = new Uint8Array(HEADER + message.length)
  out[0] = FORMATS.indexOf(format)
  out[1] = schemaByte(o)
  new DataView(out.buffer).setUint32(2, message.length)
  out.set(message, HEADER)
  return out
}

/** Splits a byte stream into frames (the receiving server's side). */
export class FrameReader {
  private buf = new Uint8Array(0)

  push(chunk: Uint8Array): {
    frames: { format: FormatId; schema: SchemaOptions; message: Uint8Array }[]
    error?: string
  } {
    const next = new Uint8Array(this.buf.length + chunk.length)
    next.set(this.buf)
    next.set(chunk, this.buf.length)
    this.buf = next
    const frames: { format: FormatId; schema: SchemaOptions; message: Uint8Array }[] = []
    while (this.buf.length > 0) {
      if (this.buf[0] >= FORMATS.length)
        return { frames, error: `unknown format byte ${hexByte(this.buf[0])}` }
      if (this.buf.length < HEADER) break
      const n = new DataView(this.buf.buffer, this.buf.byteOffset, HEADER).getUint32(2)
      if (n > MAX_FRAME) return { frames, error: `frame of ${n} bytes is too large` }
      if (this.buf.length < HEADER + n) break
      frames.push({
        format: FORMATS[this.buf[0]],
        schema: schemaFromByte(this.buf[1]),
        message: this.buf.slice(HEADER, HEADER + n)
      })
      this.buf = this.buf.slice(HEADER + n)
    }
    return { frames }
  }
}
