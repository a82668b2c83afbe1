// Field-tree helpers for the byte inspector and the views that select fields.
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
