// Presenter settings and state: projector mode (high contrast, colour-blind-safe, large type),
// type scale, chrome hidden, spotlight, the shortcut overlay, and the 16:9 recording frame.
// They apply to the page as classes and CSS variables on <html> (see presenter.css).
import { create } from 'zustand'

export const TYPE_SCALES = [0.75, 0.85, 1, 1.15, 1.3, 1.5, 1.75, 2] as const

export interface FrameSize {
  width: number
  height: number
}

export const FRAME_SIZES: FrameSize[] = [
  { width: 1920, height: 1080 },
  { width: 1280, height: 720 },
  { width: 2560, height: 1440 },
  { width: 3840, height: 2160 }
]

export interface PresenterState {
  projector: boolean
  /** Multiplies the type size (1 = the mode's base size: 17 px normally, 24 px in projector mode). */
  scale: number
  chromeHidden: boolean
  spotlight: boolean
  help: boolean
  /** The recording frame: the app laid out at exactly `frameSize`, scaled to fit the window. */
  frame: FrameSize | null
  /** What is being recorded or exported right now, for the status line. */
  busy: null | { kind: 'video' | 'range'; progress: number }
  /** Projector mode's side tabs (the lesson panel, then the secondary views) and the one shown. */
  stageTabs: string[]
  stageTab: string
}

const KEY = 'wirelab.presenter'

function stored(): Partial<Pick<PresenterState, 'projector' | 'scale'>> {
  try {
    const raw = globalThis.localStorage?.getItem(KEY)
    return raw ? (JSON.parse(raw) as Partial<Pick<PresenterState, 'projector' | 'scale'>>) : {}
  } catch {
    return {}
  }
}

const initial = stored()

export const usePresenter = create<PresenterState>(() => ({
  projector: initial.projector === true,
  scale:
    typeof initial.scale === 'number' && TYPE_SCALES.includes(initial.scale as (typeof TYPE_SCALES)[number])
      ? initial.scale
      : 1,
  chromeHidden: false,
  spotlight: false,
  help: false,
  frame: null,
  busy: null,
  stageTabs: [],
  stageTab: 'lesson'
}))

usePresenter.subscribe((s, prev) => {
  if (s.projector === prev.projector && s.scale === prev.scale) return
  try {
    globalThis.localStorage?.setItem(KEY, JSON.stringify({ projector: s.projector, scale: s.scale }))
  } catch {
    // Storage may be unavailable; the setting still applies to this window.
  }
})

export function toggleProjector(): void {
  usePresenter.setState((s) => ({ projector: !s.projector }))
}

export function biggerType(): void {
  const next = TYPE_SCALES.find((v) => v > usePresenter.getState().scale)
  if (next) usePresenter.setState({ scale: next })
}

export function smallerType(): void {
  const prev = [...TYPE_SCALES].reverse().find((v) => v < usePresenter.getState().scale)
  if (prev) usePresenter.setState({ scale: prev })
}

export function resetType(): void {
  usePresenter.setState({ scale: 1 })
}

export function toggleChrome(): void {
  usePresenter.setState((s) => ({ chromeHidden: !s.chromeHidden }))
}

export function toggleSpotlight(): void {
  usePresenter.setState((s) => ({ spotlight: !s.spotlight }))
}

/** Shows the next (or previous) side tab in projector mode: a clicker can cycle them. */
export function cycleStageTab(step = 1): void {
  const { stageTabs, stageTab } = usePresenter.getState()
  if (!stageTabs.length) return
  const i = stageTabs.indexOf(stageTab)
  usePresenter.setState({ stageTab: stageTabs[(i + step + stageTabs.length) % stageTabs.length] })
}

export function toggleHelp(show?: boolean): void {
  usePresenter.setState((s) => ({ help: show ?? !s.help }))
}

export function setFrame(frame: FrameSize | null): void {
  usePresenter.setState({ frame })
}

/** Full screen on and off (Fullscreen API; the desktop app's window follows). */
export async function toggleFullscreen(): Promise<void> {
  try {
    if (document.fullscreenElement) await document.exitFullscreen()
    else await document.documentElement.requestFullscreen()
  } catch {
    // Refused (no user gesture, or not allowed in this context): nothing else to do.
  }
}
