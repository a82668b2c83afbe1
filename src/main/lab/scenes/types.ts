// What a lesson is, engine side. Its description (`info`) is plain data shared with the renderer
// and the CLI; `start` runs real servers and clients through the context.
import type { Localized, ParamValues, PortInfo } from '../../../shared/events'
import type { ActionResult, ClientHint, SceneInfo, ViewId } from '../../../shared/scene'
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
