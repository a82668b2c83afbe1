// The bench's browser-mode rows in a process of their own, the way the app runs: an engine holding
// one lesson, serving Chromium. (The bench's own process holds every lesson's recorded traffic and
// the 100,000-PDU lab; its garbage collections then pause the feed, and the rows measured that.)
//   node --import tsx scripts/perf/browser-run.ts --runs 5 --json out.json
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { recordFixtures } from '../../src/main/lab/testing/fuzz-harness'
import { bigSession, deliveryAt, mqttBurst, timeToInteractive, type FanoutRun, type RendererDelivery } from './browser'
import { echoLab, pingPong, samplePdus } from './load'
import { launch } from './renderer'
import { flag, log } from './stats'

export interface BrowserRows {
  tti: number[]
  deliveries: Record<number, RendererDelivery>
  fan: FanoutRun
  big: Record<string, number>
}

async function main(): Promise<void> {
  const root = path.join(__dirname, '..', '..')
  const runs = Number(flag('runs') ?? 5)
  const json = flag('json')
  if (!json) throw new Error('--json <file> is required')
  // The sample the rows replay: the MQTT lesson's real PDUs.
  const recorded = await recordFixtures({ times: 5, timeoutMs: 30_000, only: ['mqtt'] })
  for (const f of recorded.failures) log(`  ! ${f.scene}: ${f.error}`)
  const pdus = samplePdus(recorded.sessions)
  // The long session: 100,000 echo PDUs of real traffic, as the engine-memory row records them.
  const { lab, port } = await echoLab()
  await pingPong(port, 25_200)
  const browser = await launch(root)
  try {
    log('browser mode: time to interactive…')
    const tti = await timeToInteractive(browser, runs)
    log('browser mode: delivery into the renderer…')
    const deliveries: Record<number, RendererDelivery> = {}
    for (const rate of [1_000, 10_000, 20_000]) {
      deliveries[rate] = await deliveryAt(browser, pdus, rate, runs)
      const d = deliveries[rate]
      log(
        `  ${rate}/s: lost ${d.lost}, not in store ${d.notInStore}, arrival p99 ${d.arriveP99} ms, in store p99 ${d.inStoreP99} ms, frames p50 ${d.frameP50} / p95 ${d.frameP95} ms; main thread ${d.mainCpuUsPerEvent} µs CPU/event (${d.mainCpuMsPerFrame} ms per frame)`
      )
    }
    log('browser mode: the MQTT lesson’s load action at 1,000 messages/s…')
    const fan = await mqttBurst(browser, runs)
    log(`  frames p50 ${fan.p50} / p95 ${fan.p95} ms, ${fan.notInStore} events not in the store 300 ms after, main thread ${fan.mainCpuUsPerEvent} µs CPU/event`)
    log('browser mode: 100,000-PDU session…')
    const big = await bigSession(browser, lab)
    log(`  ${big.pdus} PDUs: all in the store after ${big.loadMs} ms, ${big.rendererBytesPerPdu} B/PDU, scroll p95 ${big.scrollFrameP95} ms`)
    const rows: BrowserRows = { tti, deliveries, fan, big }
    writeFileSync(json, JSON.stringify(rows))
  } finally {
    await browser.close()
    await lab.stop()
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err)
    process.exit(1)
  }
)
