// The buffers lesson from the log: each sender's latest measurements at the playback cursor (what
// its program wrote, what waits in its own memory, the kernel's send and receive queues, what the
// receiver read, the receiver's window) and their history since the run started.
import type { LabEvent } from '@shared/events'

export interface BufferPoint {
  ms: number
  written: number
  userBuffer: number
  kernelSend?: number
  kernelRecv?: number
  read: number
  writeFalse: number
  drains: number
  waiting: boolean
}

export interface SenderModel {
  node: string
  label: string
  conn?: string
  points: BufferPoint[]
  window: { ms: number; window: number; modeled: boolean; source: string }[]
  source?: string
}

export interface BuffersModel {
  t0: number | null
  total?: number
  senders: SenderModel[]
}

export const SENDER_NODES = ['sender-blocking', 'sender-nonblocking'] as const

export function buildBuffers(events: readonly LabEvent[]): BuffersModel {
  let from = -1
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]
    if (e.kind === 'note' && e.key === 'buffers.start') {
      from = i
      break
    }
  }
  const senders = SENDER_NODES.map((node): SenderModel => ({ node, label: node, points: [], window: [] }))
  const byNode = new Map(senders.map((s) => [s.node, s]))
  for (const e of events) if (e.kind === 'node' && byNode.has(e.node)) byNode.get(e.node)!.label = e.label
  if (from < 0) return { t0: null, senders }
  const t0 = events[from].t
  let total: number | undefined
  for (let i = from; i < events.length; i++) {
    const e = events[i]
    if (e.kind !== 'sample') continue
    const s = byNode.get(e.subject)
    if (!s) continue
    if (e.conn) s.conn = e.conn
    if (e.series === 'buffers') {
      const v = e.values
      const num = (k: string): number | undefined => (v[k] === undefined ? undefined : Number(v[k]))
      s.points.push({
        ms: e.t - t0,
        written: num('written') ?? 0,
        userBuffer: num('userBuffer') ?? 0,
        ...(num('kernelSend') !== undefined ? { kernelSend: num('kernelSend') } : {}),
        ...(num('kernelRecv') !== undefined ? { kernelRecv: num('kernelRecv') } : {}),
        read: num('read') ?? 0,
        writeFalse: num('writeFalse') ?? 0,
        drains: num('drains') ?? 0,
        waiting: v.waiting === true
      })
      s.source = e.source
    } else if (e.series === 'window') {
      s.window.push({
        ms: e.t - t0,
        window: Number(e.values.window),
        modeled: e.modeled === true,
        source: e.source
      })
    }
  }
  // The run's size, from its first note ("write 8 MB each"): the largest count written.
  for (const s of senders) for (const p of s.points) total = Math.max(total ?? 0, p.written)
  return { t0, senders, ...(total !== undefined ? { total } : {}) }
}

export function formatBytes(n: number | undefined): string {
  if (n === undefined) return '—'
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`
  if (n >= 1024) return `${(n / 1024).toFixed(0)} KB`
  return `${n} B`
}
