// The engine: one session log, one running scene at a time, and the commands every host
// (Electron, browser mode, CLI, tests) calls.
import type { ParamValues } from '../../shared/events'
import { resolveParams, type ActionResult, type SceneInfo, type SceneStatus } from '../../shared/scene'
import { Session, type SessionOptions } from './session/session'
import { Actors } from './tap/actors'
import { SceneContext } from './scenes/context'
import { findScene, sceneList } from './scenes'
import type { SceneRun } from './scenes/types'
import { LOOPBACK } from './net/ports'
import { describeFaults, faultsActive, NO_FAULTS, parseFaults, type FaultSettings } from '../../shared/faults'
import type { CaptureState } from '../../shared/api'
import { CaptureSwitch } from './capture/switch'

export interface LabOptions {
  /** Address public ports bind to (127.0.0.1 unless classroom mode is on). */
  host?: string
  /** Use ephemeral public ports instead of the course's defaults (tests). */
  ephemeralPorts?: boolean
  /** Network conditions every tap imposes from the start (CLI flags). */
  faults?: FaultSettings
  /** The session log's memory budget and chunk size (beyond the budget it spills to disk). */
  session?: SessionOptions
}

interface Running {
  id: string
  params: ParamValues
  ctx: SceneContext
  run: SceneRun
}

export class Lab {
  readonly session: Session
  private readonly actors = new Actors()
  private current: Running | null = null
  private queue: Promise<unknown> = Promise.resolve()
  private faultSettings: FaultSettings
  /** Real frames (dumpcap) on the running lesson's ports, for the layers view. */
  readonly capture: CaptureSwitch

  constructor(private readonly options: LabOptions = {}) {
    this.faultSettings = options.faults ?? NO_FAULTS
    this.session = new Session(options.session)
    this.capture = new CaptureSwitch(this.session)
  }

  /** The network conditions every tap imposes now. */
  get faults(): FaultSettings {
    return this.faultSettings
  }

  /**
   * Changes the network conditions of every tap, at once (running lessons included). Throws on
   * invalid settings; logs the change so it is never silent.
   */
  setFaults(input: unknown): FaultSettings {
    const next = parseFaults(input, this.faultSettings)
    this.faultSettings = next
    this.session.append({ kind: 'note', key: 'faults.changed', level: faultsActive(next) ? 'warn' : 'info', text: describeFaults(next) })
    return next
  }

  /** Switches the capture of real frames; the running lesson's ports are captured at once. */
  setCapture(on: boolean): Promise<CaptureState> {
    return this.serial(() => this.capture.set(on, this.current?.run.ports ?? null))
  }

  /** Cuts every open TCP connection of the running lesson (or the one given); returns how many. */
  cut(conn?: string): number {
    const r = this.current
    if (!r) return 0
    let n = 0
    for (const tap of r.ctx.tcpTaps) n += tap.cut(conn)
    return n
  }

  get host(): string {
    return this.options.host ?? LOOPBACK
  }

  scenes(): SceneInfo[] {
    return sceneList()
  }

  /** Commands run one at a time, in order, so start/stop/actions never interleave. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn)
    this.queue = next.catch(() => undefined)
    return next
  }

  start(sceneId: string, given: Record<string, unknown> = {}): Promise<SceneStatus> {
    return this.serial(async () => {
      const def = findScene(sceneId)
      if (!def) throw new Error(`unknown scene "${sceneId}" (known: ${sceneList().map((s) => s.id).join(', ')})`)
      const params = resolveParams(def.info.params, given)
      await this.stopCurrent()
      const ctx = new SceneContext(this.session, this.actors, this.host, this.options.ephemeralPorts, () => this.faultSettings)
      // `started` comes first, so whatever the lesson logs while it starts (servers, port fallbacks,
      // narration) belongs to this run; `ready` follows with the ports it got.
      this.session.append({ kind: 'scene', scene: sceneId, state: 'started', params })
      let run: SceneRun
      try {
        run = await def.start(ctx, params)
      } catch (err) {
        await ctx.stop()
        const msg = err instanceof Error ? err.message : String(err)
        this.session.append({ kind: 'note', key: 'scene.error', level: 'error', text: { en: `The lesson could not start: ${msg}`, pt: `A aula não pôde iniciar: ${msg}` } })
        this.session.append({ kind: 'scene', scene: sceneId, state: 'stopped' })
        throw err
      }
      this.current = { id: sceneId, params, ctx, run }
      this.session.append({ kind: 'scene', scene: sceneId, state: 'ready', params, ports: run.ports })
      if (faultsActive(this.faultSettings))
        this.session.append({ kind: 'note', key: 'faults.active', level: 'warn', text: describeFaults(this.faultSettings) })
      await this.capture.attach(run.ports)
      return this.statusOf(this.current)
    })
  }

  private statusOf(r: Running): SceneStatus {
    const views = r.run.views?.()
    return { scene: r.id, params: r.params, ports: r.run.ports, hints: r.run.hints?.() ?? [], ...(views ? { views } : {}) }
  }

  status(): SceneStatus | null {
    return this.current ? this.statusOf(this.current) : null
  }

  action(id: string, args: Record<string, unknown> = {}): Promise<ActionResult> {
    return this.serial(async () => {
      const r = this.current
      if (!r) return { ok: false, message: { en: 'No lesson is running.', pt: 'Nenhuma aula está em execução.' } }
      const def = findScene(r.id)
      const action = def?.info.actions.find((a) => a.id === id)
      if (!action) return { ok: false, message: { en: `Unknown action "${id}".`, pt: `Ação desconhecida "${id}".` } }
      const defs = [...(action.params ?? []), ...(def?.info.params ?? []).filter((p) => !(action.params ?? []).some((a) => a.id === p.id))]
      const merged = { ...r.params, ...args }
      const known = Object.fromEntries(Object.entries(merged).filter(([k]) => defs.some((d) => d.id === k)))
      const values = resolveParams(defs, known)
      try {
        return await r.run.action(id, values)
      } catch (err) {
        const msg = err instanceof Error ? err.message : String(err)
        this.session.append({ kind: 'note', key: 'action.error', level: 'error', text: { en: `${action.label.en} failed: ${msg}`, pt: `${action.label.pt} falhou: ${msg}` } })
        return { ok: false, message: { en: msg, pt: msg } }
      }
    })
  }

  /** Runs the current scene's default script (what `wirelab run` does). */
  script(): Promise<void> {
    return this.serial(async () => {
      if (!this.current) throw new Error('no scene running')
      await this.current.run.script()
    })
  }

  private async stopCurrent(): Promise<void> {
    const r = this.current
    if (!r) return
    this.current = null
    try {
      await r.run.stop?.()
    } finally {
      this.capture.detach()
      await r.ctx.stop()
      this.session.append({ kind: 'scene', scene: r.id, state: 'stopped' })
    }
  }

  stop(): Promise<void> {
    return this.serial(() => this.stopCurrent())
  }
}
