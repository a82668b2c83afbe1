// Small byte arrays kept by the session (chunks read from sockets, modeled headers) are copied into
// shared 64 KiB slabs instead of each owning an ArrayBuffer, whose fixed overhead would otherwise
// exceed the bytes themselves. Large chunks get their own copy.
const SLAB = 64 * 1024
const SMALL = 2048

let slab = new Uint8Array(SLAB)
let at = 0

/** A slab-backed array of `length` zero bytes (for small buffers built in place). */
export function allocate(length: number): Uint8Array {
  if (length > SMALL) return new Uint8Array(length)
  if (at + length > slab.length) {
    slab = new Uint8Array(SLAB)
    at = 0
  }
  const out = slab.subarray(at, at + length)
  at += length
  return out
}

/** A private copy of `bytes` that the session can keep. */
export function retain(bytes: Uint8Array): Uint8Array {
  const out = allocate(bytes.length)
  out.set(bytes)
  return out
}
