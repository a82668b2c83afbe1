// Opening a saved session and replaying it exactly: its events replace the live log (the store's
// `epoch` is bumped so every view drops its caches), live batches are held back, playback is
// paused at the start, and the lesson the session recorded picks the views. Saving writes the
// engine's session, or the replayed one while replaying.
import { create } from 'zustand'
import type { Localized } from '@shared/events'
import { toWire } from '@shared/wire'
import { useLab } from '../store'
import { api } from '../bridge'
import { holdLive } from '../bridge/sync'
import { useLesson } from '../lesson/lesson-store'
import { downloadBlob } from '../presenter/download'
import { parseSessionText, sessionFileName, sessionFileOf, sessionScene } from './session-file'

interface ReplayState {
  /** A saved session is shown instead of the live log. */
  replaying: boolean
  /** File name of the session being replayed. */
  name: string | null
  /** Its lesson id. */
  scene: string | null
  /** Why the last file could not be opened. */
  error: Localized | null
  /** The lesson shown before the session was opened (restored when going back to live). */
  liveScene: string | null
}

export const useReplay = create<ReplayState>(() => ({
  replaying: false,
  name: null,
  scene: null,
  error: null,
  liveScene: null
}))

/** Opens a session from its JSON text. Returns false (and sets `error`) if it cannot be read. */
export function openSessionText(text: string, name: string | null = null): boolean {
  const parsed = parseSessionText(text)
  if (!parsed.ok) {
    useReplay.setState({ error: parsed.error })
    return false
  }
  const scene = sessionScene(parsed.file, parsed.events)
  const was = useReplay.getState()
  holdLive(true)
  const lab = useLab.getState()
  lab.pause()
  lab.select(null)
  lab.replace(parsed.file.events)
  useLab.setState({ playing: false, cursor: 0, movedAt: performance.now() })
  useReplay.setState({
    replaying: true,
    name,
    scene,
    error: null,
    liveScene: was.replaying ? was.liveScene : useLesson.getState().sceneId
  })
  if (scene) useLesson.setState({ sceneId: scene })
  return true
}

/** Leaves the replay: the live log comes back from the engine and follows live again. */
export async function backToLive(): Promise<void> {
  const { liveScene } = useReplay.getState()
  useReplay.setState({ replaying: false, name: null, scene: null, error: null, liveScene: null })
  const snap = await api['session:snapshot']({})
  holdLive(false)
  useLab.getState().replace(snap.events)
  useLab.getState().goLive()
  useLesson.setState({ sceneId: useLesson.getState().status?.scene ?? liveScene })
}

export async function openSessionFile(file: File): Promise<boolean> {
  return openSessionText(await file.text(), file.name)
}

/** Asks for a `.wirelab` file with the browser's file picker and opens it. */
export function pickSessionFile(): void {
  const input = document.createElement('input')
  input.type = 'file'
  input.accept = '.wirelab,.json,application/json'
  input.dataset.testid = 'session-file-input'
  input.style.display = 'none'
  input.addEventListener('change', () => {
    const f = input.files?.[0]
    input.remove()
    if (f) void openSessionFile(f)
  })
  document.body.appendChild(input)
  input.click()
}

/** The session shown now, as a session file: the engine's when live, the replayed one otherwise. */
export async function currentSessionJson(): Promise<{ json: string; scene: string | null }> {
  const r = useReplay.getState()
  if (r.replaying) {
    const s = useLab.getState()
    return { json: JSON.stringify(sessionFileOf(s.events, r.scene)), scene: r.scene }
  }
  const file = await api['session:file'](null)
  return { json: JSON.stringify(file), scene: file.scene ?? null }
}

/** Saves the session as a `.wirelab` download (a save dialog in the desktop app). */
export async function saveSession(): Promise<string> {
  const { json, scene } = await currentSessionJson()
  const name = sessionFileName(scene)
  downloadBlob(new Blob([json], { type: 'application/json' }), name)
  return name
}

/** The replayed events in wire form (tests compare them with the file they came from). */
export function replayedWire(): ReturnType<typeof toWire>[] {
  return useLab.getState().events.map(toWire)
}

// Starting a lesson or running an action while a saved session is shown goes back to live: the
// new traffic belongs to the engine's session, not to the file.
useLesson.subscribe((s, prev) => {
  if (s.busy && !prev.busy && useReplay.getState().replaying) void backToLive().catch(() => undefined)
})

let installed = false

/**
 * Opens sessions dropped on the window and those the desktop app's File menu or command line
 * sends (`onOpenSession`). Idempotent.
 */
export function installSessionOpeners(): () => void {
  if (installed) return () => undefined
  installed = true
  const hasFiles = (e: DragEvent): boolean =>
    !!e.dataTransfer && Array.from(e.dataTransfer.types).includes('Files')
  const over = (e: DragEvent): void => {
    if (!hasFiles(e)) return
    e.preventDefault()
    if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy'
  }
  const drop = (e: DragEvent): void => {
    if (!hasFiles(e)) return
    e.preventDefault()
    const f = e.dataTransfer?.files[0]
    if (f) void openSessionFile(f)
  }
  window.addEventListener('dragover', over)
  window.addEventListener('drop', drop)
  const off = api.onOpenSession?.((json) => openSessionText(json, null))
  return () => {
    installed = false
    window.removeEventListener('dragover', over)
    window.removeEventListener('drop', drop)
    off?.()
  }
}
