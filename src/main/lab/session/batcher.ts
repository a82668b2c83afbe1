// Batches events toward one renderer: about one batch per animation frame, bounded, and
// counting (never hiding) what it had to drop when the consumer cannot keep up.
import type { LabEvent } from '../../../shared/events'
import type { EventBatch } from '../../../shared/api'
import { toWire } from '../../../shared/wire'

export interface BatcherOptions {
  /** Flush interval in ms (≈ one animation frame). */
  intervalMs?: number
  /** Most events held while the consumer is busy; beyond it events are dropped and counted. */
  maxPending?: number
  /** Returns false while the transport is congested (e.g. WebSocket bufferedAmount high). */
  ready?: () => boolean
  /** Most events in one batch, so one message never grows without bound (default 5,000). */
  maxBatch?: number
}

export class Batcher {
  private pending: LabEvent[] = []
  private dropped = 0
  private timer: ReturnType<typeof setTimeout> | null = null
  private closed = false
  private readonly intervalMs: number
  private readonly maxPending: number
  private readonly ready: () => boolean
  private readonly maxBatch: number

  constructor(
    private readonly send: (batch: EventBatch) => void,
    options: BatcherOptions = {}
  ) {
    this.intervalMs = options.intervalMs ?? 16
    this.maxPending = options.maxPending ?? 200_000
    this.ready = options.ready ?? (() => true)
    this.maxBatch = options.maxBatch ?? 5000
  }

  get droppedCount(): number {
    return this.dropped
  }

  push(event: LabEvent): void {
    if (this.closed) return
    if (this.pending.length >= this.maxPending) {
      this.dropped++
    } else {
      this.pending.push(event)
    }
    this.schedule()
  }

  private schedule(): void {
    if (this.timer || this.closed) return
    this.timer = setTimeout(() => {
      this.timer = null
      this.flush()
    }, this.intervalMs)
  }

  flush(): void {
    if (this.closed || this.pending.length === 0) return
    while (this.pending.length > 0) {
      if (!this.ready()) {
        this.schedule()
        return
      }
      const events = this.pending.length <= this.maxBatch ? this.pending : this.pending.slice(0, this.maxBatch)
      this.pending = this.pending.length <= this.maxBatch ? [] : this.pending.slice(this.maxBatch)
      this.send({ events: events.map(toWire), dropped: this.dropped })
    }
  }

  close(): void {
    this.closed = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.pending = []
  }
}
