// The session log: one append-only, ordered list of events. The single source of truth that
// every view, export and test reads.
import { performance } from 'node:perf_hooks'
import type { EventDraft, LabEvent } from '../../../shared/events'
import { toWire, type SessionFile } from '../../../shared/wire'

export type SessionListener = (event: LabEvent) => void

/** High-resolution wall clock in ms since the epoch (sub-millisecond precision). */
export const now = (): number => performance.timeOrigin + performance.now()

export class Session {
  private readonly log: LabEvent[] = []
  private readonly listeners = new Set<SessionListener>()
  private ids = 0

  get events(): readonly LabEvent[] {
    return this.log
  }

  get size(): number {
    return this.log.length
  }

  append<E extends EventDraft>(draft: E): LabEvent {
    const event = { ...draft, seq: this.log.length + 1, t: draft.t ?? now() } as LabEvent
    this.log.push(event)
    for (const listener of this.listeners) {
      try {
        listener(event)
      } catch (err) {
        // A misbehaving listener must not break the log or the other listeners.
        console.error('[wirelab] session listener failed:', err)
      }
    }
    return event
  }

  subscribe(listener: SessionListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** A short unique id for connections and nodes within this session. */
  nextId(prefix: string): string {
    return `${prefix}${++this.ids}`
  }

  clear(): void {
    this.log.length = 0
  }

  since(seq: number): LabEvent[] {
    return this.log.slice(Math.max(0, seq))
  }

  toFile(scene?: string): SessionFile {
    return {
      format: 'wirelab-session',
      version: 1,
      created: new Date().toISOString(),
      ...(scene ? { scene } : {}),
      events: this.log.map(toWire)
    }
  }
}
