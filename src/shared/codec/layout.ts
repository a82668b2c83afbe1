// The record layout's vocabulary, shared by the encoder and the decoder: the flags of PDU, bytes and
// field records, key value types, and field shapes (which properties a field has, in which order).
import type { Field } from '../events'

/**
 * A field's own properties, in order, one letter each (`x`: the first property the layout does not
 * know): decoding recreates the object with the same key order, so JSON of a decoded tree is
 * byte-identical to JSON of the original.
 */
export const SHAPE_CODE: Record<string, string> = {
  id: 'i',
  name: 'n',
  value: 'v',
  start: 's',
  end: 'e',
  children: 'c',
  mask: 'm',
  modeled: 'd',
  malformed: 'f'
}

/** The flags for what a field has. */
export function presence(f: Field): number {
  let flags = 0
  if (f.id !== undefined) flags |= F_ID
  if (f.value !== undefined) flags |= F_VALUE
  if (f.children !== undefined) flags |= F_CHILDREN
  if (f.mask !== undefined) flags |= F_MASK
  if (f.modeled === true) flags |= F_MODELED
  else if (f.modeled === false) flags |= F_MODELED_FALSE
  if (f.malformed !== undefined) flags |= F_MALFORMED
  return flags
}

const SHAPE_LETTERS = ' invsecmdf'
const SHAPE_STRINGS = new Map<number, string>()

/** The shape (SHAPE_CODE letters) of the last field `describe` accepted, as a number (a digit per key). */
let shapeCode = 0

/** The shape code of the last field `describe` accepted. */
export function describedShape(): number {
  return shapeCode
}

/**
 * A field's flags when it fits a template (every property of the expected type, no other), else -1;
 * its shape goes to `shapeCode`. One pass over its keys: this runs for every field of every PDU.
 */
export function describe(f: Field): number {
  let flags = 0
  let code = 0
  const o = f as unknown as Record<string, unknown>
  for (const k in o) {
    const v = o[k]
    if (v === undefined) continue
    switch (k) {
      case 'id':
        if (typeof v !== 'string') return -1
        flags |= F_ID
        code = code * 10 + 1
        break
      case 'name':
        if (typeof v !== 'string') return -1
        code = code * 10 + 2
        break
      case 'value':
        if (typeof v !== 'string') return -1
        flags |= F_VALUE
        code = code * 10 + 3
        break
      case 'start':
        if (!safe(v)) return -1
        code = code * 10 + 4
        break
      case 'end':
        if (!safe(v)) return -1
        code = code * 10 + 5
        break
      case 'children':
        if (!Array.isArray(v)) return -1
        flags |= F_CHILDREN
        code = code * 10 + 6
        break
      case 'mask':
        if (!safe(v) || v < 0) return -1
        flags |= F_MASK
        code = code * 10 + 7
        break
      case 'modeled':
        if (typeof v !== 'boolean') return -1
        flags |= v ? F_MODELED : F_MODELED_FALSE
        code = code * 10 + 8
        break
      case 'malformed':
        if (typeof v !== 'string') return -1
        flags |= F_MALFORMED
        code = code * 10 + 9
        break
      default:
        return -1
    }
  }
  if (typeof f.name !== 'string' || !safe(f.start) || !safe(f.end)) return -1
  shapeCode = code
  return flags
}

export function shapeString(code: number): string {
  let s = SHAPE_STRINGS.get(code)
  if (s === undefined) {
    s = ''
    for (let c = code; c > 0; c = Math.floor(c / 10)) s = SHAPE_LETTERS[c % 10] + s
    SHAPE_STRINGS.set(code, s)
  }
  return s
}

export function sameStructure(a: number[], b: number[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

export function shapeOf(f: Field): string {
  let shape = ''
  let extra = false
  for (const k in f) {
    if ((f as unknown as Record<string, unknown>)[k] === undefined) continue
    const c = SHAPE_CODE[k]
    if (c) shape += c
    else if (!extra) {
      extra = true
      shape += 'x'
    }
  }
  return shape
}

// PDU flags
export const P_S2C = 1
export const P_MODELED = 2
export const P_MODELED_FALSE = 4
export const P_MALFORMED = 8
export const P_KEYS = 16
export const P_EXTRA = 32
// Bytes flags
export const B_S2C = 1
export const B_TCPSEQ = 2
export const B_TCPACK = 4
export const B_EXTRA = 8
// Field flags
export const F_ID = 1
export const F_VALUE = 2
export const F_CHILDREN = 4
export const F_MASK = 8
export const F_MODELED = 16
export const F_MALFORMED = 32
export const F_EXTRA = 64
export const F_MODELED_FALSE = 128
// Key value types
export const K_FALSE = 0
export const K_TRUE = 1
export const K_INT = 2
export const K_FLOAT = 3
export const K_STRING = 4
export const K_JSON = 5

/** Integers the zigzag varint carries exactly (|v| < 2⁵²). */
export const safe = (v: unknown): v is number => Number.isInteger(v) && Math.abs(v as number) < 2 ** 52
