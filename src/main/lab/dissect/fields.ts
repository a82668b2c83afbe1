// Helpers to build field trees and PDUs, and to check that ranges are sound.
import type { Field, Malformed } from '../../../shared/events'
import type { PduDraft } from './types'

export function field(
  name: string,
  start: number,
  end: number,
  value?: string,
  extra?: Partial<Omit<Field, 'name' | 'start' | 'end' | 'value'>>
): Field {
  // Without extras, one of two literal shapes (most fields of a tree; no empty object made).
  if (extra === undefined) return value !== undefined ? { name, start, end, value } : { name, start, end }
  // The usual extras, an id and children, as one literal in the keys' order of
  // `{ name, start, end, ...extra, value }` (Object.assign copies through a generic path, and the
  // properties it adds to the literal need an array of their own).
  if (extra.mask === undefined && extra.modeled === undefined && extra.malformed === undefined) {
    const { id, children } = extra
    if (children === undefined) {
      if (id === undefined) return value !== undefined ? { name, start, end, value } : { name, start, end }
      return value !== undefined ? { name, start, end, id, value } : { name, start, end, id }
    }
    if (id === undefined) return value !== undefined ? { name, start, end, children, value } : { name, start, end, children }
    return value !== undefined ? { name, start, end, id, children, value } : { name, start, end, id, children }
  }
  // Object.assign keeps the keys' order of `{ name, start, end, ...extra }` and is cheaper here.
  const f: Field = Object.assign({ name, start, end }, extra)
  if (value !== undefined) f.value = value
  return f
}

/** An integer with thousands separators, as `toLocaleString('en')` writes it (without its cost). */
export function thousands(n: number): string {
  if (!Number.isSafeInteger(n)) return n.toLocaleString('en')
  const digits = String(Math.abs(n))
  let out = ''
  for (let i = digits.length; i > 0; i -= 3) out = digits.slice(Math.max(0, i - 3), i) + (out ? ',' + out : '')
  return (n < 0 ? '-' : '') + out
}

const decoder = new TextDecoder('utf-8', { fatal: false })

export function utf8(bytes: Uint8Array): string {
  return decoder.decode(bytes)
}

/** A printable rendering of bytes: text when it is text, with control characters escaped. */
// eslint-disable-next-line no-control-regex -- escaping control characters is the point
const CONTROL = /[\x00-\x1f\x7f]/

export function printable(bytes: Uint8Array, max = 200): string {
  if (bytes.length === 0) return ''
  const text = utf8(bytes.subarray(0, max))
  // Most payloads have no control character: no replace (and its callback) for them.
  // eslint-disable-next-line no-control-regex -- escaping control characters is the point
  const escaped = !CONTROL.test(text) ? text : text.replace(/[\x00-\x1f\x7f]/g, (c) => {
    if (c === '\n') return '\\n'
    if (c === '\r') return '\\r'
    if (c === '\t') return '\\t'
    return '\\x' + c.charCodeAt(0).toString(16).padStart(2, '0')
  })
  return bytes.length > max ? escaped + '…' : escaped
}

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'))

const HEX_SPACED = HEX.map((h) => ' ' + h)

/** ASCII codes of the hex digits, and an array the longer hex strings are written into. */
const HEX_DIGITS = new TextEncoder().encode('0123456789abcdef')
let hexChars = new Uint8Array(256)

export function hex(bytes: Uint8Array, sep = ' '): string {
  if (bytes.length === 0) return ''
  // Eight bytes or more (randoms, keys, tags): the characters written into one array and decoded
  // once, not a string per byte joined on.
  if (bytes.length >= 8 && (sep === ' ' || sep === '')) {
    const spaced = sep === ' '
    const n = bytes.length * (spaced ? 3 : 2)
    // The shared array grows to 64 KB at most; a longer string gets an array of its own.
    if (hexChars.length < n && n <= 65536) hexChars = new Uint8Array(Math.min(65536, Math.max(n, hexChars.length * 2)))
    const chars = n <= hexChars.length ? hexChars : new Uint8Array(n)
    let at = 0
    for (let i = 0; i < bytes.length; i++) {
      if (spaced && i > 0) chars[at++] = 32
      const b = bytes[i]
      chars[at++] = HEX_DIGITS[b >> 4]
      chars[at++] = HEX_DIGITS[b & 15]
    }
    return decoder.decode(chars.subarray(0, at))
  }
  let s = HEX[bytes[0]]
  // The two separators used everywhere read from a table: one concatenation per byte.
  if (sep === ' ') for (let i = 1; i < bytes.length; i++) s += HEX_SPACED[bytes[i]]
  else if (sep === '') for (let i = 1; i < bytes.length; i++) s += HEX[bytes[i]]
  else for (let i = 1; i < bytes.length; i++) s += sep + HEX[bytes[i]]
  return s
}

const HEX_BYTE = HEX.map((h) => '0x' + h)

export function hexByte(n: number): string {
  return HEX_BYTE[n] ?? '0x' + n.toString(16).padStart(2, '0')
}

/** A PDU for bytes a dissector could not parse: the whole range is flagged with the reason. */
export function malformedPdu(
  protocol: string,
  dir: PduDraft['dir'],
  data: Uint8Array,
  offset: number,
  reason: string,
  start = 0,
  end = data.length
): PduDraft {
  const malformed: Malformed = { reason, start, end }
  return {
    dir,
    protocol,
    summary: `Malformed ${protocol.toUpperCase()}: ${reason}`,
    fields: [field('Malformed data', start, end, reason, { malformed: reason })],
    data,
    offset,
    malformed
  }
}

/** Problems with a field tree's ranges; empty when sound. */
export function rangeProblems(fields: Field[], length: number, parent?: Field): string[] {
  const problems: string[] = []
  const lo = parent ? parent.start : 0
  const hi = parent ? parent.end : length
  for (const f of fields) {
    const where = parent ? `${parent.name} › ${f.name}` : f.name
    if (!Number.isInteger(f.start) || !Number.isInteger(f.end)) problems.push(`${where}: non-integer range`)
    if (f.start > f.end) problems.push(`${where}: start ${f.start} > end ${f.end}`)
    if (f.start < lo || f.end > hi) problems.push(`${where}: [${f.start},${f.end}) outside [${lo},${hi})`)
    if (f.children) problems.push(...rangeProblems(f.children, length, f))
  }
  return problems
}

/** Top-level fields that leave bytes uncovered or overlap: for formats that must tile the PDU. */
export function tilingProblems(fields: Field[], length: number): string[] {
  const sorted = [...fields].sort((a, b) => a.start - b.start)
  const problems: string[] = []
  let at = 0
  for (const f of sorted) {
    if (f.start > at) problems.push(`gap [${at},${f.start})`)
    if (f.start < at) problems.push(`overlap at ${f.start} (${f.name})`)
    at = Math.max(at, f.end)
  }
  if (at < length) problems.push(`gap [${at},${length})`)
  return problems
}

/** The first field (depth first) with this id, e.g. `mqtt.topic`. */
export function findField(fields: Field[], id: string): Field | undefined {
  for (const f of fields) {
    if (f.id === id) return f
    const c = f.children && findField(f.children, id)
    if (c) return c
  }
  return undefined
}

/** Shifts a field tree by `delta` bytes (when a PDU is embedded in a larger one). */
export { shiftFields } from '../../../shared/frames'

/**
 * Shifts a field tree by `delta` bytes in place: for a tree nothing else holds (what an inner
 * protocol's decode just built), without copying every node as `shiftFields` does.
 */
export function shiftFieldsInPlace(fields: Field[], delta: number): void {
  for (const f of fields) {
    f.start += delta
    f.end += delta
    if (f.children) shiftFieldsInPlace(f.children, delta)
  }
}
