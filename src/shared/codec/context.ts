// What a window of the log needs from before its first event so the views read it as they would
// the whole log: the lesson run it belongs to (`scene` events), the actors (`node`), the
// connections still open at its start (`conn.open`), and the caption (the latest `note`). A
// renderer that keeps only a window around the playback position holds these beside it.
import type { LabEvent } from '../events'

interface Entry {
  seq: number
  kind: LabEvent['kind']
  /** conn.open / conn.close: the connection. */
  conn?: string
  /** scene: true for `started` (a new lesson run). */
  started?: boolean
}

/** Most context events a window carries (actors and open connections, newest kept). */
export const CONTEXT_MAX = 4000

const STRUCTURAL = new Set(['scene', 'node', 'conn.open', 'conn.close', 'note'])

export function isStructural(e: Pick<LabEvent, 'kind'>): boolean {
  return STRUCTURAL.has(e.kind)
}

function entryOf(e: LabEvent): Entry | null {
  if (!STRUCTURAL.has(e.kind)) return null
  const entry: Entry = { seq: e.seq, kind: e.kind }
  if (e.kind === 'conn.open' || e.kind === 'conn.close') entry.conn = e.conn
  if (e.kind === 'scene' && e.state === 'started') entry.started = true
  return entry
}

/** The structural events of a log, in order, light enough to keep for an hour of traffic. */
export class StructureIndex {
  private entries: Entry[] = []

  add(e: LabEvent): void {
    const entry = entryOf(e)
    if (entry) this.entries.push(entry)
  }

  clear(): void {
    this.entries = []
  }

  get size(): number {
    return this.entries.length
  }

  /** Seqs (ascending) of the context a window starting at `from` needs. */
  contextBefore(from: number): number[] {
    return contextOf(this.entries, from)
  }
}

/** The context of a window starting at `from`, from the structural events before it. */
export function contextOf(entries: readonly Entry[], from: number): number[] {
  // The window's lesson run starts at the latest `scene started` before it.
  let end = 0
  let hi = entries.length
  while (end < hi) {
    const mid = (end + hi) >>> 1
    if (entries[mid].seq < from) end = mid + 1
    else hi = mid
  }
  let start = 0
  for (let i = end - 1; i >= 0; i--)
    if (entries[i].started) {
      start = i
      break
    }
  const keep: number[] = []
  const open = new Map<string, number>()
  let note = 0
  for (let i = start; i < end; i++) {
    const e = entries[i]
    switch (e.kind) {
      case 'scene':
      case 'node':
        keep.push(e.seq)
        break
      case 'conn.open':
        open.set(e.conn as string, e.seq)
        break
      case 'conn.close':
        open.delete(e.conn as string)
        break
      case 'note':
        note = e.seq
        break
    }
  }
  for (const seq of open.values()) keep.push(seq)
  if (note) keep.push(note)
  keep.sort((a, b) => a - b)
  return keep.length > CONTEXT_MAX ? keep.slice(keep.length - CONTEXT_MAX) : keep
}

/** The context of a window over decoded events (the renderer trimming its own window). */
export function contextOfEvents(events: readonly LabEvent[], upTo: number): LabEvent[] {
  const entries: Entry[] = []
  for (let i = 0; i < upTo; i++) {
    const e = entryOf(events[i])
    if (e) entries.push(e)
  }
  const seqs = new Set(contextOf(entries, upTo < events.length ? events[upTo].seq : Number.MAX_SAFE_INTEGER))
  return events.slice(0, upTo).filter((e) => seqs.has(e.seq))
}
