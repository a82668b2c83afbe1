// The dissector registry: each protocol registers once; taps ask for one by id per connection.
import type { DissectorDef, StreamDissector, PduDraft } from './types'
import type { Direction } from '../../../shared/events'
import { malformedPdu } from './fields'

const registry = new Map<string, DissectorDef>()

export function registerDissector(def: DissectorDef): DissectorDef {
  registry.set(def.id, def)
  return def
}

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
      if (broken) return [malformedPdu(id, dir, chunk, offset, 'not decoded: the dissector stopped after an earlier error')]
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
