// Chromium through browser mode, measured from outside: a probe in the page stamps each event when
// its packet reaches the page's WebSocket and when the store has it (the app's `wirelab:ingest`
// event), and samples frame times; CDP gives the JS heap (with ArrayBuffer backing stores) and the
// renderer's CPU time, which do not depend on how busy the machine is.
import type { Browser, CDPSession, Page } from '@playwright/test'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { spawnSync } from 'node:child_process'
import { pct, round } from './stats'

/** Installed before the app loads. Walks each log packet's entries to read every event's seq and time. */
export const PAGE_PROBE = `
(() => {
  const now = () => performance.timeOrigin + performance.now()
  const b = (window.__bench = {
    arrive: [], inStore: [], pending: [], received: 0, maxSeq: 0, storeSeq: 0, stored: 0, storeCount: 0,
    frames: [], sampling: false, measure: false, packets: 0
  })
  const Orig = window.WebSocket
  window.WebSocket = class extends Orig {
    constructor(...args) {
      super(...args)
      this.addEventListener('message', (ev) => {
        if (!(ev.data instanceof ArrayBuffer)) return
        const at = now()
        const u8 = new Uint8Array(ev.data)
        if (u8.length < 48 || u8[0] !== 0x57) return
        b.packets++
        const dv = new DataView(ev.data)
        const n = dv.getUint16(2, true)
        let p = 48
        for (let s = 0; s < n; s++) {
          const chunk = dv.getUint32(p, true)
          const end = p + 12 + dv.getUint32(p + 8, true)
          let q = p + 12
          if (chunk !== 0xffffffff)
            while (q + 5 <= end) {
              const tag = u8[q]
              const len = dv.getUint32(q + 1, true)
              if (tag !== 0 && tag !== 14) {
                const seq = dv.getUint32(q + 5, true)
                if (seq > b.maxSeq) {
                  b.maxSeq = seq
                  b.received++
                  if (b.measure) {
                    const t = dv.getFloat64(q + 9, true)
                    b.arrive.push(at - t)
                    b.pending.push(seq, t)
                  }
                }
              }
              q += 5 + len
            }
          p = end
        }
      })
    }
  }
  window.addEventListener('wirelab:ingest', (ev) => {
    const at = now()
    const last = ev.detail.lastSeq
    b.storeCount = ev.detail.count
    if (last > b.storeSeq) {
      b.stored += last - b.storeSeq
      b.storeSeq = last
    }
    let i = 0
    while (i < b.pending.length && b.pending[i] <= last) {
      b.inStore.push(at - b.pending[i + 1])
      i += 2
    }
    if (i) b.pending.splice(0, i)
  })
  let last = 0
  const loop = (t) => { if (b.sampling && last) b.frames.push(t - last); last = t; requestAnimationFrame(loop) }
  requestAnimationFrame(loop)
})()
`

export interface Probe {
  arrive: number[]
  inStore: number[]
  received: number
  maxSeq: number
  storeSeq: number
  stored: number
  storeCount: number
  frames: number[]
  packets: number
}

export async function launch(root: string): Promise<Browser> {
  if (!existsSync(path.join(root, 'out', 'renderer', 'index.html')))
    spawnSync(process.execPath, [path.join(root, 'scripts', 'build-if-needed.js')], { stdio: 'inherit' })
  const { chromium } = await import('@playwright/test')
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--enable-precise-memory-info'
    ]
  })
}

export async function openPage(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } })
  await page.addInitScript(PAGE_PROBE)
  await page.goto(url)
  await page.getByTestId('connection').and(page.locator('[data-state=open]')).waitFor({ timeout: 60_000 })
  return page
}

export const probe = (page: Page): Promise<Probe> =>
  page.evaluate(() => {
    const b = (globalThis as unknown as { __bench: Probe & { arrive: number[] } }).__bench
    return { ...b, arrive: b.arrive, inStore: b.inStore }
  })

export async function measure(page: Page, on: boolean): Promise<void> {
  await page.evaluate((v) => {
    const b = (globalThis as unknown as { __bench: { measure: boolean; arrive: number[]; inStore: number[]; pending: number[] } }).__bench
    b.measure = v
    if (v) {
      b.arrive = []
      b.inStore = []
      b.pending = []
    }
  }, on)
}

/** Page clock minus engine clock (ms), from the sample with the shortest round trip. */
export async function clockOffset(page: Page): Promise<{ offset: number; error: number }> {
  let best = { offset: 0, error: Number.POSITIVE_INFINITY }
  for (let i = 0; i < 15; i++) {
    const before = performance.timeOrigin + performance.now()
    const theirs = await page.evaluate('performance.timeOrigin + performance.now()')
    const after = performance.timeOrigin + performance.now()
    if ((after - before) / 2 < best.error)
      best = { offset: Number(theirs) - (before + after) / 2, error: (after - before) / 2 }
  }
  return best
}

export async function sampleFrames(
  page: Page,
  during: () => Promise<unknown>
): Promise<{ p50: number; p95: number; frames: number }> {
  await page.evaluate(() => {
    const b = (globalThis as unknown as { __bench: { frames: number[]; sampling: boolean } }).__bench
    b.frames = []
    b.sampling = true
  })
  await during()
  const frames = await page.evaluate(() => {
    const b = (globalThis as unknown as { __bench: { frames: number[]; sampling: boolean } }).__bench
    b.sampling = false
    return b.frames
  })
  return { p50: round(pct(frames, 50), 1), p95: round(pct(frames, 95), 1), frames: frames.length }
}

export async function cdpOf(page: Page): Promise<CDPSession> {
  const cdp = await page.context().newCDPSession(page)
  // Durations in CPU time of the renderer's main thread, not wall time: load-independent.
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' })
  return cdp
}

export interface RendererCpu {
  /** CPU seconds of the renderer's main thread and of its whole process. */
  thread: number
  process: number
  script: number
  layout: number
  style: number
}

export async function rendererCpu(cdp: CDPSession): Promise<RendererCpu> {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] }
  const m = Object.fromEntries(metrics.map((x) => [x.name, x.value]))
  return {
    thread: m.ThreadTime ?? 0,
    process: m.ProcessTime ?? 0,
    script: m.ScriptDuration ?? 0,
    layout: m.LayoutDuration ?? 0,
    style: m.RecalcStyleDuration ?? 0
  }
}

export function cpuDelta(a: RendererCpu, b: RendererCpu): RendererCpu {
  return {
    thread: b.thread - a.thread,
    process: b.process - a.process,
    script: b.script - a.script,
    layout: b.layout - a.layout,
    style: b.style - a.style
  }
}

/** JS heap after GC, including ArrayBuffer backing stores (the packets the window keeps). */
export async function rendererHeapMb(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('HeapProfiler.enable')
  await cdp.send('HeapProfiler.collectGarbage')
  await cdp.send('HeapProfiler.collectGarbage')
  const u = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; backingStorageSize?: number }
  await cdp.detach()
  return (u.usedSize + (u.backingStorageSize ?? 0)) / 1e6
}
