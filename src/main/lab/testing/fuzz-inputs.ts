// Fuzz inputs for the dissectors: random bytes, "token soup" made of words and separators taken
// from real traffic (reaches deeper into text protocols), and real connections' bytes mutated, cut
// at random points and re-interleaved. fast-check arbitraries, so failures shrink. Test support.
import fc from 'fast-check'
import type { Direction } from '../../../shared/events'
import type { DissectorDef } from '../dissect/types'
import { concatBytes } from '../../../shared/bytes'

/** One chunk handed to a dissector. */
export interface Piece {
  dir: Direction
  data: Uint8Array
}

/** One fuzz input: the chunks of one connection (or UDP flow), in arrival order. */
export interface FuzzCase {
  pieces: Piece[]
  /** Whether both directions end (FIN) after the last piece. */
  end: boolean
  /** Where the input came from (`random`, `tokens`, or `mutated <fixture>`). */
  source: string
}

/** Real traffic of one connection, recorded from a lesson's session. */
export interface Fixture {
  name: string
  transport: 'tcp' | 'udp'
  /** Protocols the engine decoded on this connection (modeled TCP segments excluded). */
  protocols: string[]
  pieces: Piece[]
}

/** What the harness needs of a dissector: a test may hand it a bare one. */
export type Fuzzable = Pick<DissectorDef, 'id' | 'name' | 'transport' | 'create'>

/** Fixtures relevant to a dissector: its own protocol's traffic, else everything on its transport. */
export function corpusFor(def: Fuzzable, fixtures: Fixture[]): Fixture[] {
  const same = fixtures.filter((f) => f.transport === def.transport)
  const own = same.filter((f) => f.protocols.includes(def.id))
  return own.length > 0 ? own : same
}

// ---------------------------------------------------------------------------------------------
// Generating inputs

type Mutation =
  | { op: 'flip'; pos: number; bit: number }
  | { op: 'set'; pos: number; byte: number }
  | { op: 'insert'; pos: number; bytes: Uint8Array }
  | { op: 'delete'; pos: number; len: number }
  | { op: 'truncate'; pos: number }
  | { op: 'dup'; pos: number; len: number }
  | { op: 'splice'; pos: number; from: number; len: number }
  | { op: 'number'; pos: number; text: string }

const INTERESTING = [
  0x00, 0x01, 0x02, 0x0a, 0x0d, 0x20, 0x22, 0x2c, 0x30, 0x3a, 0x39, 0x7b, 0x7d, 0x7e, 0x7f, 0x80, 0x81, 0xc0,
  0xfe, 0xff
]
const NUMBERS = [
  '0',
  '-1',
  '4294967295',
  '4294967296',
  '18446744073709551616',
  '9007199254740993',
  '1e400',
  'NaN',
  'ffffffff',
  '99999999999999999999'
]

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('flip' as const),
      pos: fc.nat(),
      bit: fc.integer({ min: 0, max: 7 })
    })
  },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('set' as const),
      pos: fc.nat(),
      byte: fc.oneof(fc.constantFrom(...INTERESTING), fc.integer({ min: 0, max: 255 }))
    })
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('insert' as const),
      pos: fc.nat(),
      bytes: fc.uint8Array({ minLength: 1, maxLength: 24 })
    })
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('delete' as const),
      pos: fc.nat(),
      len: fc.integer({ min: 1, max: 32 })
    })
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('truncate' as const), pos: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('dup' as const),
      pos: fc.nat(),
      len: fc.integer({ min: 1, max: 256 })
    })
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('splice' as const),
      pos: fc.nat(),
      from: fc.nat(),
      len: fc.integer({ min: 1, max: 64 })
    })
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('number' as const),
      pos: fc.nat(),
      text: fc.constantFrom(...NUMBERS)
    })
  }
)

function mutate(bytes: Uint8Array, m: Mutation, donor: Uint8Array): Uint8Array {
  const n = bytes.length
  const at = n === 0 ? 0 : m.pos % (n + 1)
  const cut = (a: number, b: number, mid: Uint8Array): Uint8Array =>
    concatBytes([bytes.subarray(0, a), mid, bytes.subarray(b)])
  switch (m.op) {
    case 'flip': {
      if (n === 0) return bytes
      const out = bytes.slice()
      out[m.pos % n] ^= 1 << m.bit
      return out
    }
    case 'set': {
      if (n === 0) return Uint8Array.of(m.byte)
      const out = bytes.slice()
      out[m.pos % n] = m.byte
      return out
    }
    case 'insert':
      return cut(at, at, m.bytes)
    case 'delete':
      return cut(at, Math.min(n, at + m.len), new Uint8Array(0))
    case 'truncate':
      return bytes.subarray(0, at)
    case 'dup':
      return cut(at, at, bytes.subarray(at, Math.min(n, at + m.len)))
    case 'splice': {
      if (donor.length === 0) return bytes
      const from = m.from % donor.length
      return cut(at, at, donor.subarray(from, Math.min(donor.length, from + m.len)))
    }
    case 'number':
      return cut(at, at, new TextEncoder().encode(m.text))
  }
}

/** Cuts a stream into chunks of the given sizes (cycled); sizes of 0 mean "the rest". */
function split(stream: Uint8Array, sizes: number[]): Uint8Array[] {
  if (stream.length === 0) return []
  if (sizes.length === 0) return [stream]
  const out: Uint8Array[] = []
  let at = 0
  for (let i = 0; at < stream.length; i++) {
    const s = sizes[i % sizes.length]
    const next = s <= 0 ? stream.length : Math.min(stream.length, at + s)
    out.push(stream.subarray(at, next))
    at = next
  }
  return out
}

/** Merges two directions' chunks into one arrival order chosen by `order` (cycled). */
function interleave(c2s: Uint8Array[], s2c: Uint8Array[], order: boolean[]): Piece[] {
  const out: Piece[] = []
  let i = 0
  let j = 0
  for (let k = 0; i < c2s.length || j < s2c.length; k++) {
    const takeC2s =
      j >= s2c.length || (i < c2s.length && (order.length === 0 ? true : order[k % order.length]))
    if (takeC2s) out.push({ dir: 'c2s', data: c2s[i++] })
    else out.push({ dir: 's2c', data: s2c[j++] })
  }
  return out
}

const streamOf = (f: Fixture, dir: Direction): Uint8Array =>
  concatBytes(f.pieces.filter((p) => p.dir === dir).map((p) => p.data))

/** Words and separators taken from real traffic, for text protocols that random bytes never reach. */
export function tokensOf(fixtures: Fixture[], max = 400): Uint8Array[] {
  const seen = new Set<string>()
  const out: Uint8Array[] = []
  const add = (b: Uint8Array): void => {
    const key = Buffer.from(b).toString('latin1')
    if (b.length === 0 || b.length > 64 || seen.has(key) || out.length >= max) return
    seen.add(key)
    out.push(b)
  }
  for (const s of [
    '\r\n',
    '\r\n\r\n',
    ': ',
    ' ',
    '\n',
    '0\r\n\r\n',
    'Content-Length: ',
    'Transfer-Encoding: chunked',
    'HTTP/1.1 ',
    '{',
    '}',
    '"',
    ','
  ])
    add(new TextEncoder().encode(s))
  for (const f of fixtures)
    for (const p of f.pieces) {
      let start = 0
      for (let i = 0; i <= p.data.length; i++) {
        const sep = i === p.data.length || p.data[i] === 0x20 || p.data[i] === 0x0a
        if (sep) {
          add(p.data.subarray(start, Math.min(p.data.length, i + 1)))
          start = i + 1
        }
      }
      add(p.data.subarray(0, Math.min(p.data.length, 16)))
    }
  return out
}

const pieceArb = (maxLength: number): fc.Arbitrary<Piece> =>
  fc.record({ dir: fc.constantFrom<Direction>('c2s', 's2c'), data: fc.uint8Array({ maxLength }) })

/** Random bytes in random chunks and directions. */
export function randomCaseArb(): fc.Arbitrary<FuzzCase> {
  return fc
    .record({ pieces: fc.array(pieceArb(96), { maxLength: 10 }), end: fc.boolean() })
    .map(({ pieces, end }) => ({ pieces, end, source: 'random' }))
}

/** Sequences of real words and separators (reaches deeper into text protocols). */
export function tokenCaseArb(tokens: Uint8Array[]): fc.Arbitrary<FuzzCase> {
  if (tokens.length === 0) return randomCaseArb()
  const chunk = fc.array(
    fc.oneof(
      { weight: 5, arbitrary: fc.constantFrom(...tokens) },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 8 }) }
    ),
    { maxLength: 24 }
  )
  return fc
    .record({
      parts: fc.array(fc.record({ dir: fc.constantFrom<Direction>('c2s', 's2c'), words: chunk }), {
        maxLength: 6
      }),
      end: fc.boolean()
    })
    .map(({ parts, end }) => ({
      pieces: parts.map((p) => ({ dir: p.dir, data: concatBytes(p.words) })),
      end,
      source: 'tokens'
    }))
}

const MAX_MUTATED = 2048

/** A real connection's bytes, mutated, cut at random points and re-interleaved. */
export function mutatedCaseArb(corpus: Fixture[]): fc.Arbitrary<FuzzCase> {
  if (corpus.length === 0) return randomCaseArb()
  // Mutations work on the first bytes of each direction: protocol starts are where parsers branch,
  // and long bodies cut into 1-byte chunks would only measure copying.
  const streams = corpus.map((f) => ({
    f,
    c2s: streamOf(f, 'c2s').subarray(0, MAX_MUTATED),
    s2c: streamOf(f, 's2c').subarray(0, MAX_MUTATED)
  }))
  const donors = streams.flatMap((s) => [s.c2s, s.s2c]).filter((d) => d.length > 0)
  return fc
    .record({
      index: fc.nat({ max: corpus.length - 1 }),
      donor: fc.nat({ max: Math.max(0, donors.length - 1) }),
      c2sMutations: fc.array(mutationArb, { maxLength: 5 }),
      s2cMutations: fc.array(mutationArb, { maxLength: 3 }),
      keepChunks: fc.boolean(),
      sizes: fc.array(fc.oneof(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 512 })), {
        maxLength: 6
      }),
      order: fc.array(fc.boolean(), { maxLength: 8 }),
      end: fc.boolean(),
      which: fc.nat()
    })
    .map((r) => {
      const s = streams[r.index]
      const donor = donors[r.donor] ?? new Uint8Array(0)
      if (s.f.transport === 'udp') {
        // Datagrams keep their boundaries: mutate some of them.
        const pieces = s.f.pieces.slice(0, 32).map((p, i) => {
          const ms = i % 2 === r.which % 2 ? r.c2sMutations : r.s2cMutations
          return {
            dir: p.dir,
            data: ms.reduce((b, m) => mutate(b, m, donor), p.data.subarray(0, MAX_MUTATED))
          }
        })
        return { pieces, end: r.end, source: `mutated ${s.f.name}` }
      }
      const c2s = r.c2sMutations.reduce((b, m) => mutate(b, m, donor), s.c2s)
      const s2c = r.s2cMutations.reduce((b, m) => mutate(b, m, donor), s.s2c)
      const unchanged = r.c2sMutations.length === 0 && r.s2cMutations.length === 0
      const pieces =
        unchanged && r.keepChunks && s.f.pieces.length <= 64
          ? s.f.pieces
          : interleave(split(c2s, r.sizes), split(s2c, r.sizes.slice().reverse()), r.order)
      return { pieces, end: r.end, source: `mutated ${s.f.name}` }
    })
}

/** The mix every dissector gets: mostly mutated real traffic, plus random bytes and token soup. */
export function fuzzCaseArb(
  def: Fuzzable,
  fixtures: Fixture[],
  tokens = tokensOf(corpusFor(def, fixtures))
): fc.Arbitrary<FuzzCase> {
  const corpus = corpusFor(def, fixtures)
  return fc.oneof(
    { weight: 6, arbitrary: mutatedCaseArb(corpus) },
    { weight: 2, arbitrary: randomCaseArb() },
    { weight: 2, arbitrary: tokenCaseArb(tokens) }
  )
}
