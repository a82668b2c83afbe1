/// <reference lib="dom" />
// Portuguese everywhere: the renderer's words that have a Portuguese text different from the
// English one (every strings.json under src/renderer), and a check, run inside the page, that no
// visible element shows one of them in English while the app is in Portuguese.
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'

/** English texts that must not be seen in Portuguese: templates aside, and words both languages use. */
export function englishOnlyTexts(): string[] {
  const root = path.join(__dirname, '..', 'src', 'renderer', 'src')
  const en = new Set<string>()
  const pt = new Set<string>()
  const leaves = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(leaves)
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>
      if (typeof o.en === 'string' && typeof o.pt === 'string') {
        pt.add(o.pt.trim())
        if (o.en.trim() !== o.pt.trim()) en.add(o.en.trim())
      } else Object.values(o).forEach(leaves)
    }
  }
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name)
      if (e.isDirectory()) walk(p)
      else if (e.name.endsWith('.json')) leaves(JSON.parse(readFileSync(p, 'utf8')))
    }
  }
  walk(root)
  return [...en].filter((t) => t.length >= 3 && !t.includes('{{') && !pt.has(t) && /[a-z]/i.test(t))
}

/**
 * Visible elements in `regions` whose own text is one of `english` (runs in the page). Text marked
 * `translate="no"` is left out: names that come off the wire or out of a file (a header name, a
 * dissector's field name, a Parquet column called "data"), which no language of the interface
 * changes, whatever word they happen to share with it.
 */
export function findEnglish([regions, english]: [string[], string[]]): string[] {
  const words = new Set(english)
  const found = new Set<string>()
  for (const sel of regions)
    for (const root of document.querySelectorAll(sel))
      for (const el of [root, ...root.querySelectorAll('*')]) {
        if (!el.checkVisibility() || el.closest('[translate=no]')) continue
        const own = [...el.childNodes]
          .filter((n) => n.nodeType === Node.TEXT_NODE)
          .map((n) => n.textContent ?? '')
          .join('')
          .trim()
        if (own && words.has(own)) found.add(own)
      }
  return [...found]
}
