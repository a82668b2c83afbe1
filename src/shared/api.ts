// Commands the renderer sends to the engine. One closed map of channel names (`domain:verb`)
// to request and response types: the Electron preload exposes one function per channel and the
// WebSocket bridge the same functions, so a renamed channel is a compile error on both sides.
import type { Localized, ParamValues } from './events'
import type { ActionResult, SceneInfo, SceneStatus } from './scene'
import type { SessionFile, WireEvent } from './wire'
import type { FaultSettings } from './faults'

export interface HostInfo {
  /** `electron` or `web` (browser mode). */
  mode: 'electron' | 'web'
  version: string
  /** Addresses servers bind to (127.0.0.1 unless classroom mode is on). */
  bindHost: string
}

export interface Commands {
  'host:info': { req: null; res: HostInfo }
  'scene:list': { req: null; res: SceneInfo[] }
  'scene:start': { req: { scene: string; params?: ParamValues }; res: SceneStatus }
  'scene:stop': { req: null; res: null }
  'scene:action': { req: { action: string; args?: ParamValues }; res: ActionResult }
  'scene:status': { req: null; res: SceneStatus | null }
  /** The whole session log so far (for a renderer that (re)connects). */
  'session:snapshot': { req: { fromSeq?: number }; res: { events: WireEvent[]; dropped: number } }
  'session:clear': { req: null; res: null }
  'session:file': { req: null; res: SessionFile }
  /** The session as a classic pcap, base64. */
  'session:export-pcap': { req: null; res: { base64: string; packets: number } }
  /** Reads (no `set`) or changes the network conditions every tap imposes. */
  'net:faults': { req: { set?: Partial<Omit<FaultSettings, 'latencyMs'>> & { latencyMs?: number | Partial<FaultSettings['latencyMs']> } }; res: FaultSettings }
  /** Cuts every open TCP connection of the running lesson now (both sides get a reset). */
  'net:cut': { req: null; res: { cut: number } }
  /** Reads (no `on`) or switches the capture of real frames (dumpcap) on every lesson's ports. */
  'capture:frames': { req: { on?: boolean }; res: CaptureState }
}

/** Whether real frames are captured, and whether this machine allows it (null: not tried yet). */
export interface CaptureState {
  on: boolean
  available: boolean | null
  reason?: string
}

export type CommandName = keyof Commands
export type Req<C extends CommandName> = Commands[C]['req']
export type Res<C extends CommandName> = Commands[C]['res']

export const COMMAND_NAMES: readonly CommandName[] = [
  'host:info',
  'scene:list',
  'scene:start',
  'scene:stop',
  'scene:action',
  'scene:status',
  'session:snapshot',
  'session:clear',
  'session:file',
  'session:export-pcap',
  'net:faults',
  'net:cut',
  'capture:frames'
] as const

/** A batch of events pushed to the renderer, about one per animation frame. */
export interface EventBatch {
  events: WireEvent[]
  /** Events the bridge could not deliver so far (counted, shown in the UI). */
  dropped: number
}

/** The API the renderer sees, identical in Electron (preload) and browser mode (WebSocket). */
export type WirelabApi = {
  [C in CommandName]: (req: Req<C>) => Promise<Res<C>>
} & {
  onEvents(listener: (batch: EventBatch) => void): () => void
  onConnection(listener: (state: 'open' | 'closed') => void): () => void
  /** A session file the host asks the renderer to open (menu, drag and drop, command line). */
  onOpenSession?(listener: (json: string) => void): () => void
}

/** Error shape returned across the bridge. */
export interface CommandError {
  message: string
  hint?: Localized
}
