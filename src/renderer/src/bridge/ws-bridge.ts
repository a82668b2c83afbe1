// The WebSocket twin of the Electron preload API (browser mode): the same functions, over
// `ws://<host>/bridge` (or `?bridge=ws://…` in the page URL). Requests carry an id; the host
// answers `{id, ok, res | error}` as text, or a binary reply (`[0x52][u32 id][bytes]`) when the
// answer is bytes, and pushes the log as binary packets. Reconnects with backoff.
import type { CommandName, Req, Res, WirelabApi } from '@shared/api'
import { COMMAND_NAMES } from '@shared/api'
import { parseReply } from '@shared/codec/packet'

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void }
type Incoming = { id: number | null; ok: true; res: unknown } | { id: number | null; ok: false; error: { message: string } }

export class BridgeError extends Error {}

export function bridgeUrl(loc: Location = window.location): string {
  const override = new URLSearchParams(loc.search).get('bridge')
  if (override && /^wss?:\/\//.test(override)) return override
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/bridge`
}

export function createWsBridge(url: string = bridgeUrl()): WirelabApi {
  let ws: WebSocket | null = null
  let nextId = 1
  let backoff = 250
  const pending = new Map<number, Pending>()
  const eventListeners = new Set<(packet: Uint8Array) => void>()
  const connListeners = new Set<(state: 'open' | 'closed') => void>()
  let state: 'open' | 'closed' = 'closed'
  let waiters: (() => void)[] = []

  const setState = (s: 'open' | 'closed'): void => {
    state = s
    connListeners.forEach((l) => l(s))
  }

  const connect = (): void => {
    const sock = new WebSocket(url)
    sock.binaryType = 'arraybuffer'
    ws = sock
    sock.onopen = () => {
      backoff = 250
      setState('open')
      const w = waiters
      waiters = []
      w.forEach((f) => f())
    }
    sock.onmessage = (ev) => {
      if (ev.data instanceof ArrayBuffer) {
        const bytes = new Uint8Array(ev.data)
        const reply = parseReply(bytes)
        if (!reply) {
          eventListeners.forEach((l) => l(bytes))
          return
        }
        const p = pending.get(reply.id)
        pending.delete(reply.id)
        p?.resolve(reply.payload)
        return
      }
      let msg: Incoming
      try {
        msg = JSON.parse(String(ev.data)) as Incoming
      } catch {
        return
      }
      if (msg.id === null) return
      const p = pending.get(msg.id)
      if (!p) return
      pending.delete(msg.id)
      if (msg.ok) p.resolve(msg.res)
      else p.reject(new BridgeError(msg.error?.message ?? 'request failed'))
    }
    sock.onclose = () => {
      if (ws !== sock) return
      ws = null
      for (const p of pending.values()) p.reject(new BridgeError('connection to Wirelab lost'))
      pending.clear()
      if (state !== 'closed') setState('closed')
      setTimeout(connect, backoff)
      backoff = Math.min(backoff * 2, 5000)
    }
  }
  connect()

  const opened = (): Promise<void> =>
    ws && ws.readyState === WebSocket.OPEN ? Promise.resolve() : new Promise((r) => waiters.push(r))

  const call = async <C extends CommandName>(channel: C, req: Req<C>): Promise<Res<C>> => {
    await opened()
    const id = nextId++
    return new Promise<Res<C>>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject })
      ws?.send(JSON.stringify({ id, channel, req }))
    })
  }

  const api = {
    onEvents(listener: (packet: Uint8Array) => void) {
      eventListeners.add(listener)
      return () => void eventListeners.delete(listener)
    },
    onConnection(listener: (s: 'open' | 'closed') => void) {
      connListeners.add(listener)
      if (state === 'open') listener('open')
      return () => void connListeners.delete(listener)
    }
  } as Partial<WirelabApi> as Record<string, unknown>
  for (const name of COMMAND_NAMES) api[name] = (req: Req<typeof name>) => call(name, req)
  return api as unknown as WirelabApi
}
