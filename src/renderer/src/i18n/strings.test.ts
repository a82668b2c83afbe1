// Every renderer string table (`strings.json` beside the code that shows it, and
// i18n/common.json) holds only `{ en, pt }` texts with both languages filled in and the same
// `{{placeholders}}` in each; and the helpers fill templates as the views expect.
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { fill, format, localize } from './text'

const root = join(__dirname, '..')

function tables(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? tables(join(dir, d.name)) : d.name.endsWith('.json') ? [join(dir, d.name)] : []
  )
}

/** Problems with one table: every leaf must be a `{ en, pt }` text; returns `path: what is wrong`. */
function problems(value: unknown, path: string): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => problems(v, `${path}[${i}]`))
  if (!value || typeof value !== 'object') return [`${path}: not a { en, pt } text`]
  const keys = Object.keys(value)
  if (!keys.includes('en') && !keys.includes('pt'))
    return Object.entries(value).flatMap(([k, v]) => problems(v, `${path}.${k}`))
  const { en, pt } = value as Record<string, unknown>
  if (keys.length !== 2 || typeof en !== 'string' || typeof pt !== 'string')
    return [`${path}: not exactly { en, pt } strings`]
  if (!en.trim() || !pt.trim()) return [`${path}: a language is empty`]
  const holes = (s: string): string =>
    [...s.matchAll(/\{\{(\w+)\}\}/g)]
      .map((m) => m[1])
      .sort()
      .join(',')
  return holes(en) === holes(pt) ? [] : [`${path}: placeholders differ (${holes(en)} / ${holes(pt)})`]
}

describe('string tables', () => {
  const files = tables(root)

  it('are found beside the views, panels and shell', () => {
    const names = files.map((f) => relative(root, f))
    expect(names).toEqual(
      expect.arrayContaining(['i18n/common.json', 'shell/strings.json', 'views/fanout/strings.json'])
    )
  })

  it.each(files.map((f) => [relative(root, f), f]))('%s has both languages for every text', (name, file) => {
    expect(problems(JSON.parse(readFileSync(file, 'utf8')), name)).toEqual([])
  })

  it('the check catches a missing translation, a stray string and mismatched placeholders', () => {
    expect(problems({ a: { en: 'x', pt: '' } }, 't')).toEqual(['t.a: a language is empty'])
    expect(problems({ a: { en: 'x' } }, 't')).toEqual(['t.a: not exactly { en, pt } strings'])
    expect(problems({ a: 'x' }, 't')).toEqual(['t.a: not a { en, pt } text'])
    expect(problems({ a: { en: '{{n}} rows', pt: '{{m}} linhas' } }, 't')).toEqual([
      't.a: placeholders differ (n / m)'
    ])
  })
})

describe('text helpers', () => {
  const t = { en: '{{count}} events dropped', pt: '{{count}} eventos descartados' }

  it('fills placeholders, leaving unknown ones visible', () => {
    expect(fill('step {{n}} of {{total}}', { n: 2, total: 9 })).toBe('step 2 of 9')
    expect(fill('step {{n}} of {{total}}', { n: 2 })).toBe('step 2 of {{total}}')
    expect(fill('no values')).toBe('no values')
  })

  it('picks the language, falling back to English for an empty translation', () => {
    expect(localize('pt', t, { count: 3 })).toBe('3 eventos descartados')
    expect(localize('en', t, { count: 3 })).toBe('3 events dropped')
    expect(localize('pt', { en: 'Only English', pt: '' })).toBe('Only English')
    expect(localize('pt', undefined)).toBe('')
  })

  it('formats both languages at once for models', () => {
    expect(format(t, { count: 1 })).toEqual({ en: '1 events dropped', pt: '1 eventos descartados' })
  })
})
