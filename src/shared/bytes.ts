// Byte arrays, joined. Pure: used by the engine (stream reassembly) and its tests.

/** The parts one after another. A single non-empty part is returned as it is, without a copy. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const nonEmpty = parts.filter((p) => p.length > 0)
  if (nonEmpty.length === 1) return nonEmpty[0]
  const out = new Uint8Array(nonEmpty.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of nonEmpty) {
    out.set(p, at)
    at += p.length
  }
  return out
}
