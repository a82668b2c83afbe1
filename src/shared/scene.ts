// Lessons ("scenes") described as data, so the renderer builds their controls and the CLI
// can run them headless.
import type { Localized, ParamValue, ParamValues, PortInfo } from './events'

export type SceneGroup = 'fundamentos' | 'web' | 'mensageria' | 'rpc' | 'dados'

export const SCENE_GROUPS: { id: SceneGroup; label: Localized }[] = [
  { id: 'fundamentos', label: { en: 'Foundations', pt: 'Fundamentos' } },
  { id: 'web', label: { en: 'Web', pt: 'Web' } },
  { id: 'mensageria', label: { en: 'Messaging', pt: 'Mensageria' } },
  { id: 'rpc', label: { en: 'RPC and serialization', pt: 'RPC e serialização' } },
  { id: 'dados', label: { en: 'Data', pt: 'Dados' } }
]

/** The views a scene can ask the renderer for (each has its line in src/renderer/src/views/registry.ts). */
export type ViewId =
  | 'sequence'
  | 'bytes'
  | 'packets'
  | 'streams'
  | 'fanout'
  | 'topics'
  | 'serialization'
  | 'race'
  | 'segments'
  | 'tls'
  | 'frames'
  | 'eventstream'
  | 'grpc'
  | 'unwrap'
  | 'compare'
  | 'thrift'
  | 'servers'
  | 'buffers'
  | 'ports'
  | 'layers'
  | 'topology'
  | 'patterns'
  | 'bytemap'
  | 'lanes'
  | 'trace'

export interface ParamDef {
  id: string
  label: Localized
  type: 'string' | 'text' | 'number' | 'boolean' | 'select'
  default: ParamValue
  min?: number
  max?: number
  step?: number
  options?: { value: string; label: Localized }[]
  help?: Localized
}

export interface ActionDef {
  id: string
  label: Localized
  help?: Localized
  /** Parameters this action reads (ids of the scene's params, or its own). */
  params?: ParamDef[]
  /** The action the lesson's "Run" button performs first. */
  primary?: boolean
  /**
   * `step` (the default): a step of the lesson, which a lesson's panel lists as a button;
   * `control`: driven by the panel's own form (add a client, publish…), not listed as a step.
   */
  kind?: 'step' | 'control'
}

/** A command a student can paste to talk to a running server. */
export interface ClientHint {
  title: Localized
  /** Shell command, with the real host and port filled in. */
  command?: string
  /** A file to save and run (e.g. the seed's tcp_client.py), with the real host and port. */
  file?: { name: string; language: 'python' | 'javascript' | 'shell'; content: string }
}

/**
 * A predict-then-reveal question about the traffic one action makes ("Which subscribers will get
 * this PUBLISH?"). The engine logs a `checkpoint` event (`ask`) before the action's traffic and
 * another (`answer`) after it, with the answer computed from the real events of that step.
 */
export interface CheckpointInfo {
  id: string
  /** The action whose traffic the question is about. */
  action: string
  question: Localized
  /** The choices; a lesson may replace them at ask time (e.g. the subscribers actually connected). */
  choices: { id: string; label: Localized }[]
  /** More than one choice can be right (pick every one that applies), e.g. which subscribers get a PUBLISH. */
  multiple?: boolean
  /** Where the question comes from, e.g. `seed 001, "Checkpoint: Teste seu Entendimento"`. */
  source?: string
}

export interface SceneInfo {
  id: string
  group: SceneGroup
  title: Localized
  summary: Localized
  /** What the student should walk away understanding. */
  goal?: Localized
  params: ParamDef[]
  actions: ActionDef[]
  views: ViewId[]
  /** Public ports this scene opens, with the course's defaults. */
  ports: { name: string; transport: 'tcp' | 'udp'; preferred: number }[]
  /** Predict-then-reveal questions (at least one per lesson). */
  checkpoints?: CheckpointInfo[]
  /**
   * The server this lesson needs from the machine (`RabbitMQ`): not shipped with Wirelab, seconds to
   * start, and absent on some machines (then the lesson opens a session recorded from it).
   */
  installedServer?: string
  /** One line for the course map's card: what the lesson shows (defaults to the summary's first sentence). */
  tagline?: Localized
  /** Wireshark-style ids of the protocols the lesson shows (`tcp`, `http2`, `mqtt`…), for the map's search. */
  protocols?: string[]
  /** The view the course map's card pictures (defaults to `views[0]`). */
  thumbnail?: ViewId
  /** Something to install beyond `npm install` for the live lesson (RabbitMQ, Redis…), shown on its card. */
  requires?: SceneRequirement[]
}

/** A program a lesson needs on this machine, and how to get it. */
export interface SceneRequirement {
  /** What it is, e.g. `RabbitMQ`. */
  name: string
  /** The one-line how-to, e.g. `sudo apt install rabbitmq-server` (or `brew install rabbitmq`). */
  install: Localized
  /** What the lesson does without it, e.g. plays a session recorded from the real server. */
  without?: Localized
}

export interface SceneStatus {
  scene: string
  params: ParamValues
  ports: PortInfo[]
  hints: ClientHint[]
  /** Views for this run when they depend on it (watch mode: the target's protocol first). */
  views?: ViewId[]
}

export interface ActionResult {
  ok: boolean
  message?: Localized
  /** JSON-safe data an action returns (e.g. encoded sizes). */
  data?: unknown
}

export function defaultParams(info: Pick<SceneInfo, 'params'>): ParamValues {
  const out: ParamValues = {}
  for (const p of info.params) out[p.id] = p.default
  return out
}

/** Coerces a user-provided value (from the UI or `--set key=value`) to a param's type. */
export function coerceParam(def: ParamDef, raw: unknown): ParamValue {
  switch (def.type) {
    case 'number': {
      const n = typeof raw === 'number' ? raw : Number(raw)
      if (!Number.isFinite(n)) throw new Error(`${def.id}: expected a number, got ${JSON.stringify(raw)}`)
      if (def.min !== undefined && n < def.min) throw new Error(`${def.id}: must be ≥ ${def.min}`)
      if (def.max !== undefined && n > def.max) throw new Error(`${def.id}: must be ≤ ${def.max}`)
      return n
    }
    case 'boolean':
      if (typeof raw === 'boolean') return raw
      if (raw === 'true' || raw === '1' || raw === 'on') return true
      if (raw === 'false' || raw === '0' || raw === 'off') return false
      throw new Error(`${def.id}: expected true or false`)
    case 'select': {
      const s = String(raw)
      if (def.options && !def.options.some((o) => o.value === s))
        throw new Error(`${def.id}: expected one of ${def.options.map((o) => o.value).join(', ')}`)
      return s
    }
    default:
      if (typeof raw !== 'string' && typeof raw !== 'number') throw new Error(`${def.id}: expected text`)
      return String(raw)
  }
}

export function resolveParams(defs: ParamDef[], given: Record<string, unknown> = {}): ParamValues {
  const out: ParamValues = {}
  for (const def of defs) out[def.id] = def.id in given ? coerceParam(def, given[def.id]) : def.default
  const unknown = Object.keys(given).filter((k) => !defs.some((d) => d.id === k))
  if (unknown.length) throw new Error(`unknown parameter${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`)
  return out
}
