// i18next set up for the renderer: `en` and `pt` resources, the language follows the store's
// `lang` setting (system locale by default, persisted). Lesson text arrives as `Localized`
// objects from the engine: show it with `useLocalized()`.
import i18n from 'i18next'
import { initReactI18next } from 'react-i18next'
import type { Localized } from '@shared/events'
import { useLab } from '../store'
import { en } from './en'
import { pt } from './pt'

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, pt: { translation: pt } },
  lng: useLab.getState().lang,
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
  returnNull: false
})

useLab.subscribe((s, prev) => {
  if (s.lang !== prev.lang) void i18n.changeLanguage(s.lang)
})

export { useTranslation } from 'react-i18next'
export default i18n

/** Picks the current language's text from a `Localized` value. */
export function useLocalized(): (text: Localized | undefined) => string {
  const lang = useLab((s) => s.lang)
  return (text) => (text ? text[lang] || text.en : '')
}
