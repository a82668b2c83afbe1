// `npm run fuzz`: the long fuzz run. Every registered dissector (new ones included automatically)
// gets random bytes, token soup and mutated real traffic recorded from the lessons, fed in random
// splits to both directions, through the raw dissector (a throw the app would catch still counts).
//
//   npm run fuzz                         1,000,000 inputs per dissector
//   npm run fuzz -- --runs 50000         fewer
//   npm run fuzz -- --only mqtt,http     some dissectors
//   npm run fuzz -- --seed 42 --json out.json
// Exit status 1 when any dissector fails; each failure is printed with its (shrunk) input and seed.
import { writeFileSync } from 'node:fs'
import {
  allDissectors,
  fuzzDissector,
  recordFixtures,
  type FuzzReport
} from '../src/main/lab/testing/fuzz-harness'

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`)
  if (i >= 0) return process.argv[i + 1]
  const eq = process.argv.find((a) => a.startsWith(`--${name}=`))
  return eq?.slice(name.length + 3)
}

async function main(): Promise<number> {
  const runs = Number(flag('runs') ?? 1_000_000)
  const batch = Number(flag('batch') ?? 50_000)
  const only = flag('only')?.split(',')
  const seed0 = Number(flag('seed') ?? Date.now() % 2 ** 31)
  const jsonOut = flag('json')

  const rec = await recordFixtures({ times: 2, timeoutMs: 20_000, concurrency: 3 })
  for (const f of rec.failures)
    console.error(`! lesson ${f.scene} failed while recording fixtures: ${f.error}`)
  const fixtures = rec.fixtures
  console.log(
    `fixtures: ${fixtures.length} connections recorded from ${rec.sessions.size} lessons; seed ${seed0}`
  )

  const reports: FuzzReport[] = []
  let failed = false
  for (const def of allDissectors()) {
    if (only && !only.includes(def.id)) continue
    const total: FuzzReport = { dissector: def.id, runs: 0, pdus: 0, malformed: 0, ms: 0, inputsPerSecond: 0 }
    // Batches with distinct seeds, so progress shows and a failure stops only this dissector.
    for (let b = 0; total.runs < runs; b++) {
      const n = Math.min(batch, runs - total.runs)
      const r = fuzzDissector(def, fixtures, { runs: n, seed: (seed0 + b * 7919 + def.id.length) % 2 ** 31 })
      total.runs += r.runs
      total.pdus += r.pdus
      total.malformed += r.malformed
      total.ms += r.ms
      total.inputsPerSecond = total.runs / (total.ms / 1000)
      process.stdout.write(
        `\r  ${def.id.padEnd(10)} ${total.runs.toLocaleString('en')} inputs, ${Math.round(total.inputsPerSecond).toLocaleString('en')}/s   `
      )
      if (r.failure) {
        total.failure = r.failure
        break
      }
    }
    process.stdout.write('\n')
    reports.push(total)
    if (total.failure) {
      failed = true
      console.log(`✘ ${def.id}: failed after ${total.runs} inputs (seed ${total.failure.seed})`)
      for (const p of total.failure.problems.slice(0, 10)) console.log(`    ${p}`)
      console.log(`    input: ${JSON.stringify(total.failure.input).slice(0, 2000)}`)
    }
  }

  console.log('\ndissector   inputs        inputs/s   PDUs          malformed     result')
  for (const r of reports)
    console.log(
      `${r.dissector.padEnd(11)} ${r.runs.toLocaleString('en').padStart(12)}  ${Math.round(r.inputsPerSecond).toLocaleString('en').padStart(9)}   ${r.pdus
        .toLocaleString('en')
        .padStart(12)}  ${r.malformed.toLocaleString('en').padStart(12)}   ${r.failure ? 'FAILED' : 'ok'}`
    )
  if (jsonOut)
    writeFileSync(jsonOut, JSON.stringify({ seed: seed0, runsPerDissector: runs, reports }, null, 2))
  return failed ? 1 : 0
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err)
    process.exit(1)
  }
)
