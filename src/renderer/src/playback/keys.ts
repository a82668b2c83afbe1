// Keyboard control of playback, also for presentation clickers (PageUp/PageDown).
import { useLab } from '../store'
import { presenterKey } from '../presenter/shortcuts'

export function onPlaybackKey(e: KeyboardEvent): void {
  const target = e.target as HTMLElement | null
  if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return
  if (e.ctrlKey || e.metaKey || e.altKey) {
    if (presenterKey(e)) e.preventDefault()
    return
  }
  const s = useLab.getState()
  switch (e.key) {
    case ' ':
      if (target?.tagName === 'BUTTON') return
      s.togglePlay()
      break
    case 'ArrowRight':
    case 'PageDown':
      s.stepForward()
      break
    case 'ArrowLeft':
    case 'PageUp':
      s.stepBack()
      break
    case 'Home':
      s.home()
      break
    case 'End':
      s.goLive()
      break
    case '+':
    case '=':
      s.faster()
      break
    case '-':
    case '_':
      s.slower()
      break
    default:
      // Presenter keys: F, P, H, S, L, [ ] 0, ?, Esc (presenter/shortcuts.ts).
      if (!presenterKey(e)) return
  }
  e.preventDefault()
}
