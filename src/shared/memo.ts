// Results remembered per argument, for pure functions of small keys (names, ids, ports). Bounded:
// keys can come from the wire (a fuzzer, a corrupt capture), and past `max` new ones are computed
// each time instead of kept.

/** `make`, remembering its result for up to `max` distinct arguments. */
export function memo<K, V>(make: (k: K) => V, max = 4096): (k: K) => V {
  const cache = new Map<K, V>()
  return (k) => {
    let v = cache.get(k)
    if (v === undefined) {
      v = make(k)
      if (cache.size < max) cache.set(k, v)
    }
    return v
  }
}
