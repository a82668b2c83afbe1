// The engine's command handlers, shared by every host (Electron IPC, the browser-mode WebSocket).
// Payloads are validated here, whatever the transport.
import type { CommandName, Commands, HostInfo, Req, Res } from '../shared/api'
import { validateRequest } from '../shared/validate'
import { toWire } from '../shared/wire'
import { toBase64 } from '../shared/wire'
import type { Lab } from './lab/lab'
import { toPcap } from '../shared/pcap'

export type CommandHandlers = { [C in CommandName]: (req: Req<C>) => Promise<Res<C>> }

export const VERSION = '0.1.0'

export function commandHandlers(lab: Lab, mode: HostInfo['mode'], dropped: () => number = () => 0): CommandHandlers {
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
    'session:snapshot': async (req) => ({
      events: lab.session.since(req.fromSeq ?? 0).map(toWire),
      dropped: dropped()
    }),
    'session:clear': async () => {
      lab.session.clear()
      return null
    },
    'session:file': async () => lab.session.toFile(lab.status()?.scene),
    'session:export-pcap': async () => {
      const { bytes, packets } = toPcap(lab.session.events)
      return { base64: toBase64(bytes), packets }
    },
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
