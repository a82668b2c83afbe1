// Test helpers for dissectors fed from recorded fixtures: a connection's stream in one direction,
// re-fed to a fresh dissector in arbitrary pieces, and a comparable shape of the PDUs it gives.
import type { Direction } from '../../../shared/events'
import type { PduDraft, StreamDissector } from '../dissect/types'
import type { RecordedConnection } from './recorder'

/** Everything one side sent, in order. */
export const streamOf = (c: RecordedConnection, dir: Direction): Uint8Array => new Uint8Array(Buffer.concat(c.pieces.filter((p) => p.dir === dir).map((p) => p.data)))

/** Feeds `stream` to a fresh dissector cut at `cuts` (stream offsets), then ends it; returns every PDU. */
export function feed(create: () => StreamDissector, stream: Uint8Array, dir: Direction, cuts: number[] = []): PduDraft[] {
  const d = create()
  const out: PduDraft[] = []
  const at = [0, ...cuts, stream.length]
  for (let i = 0; i + 1 < at.length; i++) out.push(...d.push(dir, stream.subarray(at[i], at[i + 1]), at[i]))
  out.push(...(d.end?.(dir) ?? []))
  return out
}

/** Everything about a PDU, comparable across splits (its bytes by length: they are checked against the stream elsewhere). */
export const shape = (p: PduDraft): string => JSON.stringify({ ...p, data: p.data.length })

/** Every offset from 1 to length - 1. */
export const everyOffset = (length: number): number[] => Array.from({ length: Math.max(0, length - 1) }, (_, k) => k + 1)
