// `npm run bench`: measured speed and memory. Prints readable tables and every row of the
// performance issue's table (measured, target, met/missed, load average) and writes a JSON report;
// figures are medians of several runs. The machine's load stretches wall-clock figures (frame
// times, latencies), so next to them the report gives CPU time per event, which it does not.
//
//   npm run bench                        everything (several minutes)
//   npm run bench -- --runs 3            fewer repetitions
//   npm run bench -- --only dissect,bridge,memory,browser,classroom,soak
//   npm run bench -- --soak-seconds 120  the short soak the bench runs (default 90 s)
//   npm run bench -- --json bench.json   where to write the JSON (default: out/bench.json)
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { recordFixtures } from '../src/main/lab/testing/fuzz-harness'
import { benchDissectors } from './perf/dissect'
import { bundledDissectors } from './perf/dissect-bundle'
import { benchBridge, benchEngineMemory } from './perf/engine'
import { samplePdus } from './perf/load'
import { launch } from './perf/renderer'
import { browserTargets } from './perf/browser'
import type { BrowserRows } from './perf/browser-run'
import { classroom, classroomTarget, haveMosquittoClients } from './perf/classroom'
import type { SoakResult } from './perf/soak-run'
import { flag, loadavg, log, median, type Target } from './perf/stats'

function soakTargets(targets: Target[], short: SoakResult | null, long: (SoakResult & { date?: string; loadAverageAtStart?: number[] }) | null): void {
  const row = (r: SoakResult, what: string, load: number[]): Target => ({
    name: `${what}: engine + renderer memory`,
    target: 'flat after the budget, ≤ 600 MB, nothing lost',
    measured: `${r.seconds} s, ${r.events} events (${r.eventsPerSec}/s): engine slope after the first spill ${r.engineSlopeMbPerMin} MB/min, renderer ${r.rendererSlopeMbPerMin} MB/min at equal window sizes (${r.rendererLineSlopeMbPerMin ?? '—'} MB/min as a straight line); peak ${r.peakTotalPssMb !== undefined ? `${r.peakTotalPssMb} MB PSS (` : ''}resident engine ${r.peakEngineRssMb} + renderer ${r.peakRendererRssMb} = ${r.peakTotalRssMb} MB RSS${r.peakTotalPssMb !== undefined ? ')' : ''}; ${r.samples.at(-1)?.onDiskMb} MB on disk; lost ${r.lost} (client ${r.clientReceived}/${r.events}, saved ${r.savedEvents}${r.savedContiguous ? ', seq 1…n' : ', WITH GAPS'})`,
    met:
      r.lost === 0 &&
      r.savedContiguous &&
      // Memory is PSS where the soak measured it (RSS counts Chromium's shared pages in each process).
      (r.peakTotalPssMb ?? r.peakTotalRssMb) <= 600 &&
      r.spilledAtS !== null &&
      // "Flat": whatever still grows is under 1 MB/min on either side.
      Math.abs(r.engineSlopeMbPerMin) <= 1 &&
      Math.abs(r.rendererSlopeMbPerMin) <= 1,
    load,
    note: `memory budget ${r.memoryBudgetMb} MiB`
  })
  if (short) targets.push(row(short, `short soak the bench runs (MQTT load, ${short.seconds} s)`, loadavg()))
  if (long)
    targets.push({
      ...row(long, `npm run soak (MQTT load, ${Math.round(long.seconds / 60)} min, ${long.date?.slice(0, 16) ?? ''})`, long.loadAverageAtStart ?? []),
      note: `from out/soak.json; memory budget ${long.memoryBudgetMb} MiB`
    })
  if (!long || long.seconds < 3600)
    targets.push({
      name: 'one hour of the MQTT load (soak): engine + renderer memory',
      target: 'flat after the budget, ≤ 600 MB, nothing lost',
      measured: long ? `longest soak on record: ${Math.round(long.seconds / 60)} min (npm run soak -- --minutes 60 runs the hour)` : 'no long soak on record: npm run soak -- --minutes 60',
      met: null,
      load: loadavg()
    })
}

/**
 * A script in a child process, which writes its result as JSON: the engine's memory and pauses are
 * then the app's, not this process's (which holds every lesson's recorded traffic and the
 * 100,000-PDU lab). Its log lines go to this process's stderr.
 */
function inOwnProcess<T>(root: string, script: string, args: string[]): Promise<T> {
  const json = path.join(os.tmpdir(), `wirelab-bench-${path.basename(script, '.ts')}-${process.pid}.json`)
  rmSync(json, { force: true })
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'scripts', script), ...args, '--json', json], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit']
    })
    child.on('error', reject)
    // The soak exits 1 when its targets are missed; the JSON says how, and the bench reports it.
    child.on('exit', (code) => {
      try {
        resolve(JSON.parse(readFileSync(json, 'utf8')) as T)
        rmSync(json, { force: true })
      } catch {
        reject(new Error(`${script} exited with ${code} and wrote no result`))
      }
    })
  })
}

async function main(): Promise<void> {
  const root = path.join(__dirname, '..')
  const RUNS = Number(flag('runs') ?? 5)
  const ONLY = flag('only')?.split(',')
  const JSON_OUT = flag('json') ?? path.join(root, 'out', 'bench.json')
  const want = (s: string): boolean => !ONLY || ONLY.includes(s)
  const report: Record<string, unknown> = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    runs: RUNS,
    loadAverageAtStart: loadavg()
  }
  const targets: Target[] = []

  let sessions = new Map<string, readonly import('../src/shared/events').LabEvent[]>()
  if (want('dissect') || want('bridge')) {
    log('recording real sessions from every lesson…')
    // SSE and buffers, the slowest lessons, take 6–8 s a run: five runs fit in a minute.
    const recorded = await recordFixtures({ times: 5, timeoutMs: 60_000, concurrency: 3 })
    for (const f of recorded.failures) log(`  ! ${f.scene}: ${f.error}`)
    sessions = recorded.sessions
    if (want('dissect')) {
      report.dissectorsBuild = 'bundled with esbuild as the app ships them (scripts/perf/dissect-bundle.ts)'
      report.dissectors = await benchDissectors(await bundledDissectors(root), RUNS, recorded.fixtures, sessions, targets)
    }
  }
  const pdus = samplePdus(sessions)

  if (want('bridge')) report.bridge = await benchBridge(root, RUNS, pdus)

  if (want('memory')) {
    const m = await benchEngineMemory(RUNS, targets)
    report.engineMemory = m.row
    await m.lab.stop()
  }

  const out: Record<string, unknown> = {}
  if (want('browser')) {
    log('browser mode, in a process of its own (an engine holding one lesson, as the app runs)…')
    const { tti, deliveries, fan, big } = await inOwnProcess<BrowserRows>(root, 'perf/browser-run.ts', ['--runs', String(RUNS)])
    out.timeToInteractiveMs = { p50: Math.round(median(tti)), runs: tti.map(Math.round) }
    targets.push({ name: 'browser mode interactive', target: '≤ 2 s', measured: `${Math.round(median(tti))} ms (host start → lesson picker filled)`, met: median(tti) <= 2000, load: loadavg() })
    out.delivery = Object.values(deliveries)
    out.mqttFanout1k = { ...fan, subscribers: 10, messages: 3000 }
    out.session100k = big
    browserTargets(targets, deliveries, fan, big, loadavg())
  }

  const browser = want('classroom') ? await launch(root) : null
  if (browser && want('classroom')) {
    log('classroom: 20 mosquitto_pub + 20 mosquitto_sub (QoS 1), app attached…')
    if (!haveMosquittoClients()) classroomTarget(targets, null, 'mosquitto_pub / mosquitto_sub not installed')
    else {
      const r = await classroom(browser, { perSecond: Number(flag('class-rate') ?? 2), seconds: Number(flag('class-seconds') ?? 10) })
      report.classroom = r
      classroomTarget(targets, r)
    }
  }
  if (out && Object.keys(out).length) report.browser = out

  if (want('soak')) {
    const seconds = Number(flag('soak-seconds') ?? 90)
    log(`soak: the MQTT load for ${seconds} s, engine budget 16 MiB, app attached, in a process of its own…`)
    const short = await inOwnProcess<SoakResult>(root, 'soak.ts', ['--seconds', String(seconds), '--budget', '16'])
    report.soak = { ...short, samples: short.samples }
    const longFile = path.join(root, 'out', 'soak.json')
    const long = existsSync(longFile) ? (JSON.parse(readFileSync(longFile, 'utf8')) as SoakResult & { date?: string }) : null
    soakTargets(targets, short, long)
  }
  await browser?.close()

  report.targets = targets
  report.loadAverageAtEnd = loadavg()
  mkdirSync(path.dirname(JSON_OUT), { recursive: true })
  writeFileSync(JSON_OUT, JSON.stringify(report, null, 2))

  const table = (rows: Record<string, unknown>[]): string => {
    if (!rows.length) return ''
    const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))]
    const w = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c] ?? '').length)))
    const line = (vals: string[]): string => vals.map((v, i) => v.padEnd(w[i])).join('  ')
    return [line(cols), line(w.map((n) => '-'.repeat(n))), ...rows.map((r) => line(cols.map((c) => String(r[c] ?? ''))))].join('\n')
  }
  const print = (s: string): void => void process.stdout.write(s + '\n')
  if (report.dissectors) print(`Dissector throughput (median of ${RUNS} runs, bytes recorded from real lessons)\n${table(report.dissectors as Record<string, unknown>[])}\n`)
  if (report.engineMemory) print(`Engine memory\n${table([report.engineMemory as Record<string, unknown>])}\n`)
  if (report.bridge) print(`Bridge delivery (Node client)\n${table((report.bridge as { ladder: Record<string, unknown>[] }).ladder)}\n`)
  if (out.delivery) print(`Into the renderer (Chromium, browser mode)\n${table(out.delivery as Record<string, unknown>[])}\n`)
  if (out.session100k) print(`100,000-PDU session in the renderer\n${table([out.session100k as Record<string, unknown>])}\n`)
  print(
    'Targets (load average = 1, 5, 15 min when measured)\n' +
      table(
        targets.map((t) => ({
          figure: t.name,
          target: t.target,
          measured: t.measured,
          result: t.met === null ? 'n/a' : t.met ? 'MET' : 'MISSED',
          load: t.load.join(' '),
          ...(t.note ? { note: t.note } : {})
        }))
      )
  )
  print(`\nload average at start ${(report.loadAverageAtStart as number[]).join(' ')}, at end ${(report.loadAverageAtEnd as number[]).join(' ')} (${os.cpus().length} cores)`)
  print(`JSON report: ${path.relative(process.cwd(), JSON_OUT)}`)
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err)
    process.exit(1)
  }
)
