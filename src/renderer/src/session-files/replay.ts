// Opening a saved session and replaying it exactly: its events replace the live log (the store's
// `epoch` is bumped so every view drops its caches), live batches are held back, playback is
// paused at the start, and the lesson the session recorded picks the views. Saving writes the
// engine's session, or the replayed one while replaying.
import { create } from 'zustand'
import type { LabEvent, Localized } from '@shared/events'
import { toWire } from '@shared/wire'
import { decodeRange } from '@shared/codec/receiver'
import { useLab } from '../store'
import { api } from '../bridge'
import * as sync from '../bridge/sync'
import { ReplayLog } from './replay-log'
import { useLesson } from '../lesson/lesson-store'
import { downloadBlob, downloadUrl } from '../presenter/download'
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

/** The replayed session, whole (the store holds a window of it). */
let replayed: { log: ReplayLog | null; events: readonly LabEvent[] | null } | null = null

/** Every event of the session being replayed (saving and the pcap export read it). */
export function* replayedEvents(): Generator<LabEvent> {
  if (replayed?.log) yield* replayed.log.events()
  else if (replayed?.events) yield* replayed.events
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
  sync.holdLive(true)
  const lab = useLab.getState()
  lab.pause()
  lab.select(null)
  const log = new ReplayLog(parsed.events)
  if (log.contiguous) {
    // Kept compact and shown a window at a time, like the engine's log.
    replayed = { log, events: null }
    sync.setReplaySource(log)
    const { info, events, context } = decodeRange(log.range({ from: 1, span: sync.WINDOW_TAIL }), true)
    lab.replace(events, { firstSeq: 1, marksBefore: 0, total: info.total, totalMarks: info.totalMarks, atEnd: (info.to ?? 0) >= info.total }, context)
  } else {
    replayed = { log: null, events: parsed.events }
    sync.setReplaySource(null)
    lab.replace(parsed.events)
  }
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
  replayed = null
  sync.setReplaySource(null)
  sync.holdLive(false)
  await sync.resync()
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

/** The replayed session as a session file (saving while replaying). */
export function replayedSessionJson(): string {
  return JSON.stringify(sessionFileOf([...replayedEvents()], useReplay.getState().scene))
}

/**
 * Saves the session as a `.wirelab` file: the replayed one from here, the engine's whole log
 * (memory and disk) through the engine, which streams it to a download or a file it asks for.
 */
export async function saveSession(): Promise<string> {
  const r = useReplay.getState()
  if (r.replaying) {
    const name = sessionFileName(r.scene)
    downloadBlob(new Blob([replayedSessionJson()], { type: 'application/json' }), name)
    return name
  }
  const scene = useLesson.getState().status?.scene ?? useLab.getState().scene?.scene ?? null
  return saveFromEngine('wirelab', sessionFileName(scene))
}

/** Asks the engine to save its whole log; returns the file name (or path) it went to. */
export async function saveFromEngine(format: 'wirelab' | 'pcap', name: string): Promise<string> {
  const reply = await api['session:save']({ format, name })
  if (reply.url) downloadUrl(reply.url, name)
  return reply.path ?? name
}

/** The replayed events in wire form (tests compare them with the file they came from). */
export function replayedWire(): ReturnType<typeof toWire>[] {
  return [...replayedEvents()].map(toWire)
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
