// Test helpers: rebuild each connection's byte streams from a session log, and re-feed them to a
// dissector in arbitrary pieces.
import type { Direction, LabEvent, PduEvent } from '../../../shared/events'
import type { PduDraft, StreamDissector } from '../dissect/types'
import { concatBytes } from '../../../shared/bytes'

export interface Streams {
  conn: string
  c2s: Uint8Array
  s2c: Uint8Array
}

export function streamsOf(events: readonly LabEvent[]): Streams[] {
  const parts = new Map<string, Record<Direction, Uint8Array[]>>()
  for (const e of events) {
    if (e.kind !== 'bytes') continue
    const p = parts.get(e.conn) ?? { c2s: [], s2c: [] }
    p[e.dir].push(e.data)
    parts.set(e.conn, p)
  }
  return [...parts].map(([conn, p]) => ({ conn, c2s: concatBytes(p.c2s), s2c: concatBytes(p.s2c) }))
}

export function appPdus(events: readonly LabEvent[], conn?: string): PduEvent[] {
  return events.filter(
    (e): e is PduEvent => e.kind === 'pdu' && !e.modeled && (conn === undefined || e.conn === conn)
  )
}

/**
 * Feeds one direction's stream in pieces cut at `cuts` (sorted offsets), interleaving nothing.
 * Returns the PDUs in order, with `end()` called at the close.
 */
export function feed(d: StreamDissector, dir: Direction, stream: Uint8Array, cuts: number[]): PduDraft[] {
  const out: PduDraft[] = []
  let at = 0
  for (const c of [...cuts, stream.length]) {
    if (c <= at) continue
    out.push(...d.push(dir, stream.slice(at, c), at))
    at = c
  }
  return out
}

/** Feeds both directions of a connection: the client's stream first, then the server's, in pieces. */
export function feedBoth(
  make: () => StreamDissector,
  s: Streams,
  cutsC2s: number[],
  cutsS2c: number[]
): PduDraft[] {
  const d = make()
  return [...feed(d, 'c2s', s.c2s, cutsC2s), ...feed(d, 's2c', s.s2c, cutsS2c)]
}

/** A comparable digest of PDUs (no timing): direction, offset, protocol, summary, malformed, byte length. */
export const digest = (pdus: readonly PduDraft[]): string[] =>
  pdus.map(
    (p) =>
      `${p.dir} @${p.offset} ${p.protocol} ${p.data.length}B ${p.malformed ? 'MALFORMED ' : ''}${p.summary}`
  )

/** Everything about a PDU, comparable across splits (its bytes by length: they are checked against the stream elsewhere). */
export const shape = (p: PduDraft): string => JSON.stringify({ ...p, data: p.data.length })

/** Every offset from 1 to length - 1. */
export const everyOffset = (length: number): number[] => Array.from({ length: Math.max(0, length - 1) }, (_, k) => k + 1)

/** A fresh dissector fed one direction's stream cut at `cuts`, then ended: every PDU it gives. */
export function feedAndEnd(make: () => StreamDissector, stream: Uint8Array, dir: Direction, cuts: number[] = []): PduDraft[] {
  const d = make()
  return [...feed(d, dir, stream, cuts), ...(d.end?.(dir) ?? [])]
}
