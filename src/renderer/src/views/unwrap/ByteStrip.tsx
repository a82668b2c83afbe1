// A row of bytes in hex, with marked ranges (each its own class and title), eliding long runs in
// the middle so a 40 000-byte message still fits a line on a projector.
import type { JSX } from 'react'

export interface Mark {
  start: number
  end: number
  cls: string
  title?: string
}

interface Cell {
  i: number
  cls: string
  title?: string
}

/** Which byte indices to draw: all when few, else the head, the tail and the edges of every mark. */
export function visibleIndices(length: number, marks: Mark[], budget = 40): (number | { gap: number })[] {
  if (length <= budget) return Array.from({ length }, (_, i) => i)
  const keep = new Set<number>()
  const add = (from: number, to: number): void => {
    for (let i = Math.max(0, from); i < Math.min(length, to); i++) keep.add(i)
  }
  add(0, 10)
  add(length - 6, length)
  for (const m of marks) {
    add(m.start, Math.min(m.end, m.start + 8))
    add(m.end - 3, m.end)
  }
  const sorted = [...keep].sort((a, b) => a - b)
  const out: (number | { gap: number })[] = []
  let prev = -1
  for (const i of sorted) {
    if (i > prev + 1) out.push({ gap: i - prev - 1 })
    out.push(i)
    prev = i
  }
  if (prev < length - 1) out.push({ gap: length - 1 - prev })
  return out
}

export function ByteStrip({
  bytes,
  marks,
  testId
}: {
  bytes: Uint8Array
  marks: Mark[]
  testId?: string
}): JSX.Element {
  const cell = (i: number): Cell => {
    // The innermost (last) mark covering the byte wins.
    for (let k = marks.length - 1; k >= 0; k--)
      if (i >= marks[k].start && i < marks[k].end) return { i, cls: marks[k].cls, title: marks[k].title }
    return { i, cls: 'uw-out' }
  }
  return (
    <div className="uw-strip" data-testid={testId}>
      {visibleIndices(bytes.length, marks).map((x, n) =>
        typeof x === 'number' ? (
          (() => {
            const c = cell(x)
            return (
              <span
                key={n}
                className={`uw-byte ${c.cls}`}
                title={c.title ? `${c.title} · byte ${x}` : `byte ${x}`}
              >
                {bytes[x].toString(16).padStart(2, '0')}
              </span>
            )
          })()
        ) : (
          <span key={n} className="uw-gap">
            … {x.gap} B …
          </span>
        )
      )}
    </div>
  )
}
