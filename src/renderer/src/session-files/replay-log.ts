// A replayed session file kept the way the engine keeps its log: binary chunks (shared/codec), so
// a long recording costs its bytes, not an object per field. The store holds a window of it, paged
// in like the engine's (bridge/sync.ts); saving and the pcap export read all of it.
import type { RangeRequest } from '@shared/api'
import type { LabEvent } from '@shared/events'
import { ChunkLog } from '@shared/codec/chunk-log'
import { StructureIndex } from '@shared/codec/context'
import { PACKET_RANGE } from '@shared/codec/packet'
import { buildRange } from '@shared/codec/range'

export class ReplayLog {
  private readonly log = new ChunkLog()
  private readonly structure = new StructureIndex()
  /** Seqs run 1, 2, 3… (files Wirelab saves do); paging needs that, other files are held whole. */
  readonly contiguous: boolean

  constructor(events: readonly LabEvent[]) {
    this.contiguous = events.every((e, i) => e.seq === i + 1)
    if (!this.contiguous) return
    for (const e of events) {
      this.log.append(e)
      this.structure.add(e)
    }
  }

  get size(): number {
    return this.log.size
  }

  range(req: RangeRequest): Uint8Array {
    return buildRange(this.log, (from) => this.log.readSeqs(this.structure.contextBefore(from), true), req, {
      type: PACKET_RANGE,
      logId: 0,
      total: this.log.size,
      totalMarks: this.log.marks,
      dropped: 0,
      kibInMemory: this.log.bytesInMemory / 1024,
      kibOnDisk: 0
    })
  }

  /** Every event, decoded a chunk at a time. */
  events(): Generator<LabEvent> {
    return this.log.iterate(1)
  }
}
