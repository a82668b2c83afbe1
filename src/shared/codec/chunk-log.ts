// An append-only event log kept as binary chunks (format.ts). Each chunk holds ~64 KiB of records
// and decodes on its own, so the log can keep recent chunks in memory and the rest elsewhere (the
// engine spills them to a file past a memory budget): `store` moves a sealed chunk's bytes out and
// reads them back when asked. Counts of events of interest per chunk let playback find the n-th
// one without decoding the log.
import type { LabEvent } from '../events'
import { ByteSink } from './byte-sink'
import { decodeEntries } from './decode'
import { EventEncoder } from './encode'
import { forEachEntry, isMarkTag, seqAt, TAG_STRING } from './format'

/** Where sealed chunks go when they leave memory, and how they come back. */
export interface ChunkStore {
  /** Keeps `bytes` and returns where they are (e.g. a file offset). */
  write(bytes: Uint8Array): number
  read(at: number, length: number): Uint8Array
}

export interface Chunk {
  index: number
  firstSeq: number
  /** Events in the chunk. */
  count: number
  /** Events of interest in the chunk (pdu, conn.open, conn.close, note). */
  marks: number
  /** Events of interest in the chunks before this one. */
  marksBefore: number
  /** Length in bytes (for the open chunk: so far). */
  length: number
  /** The bytes while in memory; null once moved to the store. */
  data: Uint8Array | null
  /** Where the store keeps them (when `data` is null). */
  storedAt: number
}

export interface ChunkLogOptions {
  /** A chunk is sealed once it holds this many bytes (default 64 KiB). */
  chunkBytes?: number
  /** Sealed chunks beyond this many bytes in memory go to `store` (default: no limit). */
  memoryBudget?: number
  store?: ChunkStore
}

const MARK_KINDS = new Set(['pdu', 'conn.open', 'conn.close', 'note', 'checkpoint'])

export class ChunkLog {
  private readonly chunks: Chunk[] = []
  private readonly encoder = new EventEncoder()
  private sink: ByteSink
  private readonly chunkBytes: number
  private readonly budget: number
  private readonly store: ChunkStore | undefined
  private open: Chunk | null = null
  private resident = 0
  private stored = 0
  private total = 0
  private totalMarks = 0
  /** Recently read stored chunks (bytes), newest last. */
  private cache: { index: number; bytes: Uint8Array }[] = []

  constructor(o: ChunkLogOptions = {}) {
    this.chunkBytes = o.chunkBytes ?? 64 * 1024
    this.budget = o.memoryBudget ?? Number.POSITIVE_INFINITY
    this.store = o.store
    this.sink = new ByteSink(Math.min(this.chunkBytes * 2, 1 << 20))
  }

  get size(): number {
    return this.total
  }

  get marks(): number {
    return this.totalMarks
  }

  /** Bytes of records in memory (the open chunk included) and in the store. */
  get bytesInMemory(): number {
    return this.resident + this.sink.pos
  }

  get bytesStored(): number {
    return this.stored
  }

  get chunkCount(): number {
    return this.chunks.length
  }

  /** Appends an event; its seq must be `size + 1`. */
  append(e: LabEvent): void {
    const open = this.open ?? this.openChunk(e.seq)
    this.encoder.encode(e, this.sink)
    open.count++
    open.length = this.sink.pos
    this.total++
    if (MARK_KINDS.has(e.kind)) {
      open.marks++
      this.totalMarks++
    }
    if (this.sink.pos >= this.chunkBytes) this.seal(open)
  }

  private openChunk(firstSeq: number): Chunk {
    const prev = this.chunks[this.chunks.length - 1]
    const c: Chunk = {
      index: this.chunks.length,
      firstSeq,
      count: 0,
      marks: 0,
      marksBefore: prev ? prev.marksBefore + prev.marks : 0,
      length: 0,
      data: null,
      storedAt: -1
    }
    this.chunks.push(c)
    this.encoder.reset()
    this.sink.pos = 0
    this.open = c
    return c
  }

  /** The open chunk becomes immutable bytes; the next append opens a new one. */
  private seal(c: Chunk): void {
    c.data = this.sink.buf.slice(0, this.sink.pos)
    c.length = c.data.length
    this.resident += c.length
    this.sink.pos = 0
    if (this.sink.buf.length > this.chunkBytes * 4) this.sink = new ByteSink(this.chunkBytes * 2)
    this.open = null
    this.spill()
  }

  /** Whether more records may still be added to this chunk. */
  isOpen(c: Chunk): boolean {
    return c === this.open
  }

  /** Moves the oldest sealed chunks to the store while memory is over budget. */
  private spill(): void {
    if (!this.store || this.resident <= this.budget) return
    for (const c of this.chunks) {
      if (this.resident <= this.budget) break
      if (c.data === null || this.isOpen(c)) continue
      c.storedAt = this.store.write(c.data)
      this.resident -= c.length
      this.stored += c.length
      c.data = null
    }
  }

  /** The chunk holding `seq` (1 ≤ seq ≤ size). */
  chunkOf(seq: number): Chunk | undefined {
    const cs = this.chunks
    let lo = 0
    let hi = cs.length - 1
    if (hi < 0 || seq < 1 || seq > this.total) return undefined
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1
      if (cs[mid].firstSeq <= seq) lo = mid
      else hi = mid - 1
    }
    return cs[lo]
  }

  chunk(index: number): Chunk | undefined {
    return this.chunks[index]
  }

  /** A chunk's bytes (for the open chunk: those written so far; a view, valid until the next append). */
  bytesOf(c: Chunk): Uint8Array {
    if (c.data) return c.data
    if (this.isOpen(c)) return this.sink.buf.subarray(0, this.sink.pos)
    const hit = this.cache.find((x) => x.index === c.index)
    if (hit) return hit.bytes
    if (!this.store) throw new Error(`chunk ${c.index} is not in memory`)
    const bytes = this.store.read(c.storedAt, c.length)
    this.cache.push({ index: c.index, bytes })
    if (this.cache.length > 4) this.cache.shift()
    return bytes
  }

  /** Events with `from ≤ seq ≤ to`, decoded (plain objects unless `lazy`). */
  read(from: number, to: number = this.total, lazy = false): LabEvent[] {
    const out: LabEvent[] = []
    this.scan(from, to, lazy, (e) => out.push(e))
    return out
  }

  /** Calls `each` for the events with `from ≤ seq ≤ to`, chunk by chunk. */
  scan(from: number, to: number, lazy: boolean, each: (e: LabEvent) => void): void {
    from = Math.max(1, from)
    to = Math.min(this.total, to)
    if (from > to) return
    let c = this.chunkOf(from)
    while (c && c.firstSeq <= to) {
      const bytes = this.bytesOf(c)
      // Plain events copy their bytes out; lazy ones point into a chunk that never changes.
      const src = lazy && this.isOpen(c) ? bytes.slice() : bytes
      decodeEntries(src, 0, src.length, [], lazy, (e) => {
        if (e.seq >= from && e.seq <= to) each(e)
      }, from)
      c = this.chunks[c.index + 1]
    }
  }

  /** The events with these seqs (ascending), each chunk decoded once. */
  readSeqs(seqs: readonly number[], lazy = false): LabEvent[] {
    const out: LabEvent[] = []
    let i = 0
    while (i < seqs.length) {
      const c = this.chunkOf(seqs[i])
      if (!c) {
        i++
        continue
      }
      const last = c.firstSeq + c.count - 1
      const want = new Set<number>()
      while (i < seqs.length && seqs[i] <= last) want.add(seqs[i++])
      const bytes = this.bytesOf(c)
      const src = lazy && this.isOpen(c) ? bytes.slice() : bytes
      decodeEntries(src, 0, src.length, [], lazy, (e) => {
        if (want.has(e.seq)) out.push(e)
      })
    }
    return out
  }

  /** Every event from `from` on, one chunk decoded at a time (for exports of any size). */
  *iterate(from = 1): Generator<LabEvent> {
    let c = this.chunkOf(Math.max(1, from))
    while (c) {
      const batch: LabEvent[] = []
      const bytes = this.bytesOf(c)
      decodeEntries(bytes, 0, bytes.length, [], false, (e) => batch.push(e), from)
      yield* batch
      c = this.chunks[c.index + 1]
    }
  }

  /** Seq of the n-th event of interest (1-based), or 0 if there are fewer. */
  seqOfMark(n: number): number {
    if (n < 1 || n > this.totalMarks) return 0
    const cs = this.chunks
    let lo = 0
    let hi = cs.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1
      if (cs[mid].marksBefore < n) lo = mid
      else hi = mid - 1
    }
    const c = cs[lo]
    let k = c.marksBefore
    let found = 0
    const bytes = this.bytesOf(c)
    forEachEntry(bytes, 0, bytes.length, (tag, at) => {
      if (found || tag === TAG_STRING || !isMarkTag(tag)) return
      if (++k === n) found = seqAt(bytes, at)
    })
    return found
  }

  /** Events of interest with seq < `seq`. */
  marksBefore(seq: number): number {
    if (seq > this.total) return this.totalMarks
    const c = this.chunkOf(seq)
    if (!c) return 0
    let k = c.marksBefore
    const bytes = this.bytesOf(c)
    forEachEntry(bytes, 0, bytes.length, (tag, at) => {
      if (tag !== TAG_STRING && isMarkTag(tag) && seqAt(bytes, at) < seq) k++
    })
    return k
  }

  /** Drops everything (the store is the owner's to reset). */
  clear(): void {
    this.chunks.length = 0
    this.open = null
    this.cache = []
    this.resident = 0
    this.stored = 0
    this.total = 0
    this.totalMarks = 0
    this.sink.pos = 0
    this.encoder.reset()
  }
}

