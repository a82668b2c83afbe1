// Quick fuzz run: every dissector listed in protocols/index.ts (so new ones are covered) gets a
// few thousand random and mutated-real inputs. The long run is `npm run fuzz`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  allDissectors,
  fuzzDissector,
  recordFixtures,
  runCase,
  type Fixture,
  type Fuzzable
} from '../testing/fuzz-harness'

const RUNS = Number(process.env.WIRELAB_FUZZ_RUNS ?? 2000)
const SEED = Number(process.env.WIRELAB_FUZZ_SEED ?? 20261122)

const dissectors = allDissectors()

let fixtures: Fixture[] = []
let recordFailures: { scene: string; error: string }[] = []

beforeAll(async () => {
  const r = await recordFixtures({ timeoutMs: 45_000 })
  fixtures = r.fixtures
  recordFailures = r.failures
  console.log(`fuzz: recorded ${[...r.durations].map(([id, ms]) => `${id} ${Math.round(ms)} ms`).join(', ')}`)
}, 60_000)

const reports: string[] = []
afterAll(() => {
  if (reports.length) console.log(`fuzz (quick): ${reports.join('; ')}`)
})

describe('dissector fuzzing (quick)', () => {
  it('lists every dissector once and records real traffic from the lessons', () => {
    expect(new Set(dissectors.map((d) => d.id)).size).toBe(dissectors.length)
    expect(dissectors.length).toBeGreaterThanOrEqual(2)
    // A lesson whose script fails still leaves the traffic it made; its own tests report the failure.
    if (recordFailures.length)
      console.warn('fuzz: lessons whose script failed while recording:', recordFailures)
    expect(fixtures.length).toBeGreaterThan(0)
  })

  it('the harness catches a dissector that throws or emits a field outside its PDU', () => {
    const thrower: Fuzzable = {
      id: 'thrower',
      name: 'test',
      transport: 'tcp',
      create: () => ({
        push(_dir, chunk) {
          if (chunk[0] === 0x42) throw new RangeError('boom')
          return []
        }
      })
    }
    const r = runCase(thrower, {
      pieces: [{ dir: 'c2s', data: Uint8Array.of(0x42) }],
      end: false,
      source: 'test'
    })
    expect(r.problems.join()).toMatch(/threw: RangeError: boom/)
    const sloppy: Fuzzable = {
      id: 'sloppy',
      name: 'test',
      transport: 'tcp',
      create: () => ({
        push: (dir, chunk, offset) => [
          {
            dir,
            protocol: 'x',
            summary: 's',
            data: chunk,
            offset,
            fields: [{ name: 'f', start: 0, end: chunk.length + 1 }]
          }
        ]
      })
    }
    const s = runCase(sloppy, {
      pieces: [{ dir: 'c2s', data: Uint8Array.of(1, 2) }],
      end: false,
      source: 'test'
    })
    expect(s.problems.join()).toMatch(/outside/)
    const fake: Fuzzable = {
      id: 'fake',
      name: 'test',
      transport: 'tcp',
      create: () => ({
        push: (dir, chunk, offset) => [
          { dir, protocol: 'x', summary: 's', data: chunk.map((b) => b ^ 1), offset, fields: [] }
        ]
      })
    }
    expect(
      runCase(fake, {
        pieces: [{ dir: 's2c', data: Uint8Array.of(7) }],
        end: false,
        source: 'test'
      }).problems.join()
    ).toMatch(/differs from the stream/)
  })

  for (const def of dissectors) {
    it(`${def.id}: the real traffic recorded for it decodes without problems`, () => {
      for (const f of fixtures.filter((x) => x.protocols.includes(def.id))) {
        expect(runCase(def, { pieces: f.pieces, end: true, source: f.name }).problems, f.name).toEqual([])
      }
    })

    it(`${def.id}: ${RUNS} random and mutated inputs: no throw, sound ranges, malformed PDUs carry a range`, () => {
      const report = fuzzDissector(def, fixtures, { runs: RUNS, seed: SEED })
      reports.push(
        `${def.id} ${report.runs} inputs, ${report.pdus} PDUs (${report.malformed} malformed), ${Math.round(report.inputsPerSecond)}/s`
      )
      expect(report.failure, JSON.stringify(report.failure, null, 1)).toBeUndefined()
      expect(report.runs).toBe(RUNS)
    }, 60_000)
  }
})
