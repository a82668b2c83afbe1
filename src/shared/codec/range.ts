// A range reply: the events a renderer asked for (`from ≤ seq ≤ to`, or `span` events centred on
// the n-th event of interest), as whole chunks from their first byte plus the context the window
// needs from before it. The engine answers `session:range` with it; a renderer replaying a saved
// session builds the same from its own copy of the log.
import type { RangeRequest } from '../api'
import type { LabEvent } from '../events'
import type { ChunkLog } from './chunk-log'
import { buildPacket, contextSegment, type PacketInfo, type Segment } from './packet'

export function buildRange(
  log: ChunkLog,
  contextBefore: (from: number) => LabEvent[],
  req: RangeRequest,
  head: PacketInfo
): Uint8Array {
  const span = Math.max(1, Math.min(req.span ?? 50_000, 1_000_000))
  let target = 0
  let from: number
  let to: number
  if (req.mark !== undefined) {
    target = req.mark <= 0 ? 1 : log.seqOfMark(Math.min(req.mark, log.marks)) || log.size
    from = Math.max(1, target - Math.floor(span / 2))
    to = Math.min(log.size, from + span - 1)
    from = Math.max(1, Math.min(from, to - span + 1))
  } else {
    from = Math.max(1, req.from ?? 1)
    to = Math.min(log.size, req.to ?? from + span - 1, from + span - 1)
  }
  const some = from <= to
  const context = some && from > 1 ? contextBefore(from) : []
  const segments: Segment[] = context.length ? [contextSegment(context)] : []
  let c = some ? log.chunkOf(from) : undefined
  while (c && c.firstSeq <= to) {
    segments.push({ chunk: c.index, offset: 0, bytes: log.bytesOf(c) })
    c = log.chunk(c.index + 1)
  }
  return buildPacket(
    {
      ...head,
      total: log.size,
      totalMarks: log.marks,
      from: some ? from : 0,
      to: some ? to : 0,
      marksBefore: some ? log.marksBefore(from) : 0,
      target
    },
    segments
  )
}
