// Picks a connection's protocol from its first bytes, the way Wireshark's heuristic dissectors do:
// the registry ranks every dissector by its `looksLike` (a well-known target port breaks ties), the
// best one at or above a threshold wins, and the bytes seen so far are replayed into it. Nothing
// recognisable: the raw TCP/UDP payload dissector, which shows text and bytes.
import type { Direction } from '../../../shared/events'
import { allDissectors, guarded, rankDissectors } from './registry'
import type { DissectorDef, PduDraft, StreamDissector } from './types'

export interface Recognition {
  protocol: string
  /** The winning score, 0..1 (0 for the raw fallback). */
  score: number
  /** Which direction's bytes decided it. */
  dir: Direction
  /** `heuristic`, `port` (the bytes were not conclusive, the port was), `forced` (decode as) or `fallback`. */
  by: 'heuristic' | 'port' | 'forced' | 'fallback'
}

export interface HeuristicOptions {
  transport: 'tcp' | 'udp'
  /** The raw dissector used when nothing matches (`tcp` or `udp` payload). */
  fallback: DissectorDef
  /** Dissectors that may be picked (default: every one of the transport but the fallback). */
  allow?: (def: DissectorDef) => boolean
  /** The target's port: a protocol listing it wins ties, and is the guess when the bytes say nothing sure. */
  port?: number
  /** "Decode as": skip the heuristics and use this one. */
  forced?: DissectorDef
  /** Told once, when the choice is made. */
  onChoice?(r: Recognition): void
  /** Bytes per direction looked at before giving up on the heuristics (default 1024: a whole HTTP head). */
  window?: number
  /** Decide on the first unit, whatever it says (UDP: each datagram is a whole message). */
  decideAtOnce?: boolean
}

/** A score at or above this wins at once; below `MIN` never. */
const SURE = 0.9
const MIN = 0.5

function concat(a: Uint8Array, b: Uint8Array, max: number): Uint8Array {
  const out = new Uint8Array(Math.min(max, a.length + b.length))
  out.set(a.subarray(0, out.length))
  if (a.length < out.length) out.set(b.subarray(0, out.length - a.length), a.length)
  return out
}

/** A dissector that decides which protocol a connection speaks, then becomes that protocol's dissector. */
export function heuristicDissector(o: HeuristicOptions): StreamDissector {
  const window = o.window ?? 1024
  const allowed = (d: DissectorDef): boolean => d.id !== o.fallback.id && (o.allow?.(d) ?? true)
  const top = (first: Uint8Array, dir: Direction): { def: DissectorDef; score: number } | undefined =>
    rankDissectors(first, dir, o.transport, o.port).find((r) => allowed(r.def))
  let chosen: StreamDissector | null = null
  const seen: Record<Direction, Uint8Array> = { c2s: new Uint8Array(0), s2c: new Uint8Array(0) }
  const chunks: Record<Direction, number> = { c2s: 0, s2c: 0 }
  const held: { dir: Direction; chunk: Uint8Array; offset: number }[] = []

  const choose = (def: DissectorDef, r: Omit<Recognition, 'protocol'>): PduDraft[] => {
    const d = guarded(def.id, def.create())
    chosen = d
    o.onChoice?.({ protocol: def.id, ...r })
    const out: PduDraft[] = []
    for (const h of held.splice(0)) out.push(...d.push(h.dir, h.chunk, h.offset))
    return out
  }
  /** The bytes were not conclusive: the port's protocol if it has one, else raw bytes. */
  const settle = (best: { def: DissectorDef; score: number } | undefined, dir: Direction): PduDraft[] => {
    if (best && best.score >= MIN) return choose(best.def, { score: best.score, dir, by: 'heuristic' })
    const port = o.port
    const byPort =
      port === undefined ? undefined : allDissectors().find((d) => d.transport === o.transport && allowed(d) && d.ports.includes(port))
    if (byPort) return choose(byPort, { score: 0, dir, by: 'port' })
    return choose(o.fallback, { score: 0, dir, by: 'fallback' })
  }

  if (o.forced) {
    chosen = guarded(o.forced.id, o.forced.create())
    o.onChoice?.({ protocol: o.forced.id, score: 1, dir: 'c2s', by: 'forced' })
  }

  return {
    push(dir, chunk, offset) {
      if (chosen) return chosen.push(dir, chunk, offset)
      held.push({ dir, chunk, offset })
      seen[dir] = concat(seen[dir], chunk, window)
      chunks[dir]++
      const best = top(seen[dir], dir)
      if (best && best.score >= SURE) return choose(best.def, { score: best.score, dir, by: 'heuristic' })
      // A candidate that is not sure yet (a request line cut in half) gets more bytes, until this
      // direction has shown enough, sent a second chunk, or the other side has spoken. When no
      // candidate recognises anything there is nothing to wait for: the bytes are shown at once.
      const other = dir === 'c2s' ? 's2c' : 'c2s'
      const enough = o.decideAtOnce || !best || seen[dir].length >= window || chunks[dir] >= 2 || chunks[other] > 0
      return enough ? settle(best, dir) : []
    },
    end(dir) {
      if (!chosen) {
        // The stream ended before a decision: decide with what there is.
        const out = settle(top(seen[dir], dir), dir)
        return [...out, ...(chosen as StreamDissector | null)?.end?.(dir) ?? []]
      }
      return chosen.end?.(dir) ?? []
    }
  }
}
