// Building blocks shared by the serialization dissectors: varints with their 7-bit groups and
// continuation bits, zigzag, IEEE-754 numbers split into sign/exponent/mantissa, UTF-8 text.
// Every helper returns fields with byte ranges into the message being dissected.
import type { Field } from '../../../../shared/events'
import { memo } from '../../../../shared/memo'
import { DissectError } from '../../dissect/error'
import { field, hex, hexByte } from '../../dissect/fields'
import { branch, leaf } from './field-literals'
import { plainAscii, type ByteReader } from './reader'

export interface Varint {
  value: bigint
  start: number
  end: number
}

/** Reads a base-128 varint (least significant group first), at most 10 bytes. */
export function readVarint(c: ByteReader, what = 'varint'): Varint {
  const start = c.pos
  // Up to 7 bytes (49 bits) the value is exact in a number: one BigInt made at the end (most
  // varints are tags and small values, read a byte at a time as BigInts before).
  const buf = c.buf
  const fast = Math.min(c.limit, start + 7)
  let small = 0
  let scale = 1
  for (let at = start; at < fast; at++) {
    const b = buf[at]
    small += (b & 0x7f) * scale
    scale *= 128
    if ((b & 0x80) === 0) {
      c.pos = at + 1
      return { value: BigInt(small), start, end: c.pos }
    }
  }
  let value = 0n
  let shift = 0n
  for (let i = 0; i < 10; i++) {
    if (c.pos >= c.limit)
      throw new DissectError(
        `truncated ${what}: the last byte read has its continuation bit set`,
        start,
        c.limit,
        c.limit + 1
      )
    const b = c.buf[c.pos++]
    value |= BigInt(b & 0x7f) << shift
    shift += 7n
    if ((b & 0x80) === 0) return { value: value & 0xffffffffffffffffn, start, end: c.pos }
  }
  throw new DissectError(`${what} longer than 10 bytes`, start, c.pos)
}

export const zigzag = (v: bigint): bigint => (v >> 1n) ^ -(v & 1n)
export const asInt64 = (v: bigint): bigint => BigInt.asIntN(64, v)
export const asInt32 = (v: bigint): bigint => BigInt.asIntN(32, v)

/** A double's 11 exponent bits, as binary digits (a few exponents recur: values of one magnitude). */
const BITS11 = memo((e: number): string => e.toString(2).padStart(11, '0'), 2048)

/** The seven payload bits of a varint byte, as binary digits. */
const BITS7 = Array.from({ length: 128 }, (_, b) => b.toString(2).padStart(7, '0'))

/** One child per varint byte: continuation bit and the 7 payload bits. */
export function varintGroups(buf: Uint8Array, v: Varint, idPrefix: string): Field[] {
  const out: Field[] = []
  for (let i = v.start; i < v.end; i++) {
    const b = buf[i]
    const more = (b & 0x80) !== 0
    const bits = BITS7[b & 0x7f]
    out.push(
      field(
        `Varint byte ${i - v.start + 1}`,
        i,
        i + 1,
        `${hexByte(b)} = ${more ? 1 : 0}|${bits}: ${more ? 'more bytes follow' : 'last byte'}, bits ${bits} × 2^${7 * (i - v.start)}`,
        {
          id: `${idPrefix}.varint_group`
        }
      )
    )
  }
  return out
}

/** A varint field with its groups as children. */
export function varintField(name: string, buf: Uint8Array, v: Varint, value: string, id: string): Field {
  return field(name, v.start, v.end, value, {
    id,
    children: v.end - v.start > 1 ? varintGroups(buf, v, id) : []
  })
}

/** The bytes of an IEEE-754 number as sign, exponent and mantissa children. */
export function ieeeFields(
  buf: Uint8Array,
  start: number,
  size: 2 | 4 | 8,
  littleEndian: boolean,
  id: string
): { value: number; children: Field[] } {
  const dv = new DataView(buf.buffer, buf.byteOffset + start, size)
  const expBits = size === 8 ? 11 : size === 4 ? 8 : 5
  const manBits = size * 8 - 1 - expBits
  const bias = (1 << (expBits - 1)) - 1
  // The bits as numbers (no BigInt): the top 32 (or 16) bits, and for a double the low 32.
  const high = size === 8 ? dv.getUint32(littleEndian ? 4 : 0, littleEndian) : size === 4 ? dv.getUint32(0, littleEndian) : dv.getUint16(0, littleEndian)
  const topBits = size === 2 ? 16 : 32
  const sign = high >>> (topBits - 1)
  // Bits of the mantissa held in `high` (all of them for a float or a half).
  const highMan = manBits - (size === 8 ? 32 : 0)
  const exponent = (high >>> highMan) & ((1 << expBits) - 1)
  const mantissa =
    (high & ((1 << highMan) - 1)) * (size === 8 ? 2 ** 32 : 1) +
    (size === 8 ? dv.getUint32(littleEndian ? 0 : 4, littleEndian) : 0)
  const value =
    size === 8
      ? dv.getFloat64(0, littleEndian)
      : size === 4
        ? dv.getFloat32(0, littleEndian)
        : halfToNumber(dv.getUint16(0, littleEndian))
  // Byte positions (in the message) of the most significant bytes.
  const msb = littleEndian ? start + size - 1 : start
  const second = littleEndian ? start + size - 2 : start + 1
  const signRange: [number, number] = [msb, msb + 1]
  const expRange: [number, number] = [Math.min(msb, second), Math.max(msb, second) + 1]
  const frac = mantissa / 2 ** manBits
  const kind =
    exponent === 0
      ? 'subnormal'
      : exponent === (1 << expBits) - 1
        ? mantissa === 0
          ? 'infinity'
          : 'NaN'
        : 'normal'
  const digits = fracDigits(frac)
  const formula =
    kind === 'normal'
      ? `${sign ? '−' : '+'}1.${digits} × 2^${exponent - bias} = ${fmtNumber(value)}`
      : kind === 'subnormal'
        ? `${sign ? '−' : '+'}0.${digits} × 2^${1 - bias} = ${fmtNumber(value)}`
        : fmtNumber(value)
  const children: Field[] = [
    field('Sign', signRange[0], signRange[1], `${sign} (${sign ? 'negative' : 'positive'})`, {
      id: `${id}.sign`,
      mask: 0x80
    }),
    field(
      `Exponent (${expBits} bits)`,
      expRange[0],
      expRange[1],
      `${expBits === 11 ? BITS11(exponent) : exponent.toString(2).padStart(expBits, '0')}₂ = ${exponent}${kind === 'normal' ? ` − ${bias} = ${exponent - bias}` : ` (${kind})`}`,
      {
        id: `${id}.exponent`
      }
    ),
    field(
      `Mantissa (${manBits} bits)`,
      start,
      start + size,
      `0x${mantissa.toString(16)} → 1.${digits}`,
      { id: `${id}.mantissa` }
    ),
    field(
      `IEEE-754 ${size === 8 ? 'double' : size === 4 ? 'float' : 'half'} (${littleEndian ? 'little' : 'big'}-endian)`,
      start,
      start + size,
      formula,
      { id: `${id}.ieee754` }
    )
  ]
  return { value, children }
}

function fracDigits(frac: number): string {
  const s = frac.toString()
  return s === '0' ? '0' : s.slice(2, 14)
}

export function halfToNumber(h: number): number {
  const s = h & 0x8000 ? -1 : 1
  const e = (h >> 10) & 0x1f
  const f = h & 0x3ff
  if (e === 0) return s * 2 ** -14 * (f / 1024)
  if (e === 31) return f ? NaN : s * Infinity
  return s * 2 ** (e - 15) * (1 + f / 1024)
}

/** Numbers as JavaScript prints them; the tests format library output the same way. */
export function fmtNumber(n: number | bigint): string {
  if (typeof n === 'bigint') return n.toString()
  if (Object.is(n, -0)) return '-0'
  return String(n)
}

/** How a decoded value is stated in a field tree; shared with the tests that compare against libraries. */
export function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v)
  if (typeof v === 'number' || typeof v === 'bigint') return fmtNumber(v)
  if (typeof v === 'boolean') return String(v)
  if (v === null) return 'null'
  if (v === undefined) return 'undefined'
  if (v instanceof Uint8Array) return `<${hex(v)}>`
  if (Array.isArray(v)) return `[${v.map(show).join(', ')}]`
  if (typeof v === 'object')
    return `{${Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${JSON.stringify(k)}: ${show(x)}`)
      .join(', ')}}`
  return String(v)
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

/** Decodes UTF-8, or returns null when the bytes are not valid UTF-8. */
export function tryUtf8(bytes: Uint8Array): string | null {
  try {
    return strictUtf8.decode(bytes)
  } catch {
    return null
  }
}

/** How many bytes UTF-8 takes for a code point. */
const utf8Length = (cp: number): number => (cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4)

/** Each ASCII character's child field name and value, made once. */
const ASCII_NAMES = Array.from({ length: 0x80 }, (_, c) => `'${String.fromCharCode(c)}'`)
const ASCII_LABELS = Array.from({ length: 0x80 }, (_, c) => `U+${c.toString(16).toUpperCase().padStart(4, '0')}`)

/** A string's bytes with one child per character (UTF-8 sequences of 1–4 bytes), for short strings. */
export function utf8Field(name: string, buf: Uint8Array, start: number, end: number, id: string): Field {
  // Short plain ASCII, most names and values: one byte per character, labels from the tables.
  const ascii = plainAscii(buf, start, end)
  if (ascii !== undefined) {
    const charId = `${id}.char`
    const children: Field[] = []
    for (let i = start; i < end; i++) children.push(leaf(ASCII_NAMES[buf[i]], i, i + 1, ASCII_LABELS[buf[i]], charId))
    return branch(name, start, end, `"${ascii}"`, id, children)
  }
  const bytes = buf.subarray(start, end)
  const text = tryUtf8(bytes)
  const children: Field[] = []
  if (text !== null && text.length <= 32) {
    let at = start
    for (const ch of text) {
      const cp = ch.codePointAt(0)!
      const n = utf8Length(cp)
      children.push(
        field(
          `'${ch}'`,
          at,
          at + n,
          `U+${cp.toString(16).toUpperCase().padStart(4, '0')}${n > 1 ? ` (${n} bytes)` : ''}`,
          { id: `${id}.char` }
        )
      )
      at += n
    }
  }
  return field(name, start, end, text === null ? `<${hex(bytes)}> (not valid UTF-8)` : JSON.stringify(text), {
    id,
    children
  })
}

/** A malformed field covering `[start, end)`, for the bytes a dissector could not account for. */
export function malformedField(protocol: string, reason: string, start: number, end: number): Field {
  return field('Malformed data', start, end, reason, { id: `${protocol}.malformed`, malformed: reason })
}

/** A name made safe for a field id, `<protocol>.<key>.…` (remembered: schemas repeat the same few names in every message). */
export const idKey = memo((k: string): string => k.replace(/[^\p{L}\p{N}_-]+/gu, '_').slice(0, 64) || '_', 10_000)

export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`
