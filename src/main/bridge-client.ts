// A Node client of browser mode's WebSocket bridge, as a renderer speaks it: JSON commands, binary
// replies and log packets decoded back to events. Used by tests, the soak and the benchmark.
import WebSocket from 'ws'
import type { CommandName, FollowReply, Req, Res } from '../shared/api'
import type { LabEvent } from '../shared/events'
import { LogReceiver, type Received } from '../shared/codec/receiver'
import { parseReply } from '../shared/codec/packet'

export class BridgeClient {
  readonly events: LabEvent[] = []
  /** Packets received, with their headers. */
  packets = 0
  biggestPacket = 0
  gaps = 0
  private readonly receiver = new LogReceiver()
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>()
  private nextId = 0
  private listeners = new Set<(r: Received, events: LabEvent[]) => void>()

  private constructor(
    readonly ws: WebSocket,
    private readonly keep: boolean
  ) {
    ws.on('message', (raw: Buffer, binary: boolean) => {
      if (!binary) {
        const msg = JSON.parse(String(raw)) as { id?: number; ok?: boolean; res?: unknown; error?: { message: string } }
        const p = typeof msg.id === 'number' ? this.pending.get(msg.id) : undefined
        if (!p) return
        this.pending.delete(msg.id as number)
        if (msg.ok) p.resolve(msg.res)
        else p.reject(new Error(msg.error?.message ?? 'request failed'))
        return
      }
      const bytes = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength)
      const reply = parseReply(bytes)
      if (reply) {
        const p = this.pending.get(reply.id)
        this.pending.delete(reply.id)
        p?.resolve(reply.payload.slice())
        return
      }
      this.packets++
      this.biggestPacket = Math.max(this.biggestPacket, bytes.length)
      const got: LabEvent[] = []
      const r = this.receiver.live(bytes, false, (e) => got.push(e))
      if (!r.ok) this.gaps++
      if (this.keep) for (const e of got) this.events.push(e)
      for (const l of this.listeners) l(r, got)
    })
  }

  /** Connects; `keep` holds every received event in `events`. */
  static async open(port: number, keep = true): Promise<BridgeClient> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/bridge`, { origin: `http://127.0.0.1:${port}`, maxPayload: 2 ** 30 })
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve())
      ws.once('error', reject)
    })
    return new BridgeClient(ws, keep)
  }

  call<C extends CommandName>(channel: C, req: Req<C>): Promise<Res<C>> {
    const id = ++this.nextId
    return new Promise<Res<C>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject })
      this.ws.send(JSON.stringify({ id, channel, req }))
    })
  }

  /** Starts the stream (as a renderer does on connect). */
  follow(from = 1): Promise<FollowReply> {
    this.receiver.reset()
    return this.call('session:follow', { from })
  }

  onPacket(listener: (r: Received, events: LabEvent[]) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  close(): void {
    this.ws.close()
  }

  terminate(): void {
    this.ws.terminate()
  }
}
