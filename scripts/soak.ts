// `npm run soak`: a lesson at sustained load, memory sampled over time, bounded in time and count.
// A browser-mode host runs the engine with a bridge client attached (so batching toward a renderer
// is exercised too). The log is the session's record and grows by design, so the soak runs in two
// phases: first with the log kept (memory per event), then with the log cleared every few seconds,
// as a teacher's "Clear" does — there, whatever still grows is a leak, and growth must level off.
//
//   npm run soak                                   mqtt lesson, 2 × 45 s, 1,000 msg/s
//   npm run soak -- --scene tcp-udp-echo --seconds 30 --max-events 500000
//   npm run soak -- --json soak.json
import { writeFileSync } from 'node:fs'
import v8 from 'node:v8'
import vm from 'node:vm'
import WebSocket from 'ws'
import type { EventBatch } from '../src/shared/api'
import { Lab } from '../src/main/lab/lab'
import { startWebHost } from '../src/main/web'

v8.setFlagsFromString('--expose-gc')
const gc = vm.runInNewContext('gc') as () => void

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`)
  if (i >= 0) return process.argv[i + 1]
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3)
}

interface Sample {
  s: number
  heapMb: number
  rssMb: number
  events: number
  logged: number
  received: number
  dropped: number
}

const mb = (n: number): number => Math.round(n / 1e5) / 10

/** Least-squares slope of y over x. */
function slope(xs: number[], ys: number[]): number {
  const n = xs.length
  if (n < 2) return 0
  const mx = xs.reduce((a, b) => a + b, 0) / n
  const my = ys.reduce((a, b) => a + b, 0) / n
  let num = 0
  let den = 0
  for (let i = 0; i < n; i++) {
    num += (xs[i] - mx) * (ys[i] - my)
    den += (xs[i] - mx) ** 2
  }
  return den === 0 ? 0 : num / den
}

async function phase(o: {
  scene: string
  seconds: number
  maxEvents: number
  rate: number
  clearEverySec: number
}): Promise<{
  samples: Sample[]
  baselines: { s: number; heapMb: number; events: number }[]
  received: number
  dropped: number
  errors: string[]
}> {
  const lab = new Lab({ ephemeralPorts: true })
  const host = await startWebHost({ port: 0, lab })
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/bridge`, { origin: `http://127.0.0.1:${host.port}` })
  await new Promise((r) => ws.once('open', r))
  let received = 0
  let dropped = 0
  ws.on('message', (raw) => {
    const msg = JSON.parse(String(raw)) as { type?: string; batch?: EventBatch }
    if (msg.type === 'events' && msg.batch) {
      received += msg.batch.events.length
      dropped = Math.max(dropped, msg.batch.dropped)
    }
  })
  await lab.start(o.scene, {})
  const hasBurst = lab
    .scenes()
    .find((s) => s.id === o.scene)
    ?.actions.some((a) => a.id === 'burst')
  let total = 0 // events appended overall (the log may be cleared)
  let last = lab.session.size
  const unsubscribe = lab.session.subscribe(() => total++)
  const samples: Sample[] = []
  /** Heap right after each clear: what is left when the log is gone. */
  const baselines: { s: number; heapMb: number; events: number }[] = []
  const errors: string[] = []
  const started = performance.now()
  const elapsed = (): number => (performance.now() - started) / 1000
  let running = true
  const load = (async () => {
    while (running) {
      try {
        if (hasBurst) {
          const r = await lab.action('burst', {
            count: Math.max(100, o.rate * 2),
            rate: o.rate,
            subscribers: 10
          })
          if (!r.ok) errors.push(JSON.stringify(r.message))
        } else await lab.script()
      } catch (err) {
        errors.push(err instanceof Error ? err.message : String(err))
        if (errors.length > 20) break
      }
    }
  })()
  let lastClear = 0
  while (elapsed() < o.seconds && total < o.maxEvents) {
    await new Promise((r) => setTimeout(r, 1000))
    let cleared = false
    if (o.clearEverySec > 0 && elapsed() - lastClear >= o.clearEverySec) {
      lab.session.clear()
      lastClear = elapsed()
      cleared = true
    }
    gc()
    const m = process.memoryUsage()
    if (cleared) baselines.push({ s: elapsed(), heapMb: mb(m.heapUsed), events: total })
    samples.push({
      s: Math.round(elapsed()),
      heapMb: mb(m.heapUsed),
      rssMb: mb(m.rss),
      events: total,
      logged: lab.session.size,
      received,
      dropped
    })
    if (samples.length % 5 === 0)
      process.stderr.write(
        `  ${String(Math.round(elapsed())).padStart(4)} s  heap ${mb(m.heapUsed)} MB  rss ${mb(m.rss)} MB  events ${total} (+${total - last})  in log ${lab.session.size}\n`
      )
    last = total
  }
  running = false
  await load
  unsubscribe()
  // Let the bridge drain before counting.
  const drainStart = performance.now()
  while (received < total && performance.now() - drainStart < 5000)
    await new Promise((r) => setTimeout(r, 20))
  ws.close()
  await host.close()
  return { samples, baselines, received, dropped, errors }
}

async function main(): Promise<number> {
  const scene = flag('scene') ?? 'mqtt'
  const seconds = Number(flag('seconds') ?? 45)
  const maxEvents = Number(flag('max-events') ?? 3_000_000)
  const rate = Number(flag('rate') ?? 1000)
  const clearEvery = Number(flag('clear-every') ?? 5)
  const jsonOut = flag('json')
  process.stderr.write(
    `soak: ${scene}, ${seconds} s per phase (at most ${maxEvents} events), load ${rate}/s where the lesson has a load action\n`
  )

  process.stderr.write('phase 1: the log kept\n')
  const kept = await phase({ scene, seconds, maxEvents, rate, clearEverySec: 0 })
  process.stderr.write(`phase 2: the log cleared every ${clearEvery} s\n`)
  const cleared = await phase({ scene, seconds, maxEvents, rate, clearEverySec: clearEvery })

  const k = kept.samples
  const keptEvents = k.at(-1)!.events - k[0].events
  const bytesPerEvent = ((k.at(-1)!.heapMb - k[0].heapMb) * 1e6) / Math.max(1, keptEvents)
  // Leak check on phase 2: the heap right after each clear (the log gone) must level off.
  const c = cleared.samples
  const base = cleared.baselines.slice(1) // the first clear still carries start-up garbage
  const perMin =
    slope(
      base.map((x) => x.s),
      base.map((x) => x.heapMb)
    ) * 60
  const eventsPerSec = (c.at(-1)!.events - c[0].events) / Math.max(1, c.at(-1)!.s - c[0].s)
  const bytesPerProcessedEvent =
    base.length > 1
      ? ((base.at(-1)!.heapMb - base[0].heapMb) * 1e6) / Math.max(1, base.at(-1)!.events - base[0].events)
      : 0
  const perMinBudget = Math.max(2, (eventsPerSec * 60 * 50) / 1e6) // < 50 bytes per event processed, or 2 MB/min
  const levelsOff = perMin <= perMinBudget
  const result = {
    scene,
    secondsPerPhase: seconds,
    kept: {
      events: keptEvents,
      eventsPerSec: Math.round(keptEvents / Math.max(1, k.at(-1)!.s - k[0].s)),
      heapStartMb: k[0].heapMb,
      heapEndMb: k.at(-1)!.heapMb,
      bytesPerEvent: Math.round(bytesPerEvent),
      received: kept.received,
      dropped: kept.dropped,
      errors: kept.errors.slice(0, 5)
    },
    cleared: {
      events: c.at(-1)!.events,
      eventsPerSec: Math.round(eventsPerSec),
      heapAfterClearsMb: cleared.baselines.map((x) => x.heapMb),
      bytesLeftPerProcessedEvent: Math.round(bytesPerProcessedEvent * 10) / 10,
      heapSlopeMbPerMin: Math.round(perMin * 100) / 100,
      budgetMbPerMin: Math.round(perMinBudget * 100) / 100,
      levelsOff,
      received: cleared.received,
      dropped: cleared.dropped,
      errors: cleared.errors.slice(0, 5)
    },
    samples: { kept: k, cleared: c }
  }
  if (jsonOut) writeFileSync(jsonOut, JSON.stringify(result, null, 2))
  const print = (s: string): void => void process.stdout.write(s + '\n')
  print(`\nsoak ${scene}: ${seconds} s per phase`)
  print(
    `  log kept:    ${keptEvents} events (${result.kept.eventsPerSec}/s), heap ${k[0].heapMb} → ${k.at(-1)!.heapMb} MB = ${Math.round(bytesPerEvent)} B per logged event; bridge received ${kept.received}, dropped ${kept.dropped}`
  )
  print(
    `  log cleared: ${c.at(-1)!.events} events (${Math.round(eventsPerSec)}/s), heap right after each clear ${cleared.baselines.map((x) => x.heapMb).join(', ')} MB: ${result.cleared.heapSlopeMbPerMin} MB/min, ${result.cleared.bytesLeftPerProcessedEvent} B left per processed event (budget ${result.cleared.budgetMbPerMin} MB/min); bridge dropped ${cleared.dropped}`
  )
  print(`  samples (s: heap MB): ${c.map((x) => `${x.s}:${x.heapMb}`).join(' ')}`)
  for (const e of [...kept.errors, ...cleared.errors].slice(0, 5)) print(`  load error: ${e}`)
  print(
    levelsOff
      ? '  memory levels off: yes'
      : '  memory levels off: NO (still growing with the log cleared: a leak)'
  )
  return levelsOff ? 0 : 1
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err)
    process.exit(1)
  }
)
