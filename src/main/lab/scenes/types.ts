// What a lesson is, engine side. Its description (`info`) is plain data shared with the renderer
// and the CLI; `start` runs real servers and clients through the context.
import type { Localized, ParamValues, PortInfo } from '../../../shared/events'
import type { ActionDef, ActionResult, ClientHint, SceneInfo, ViewId } from '../../../shared/scene'
import type { SceneContext } from './context'

export interface SceneRun {
  /** Read each time the status is asked for: a lesson may open more ports as it runs. */
  readonly ports: PortInfo[]
  /** Views for this run, when they depend on its parameters. */
  views?(): ViewId[]
  /** Commands and scripts a student can use against the running servers. */
  hints?(): ClientHint[]
  /** Perform one of the scene's declared actions. */
  action(id: string, args: ParamValues): Promise<ActionResult>
  /** The default script `wirelab run` performs headless (usually the primary action). */
  script(): Promise<void>
  /** Extra cleanup beyond what the context already tracks. */
  stop?(): Promise<void>
}

export interface SceneDef {
  info: SceneInfo
  start(ctx: SceneContext, params: ParamValues): Promise<SceneRun>
}

export const ok = (message?: Localized, data?: unknown): ActionResult => ({
  ok: true,
  ...(message ? { message } : {}),
  ...(data !== undefined ? { data } : {})
})

export const fail = (message: Localized): ActionResult => ({ ok: false, message })

/**
 * One action of a lesson, declared once: what the renderer and the CLI see of it (`ActionDef`),
 * what it does, and whether the default script (`wirelab run`) performs it.
 */
export interface LessonAction<L> extends ActionDef {
  /** Performed by the default script, in the table's order. */
  script?: boolean
  run(lesson: L, args: ParamValues): Promise<ActionResult>
}

/** The `ActionDef`s of a lesson's action table (for `SceneInfo.actions`). */
export function actionDefs<L>(table: readonly LessonAction<L>[]): ActionDef[] {
  return table.map(({ run: _run, script: _script, ...def }) => def)
}

/** Runs action `id` of the table on `lesson`. */
export function runAction<L>(table: readonly LessonAction<L>[], lesson: L, id: string, args: ParamValues): Promise<ActionResult> {
  const a = table.find((x) => x.id === id)
  return a ? a.run(lesson, args) : Promise.resolve(fail({ en: `Unknown action "${id}".`, pt: `Ação desconhecida "${id}".` }))
}

/** Performs the table's script actions in order; the first that fails stops the script with its message. */
export async function runScript<L>(table: readonly LessonAction<L>[], lesson: L, args: ParamValues): Promise<void> {
  for (const a of table.filter((x) => x.script)) {
    const r = await a.run(lesson, args)
    if (!r.ok) throw new Error(`${a.id}: ${r.message?.en ?? 'failed'}`)
  }
}
