// Field-tree helpers for every view that shows or selects fields: find a field by path or id,
// the deepest field under a byte, what to select when a PDU is clicked. Pure: no store, no DOM.
import type { Field } from '@shared/events'

export function fieldAt(fields: Field[], path: number[] | null): Field | null {
  if (!path || !path.length) return null
  let list: Field[] | undefined = fields
  let f: Field | null = null
  for (const i of path) {
    f = list?.[i] ?? null
    if (!f) return null
    list = f.children
  }
  return f
}

/** Path of the deepest field containing byte `offset` (the smallest range wins at each level). */
export function deepestAt(fields: Field[], offset: number): number[] | null {
  const walk = (list: Field[], prefix: number[]): number[] | null => {
    let best: number[] | null = null
    let bestLen = Infinity
    list.forEach((f, i) => {
      if (offset >= f.start && offset < f.end && f.end - f.start < bestLen) {
        best = [...prefix, i]
        bestLen = f.end - f.start
      }
    })
    if (!best) return null
    const node = fieldAt(list, [(best as number[])[prefix.length]])
    const deeper = node?.children ? walk(node.children, best) : null
    return deeper ?? best
  }
  return walk(fields, [])
}

/** What to select when a PDU is clicked: its first real (not modeled) top-level field, if any. */
export function firstPayloadPath(fields: Field[]): number[] | null {
  const i = fields.findIndex((f) => !f.modeled && f.end > f.start)
  return i >= 0 ? [i] : null
}

/** Index path of the first field with this id (depth-first), or null. */
export function pathOf(fields: Field[] | undefined, id: string, prefix: number[] = []): number[] | null {
  if (!fields) return null
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]
    if (f.id === id) return [...prefix, i]
    const deeper = pathOf(f.children, id, [...prefix, i])
    if (deeper) return deeper
  }
  return null
}

/** The first field with this id (depth-first), or null. */
export function findField(fields: Field[] | undefined, id: string): Field | null {
  const path = pathOf(fields, id)
  return path && fields ? fieldAt(fields, path) : null
}

/** Bytes as spaced hex, at most `max` of them (then " …"). */
export function hexBytes(data: Uint8Array, max = 16): string {
  const s = Array.from(data.subarray(0, max), (b) => b.toString(16).padStart(2, '0')).join(' ')
  return data.length > max ? s + ' …' : s
}
