// A lesson at sustained load for as long as asked, with the app attached (Chromium following live)
// and a second bridge client counting every event: memory of the engine and the renderer sampled
// over time, and at the end a check that nothing was lost (every event reached the client, the
// renderer knows the whole log, and the saved session holds seq 1…n without a gap).
import { readFileSync } from 'node:fs'
import type { Browser, CDPSession, Page } from '@playwright/test'
import { Lab } from '../../src/main/lab/lab'
import { startWebHost } from '../../src/main/web'
import { BridgeClient } from '../../src/main/bridge-client'
import { writeSessionFile } from '../../src/main/lab/session/save'
import { openPage, probe } from './renderer'
import { engineMemory, log, round, sleep, slope, slopeAtEqual } from './stats'

export interface SoakSample {
  s: number
  events: number
  /** Engine: JS heap + log chunks in memory after GC, process RSS, log on disk (MB). */
  engineMb: number
  engineRssMb: number
  /** Proportional set size: resident memory with pages shared between processes split among them. */
  enginePssMb: number
  onDiskMb: number
  /** Renderer: JS heap + ArrayBuffers after a collection, and resident memory of its processes (MB). */
  rendererMb: number
  rendererRssMb: number
  rendererPssMb: number
  /** Events in the renderer's window, and what it knows the log holds. */
  rendererWindow: number
  rendererTotal: number
  clientReceived: number
}

export interface SoakResult {
  scene: string
  /** How long the load ran (the checks and the save come after). */
  seconds: number
  /** How long saving the whole session took (streamed from memory and disk, not written out). */
  saveSeconds?: number
  rate: number
  memoryBudgetMb: number
  events: number
  eventsPerSec: number
  samples: SoakSample[]
  /** Slopes over the samples taken after the engine first spilled to disk (MB per minute). */
  engineSlopeMbPerMin: number
  /**
   * The renderer's between samples whose windows held as many events (within 1%): its window fills
   * to a cap and is trimmed back, a saw-tooth of about 10 MB that a straight line through a minute
   * or two reads as growth or shrinkage depending on where the run ends. A straight line when no
   * two samples' windows match.
   */
  rendererSlopeMbPerMin: number
  /** The renderer's slope as a straight line through the same samples. */
  rendererLineSlopeMbPerMin?: number
  spilledAtS: number | null
  peakEngineRssMb: number
  peakRendererRssMb: number
  peakTotalRssMb: number
  /**
   * The same peak in PSS. RSS counts every shared page (Chromium's libraries, fonts, V8's snapshot)
   * once in each of its processes; PSS splits it among them, so the sum is what the app costs.
   */
  peakTotalPssMb?: number
  clientReceived: number
  clientGaps: number
  rendererTotal: number
  savedEvents: number
  savedMb: number
  savedContiguous: boolean
  lost: number
  errors: string[]
}

function procMb(file: string, key: RegExp): number {
  try {
    const m = key.exec(readFileSync(file, 'utf8'))
    return m ? Number(m[1]) / 1024 : 0
  } catch {
    return 0
  }
}
const rssMb = (pid: number): number => procMb(`/proc/${pid}/status`, /VmRSS:\s+(\d+) kB/)
const pssMb = (pid: number): number => procMb(`/proc/${pid}/smaps_rollup`, /^Pss:\s+(\d+) kB/m)

async function rendererMemory(browser: Browser, cdp: CDPSession): Promise<{ heapMb: number; rssMb: number; pssMb: number }> {
  await cdp.send('HeapProfiler.collectGarbage')
  const u = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; backingStorageSize?: number }
  const b = await browser.newBrowserCDPSession()
  const { processInfo } = (await b.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; id: number }[] }
  await b.detach()
  const renderers = processInfo.filter((p) => p.type === 'renderer')
  return {
    heapMb: (u.usedSize + (u.backingStorageSize ?? 0)) / 1e6,
    rssMb: renderers.reduce((n, p) => n + rssMb(p.id), 0),
    pssMb: renderers.reduce((n, p) => n + pssMb(p.id), 0)
  }
}

export async function runSoak(
  browser: Browser | null,
  o: { scene?: string; seconds: number; rate?: number; subscribers?: number; memoryBudgetMb?: number; everySec?: number }
): Promise<SoakResult> {
  const scene = o.scene ?? 'mqtt'
  const rate = o.rate ?? 1000
  const budget = o.memoryBudgetMb ?? 48
  const every = o.everySec ?? 5
  const lab = new Lab({ ephemeralPorts: true, session: { memoryBudget: budget * 1024 * 1024 } })
  const host = await startWebHost({ port: 0, lab })
  const client = await BridgeClient.open(host.port, false)
  let received = 0
  let maxSeq = 0
  client.onPacket((_r, events) => {
    for (const e of events)
      if (e.seq > maxSeq) {
        maxSeq = e.seq
        received++
      }
  })
  await client.follow(1)
  let page: Page | null = null
  let cdp: CDPSession | null = null
  if (browser) {
    page = await openPage(browser, host.url)
    cdp = await page.context().newCDPSession(page)
    await cdp.send('HeapProfiler.enable')
  }
  await lab.start(scene, {})
  if (page) await page.getByTestId('pb-live').click().catch(() => undefined)
  const hasBurst = lab.scenes().find((s) => s.id === scene)?.actions.some((a) => a.id === 'burst')
  const errors: string[] = []
  const started = performance.now()
  const elapsed = (): number => (performance.now() - started) / 1000
  let running = true
  const load = (async () => {
    while (running) {
      try {
        if (hasBurst) {
          const r = await lab.action('burst', { count: Math.max(100, rate * 2), rate, subscribers: o.subscribers ?? 10 })
          if (!r.ok) errors.push(JSON.stringify(r.message))
        } else await lab.script()
      } catch (err) {
        errors.push(err instanceof Error ? err.message : String(err))
        if (errors.length > 20) break
      }
    }
  })()
  const samples: SoakSample[] = []
  let spilledAtS: number | null = null
  while (elapsed() < o.seconds) {
    await sleep(every * 1000)
    const m = engineMemory()
    const st = lab.session.stats()
    if (st.bytesOnDisk > 0 && spilledAtS === null) spilledAtS = Math.round(elapsed())
    // After a collection: what the renderer keeps, not garbage waiting for the next one.
    const r = browser && cdp ? await rendererMemory(browser, cdp) : { heapMb: 0, rssMb: 0, pssMb: 0 }
    const rs = page ? await probe(page) : null
    samples.push({
      s: Math.round(elapsed()),
      events: st.events,
      engineMb: round(m.totalMb),
      engineRssMb: round(m.rssMb),
      enginePssMb: round(pssMb(process.pid)),
      onDiskMb: round(st.bytesOnDisk / 1e6),
      rendererMb: round(r.heapMb),
      rendererRssMb: round(r.rssMb),
      rendererPssMb: round(r.pssMb),
      rendererWindow: rs ? rs.storeCount : 0,
      rendererTotal: rs ? rs.storeSeq : 0,
      clientReceived: received
    })
    const x = samples.at(-1)!
    log(
      `  ${String(x.s).padStart(5)} s  events ${x.events}  engine ${x.engineMb} MB (rss ${x.engineRssMb}, pss ${x.enginePssMb})  disk ${x.onDiskMb} MB  renderer ${x.rendererMb} MB (rss ${x.rendererRssMb}, pss ${x.rendererPssMb})  client ${x.clientReceived}`
    )
  }
  running = false
  await load
  const loadSeconds = elapsed()
  const events = lab.session.size
  // Nothing lost: the client gets everything, the renderer knows the whole log, the save holds it all.
  const drain = performance.now()
  while (received < events && performance.now() - drain < 30_000) await sleep(50)
  const rendererTotal = page
    ? await page.evaluate(() => Number(document.querySelector('[data-testid=pb-step]')?.textContent?.split('/')[1] ?? 0))
    : 0
  let contiguous = true
  let seq = 0
  for (const e of lab.session.iterate(1)) {
    if (e.seq !== seq + 1) contiguous = false
    seq = e.seq
  }
  let savedBytes = 0
  const saveStarted = performance.now()
  const saved = await writeSessionFile(lab.session, scene, (piece) => {
    savedBytes += piece.length
  })
  const saveSeconds = (performance.now() - saveStarted) / 1000
  const after = samples.filter((x) => spilledAtS !== null && x.s >= spilledAtS)
  const perMin = (ys: number[], xs: number[]): number => round(slope(xs, ys) * 60, 2)
  const at = after.map((x) => x.s)
  const rendererMb = after.map((x) => x.rendererMb)
  const rendererLine = slope(at, rendererMb)
  const result: SoakResult = {
    scene,
    seconds: Math.round(loadSeconds),
    rate,
    memoryBudgetMb: budget,
    events,
    eventsPerSec: Math.round(events / Math.max(1, loadSeconds)),
    saveSeconds: Math.round(saveSeconds),
    samples,
    engineSlopeMbPerMin: perMin(after.map((x) => x.engineMb), at),
    rendererSlopeMbPerMin: round((slopeAtEqual(at, after.map((x) => x.rendererWindow), rendererMb) ?? rendererLine) * 60, 2),
    rendererLineSlopeMbPerMin: round(rendererLine * 60, 2),
    spilledAtS,
    peakEngineRssMb: Math.max(0, ...samples.map((x) => x.engineRssMb)),
    peakRendererRssMb: Math.max(0, ...samples.map((x) => x.rendererRssMb)),
    peakTotalRssMb: Math.max(0, ...samples.map((x) => x.engineRssMb + x.rendererRssMb)),
    peakTotalPssMb: round(Math.max(0, ...samples.map((x) => x.enginePssMb + x.rendererPssMb))),
    clientReceived: received,
    clientGaps: client.gaps,
    rendererTotal,
    savedEvents: saved,
    savedMb: round(savedBytes / 1e6),
    savedContiguous: contiguous && seq === events,
    lost: events - Math.min(received, saved),
    errors: errors.slice(0, 5)
  }
  client.close()
  if (page) await page.close()
  await host.close()
  lab.session.dispose()
  return result
}
