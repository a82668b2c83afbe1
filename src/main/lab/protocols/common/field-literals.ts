// Field objects written as literals, for the hot paths of dissectors that make dozens of fields per
// PDU. Each gives exactly the object `field()` (dissect/fields.ts) gives for the same arguments,
// keys in the same order (name, start, end, id, children…, then value), without building and
// spreading an options object per field (several times the cost of the field itself).
import type { Field } from '../../../../shared/events'

/** `field(name, start, end, value)`. */
export const plain = (name: string, start: number, end: number, value: string): Field => ({ name, start, end, value })

/** `field(name, start, end, value, { id })`. */
export const leaf = (name: string, start: number, end: number, value: string, id: string): Field => ({ name, start, end, id, value })

/** `field(name, start, end, value, { id, children })`. */
export const branch = (name: string, start: number, end: number, value: string, id: string, children: Field[]): Field => ({
  name,
  start,
  end,
  id,
  children,
  value
})

/** `field(name, start, end, value, { id, mask })`. */
export const masked = (name: string, start: number, end: number, value: string, id: string, mask: number): Field => ({
  name,
  start,
  end,
  id,
  mask,
  value
})
