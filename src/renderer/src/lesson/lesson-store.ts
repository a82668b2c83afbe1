// Which lessons exist, which one runs, its parameter values and the last action's outcome.
// Kept apart from the session store: it mirrors the engine's state, not the event log.
import { create } from 'zustand'
import type { Localized, ParamValues } from '@shared/events'
import { defaultParams, type SceneInfo, type SceneStatus } from '@shared/scene'
import { api } from '../bridge'

export interface ActionOutcome {
  action: string
  ok: boolean
  message?: Localized | string
}

interface LessonState {
  scenes: SceneInfo[]
  /** The lesson shown in the panel (running or about to be started). */
  sceneId: string | null
  status: SceneStatus | null
  values: Record<string, ParamValues>
  busy: string | null
  outcome: ActionOutcome | null
  /** The course map is shown (it also is whenever no lesson is chosen). */
  home: boolean
}

export const useLesson = create<LessonState>(() => ({
  scenes: [],
  sceneId: null,
  status: null,
  values: {},
  busy: null,
  outcome: null,
  home: false
}))

export function currentInfo(s: LessonState): SceneInfo | null {
  return s.scenes.find((x) => x.id === s.sceneId) ?? null
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}

export async function loadLessons(): Promise<void> {
  const [scenes, status] = await Promise.all([api['scene:list'](null), api['scene:status'](null)])
  const values: Record<string, ParamValues> = {}
  for (const s of scenes) values[s.id] = { ...defaultParams(s), ...(status?.scene === s.id ? status.params : {}) }
  useLesson.setState((st) => ({
    scenes,
    status,
    values: { ...values, ...st.values },
    sceneId: status?.scene ?? st.sceneId
  }))
}

export function setParam(id: string, value: string | number | boolean): void {
  const { sceneId, values } = useLesson.getState()
  if (!sceneId) return
  useLesson.setState({ values: { ...values, [sceneId]: { ...values[sceneId], [id]: value } } })
}

/** Whether the course map is on screen. */
export function homeShown(s: LessonState): boolean {
  return s.home || !s.sceneId
}

/** Shows the course map, or goes back to the lesson (when one is chosen). */
export function toggleHome(show?: boolean): void {
  useLesson.setState((s) => ({ home: show ?? !homeShown(s) }))
}

/** From the course map: the running lesson is resumed as it is; another one is started. */
export function openFromHome(sceneId: string): void {
  if (useLesson.getState().status?.scene === sceneId) useLesson.setState({ sceneId, home: false })
  else void startLesson(sceneId)
}

export async function startLesson(sceneId: string): Promise<void> {
  useLesson.setState({ sceneId, busy: 'start', outcome: null, home: false })
  try {
    const params = useLesson.getState().values[sceneId]
    const status = await api['scene:start']({ scene: sceneId, params })
    useLesson.setState({ status, busy: null })
  } catch (e) {
    useLesson.setState({ busy: null, outcome: { action: 'start', ok: false, message: errorText(e) } })
  }
}

export async function stopLesson(): Promise<void> {
  try {
    await api['scene:stop'](null)
  } finally {
    useLesson.setState({ status: null })
  }
}

/** Runs a lesson action with the current parameter values as its arguments. */
export async function runAction(action: string, args?: ParamValues): Promise<void> {
  const { sceneId, values, status } = useLesson.getState()
  if (!sceneId) return
  useLesson.setState({ busy: action, outcome: null })
  try {
    if (!status || status.scene !== sceneId) await startLesson(sceneId)
    useLesson.setState({ busy: action })
    const res = await api['scene:action']({ action, args: { ...values[sceneId], ...args } })
    // An action may open ports (watch mode adds targets): the status is read again.
    const now = await api['scene:status'](null).catch(() => useLesson.getState().status)
    useLesson.setState({ busy: null, status: now, outcome: { action, ok: res.ok, message: res.message } })
  } catch (e) {
    useLesson.setState({ busy: null, outcome: { action, ok: false, message: errorText(e) } })
  }
}
