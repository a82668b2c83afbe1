// One direction of one relayed connection (or UDP flow) under network conditions: decides each
// unit's fate (delivered now, held back, dropped, duplicated, reordered) and delivers it when due.
// TCP units keep their order, as a real TCP stream does; UDP datagrams travel on their own.
import type { FaultSettings } from '../../../shared/faults'

export interface Fate {
  /** Not delivered at all (UDP loss). */
  drop: boolean
  /** Delivered twice (UDP duplication). */
  duplicate: boolean
  /** Held back until the next datagram has gone (UDP reordering). */
  reorder: boolean
  /** How long the unit waits before delivery (ms): latency, jitter and bandwidth together. */
  delayMs: number
}

interface Pending {
  at: number
  size: number
  deliver: () => void
}

/** Above this many bytes waiting, the source should stop reading (back-pressure, as a slow link does). */
export const HIGH_WATER = 256 * 1024

export class FaultLine {
  private busyUntil = 0
  private lastAt = 0
  private readonly queue: Pending[] = []
  private timer: ReturnType<typeof setTimeout> | null = null
  private held: (() => void) | null = null
  private heldTimer: ReturnType<typeof setTimeout> | null = null
  private closed = false
  /** Bytes accepted but not yet delivered. */
  queued = 0

  constructor(
    private readonly settings: () => FaultSettings,
    private readonly latency: (s: FaultSettings) => number,
    /** TCP: deliver in order. UDP: each datagram on its own. */
    private readonly ordered: boolean,
    /** Called when the queue drops below the high-water mark again. */
    private readonly onDrain: () => void = () => undefined,
    private readonly random: () => number = Math.random,
    private readonly now: () => number = () => performance.now()
  ) {}

  /** What will happen to a unit of `size` bytes sent now (and the line's clock advanced for it). */
  private fate(size: number): Fate {
    const s = this.settings()
    const t = this.now()
    const chance = (pct: number): boolean => pct > 0 && this.random() * 100 < pct
    const udp = !this.ordered
    const drop = udp && chance(s.lossPct)
    if (drop) return { drop, duplicate: false, reorder: false, delayMs: 0 }
    // The link sends one unit after the other at the bandwidth limit, then it travels for the latency.
    const txMs = s.bandwidthKbps > 0 ? (size * 8) / s.bandwidthKbps : 0
    const sendStart = Math.max(t, this.busyUntil)
    this.busyUntil = sendStart + txMs
    let at = this.busyUntil + this.latency(s) + (s.jitterMs > 0 ? this.random() * s.jitterMs : 0)
    if (this.ordered) at = Math.max(at, this.lastAt)
    this.lastAt = at
    return { drop: false, duplicate: udp && chance(s.duplicatePct), reorder: udp && chance(s.reorderPct), delayMs: Math.max(0, at - t) }
  }

  /**
   * Accepts one unit (a chunk, a datagram, or a zero-byte marker such as end-of-stream that must
   * keep its place) and delivers it when due. Returns its fate, for the log.
   */
  send(size: number, deliver: () => void): Fate {
    if (this.closed) return { drop: true, duplicate: false, reorder: false, delayMs: 0 }
    const f = this.fate(size)
    if (f.drop) return f
    const copies = f.duplicate ? 2 : 1
    const run = (): void => {
      for (let i = 0; i < copies; i++) deliver()
      this.releaseHeld()
    }
    const unit = f.reorder ? () => this.hold(run) : run
    if (f.delayMs < 0.5 && this.queue.length === 0) {
      unit()
      return f
    }
    this.queued += size
    if (this.ordered) {
      this.queue.push({ at: this.now() + f.delayMs, size, deliver: unit })
      this.arm()
    } else {
      const t = setTimeout(() => {
        this.queued -= size
        unit()
        if (this.queued < HIGH_WATER) this.onDrain()
      }, Math.ceil(f.delayMs))
      t.unref?.()
    }
    return f
  }

  /** True while more than the high-water mark of bytes is waiting. */
  get congested(): boolean {
    return this.queued >= HIGH_WATER
  }

  private hold(run: () => void): void {
    // A datagram already held goes first: one held at a time.
    this.releaseHeld()
    this.held = run
    // No later datagram may come: deliver it anyway after a second, late.
    this.heldTimer = setTimeout(() => this.releaseHeld(), 1000)
    this.heldTimer.unref?.()
  }

  private releaseHeld(): void {
    const h = this.held
    if (!h) return
    this.held = null
    if (this.heldTimer) clearTimeout(this.heldTimer)
    this.heldTimer = null
    h()
  }

  private arm(): void {
    if (this.timer || this.queue.length === 0) return
    // Timers take whole milliseconds and may fire a fraction early: round up, and re-arm if early,
    // so no unit is ever delivered before its time.
    const wait = Math.max(0, Math.ceil(this.queue[0].at - this.now()))
    this.timer = setTimeout(() => {
      this.timer = null
      const t = this.now()
      while (this.queue.length && this.queue[0].at <= t) {
        const p = this.queue.shift() as Pending
        this.queued -= p.size
        p.deliver()
      }
      if (this.queued < HIGH_WATER) this.onDrain()
      this.arm()
    }, wait)
    this.timer.unref?.()
  }

  /** Forgets everything still waiting (the connection is gone). */
  close(): void {
    this.closed = true
    if (this.timer) clearTimeout(this.timer)
    if (this.heldTimer) clearTimeout(this.heldTimer)
    this.timer = null
    this.held = null
    this.queue.length = 0
    this.queued = 0
  }
}
