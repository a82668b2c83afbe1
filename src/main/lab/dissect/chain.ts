// Chained dissection: one protocol carrying another, as Wireshark hands TLS application data to
// HTTP or an HTTP/2 DATA frame to gRPC and protobuf. Two calls, both through the registry, so an
// outer protocol never imports an inner one:
//
//   chain(payload, ctx)  a payload inside one outer PDU (HTTP/2 DATA → gRPC, TLS record → HTTP):
//                        the inner protocol that accepts it best (or the one named) decodes it; the
//                        fields come back with their ranges shifted by `ctx.offset`, into the outer
//                        PDU (in place: the tree a decode returns is its own, so nothing is copied).
//                        Never throws: a failing inner decode is a malformed field with its range.
//   handOff(id)          a whole byte stream passed on (a connection that turns out to be WebSocket,
//                        TLS's decrypted stream to HTTP/2): a fresh dissector of that protocol.
import { DissectError, reasonOf } from './error'
import { field, shiftFieldsInPlace } from './fields'
import { allPayloads, getDissector, getPayload, score } from './registry'
import type { ChainContext, Decoded, PayloadDef, StreamDissector } from './types'

/** An inner protocol's reading of a payload, ranges in the outer PDU. */
export interface Chained extends Decoded {
  protocol: string
}

function pick(payload: Uint8Array, ctx: ChainContext, protocol?: string): PayloadDef | undefined {
  if (protocol) return getPayload(protocol)
  let best: PayloadDef | undefined
  let bestScore = 0
  for (const def of allPayloads()) {
    const s = score(() => def.accepts(payload, ctx))
    if (s > bestScore) {
      best = def
      bestScore = s
    }
  }
  return best
}

/**
 * Decodes `payload`, found at `ctx.offset` in the outer PDU, with the registered inner protocol
 * `protocol`, or else the one whose `accepts` scores highest. Null when none takes it.
 */
export function chain(payload: Uint8Array, ctx: ChainContext, protocol?: string): Chained | null {
  const def = pick(payload, ctx, protocol)
  if (!def) return null
  const at = ctx.offset
  try {
    const d = def.decode(payload, ctx)
    if (at !== 0) shiftFieldsInPlace(d.fields, at)
    // Object.assign, not `{ ...d, protocol }`: the same keys in the same order, without the slow
    // path V8 takes for a spread followed by further properties (it showed in the profiles). The
    // shifted malformed range replaces d's in place (its key keeps d's position).
    const out: Chained = Object.assign({}, d, { protocol: d.protocol ?? def.id })
    if (d.malformed)
      out.malformed = Object.assign({}, d.malformed, { start: d.malformed.start + at, end: d.malformed.end + at })
    return out
  } catch (err) {
    const reason = reasonOf(err)
    const start = err instanceof DissectError ? Math.min(Math.max(0, err.start), payload.length) : 0
    const end =
      err instanceof DissectError ? Math.min(Math.max(start, err.end), payload.length) : payload.length
    return {
      protocol: def.id,
      summary: `Malformed ${def.name}: ${reason}`,
      fields: [field('Malformed data', at + start, at + end, reason, { malformed: reason })],
      malformed: { reason, start: at + start, end: at + end }
    }
  }
}

/** A fresh (unguarded) dissector of the registered protocol `id`, for an outer one passing on a stream. */
export function handOff(id: string): StreamDissector {
  return getDissector(id).create()
}
