// `npm run soak`: a lesson at sustained load for as long as asked (default: the MQTT lesson's load
// action, 1,000 msg/s to 10 subscribers) with the app attached in Chromium and a bridge client
// counting every event. Prints engine and renderer memory over time, then checks that nothing was
// lost: the client got every event, the renderer knows the whole log, and the saved session holds
// seq 1…n. Past the memory budget the engine's log goes to disk, so memory must stay flat.
//
//   npm run soak                                 10 minutes
//   npm run soak -- --minutes 60                 a whole lesson
//   npm run soak -- --seconds 90 --budget 16     the engine spills past 16 MiB of log
//   npm run soak -- --no-browser --json out/soak.json
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { launch } from './perf/renderer'
import { runSoak } from './perf/soak-run'
import { flag, loadavg } from './perf/stats'

async function main(): Promise<number> {
  const root = path.join(__dirname, '..')
  const seconds = Number(flag('seconds') ?? Number(flag('minutes') ?? 10) * 60)
  const scene = flag('scene') ?? 'mqtt'
  const rate = Number(flag('rate') ?? 1000)
  const budget = Number(flag('budget') ?? 48)
  const json = flag('json') ?? path.join(root, 'out', 'soak.json')
  const browser = process.argv.includes('--no-browser') ? null : await launch(root)
  const load0 = loadavg()
  process.stderr.write(
    `soak: ${scene} for ${seconds} s at ${rate} msg/s, engine memory budget ${budget} MiB, ${browser ? 'Chromium attached' : 'no browser'}; load average ${load0.join(' ')}\n`
  )
  const r = await runSoak(browser, { scene, seconds, rate, memoryBudgetMb: budget })
  await browser?.close()
  const out = { ...r, date: new Date().toISOString(), loadAverageAtStart: load0, loadAverageAtEnd: loadavg() }
  mkdirSync(path.dirname(json), { recursive: true })
  writeFileSync(json, JSON.stringify(out, null, 2))
  const print = (s: string): void => void process.stdout.write(s + '\n')
  const last = r.samples.at(-1)
  print(`\nsoak ${scene}: ${r.seconds} s, ${r.events} events (${r.eventsPerSec}/s); load average ${load0.join(' ')} → ${out.loadAverageAtEnd.join(' ')}`)
  print(`  memory over time (s: engine MB / renderer MB / on disk MB):`)
  print('  ' + r.samples.map((x) => `${x.s}: ${x.engineMb}/${x.rendererMb}/${x.onDiskMb}`).join('  '))
  print(
    `  engine: ${last?.engineMb} MB after GC (rss ${last?.engineRssMb} MB), ${last?.onDiskMb} MB of log on disk; first spill at ${r.spilledAtS ?? '—'} s; slope since then ${r.engineSlopeMbPerMin} MB/min`
  )
  if (browser)
    print(`  renderer: ${last?.rendererMb} MB after GC (rss ${last?.rendererRssMb} MB); slope since the first spill ${r.rendererSlopeMbPerMin} MB/min between samples whose windows held as many events (${r.rendererLineSlopeMbPerMin ?? '—'} MB/min as a straight line)`)
  print(`  peak resident memory: engine ${r.peakEngineRssMb} MB + renderer ${r.peakRendererRssMb} MB = ${r.peakTotalRssMb} MB RSS, ${r.peakTotalPssMb} MB PSS (shared pages split among processes)`)
  print(
    `  nothing lost: client received ${r.clientReceived} of ${r.events} (gaps ${r.clientGaps}); saved session ${r.savedEvents} events, ${r.savedMb} MB in ${r.saveSeconds ?? '?'} s, seq 1…n ${r.savedContiguous ? 'without a gap' : 'WITH GAPS'}`
  )
  for (const e of r.errors) print(`  load error: ${e}`)
  const ok = r.lost === 0 && r.savedContiguous && r.clientGaps === 0 && (r.peakTotalPssMb ?? r.peakTotalRssMb) <= 600
  print(ok ? '  result: flat, bounded, nothing lost' : '  result: NOT MET (see above)')
  print(`JSON: ${path.relative(process.cwd(), json)}`)
  return ok ? 0 : 1
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err)
    process.exit(1)
  }
)
