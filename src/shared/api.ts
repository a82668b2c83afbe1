// Commands the renderer sends to the engine. One closed map of channel names (`domain:verb`)
// to request and response types: the Electron preload exposes one function per channel and the
// WebSocket bridge the same functions, so a renamed channel is a compile error on both sides.
import type { Localized, ParamValues } from './events'
import type { ActionResult, SceneInfo, SceneStatus } from './scene'
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
  /**
   * Streams the log to this renderer from `from` on, or its last `tail` events (packets through
   * `onEvents`, in chunks, paced by the transport): what a renderer calls when it (re)connects.
   */
  'session:follow': { req: { from?: number; tail?: number }; res: FollowReply }
  /**
   * Events `from ≤ seq ≤ to` (at most `span`), or `span` events around the `mark`-th event of
   * interest, as one range packet (shared/codec/packet.ts): how a renderer pages the log in.
   */
  'session:range': { req: RangeRequest; res: Uint8Array }
  'session:clear': { req: null; res: null }
  /**
   * Saves the whole session (memory and disk) as a `.wirelab` file or a pcap. The desktop app asks
   * where and writes it (`path`); browser mode answers a one-time download address (`url`).
   */
  'session:save': { req: { format: 'wirelab' | 'pcap'; name?: string }; res: SaveReply }
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

export interface FollowReply {
  /** Identifies the log: it changes when the log is cleared. */
  logId: number
  /** The stream starts at this seq (a chunk's first event; the renderer skips what it holds). */
  from: number
  total: number
  totalMarks: number
  /** Events of interest before `from`. */
  marksBefore: number
}

export interface RangeRequest {
  from?: number
  to?: number
  /** Centre the range on the mark-th event of interest (1-based; 0 = the start). */
  mark?: number
  /** Most events in the reply. */
  span?: number
}

export interface SaveReply {
  url?: string
  path?: string
  /** The person closed the save dialog. */
  canceled?: boolean
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
  'session:follow',
  'session:range',
  'session:clear',
  'session:save',
  'net:faults',
  'net:cut',
  'capture:frames'
] as const

/** The API the renderer sees, identical in Electron (preload) and browser mode (WebSocket). */
export type WirelabApi = {
  [C in CommandName]: (req: Req<C>) => Promise<Res<C>>
} & {
  /** Log packets (shared/codec/packet.ts): the stream `session:follow` started. */
  onEvents(listener: (packet: Uint8Array) => void): () => void
  onConnection(listener: (state: 'open' | 'closed') => void): () => void
  /** A session file the host asks the renderer to open (menu, drag and drop, command line). */
  onOpenSession?(listener: (json: string) => void): () => void
}

/** Error shape returned across the bridge. */
export interface CommandError {
  message: string
  hint?: Localized
}
