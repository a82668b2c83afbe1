// Text in the course's two languages, as pure functions (no store, no React): what models,
// parsers and tests use. Components use `useLocalized()` from ./index.ts.
import type { Localized } from '@shared/events'

export type { Localized }

export type Lang = keyof Localized

/** Values for a template's `{{name}}` placeholders. */
export type TextValues = Record<string, string | number>

/** Fills `{{name}}` placeholders; an unknown name is left as it is, so a missing value shows. */
export function fill(template: string, values?: TextValues): string {
  if (!values) return template
  return template.replace(/\{\{(\w+)\}\}/g, (all, name: string) =>
    name in values ? String(values[name]) : all
  )
}

/** The text in `lang` (English where a translation is empty), placeholders filled. */
export function localize(lang: Lang, text: Localized | undefined, values?: TextValues): string {
  return text ? fill(text[lang] || text.en, values) : ''
}

/** A template filled in both languages: for models that produce text a view shows later. */
export function format(text: Localized, values: TextValues): Localized {
  return { en: fill(text.en, values), pt: fill(text.pt, values) }
}
