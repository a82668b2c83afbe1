// Chromium through browser mode: time to interactive, delivery into the renderer at 1k/10k/20k
// PDUs/s, the MQTT lesson's own load action, and a 100,000-PDU session (load time, memory,
// scrolling). Besides wall-clock frame times (which a busy machine stretches), each figure records
// the renderer main thread's CPU time per event, which it does not.
import type { Browser, Page } from '@playwright/test'
import type { PduEvent } from '../../src/shared/events'
import { Lab } from '../../src/main/lab/lab'
import { startWebHost } from '../../src/main/web'
import { appendAtRate } from './load'
import {
  cdpOf,
  clockOffset,
  cpuDelta,
  measure,
  openPage,
  probe,
  rendererCpu,
  rendererHeapMb,
  sampleFrames
} from './renderer'
import { loadavg, log, median, pct, round, sleep, type Target } from './stats'

const FRAME = 1000 / 60

export const SCROLL_FOR_4S = `new Promise((resolve) => {
  const el = document.querySelector('[data-testid=view-packets] .pkt-body')
  const started = performance.now()
  const step = () => {
    el.scrollTop += 400
    if (el.scrollTop + el.clientHeight >= el.scrollHeight - 1) el.scrollTop = 0
    if (performance.now() - started < 4000) requestAnimationFrame(step)
    else resolve()
  }
  requestAnimationFrame(step)
})`

export interface RendererDelivery {
  rate: number
  lost: number
  notInStore: number
  arriveP50: number
  arriveP99: number
  inStoreP50: number
  inStoreP99: number
  frameP50: number
  frameP95: number
  /** Renderer main thread CPU per event (µs), and what that costs per frame at this rate (ms). */
  mainCpuUsPerEvent: number
  mainCpuMsPerFrame: number
  processCpuUsPerEvent: number
}

async function waitStored(page: Page, base: number, n: number, ms: number): Promise<void> {
  const deadline = performance.now() + ms
  while (performance.now() < deadline) {
    const p = await probe(page)
    if (p.stored - base >= n) return
    await sleep(25)
  }
}

export async function deliveryAt(browser: Browser, pdus: PduEvent[], rate: number, runs: number): Promise<RendererDelivery> {
  const all: RendererDelivery[] = []
  for (let r = 0; r < Math.min(runs, 3); r++) {
    const lab = new Lab({ ephemeralPorts: true })
    await lab.start('tcp-udp-echo', {})
    const host = await startWebHost({ port: 0, lab })
    const page = await openPage(browser, host.url)
    const clock = await clockOffset(page)
    const cdp = await cdpOf(page)
    await measure(page, true)
    const base = await probe(page)
    const cpu0 = await rendererCpu(cdp)
    let sent = 0
    const frames = await sampleFrames(page, async () => {
      sent = await appendAtRate(lab, pdus, rate, 3)
    })
    await waitStored(page, base.stored, sent, 10_000)
    const cpu = cpuDelta(cpu0, await rendererCpu(cdp))
    const p = await probe(page)
    all.push({
      rate,
      lost: sent - (p.received - base.received),
      notInStore: sent - (p.stored - base.stored),
      arriveP50: pct(p.arrive, 50) - clock.offset,
      arriveP99: pct(p.arrive, 99) - clock.offset,
      inStoreP50: pct(p.inStore, 50) - clock.offset,
      inStoreP99: pct(p.inStore, 99) - clock.offset,
      frameP50: frames.p50,
      frameP95: frames.p95,
      mainCpuUsPerEvent: (cpu.thread * 1e6) / sent,
      mainCpuMsPerFrame: ((cpu.thread * 1e6) / sent) * (rate / 60) / 1000,
      processCpuUsPerEvent: (cpu.process * 1e6) / sent
    })
    await page.close()
    await host.close()
  }
  const m = (f: (x: RendererDelivery) => number, d = 2): number => round(median(all.map(f)), d)
  return {
    rate,
    lost: Math.max(...all.map((x) => x.lost)),
    notInStore: Math.max(...all.map((x) => x.notInStore)),
    arriveP50: m((x) => x.arriveP50),
    arriveP99: m((x) => x.arriveP99),
    inStoreP50: m((x) => x.inStoreP50),
    inStoreP99: m((x) => x.inStoreP99),
    frameP50: m((x) => x.frameP50, 1),
    frameP95: m((x) => x.frameP95, 1),
    mainCpuUsPerEvent: m((x) => x.mainCpuUsPerEvent),
    mainCpuMsPerFrame: m((x) => x.mainCpuMsPerFrame),
    processCpuUsPerEvent: m((x) => x.processCpuUsPerEvent)
  }
}

export async function timeToInteractive(browser: Browser, runs: number): Promise<number[]> {
  const tti: number[] = []
  for (let r = 0; r < runs; r++) {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } })
    const t0 = performance.now()
    const host = await startWebHost({ port: 0, ephemeralPorts: true })
    await page.goto(host.url)
    await page.getByTestId('connection').and(page.locator('[data-state=open]')).waitFor()
    await page.locator('[data-testid=lesson-picker] option[value="tcp-udp-echo"]').waitFor({ state: 'attached' })
    tti.push(performance.now() - t0)
    await page.close()
    await host.close()
  }
  return tti
}

export interface FanoutRun {
  p50: number
  p95: number
  frames: number
  /** Events of the burst not yet in the renderer's store 300 ms after the action returned. */
  notInStore: number
  events: number
  mainCpuUsPerEvent: number
}

/** The MQTT lesson's own load action (1,000 msg/s to 10 subscribers) with the app following live. */
export async function mqttBurst(browser: Browser, runs: number): Promise<FanoutRun> {
  const fan: FanoutRun[] = []
  for (let r = 0; r < Math.min(runs, 3); r++) {
    const lab = new Lab({ ephemeralPorts: true })
    await lab.start('mqtt', {})
    const host = await startWebHost({ port: 0, lab })
    const page = await openPage(browser, host.url)
    await page.getByTestId('pb-live').click().catch(() => undefined)
    const cdp = await cdpOf(page)
    const base = await probe(page)
    const sizeBefore = lab.session.size
    const cpu0 = await rendererCpu(cdp)
    const f = await sampleFrames(page, () => lab.action('burst', { count: 3000, rate: 1000, subscribers: 10 }))
    await sleep(300)
    const p = await probe(page)
    const events = lab.session.size - sizeBefore
    const cpu = cpuDelta(cpu0, await rendererCpu(cdp))
    fan.push({ ...f, events, notInStore: events - (p.stored - base.stored), mainCpuUsPerEvent: (cpu.thread * 1e6) / events })
    await page.close()
    await host.close()
  }
  const mid = fan.sort((a, b) => a.p95 - b.p95)[fan.length >> 1]
  return { ...mid, notInStore: Math.max(...fan.map((x) => x.notInStore)), mainCpuUsPerEvent: round(mid.mainCpuUsPerEvent, 2) }
}

/** A long real session (the engine-memory run's echo traffic): load time, memory, scrolling. */
export async function bigSession(browser: Browser, lab: Lab): Promise<Record<string, number>> {
  let pdus = 0
  for (const e of lab.session.iterate(1)) if (e.kind === 'pdu') pdus++
  const emptyHost = await startWebHost({ port: 0, ephemeralPorts: true })
  const emptyPage = await openPage(browser, emptyHost.url)
  const heapEmpty = await rendererHeapMb(emptyPage)
  await emptyPage.close()
  await emptyHost.close()
  const host = await startWebHost({ port: 0, lab })
  const t0 = performance.now()
  const page = await openPage(browser, host.url)
  await page.locator('[data-testid=packet-row]').first().waitFor({ timeout: 120_000 })
  const firstRowMs = performance.now() - t0
  while ((await probe(page)).storeSeq < lab.session.size && performance.now() - t0 < 120_000) await sleep(20)
  const loadMs = performance.now() - t0
  const heapFull = await rendererHeapMb(page)
  const stored = (await probe(page)).stored
  const scroll = await sampleFrames(page, () => page.evaluate(SCROLL_FOR_4S))
  const rows = await page.locator('[data-testid=packet-row]').count()
  await page.close()
  await host.close()
  return {
    pdus,
    events: lab.session.size,
    eventsInRenderer: stored,
    firstRowMs: Math.round(firstRowMs),
    loadMs: Math.round(loadMs),
    rendererHeapMbEmpty: round(heapEmpty),
    rendererHeapMbLoaded: round(heapFull),
    rendererBytesPerPdu: Math.round(((heapFull - heapEmpty) * 1e6) / pdus),
    scrollFrameP50: scroll.p50,
    scrollFrameP95: scroll.p95,
    rowsInDom: rows
  }
}

/** The rows for what the browser section measured. */
export function browserTargets(
  targets: Target[],
  d: Record<number, RendererDelivery>,
  fan: FanoutRun,
  big: Record<string, number> | null,
  load: number[]
): void {
  const cpuNote = (x: RendererDelivery): string =>
    `renderer main thread ${x.mainCpuUsPerEvent} µs CPU per event = ${x.mainCpuMsPerFrame} ms of each ${round(FRAME, 1)} ms frame at this rate`
  const d1 = d[1_000]
  const d10 = d[10_000]
  const d20 = d[20_000]
  if (d10)
    targets.push({
      name: '10,000 PDUs/s into the renderer: lost, frame p95',
      target: '0, ≤ 16.7 ms',
      measured: `lost ${d10.lost}, frame p95 ${d10.frameP95} ms`,
      met: d10.lost === 0 && d10.frameP95 <= 16.7 + 0.5,
      load,
      note: cpuNote(d10)
    })
  if (d20)
    targets.push({
      name: '20,000 PDUs/s into the renderer: lost, frame p95, arrival p99',
      target: '0, ≤ 20 ms, ≤ 100 ms',
      measured: `lost ${d20.lost}, frame p95 ${d20.frameP95} ms, arrival p99 ${d20.arriveP99} ms (in the store p99 ${d20.inStoreP99} ms)`,
      met: d20.lost === 0 && d20.frameP95 <= 20 && d20.arriveP99 <= 100,
      load,
      note: cpuNote(d20)
    })
  targets.push({
    name: 'MQTT load action 1,000 msg/s × 10 subscribers: frame p95',
    target: '≤ 20 ms',
    measured: `p50 ${fan.p50} ms, p95 ${fan.p95} ms (${fan.events} events)`,
    met: fan.p95 <= 20,
    load,
    note: `renderer main thread ${fan.mainCpuUsPerEvent} µs CPU per event`
  })
  targets.push({
    name: 'same: events not yet in the store 300 ms after the burst',
    target: '0',
    measured: String(fan.notInStore),
    met: fan.notInStore === 0,
    load
  })
  if (d1)
    targets.push({
      name: 'delivery p99 at 1,000 PDUs/s (store)',
      target: '≤ 30 ms',
      measured: `${d1.inStoreP99} ms to the store (${d1.arriveP99} ms to the page's socket)`,
      met: d1.inStoreP99 <= 30,
      load
    })
  if (big) {
    targets.push({
      name: 'renderer memory per PDU',
      target: '≤ 600 B',
      measured: `${big.rendererBytesPerPdu} B/PDU (JS heap + ArrayBuffers after GC, ${big.pdus} PDUs and their bytes events held)`,
      met: big.rendererBytesPerPdu <= 600,
      load
    })
    targets.push({
      name: `${Math.round(big.pdus / 1000)}k-PDU session load into the renderer`,
      target: '≤ 2 s',
      measured: `${big.loadMs} ms until all ${big.eventsInRenderer} events are in the store (first row after ${big.firstRowMs} ms)`,
      met: big.loadMs <= 2000,
      load
    })
    targets.push({
      name: 'frames while scrolling that session',
      target: 'p95 ≤ 20 ms',
      measured: `p50 ${big.scrollFrameP50} ms, p95 ${big.scrollFrameP95} ms (${big.rowsInDom} rows in the DOM)`,
      met: big.scrollFrameP95 <= 20,
      load
    })
  }
}

export { loadavg, log }
