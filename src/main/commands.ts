// The engine's command handlers, shared by every host (Electron IPC, the browser-mode WebSocket).
// Payloads are validated here, whatever the transport.
import type { CommandName, Commands, HostInfo, Req, Res, SaveReply } from '../shared/api'
import { validateRequest } from '../shared/validate'
import type { Lab } from './lab/lab'
import { rangePacket, type LogFeed } from './lab/session/feed'

export type CommandHandlers = { [C in CommandName]: (req: Req<C>) => Promise<Res<C>> }

export const VERSION = '0.1.0'

export interface HostHooks {
  /** This renderer's stream of the log. */
  feed: LogFeed
  /** How this host saves (a dialog in the desktop app, a download address in browser mode). */
  save(req: Req<'session:save'>): Promise<SaveReply>
}

export function commandHandlers(lab: Lab, mode: HostInfo['mode'], host: HostHooks): CommandHandlers {
  return {
    'host:info': async () => ({ mode, version: VERSION, bindHost: lab.host }),
    'scene:list': async () => lab.scenes(),
    'scene:start': async (req) => lab.start(req.scene, req.params ?? {}),
    'scene:stop': async () => {
      await lab.stop()
      return null
    },
    'scene:action': async (req) => lab.action(req.action, req.args ?? {}),
    'scene:status': async () => lab.status(),
    'session:follow': async (req) => host.feed.follow(req.from ?? 1, req.tail),
    'session:range': async (req) => rangePacket(lab.session, req),
    'session:clear': async () => {
      lab.session.clear()
      return null
    },
    'session:save': (req) => host.save(req),
    'net:faults': async (req) => (req.set ? lab.setFaults(req.set) : lab.faults),
    'net:cut': async () => ({ cut: lab.cut() }),
    'capture:frames': async (req) => (req.on === undefined ? lab.capture.state() : lab.setCapture(req.on))
  }
}

/** Validates and runs one command. Throws InvalidRequest for bad payloads. */
export async function dispatch<C extends CommandName>(
  handlers: CommandHandlers,
  channel: C,
  req: unknown
): Promise<Commands[C]['res']> {
  validateRequest(channel, req ?? null)
  const handler = handlers[channel] as (r: unknown) => Promise<Commands[C]['res']>
  return handler(req ?? null)
}
