// The dissector registry. `protocols/index.ts` lists every protocol once and registers it here;
// taps ask for a dissector by id per connection, `chain()` finds inner protocols, and watch mode
// ranks dissectors by their heuristics on a connection's first bytes.
import type { Direction } from '../../../shared/events'
import type { DissectorDef, PayloadDef, PduDraft, StreamDissector } from './types'
import { malformedPdu } from './fields'

const registry = new Map<string, DissectorDef>()
const payloads = new Map<string, PayloadDef>()

export function registerDissector(def: DissectorDef): DissectorDef {
  registry.set(def.id, def)
  return def
}

/** Registers an inner protocol that outer ones reach through `chain()`. */
export function registerPayload(def: PayloadDef): PayloadDef {
  payloads.set(def.id, def)
  payloadList = undefined
  return def
}

/** The registered payloads as a list, made again after each registration (chain() reads it per payload). */
let payloadList: readonly PayloadDef[] | undefined

export function dissectorIds(): string[] {
  return [...registry.keys()]
}

export function getDissector(id: string): DissectorDef {
  const def = registry.get(id)
  if (!def) throw new Error(`no dissector registered for "${id}"`)
  return def
}

export function allDissectors(): DissectorDef[] {
  return [...registry.values()]
}

export function getPayload(id: string): PayloadDef | undefined {
  return payloads.get(id)
}

export function allPayloads(): readonly PayloadDef[] {
  return (payloadList ??= [...payloads.values()])
}

/** A heuristic's answer, clamped to 0…1; 0 when it throws or answers nonsense. */
export function score(fn: () => number): number {
  try {
    const s = fn()
    return Number.isFinite(s) ? Math.min(1, Math.max(0, s)) : 0
  } catch {
    return 0
  }
}

/**
 * Dissectors for `transport` ranked by how well `first` (the first bytes of direction `dir`)
 * fits them, best first; a well-known `port` breaks ties. Those scoring 0 are left out.
 */
export function rankDissectors(
  first: Uint8Array,
  dir: Direction,
  transport: 'tcp' | 'udp',
  port?: number
): { def: DissectorDef; score: number }[] {
  return allDissectors()
    .filter((d) => d.transport === transport)
    .map((def) => ({ def, score: score(() => def.looksLike(first, dir)) }))
    .filter((r) => r.score > 0)
    .sort(
      (a, b) =>
        b.score - a.score ||
        Number(b.def.ports.includes(port ?? -1)) - Number(a.def.ports.includes(port ?? -1))
    )
}

/**
 * Wraps a dissector so an exception can never escape: a throw becomes a malformed PDU covering
 * the chunk, and the connection keeps flowing.
 */
export function guarded(id: string, inner: StreamDissector): StreamDissector {
  let broken = false
  const fail = (dir: Direction, chunk: Uint8Array, offset: number, err: unknown): PduDraft[] => {
    broken = true
    const reason = `dissector error: ${err instanceof Error ? err.message : String(err)}`
    return [malformedPdu(id, dir, chunk, offset, reason)]
  }
  return {
    push(dir, chunk, offset) {
      if (broken)
        return [
          malformedPdu(id, dir, chunk, offset, 'not decoded: the dissector stopped after an earlier error')
        ]
      try {
        return inner.push(dir, chunk, offset)
      } catch (err) {
        return fail(dir, chunk, offset, err)
      }
    },
    end(dir) {
      if (broken || !inner.end) return []
      try {
        return inner.end(dir)
      } catch (err) {
        return fail(dir, new Uint8Array(0), -1, err)
      }
    }
  }
}

export function createDissector(id: string): StreamDissector {
  return guarded(id, getDissector(id).create())
}
