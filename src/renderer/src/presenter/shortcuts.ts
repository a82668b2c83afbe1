// The shortcut map, as data: the overlay (?) lists it, and `presenterKey` handles the presenter's
// keys (playback keys are handled in playback/keys.ts, which calls `presenterKey` for the rest).
import type { Localized } from '@shared/events'
import { useLab } from '../store'
import { bridgeKind } from '../bridge'
import {
  biggerType,
  resetType,
  setFrame,
  smallerType,
  toggleChrome,
  toggleFullscreen,
  toggleHelp,
  toggleProjector,
  toggleSpotlight,
  usePresenter
} from './presenter-store'
import { pickSessionFile, saveSession } from '../session-files/replay'
import { stopRange } from './range-player'

export interface Shortcut {
  /** Keys as shown on screen. */
  keys: string[]
  label: Localized
}

export const SHORTCUTS: Shortcut[] = [
  { keys: ['Space'], label: { en: 'Play / pause', pt: 'Reproduzir / pausar' } },
  {
    keys: ['→', 'PageDown'],
    label: { en: 'Next step (clicker: next)', pt: 'Próximo passo (passador: avançar)' }
  },
  {
    keys: ['←', 'PageUp'],
    label: { en: 'Previous step (clicker: back)', pt: 'Passo anterior (passador: voltar)' }
  },
  { keys: ['Home'], label: { en: 'Back to the start', pt: 'Voltar ao início' } },
  { keys: ['End'], label: { en: 'Go live', pt: 'Ao vivo' } },
  { keys: ['+', '−'], label: { en: 'Faster / slower', pt: 'Mais rápido / mais lento' } },
  { keys: [']', '['], label: { en: 'Larger / smaller text', pt: 'Texto maior / menor' } },
  { keys: ['0'], label: { en: 'Normal text size', pt: 'Tamanho de texto normal' } },
  { keys: ['F'], label: { en: 'Full screen', pt: 'Tela cheia' } },
  {
    keys: ['P'],
    label: {
      en: 'Projector mode (high contrast, large type)',
      pt: 'Modo projetor (alto contraste, letra grande)'
    }
  },
  { keys: ['H'], label: { en: 'Hide / show the controls', pt: 'Ocultar / mostrar os controles' } },
  { keys: ['S'], label: { en: 'Spotlight the selected connection', pt: 'Destacar a conexão selecionada' } },
  { keys: ['L'], label: { en: 'Português / English', pt: 'Português / English' } },
  { keys: ['Ctrl+S'], label: { en: 'Save the session', pt: 'Salvar a sessão' } },
  { keys: ['Ctrl+O'], label: { en: 'Open a session', pt: 'Abrir uma sessão' } },
  { keys: ['?'], label: { en: 'This list of shortcuts', pt: 'Esta lista de atalhos' } },
  {
    keys: ['Esc'],
    label: {
      en: 'Close this list, leave the recording frame',
      pt: 'Fechar esta lista, sair do quadro de gravação'
    }
  }
]

/**
 * Handles a presenter key. Returns true if the key was used (the caller prevents its default).
 * Ctrl/Cmd combinations: only Save and Open, and only in browser mode (the desktop app's File
 * menu owns them there).
 */
export function presenterKey(e: KeyboardEvent): boolean {
  if (e.ctrlKey || e.metaKey) {
    if (e.altKey || bridgeKind !== 'web') return false
    const k = e.key.toLowerCase()
    if (k === 's') {
      void saveSession().catch(() => undefined)
      return true
    }
    if (k === 'o') {
      pickSessionFile()
      return true
    }
    return false
  }
  if (e.altKey) return false
  switch (e.key) {
    case 'f':
    case 'F':
      void toggleFullscreen()
      return true
    case 'p':
    case 'P':
      toggleProjector()
      return true
    case 'h':
    case 'H':
      toggleChrome()
      return true
    case 's':
    case 'S':
      toggleSpotlight()
      return true
    case 'l':
    case 'L': {
      const s = useLab.getState()
      s.setLang(s.lang === 'pt' ? 'en' : 'pt')
      return true
    }
    case ']':
      biggerType()
      return true
    case '[':
      smallerType()
      return true
    case '0':
      resetType()
      return true
    case '?':
      toggleHelp()
      return true
    case 'Escape': {
      const p = usePresenter.getState()
      if (p.help) toggleHelp(false)
      else if (p.frame) {
        stopRange()
        setFrame(null)
      } else if (p.chromeHidden) toggleChrome()
      else return false
      return true
    }
    default:
      return false
  }
}
