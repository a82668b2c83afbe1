// Person-level settings, persisted in localStorage: language and theme.
import type { LabSlice } from './types'

export type Lang = 'en' | 'pt'
export type Theme = 'dark' | 'light'

export interface SettingsSlice {
  lang: Lang
  theme: Theme
  setLang(lang: Lang): void
  setTheme(theme: Theme): void
}

const KEY = 'wirelab.settings'

function stored(): Partial<Pick<SettingsSlice, 'lang' | 'theme'>> {
  try {
    const raw = globalThis.localStorage?.getItem(KEY)
    return raw ? (JSON.parse(raw) as Partial<Pick<SettingsSlice, 'lang' | 'theme'>>) : {}
  } catch {
    return {}
  }
}

function persist(v: Pick<SettingsSlice, 'lang' | 'theme'>): void {
  try {
    globalThis.localStorage?.setItem(KEY, JSON.stringify(v))
  } catch {
    // Storage may be unavailable (private mode); the setting still applies to this window.
  }
}

/** pt for a Portuguese system locale, en otherwise. */
export function systemLang(): Lang {
  const l = globalThis.navigator?.language ?? 'en'
  return l.toLowerCase().startsWith('pt') ? 'pt' : 'en'
}

export const createSettingsSlice: LabSlice<SettingsSlice> = (set, get) => {
  const s = stored()
  return {
    lang: s.lang === 'en' || s.lang === 'pt' ? s.lang : systemLang(),
    theme: s.theme === 'light' || s.theme === 'dark' ? s.theme : 'dark',
    setLang(lang) {
      set({ lang })
      persist({ lang, theme: get().theme })
    },
    setTheme(theme) {
      set({ theme })
      persist({ lang: get().lang, theme })
    }
  }
}
