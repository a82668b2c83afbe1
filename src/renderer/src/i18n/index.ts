// The renderer's one i18n system. Every piece of text on screen is a `Localized` value
// (`{ en, pt }`), the same type the engine sends for lesson titles, parameters and narration.
// UI text lives in `strings.json` files beside the code that shows it (see EXTENDING.md, "i18n");
// templates use `{{name}}` placeholders. Pure helpers are in ./text.ts.
import { useSyncExternalStore } from 'react'
import type { Localized } from '@shared/events'
import { useLab } from '../store'
import { localize, type TextValues } from './text'

export { fill, format, localize, type Lang, type Localized, type TextValues } from './text'

/** Shows a `Localized` in the current language, filling its placeholders. */
export type Loc = (text: Localized | undefined, values?: TextValues) => string

/**
 * The language, watched on its own: hundreds of components show text (every row of every list),
 * and each of them reading it from the lab store would be one more listener the store runs at
 * each of its changes, several a frame while events flood in. One listener here instead.
 */
let lang = useLab.getState().lang
const langListeners = new Set<() => void>()
useLab.subscribe((s) => {
  if (s.lang === lang) return
  lang = s.lang
  for (const l of [...langListeners]) l()
})
function watchLang(l: () => void): () => void {
  langListeners.add(l)
  return () => langListeners.delete(l)
}
const currentLang = (): typeof lang => lang

/** Hook: `loc(text, values?)` in the current language; re-renders when the language changes. */
export function useLocalized(): Loc {
  const current = useSyncExternalStore(watchLang, currentLang)
  return (text, values) => localize(current, text, values)
}

/** The same outside React (notices, errors): the language at the time of the call. */
export function localizeNow(text: Localized | undefined, values?: TextValues): string {
  return localize(useLab.getState().lang, text, values)
}
