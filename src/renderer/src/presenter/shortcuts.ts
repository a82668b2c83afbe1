// The shortcut map, as data: the overlay (?) lists it, the presenter menu's buttons run its
// entries, and `presenterKey` handles the presenter's keys with it (playback keys are handled in
// playback/keys.ts, which calls `presenterKey` for the rest).
import type { Localized } from '@shared/events'
import { useLab } from '../store'
import { bridgeKind } from '../bridge'
import * as presenter from './presenter-store'
import { pickSessionFile, saveSession } from '../session-files/replay'
import { stopRange } from './range-player'
import S from './strings.json'
import { toggleHome } from '../lesson/lesson-store'
import { toggleCheckpoints } from '../checkpoints/checkpoint-store'

export interface Shortcut {
  /** Keys as shown on screen. */
  keys: string[]
  label: Localized
  /** `KeyboardEvent.key` values handled here (none for the playback keys). */
  press?: string[]
  /** With Ctrl/Cmd: only in browser mode (the desktop app's File menu owns them there). */
  ctrl?: boolean
  /** What the key (one of `press`) does; false when it had nothing to do (the key is then not consumed). */
  run?: (key: string) => boolean | void
}

const L = S.shortcut

function leaveOverlays(): boolean {
  const p = presenter.usePresenter.getState()
  if (p.help) presenter.toggleHelp(false)
  else if (p.frame) {
    stopRange()
    presenter.setFrame(null)
  } else if (p.chromeHidden) presenter.toggleChrome()
  else return false
  return true
}

/** The presenter's keys the menu also offers as buttons. */
export const PRESENTER_KEYS = {
  projector: { keys: ['P'], label: L.projector, press: ['p', 'P'], run: presenter.toggleProjector },
  fullscreen: {
    keys: ['F'],
    label: L.fullscreen,
    press: ['f', 'F'],
    run: () => void presenter.toggleFullscreen()
  },
  chrome: { keys: ['H'], label: L.chrome, press: ['h', 'H'], run: presenter.toggleChrome },
  spotlight: { keys: ['S'], label: L.spotlight, press: ['s', 'S'], run: presenter.toggleSpotlight }
} satisfies Record<string, Shortcut>

export const SHORTCUTS: Shortcut[] = [
  { keys: ['Space'], label: L.play },
  { keys: ['→', 'PageDown'], label: L.next },
  { keys: ['←', 'PageUp'], label: L.previous },
  { keys: ['Home'], label: L.home },
  { keys: ['End'], label: L.live },
  { keys: ['M'], label: L.courseMap, press: ['m', 'M'], run: () => toggleHome() },
  { keys: ['+', '−'], label: L.speed },
  {
    keys: [']', '['],
    label: L.textSize,
    press: [']', '['],
    run: (key) => (key === ']' ? presenter.biggerType() : presenter.smallerType())
  },
  { keys: ['0'], label: L.textReset, press: ['0'], run: presenter.resetType },
  PRESENTER_KEYS.fullscreen,
  PRESENTER_KEYS.projector,
  { keys: ['Q'], label: L.checkpoints, press: ['q', 'Q'], run: () => toggleCheckpoints() },
  {
    keys: ['V', '.'],
    label: L.stageTab,
    press: ['v', '.', 'V'],
    run: (key) => presenter.cycleStageTab(key === 'V' ? -1 : 1)
  },
  PRESENTER_KEYS.chrome,
  PRESENTER_KEYS.spotlight,
  {
    keys: ['L'],
    label: L.language,
    press: ['l', 'L'],
    run: () => {
      const s = useLab.getState()
      s.setLang(s.lang === 'pt' ? 'en' : 'pt')
    }
  },
  {
    keys: ['Ctrl+S'],
    label: L.save,
    ctrl: true,
    press: ['s'],
    run: () => void saveSession().catch(() => undefined)
  },
  { keys: ['Ctrl+O'], label: L.open, ctrl: true, press: ['o'], run: pickSessionFile },
  { keys: ['?'], label: L.help, press: ['?'], run: () => presenter.toggleHelp() },
  { keys: ['Esc'], label: L.escape, press: ['Escape'], run: leaveOverlays }
]

/** Handles a presenter key. Returns true if the key was used (the caller prevents its default). */
export function presenterKey(e: KeyboardEvent): boolean {
  const ctrl = e.ctrlKey || e.metaKey
  if (e.altKey || (ctrl && bridgeKind !== 'web')) return false
  const key = ctrl ? e.key.toLowerCase() : e.key
  const shortcut = SHORTCUTS.find((s) => !!s.ctrl === ctrl && s.press?.includes(key))
  return !!shortcut?.run && shortcut.run(key) !== false
}
