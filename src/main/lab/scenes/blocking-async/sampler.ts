// The listening sockets' accept queues, sampled while clients arrive: from /proc/net/tcp (cheap to
// read every few milliseconds) or, where only `ss` exists, from `ss -ltn`; the backlog from `ss`.
// Logged as `accept-queue` samples when a value changes. Where neither exists, says so once.
import type { SceneContext } from '../context'
import { acceptQueue, somaxconn, ssListen, tcpTable } from '../../net/kernel'

export interface QueueSource {
  kind: 'proc' | 'ss' | 'none'
  label: string
}

export async function queueSource(probePort: number): Promise<QueueSource> {
  if (acceptQueue(tcpTable(), probePort) !== null) return { kind: 'proc', label: '/proc/net/tcp' }
  if (await ssListen(probePort)) return { kind: 'ss', label: 'ss -ltn' }
  return { kind: 'none', label: 'not readable on this system' }
}

/** Each server's backlog as the kernel holds it (ss), or what was asked capped by somaxconn. */
export async function backlogs(ports: number[], asked: number): Promise<{ backlog: number; source: string }[]> {
  const cap = somaxconn()
  return Promise.all(
    ports.map(async (port) => {
      const s = await ssListen(port)
      if (s) return { backlog: s.backlog, source: 'ss -ltn (Send-Q)' }
      return { backlog: cap === null ? asked : Math.min(asked, cap), source: cap === null ? 'listen() argument' : 'listen() argument, capped by net.core.somaxconn' }
    })
  )
}

export class QueueSampler {
  private timer: ReturnType<typeof setInterval> | null = null
  private readonly last = new Map<number, number>()
  private busy = false

  constructor(
    private readonly ctx: SceneContext,
    private readonly source: QueueSource,
    /** Port → server node and backlog. */
    private readonly servers: { port: number; node: string; backlog: number }[]
  ) {}

  private log(port: number, node: string, queue: number, backlog: number): void {
    if (this.last.get(port) === queue) return
    this.last.set(port, queue)
    this.ctx.session.append({ kind: 'sample', series: 'accept-queue', subject: node, values: { port, queue, backlog }, source: this.source.label })
  }

  private async sample(): Promise<void> {
    if (this.busy) return
    this.busy = true
    try {
      if (this.source.kind === 'proc') {
        const rows = tcpTable()
        for (const s of this.servers) {
          const q = acceptQueue(rows, s.port)
          if (q !== null) this.log(s.port, s.node, q, s.backlog)
        }
      } else if (this.source.kind === 'ss') {
        for (const s of this.servers) {
          const q = await ssListen(s.port)
          if (q) this.log(s.port, s.node, q.queue, q.backlog)
        }
      }
    } finally {
      this.busy = false
    }
  }

  start(everyMs: number): void {
    if (this.source.kind === 'none' || this.timer) return
    this.last.clear()
    void this.sample()
    this.timer = setInterval(() => void this.sample(), this.source.kind === 'ss' ? Math.max(everyMs, 100) : everyMs)
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    await this.sample()
  }
}
