// The session log: one append-only, ordered list of events. The single source of truth that
// every view, export and test reads. It is kept as binary chunks (shared/codec): compact in memory,
// and past a memory budget its older chunks move to a file on disk, so an hour of load stays
// bounded in memory and nothing is lost. Listeners see each event as it is appended.
import { performance } from 'node:perf_hooks'
import { randomInt } from 'node:crypto'
import type { EventDraft, LabEvent } from '../../../shared/events'
import { toWire, type SessionFile } from '../../../shared/wire'
import { ChunkLog } from '../../../shared/codec/chunk-log'
import { StructureIndex } from '../../../shared/codec/context'
import { SpillFile } from './spill-file'

export type SessionListener = (event: LabEvent) => void

/** High-resolution wall clock in ms since the epoch (sub-millisecond precision). */
export const now = (): number => performance.timeOrigin + performance.now()

export interface SessionOptions {
  /** Bytes of log kept in memory before older chunks go to disk (default 48 MiB). */
  memoryBudget?: number
  /** Chunk size in bytes (default 64 KiB; tests use small ones). */
  chunkBytes?: number
  /** Folder for the spill file (default: the system's temporary folder). */
  spillDir?: string
}

export interface SessionStats {
  events: number
  marks: number
  bytesInMemory: number
  bytesOnDisk: number
  memoryBudget: number
}

export const DEFAULT_MEMORY_BUDGET = 48 * 1024 * 1024

export class Session {
  private log: ChunkLog
  private readonly spill: SpillFile
  private readonly structure = new StructureIndex()
  private readonly listeners = new Set<SessionListener>()
  private readonly clearListeners = new Set<() => void>()
  private ids = 0
  /** Events decoded by `events`, extended as the log grows; weak, so it never pins a long log. */
  private decoded: WeakRef<LabEvent[]> | null = null
  /** Identifies this log: a cleared log gets a new id (renderers then replace what they hold). */
  private logId = randomInt(1, 2 ** 32 - 1)
  readonly memoryBudget: number

  constructor(private readonly options: SessionOptions = {}) {
    this.memoryBudget = options.memoryBudget ?? DEFAULT_MEMORY_BUDGET
    this.spill = new SpillFile(options.spillDir)
    this.log = this.newLog()
  }

  private newLog(): ChunkLog {
    return new ChunkLog({ chunkBytes: this.options.chunkBytes, memoryBudget: this.memoryBudget, store: this.spill })
  }

  /** The log's chunks (the bridge streams them as they are). */
  get chunks(): ChunkLog {
    return this.log
  }

  get id(): number {
    return this.logId
  }

  /**
   * Every event, decoded. This reads the whole log (from disk too): fine for tests, small sessions
   * and one-off searches; streaming readers use `iterate()`. The list keeps growing with the log
   * while it is held.
   */
  get events(): readonly LabEvent[] {
    let list = this.decoded?.deref()
    if (!list) {
      list = []
      this.decoded = new WeakRef(list)
    }
    if (list.length < this.log.size) for (const e of this.log.read(list.length + 1)) list.push(e)
    return list
  }

  get size(): number {
    return this.log.size
  }

  stats(): SessionStats {
    return {
      events: this.log.size,
      marks: this.log.marks,
      bytesInMemory: this.log.bytesInMemory,
      bytesOnDisk: this.log.bytesStored,
      memoryBudget: this.memoryBudget
    }
  }

  append<E extends EventDraft>(draft: E): LabEvent {
    const event = { ...draft, seq: this.log.size + 1, t: draft.t ?? now() } as LabEvent
    this.log.append(event)
    this.structure.add(event)
    // A list `events` handed out grows with the log while someone holds it, as a live array would.
    const list = this.decoded?.deref()
    if (list && list.length === event.seq - 1) list.push(event)
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

  /** Called after the log is cleared (bridges restart their streams). */
  onClear(listener: () => void): () => void {
    this.clearListeners.add(listener)
    return () => this.clearListeners.delete(listener)
  }

  /** A short unique id for connections and nodes within this session. */
  nextId(prefix: string): string {
    return `${prefix}${++this.ids}`
  }

  clear(): void {
    this.log = this.newLog()
    this.structure.clear()
    this.spill.remove()
    this.decoded = null
    this.logId = randomInt(1, 2 ** 32 - 1)
    for (const l of this.clearListeners) l()
  }

  /** Events after `seq` (seq + 1 … size). */
  since(seq: number): LabEvent[] {
    return this.log.read(Math.max(0, seq) + 1)
  }

  /** Events with `from ≤ seq ≤ to`. */
  read(from: number, to?: number): LabEvent[] {
    return this.log.read(from, to)
  }

  /** What a window of the log starting at `from` needs from before it (shared/codec/context.ts). */
  contextBefore(from: number): LabEvent[] {
    return this.log.readSeqs(this.structure.contextBefore(from))
  }

  /** Every event from `from` on, decoded one chunk at a time. */
  iterate(from = 1): Generator<LabEvent> {
    return this.log.iterate(from)
  }

  /** The whole session as one file object (small sessions; `writeSessionFile` streams any size). */
  toFile(scene?: string): SessionFile {
    return {
      format: 'wirelab-session',
      version: 1,
      created: new Date().toISOString(),
      ...(scene ? { scene } : {}),
      events: this.events.map(toWire)
    }
  }

  /** Removes the spill file (the lab is done with this session). */
  dispose(): void {
    this.spill.remove()
  }
}
