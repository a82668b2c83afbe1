// The shared fuzz harness: every dissector in protocols/index.ts (and every one added later) gets
// random bytes and mutated real traffic, fed in random splits to both directions. The raw dissector
// is called (not the `guarded` wrapper), so a throw is a failure even though the app would survive
// it. Used by the quick run in the test suite (protocols/fuzz.test.ts) and the long run
// (`npm run fuzz`). Test support: never imported by the app.
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import type { Direction, LabEvent } from '../../../shared/events'
import { rangeProblems } from '../dissect/fields'
import type { DissectorDef, PduDraft } from '../dissect/types'
import { Lab } from '../lab'
import { concatBytes } from '../../../shared/bytes'
import { PROTOCOLS } from '../protocols'
import { fuzzCaseArb, type Fixture, type FuzzCase, type Fuzzable } from './fuzz-inputs'

export { corpusFor, fuzzCaseArb, mutatedCaseArb, randomCaseArb, tokenCaseArb, tokensOf } from './fuzz-inputs'
export type { Fixture, FuzzCase, Fuzzable, Piece } from './fuzz-inputs'

/** Every dissector the engine lists (protocols/index.ts): a new protocol is fuzzed once it is listed. */
export function allDissectors(): readonly DissectorDef[] {
  return PROTOCOLS
}

/** Connections of a session as fixtures: their bytes events in order, grouped by connection. */
export function fixturesFromEvents(events: readonly LabEvent[], prefix: string): Fixture[] {
  const byConn = new Map<string, Fixture>()
  for (const e of events) {
    if (e.kind === 'conn.open')
      byConn.set(e.conn, { name: `${prefix}/${e.conn}`, transport: e.transport, protocols: [], pieces: [] })
    else if (e.kind === 'bytes') byConn.get(e.conn)?.pieces.push({ dir: e.dir, data: e.data })
    else if (e.kind === 'pdu' && !e.modeled) {
      const f = byConn.get(e.conn)
      if (f && !f.protocols.includes(e.protocol)) f.protocols.push(e.protocol)
    }
  }
  return [...byConn.values()].filter((f) => f.pieces.length > 0)
}

/**
 * Traffic recorded by the protocols' fixture scripts (`protocols/<id>/fixtures/*.json`, bytes real
 * libraries and servers exchanged), as fixtures of protocol `<id>`: the corpus for dissectors whose
 * lessons need a server the machine may not have, or that take seconds to start.
 */
const PROTOCOLS_DIR = path.join(__dirname, '..', 'protocols')

export function storedFixtures(): Fixture[] {
  const out: Fixture[] = []
  for (const id of readdirSync(PROTOCOLS_DIR)) {
    const dir = path.join(PROTOCOLS_DIR, id, 'fixtures')
    let files: string[]
    try {
      files = readdirSync(dir).filter((f) => f.endsWith('.json'))
    } catch {
      continue
    }
    for (const file of files) {
      const parsed = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as {
        format?: string
        connections?: { name: string; pieces: { dir: Direction; base64: string }[] }[]
      }
      if (parsed.format !== 'wirelab-fixtures') continue
      for (const c of parsed.connections ?? [])
        out.push({
          name: `${id}/${file}/${c.name}`,
          transport: 'tcp',
          protocols: [id],
          pieces: c.pieces.map((p) => ({ dir: p.dir, data: new Uint8Array(Buffer.from(p.base64, 'base64')) }))
        })
    }
  }
  return out
}

/**
 * Records real traffic: starts every lesson on ephemeral ports, runs its default script (`times`
 * times) and keeps each connection's bytes. The lessons run side by side (each in its own engine,
 * on its own ports), so the whole recording takes about as long as the slowest lesson. A lesson
 * that fails or overruns `timeoutMs` is reported, not fatal: the traffic it made is kept.
 */
export async function recordFixtures(
  o: {
    times?: number
    timeoutMs?: number
    only?: string[]
    /** Lessons recorded at once (default: all). */
    concurrency?: number
  } = {}
): Promise<{
  fixtures: Fixture[]
  failures: { scene: string; error: string }[]
  sessions: Map<string, readonly LabEvent[]>
  /** How long each lesson took to record, in milliseconds. */
  durations: Map<string, number>
}> {
  const timeoutMs = o.timeoutMs ?? 30_000
  // Lessons on an installed server (seconds to start, absent on some machines) are covered by the
  // traffic their protocols' fixture scripts recorded (storedFixtures).
  const scenes = new Lab({ ephemeralPorts: true })
    .scenes()
    .filter((s) => (!o.only || o.only.includes(s.id)) && s.installedServer === undefined)
  const record = async (
    scene: (typeof scenes)[number]
  ): Promise<{ scene: string; events: readonly LabEvent[]; error?: string; ms: number }> => {
    const lab = new Lab({ ephemeralPorts: true })
    const started = performance.now()
    let timer: ReturnType<typeof setTimeout> | undefined
    let error: string | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no result within ${timeoutMs} ms`)), timeoutMs)
    })
    try {
      await Promise.race([
        (async () => {
          await lab.start(scene.id, {})
          for (let i = 0; i < (o.times ?? 1); i++) await lab.script()
        })(),
        timeout
      ])
    } catch (err) {
      error = err instanceof Error ? err.message : String(err)
    } finally {
      clearTimeout(timer)
      await lab.stop().catch(() => undefined)
    }
    return { scene: scene.id, events: lab.session.events, error, ms: performance.now() - started }
  }
  // Each timeout counts from a lesson's own start, so a limited pool does not eat into it.
  const runs: Awaited<ReturnType<typeof record>>[] = new Array(scenes.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < scenes.length) {
      const i = next++
      runs[i] = await record(scenes[i])
    }
  }
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(o.concurrency ?? scenes.length, scenes.length)) }, worker)
  )
  const fixtures: Fixture[] = storedFixtures()
  const failures: { scene: string; error: string }[] = []
  const sessions = new Map<string, readonly LabEvent[]>()
  const durations = new Map<string, number>()
  for (const r of runs) {
    if (r.error !== undefined) failures.push({ scene: r.scene, error: r.error })
    sessions.set(r.scene, r.events)
    durations.set(r.scene, r.ms)
    fixtures.push(...fixturesFromEvents(r.events, r.scene))
  }
  return { fixtures, failures, sessions, durations }
}

// ---------------------------------------------------------------------------------------------
// Checking one input

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/** Problems with one PDU (empty when sound). `stream` is everything fed in its direction. */
export function pduProblems(p: PduDraft, stream: Uint8Array | undefined, transport: 'tcp' | 'udp'): string[] {
  const out: string[] = []
  const where = `${p.protocol ?? '?'} PDU "${String(p.summary).slice(0, 60)}"`
  if (!(p.data instanceof Uint8Array)) return [`${where}: data is not a Uint8Array`]
  if (p.dir !== 'c2s' && p.dir !== 's2c') out.push(`${where}: bad direction ${String(p.dir)}`)
  if (typeof p.protocol !== 'string' || p.protocol.length === 0) out.push(`${where}: no protocol`)
  if (typeof p.summary !== 'string') out.push(`${where}: summary is not a string`)
  if (!Array.isArray(p.fields)) out.push(`${where}: fields is not an array`)
  else out.push(...rangeProblems(p.fields, p.data.length).map((r) => `${where}: field ${r}`))
  if (!Number.isInteger(p.offset) || p.offset < -1) out.push(`${where}: bad offset ${p.offset}`)
  if (p.malformed) {
    const m = p.malformed
    if (typeof m.reason !== 'string' || m.reason.length === 0)
      out.push(`${where}: malformed without a reason`)
    if (
      !Number.isInteger(m.start) ||
      !Number.isInteger(m.end) ||
      m.start < 0 ||
      m.end < m.start ||
      m.end > p.data.length
    )
      out.push(`${where}: malformed range [${m.start},${m.end}) outside the PDU's ${p.data.length} bytes`)
  }
  // Real bytes: a PDU that says it comes from the stream at `offset` must hold exactly those bytes.
  if (!p.modeled && p.offset >= 0 && stream && transport === 'tcp') {
    const real = stream.subarray(p.offset, p.offset + p.data.length)
    if (!sameBytes(real, p.data))
      out.push(`${where}: data differs from the stream bytes at offset ${p.offset} (${p.data.length} bytes)`)
  }
  if (p.keys) {
    for (const [k, v] of Object.entries(p.keys)) {
      const plain = (x: unknown): boolean => ['string', 'number', 'boolean'].includes(typeof x)
      const ok = Array.isArray(v)
        ? v.every((x) => typeof x === typeof v[0] && (typeof x === 'string' || typeof x === 'number'))
        : plain(v)
      if (!ok) out.push(`${where}: key ${k} is ${Array.isArray(v) ? 'a mixed list' : typeof v}`)
    }
  }
  return out
}

export interface CaseResult {
  problems: string[]
  pdus: number
  malformed: number
}

/** Feeds one input to a fresh raw dissector and checks every PDU it returns. Never throws. */
export function runCase(def: Fuzzable, c: FuzzCase): CaseResult {
  const problems: string[] = []
  let pdus = 0
  let malformed = 0
  const offsets: Record<Direction, number> = { c2s: 0, s2c: 0 }
  const fed: Record<Direction, Uint8Array[]> = { c2s: [], s2c: [] }
  const collected: PduDraft[] = []
  const stage = (what: string, fn: () => PduDraft[] | undefined): boolean => {
    try {
      const r = fn()
      if (r !== undefined && !Array.isArray(r)) {
        problems.push(`${what} returned ${typeof r}, not an array`)
        return false
      }
      if (r) collected.push(...r)
      return true
    } catch (err) {
      problems.push(`${what} threw: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`)
      return false
    }
  }
  let d: ReturnType<Fuzzable['create']> | undefined
  if (!stage('create()', () => ((d = def.create()), undefined)) || !d) return { problems, pdus, malformed }
  const dissector = d
  for (const piece of c.pieces) {
    fed[piece.dir].push(piece.data)
    const at = offsets[piece.dir]
    if (
      !stage(`push(${piece.dir}, ${piece.data.length} B @${at})`, () =>
        dissector.push(piece.dir, piece.data, at)
      )
    )
      break
    offsets[piece.dir] += piece.data.length
  }
  if (problems.length === 0 && c.end && dissector.end) {
    for (const dir of ['c2s', 's2c'] as const) if (!stage(`end(${dir})`, () => dissector.end?.(dir))) break
  }
  const streams = { c2s: concatBytes(fed.c2s), s2c: concatBytes(fed.s2c) }
  for (const p of collected) {
    pdus++
    if (p.malformed) malformed++
    problems.push(
      ...pduProblems(p, p && (p.dir === 'c2s' || p.dir === 's2c') ? streams[p.dir] : undefined, def.transport)
    )
  }
  return { problems, pdus, malformed }
}

export interface FuzzReport {
  dissector: string
  runs: number
  pdus: number
  malformed: number
  ms: number
  inputsPerSecond: number
  /** The first failing input (shrunk) and its problems, if any. */
  failure?: {
    problems: string[]
    input: { source: string; end: boolean; pieces: { dir: Direction; hex: string }[] }
    seed: number
    path?: string
  }
}

const hexOf = (b: Uint8Array): string => Buffer.from(b).toString('hex')

/** Runs `runs` inputs against one dissector. */
export function fuzzDissector(
  def: Fuzzable,
  fixtures: Fixture[],
  o: { runs: number; seed?: number }
): FuzzReport {
  let pdus = 0
  let malformed = 0
  let lastProblems: string[] = []
  const started = performance.now()
  const seed = o.seed ?? Date.now() % 2 ** 31
  const result = fc.check(
    fc.property(fuzzCaseArb(def, fixtures), (c) => {
      const r = runCase(def, c)
      pdus += r.pdus
      malformed += r.malformed
      if (r.problems.length > 0) {
        lastProblems = r.problems
        return false
      }
      return true
    }),
    { numRuns: o.runs, seed, endOnFailure: false }
  )
  const ms = performance.now() - started
  const report: FuzzReport = {
    dissector: def.id,
    runs: result.numRuns,
    pdus,
    malformed,
    ms,
    inputsPerSecond: result.numRuns / (ms / 1000)
  }
  if (result.failed && result.counterexample) {
    const c = result.counterexample[0]
    report.failure = {
      problems: runCase(def, c).problems.length > 0 ? runCase(def, c).problems : lastProblems,
      input: {
        source: c.source,
        end: c.end,
        pieces: c.pieces.map((p) => ({ dir: p.dir, hex: hexOf(p.data) }))
      },
      seed,
      ...(result.counterexamplePath ? { path: result.counterexamplePath } : {})
    }
  }
  return report
}
