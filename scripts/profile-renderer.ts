// Profiles the renderer's main thread (Chromium, browser mode) while recorded MQTT PDUs are
// appended at a set rate, and prints the functions with the most self time.
//   node --import tsx scripts/profile-renderer.ts [rate] [seconds] [scene]
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import type { PduEvent } from '../src/shared/events'
import { Lab } from '../src/main/lab/lab'
import { startWebHost } from '../src/main/web'
import { recordFixtures } from '../src/main/lab/testing/fuzz-harness'

async function main(): Promise<void> {
  const rate = Number(process.argv[2] ?? 10000)
  const seconds = Number(process.argv[3] ?? 3)
  const scene = process.argv[4] ?? 'tcp-udp-echo'
  const rec = await recordFixtures({ times: 2, only: ['mqtt'] })
  const pdus = [...rec.sessions.values()].flatMap((evs) => evs.filter((e): e is PduEvent => e.kind === 'pdu' && e.data.length <= 300 && e.protocol === 'mqtt'))
  const lab = new Lab({ ephemeralPorts: true })
  await lab.start(scene === 'big' ? 'tcp-udp-echo' : scene, {})
  if (scene === 'big') {
    const { pingPong } = await import('./perf/load')
    const port = lab.status()!.ports.find((p) => p.transport === 'tcp')!.port
    await pingPong(port, rate)
  }
  const host = await startWebHost({ port: 0, lab, root: process.env.PROF_ROOT ?? path.join(__dirname, '..', 'out', 'renderer') })
  const { chromium } = await import('@playwright/test')
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] })
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } })
  const cdp = await page.context().newCDPSession(page)
  if (scene === 'big') {
    await cdp.send('Profiler.enable')
    await cdp.send('Profiler.setSamplingInterval', { interval: 500 })
    await cdp.send('Profiler.start')
  }
  // Which components render, and how often (PROF_RENDERS=1): React reports each commit to a
  // devtools hook; a component rendered in it if its props or hook state are new objects.
  if (process.env.PROF_RENDERS)
    await page.addInitScript(`(() => {
      const counts = (window.__renders = {})
      const seen = new WeakMap()
      window.__REACT_DEVTOOLS_GLOBAL_HOOK__ = {
        supportsFiber: true, renderers: new Map(), inject() { return 1 }, onCommitFiberUnmount() {}, onPostCommitFiberRoot() {}, checkDCE() {},
        onCommitFiberRoot(_id, root) {
          counts['(commits)'] = (counts['(commits)'] || 0) + 1
          // A component that rendered while no component above it did started the update (^name).
          const walk = (f, above) => {
            for (; f; f = f.sibling) {
              let rendered = above
              if (typeof f.type === 'function' || (f.type && typeof f.type === 'object')) {
                const t = f.type.type || f.type.render || f.type
                const name = t.displayName || t.name || '?'
                const prev = seen.get(f) || (f.alternate && seen.get(f.alternate))
                const fresh = !!prev && (prev.p !== f.memoizedProps || prev.s !== f.memoizedState)
                seen.set(f, { p: f.memoizedProps, s: f.memoizedState })
                if (f.alternate) seen.set(f.alternate, { p: f.memoizedProps, s: f.memoizedState })
                if (fresh) {
                  counts[name] = (counts[name] || 0) + 1
                  if (!above) counts['^' + name] = (counts['^' + name] || 0) + 1
                  rendered = true
                }
              }
              walk(f.child, rendered)
            }
          }
          walk(root.current.child, false)
        }
      }
    })()`)
  const t0 = performance.now()
  page.on('pageerror', (e) => console.log('pageerror:', e.message))
  page.on('console', (m) => { if (m.type() === 'error') console.log('console:', m.text()) })
  await page.goto(host.url)
  await page.getByTestId('connection').and(page.locator('[data-state=open]')).waitFor({ timeout: 30_000 })
  await cdp.send('Performance.enable')
  const metrics = async (): Promise<Record<string, number>> =>
    Object.fromEntries(((await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] }).metrics.map((m) => [m.name, m.value]))
  const m0 = await metrics()
  if (scene !== 'big') {
    await cdp.send('Profiler.enable')
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 })
    if (!process.env.PROF_OFF) await cdp.send('Profiler.start')
  }
  // Frame intervals while the load runs.
  // (A string: tsx would wrap a function with a helper the page does not have.)
  await page.evaluate(`(() => {
    window.__frames = []
    let last = performance.now()
    const step = (t) => { window.__frames.push(t - last); last = t; requestAnimationFrame(step) }
    requestAnimationFrame(step)
    window.__loaf = []
    try {
      new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__loaf.push(e.toJSON()) })
        .observe({ type: 'long-animation-frame', buffered: false })
    } catch {}
  })()`)
  // A Chromium trace of the load, or of the scrolling (PROF_TRACE=file): where each thread's time goes, by event.
  if (process.env.PROF_TRACE && scene !== 'big') await browser.startTracing(page, { path: process.env.PROF_TRACE, categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel', 'cc', 'gpu', 'blink', ...(process.env.PROF_INVALIDATION ? ['disabled-by-default-devtools.timeline.invalidationTracking'] : [])] })
  let sent = 0
  const started = performance.now()
  if (scene === 'big') {
    await page.waitForFunction((n) => {
      const el = document.querySelector('[data-testid=pb-step]')
      return !!el && Number(el.textContent?.split('/')[0]) >= n
    }, rate * 4 - 10, { timeout: 300_000, polling: 200 })
    console.log(`loaded in ${Math.round(performance.now() - t0)} ms`)
    if (process.env.PROF_SCROLL) {
      // Then scrolling the packet list as the bench does (PROF_SCROLL=1): only those frames count.
      const { SCROLL_FOR_4S } = await import('./perf/browser')
      await new Promise((r) => setTimeout(r, 1500))
      await page.evaluate('window.__frames = []; window.__loaf = []')
      if (process.env.PROF_TRACE) await browser.startTracing(page, { path: process.env.PROF_TRACE, categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel', 'blink'] })
      if (!process.env.PROF_OFF) {
        await cdp.send('Profiler.stop')
        await cdp.send('Profiler.start')
      }
      await page.evaluate(SCROLL_FOR_4S)
    }
  } else if (scene === 'mqtt') {
    await page.getByTestId('pb-live').click().catch(() => undefined)
    await lab.action('burst', { count: rate * seconds, rate, subscribers: 10 })
  } else await new Promise<void>((resolve) => {
    const tick = (): void => {
      const due = Math.min(rate * seconds, Math.floor(((performance.now() - started) / 1000) * rate))
      for (; sent < due; sent++) {
        const p = pdus[sent % pdus.length]
        lab.session.append({ kind: 'pdu', conn: p.conn, dir: p.dir, protocol: p.protocol, summary: p.summary, fields: p.fields, data: p.data, offset: p.offset, ...(p.keys ? { keys: p.keys } : {}) })
      }
      if (sent >= rate * seconds) resolve()
      else setTimeout(tick, 2)
    }
    tick()
  })
  await new Promise((r) => setTimeout(r, 1000))
  if (process.env.PROF_TRACE) await browser.stopTracing()
  if (process.env.PROF_RENDERS) {
    const renders = Object.entries((await page.evaluate('window.__renders')) as Record<string, number>).sort((a, b) => b[1] - a[1])
    console.log('renders (whole run): ' + renders.slice(0, 45).map(([k, n]) => `${k} ${n}`).join(', '))
  }
  const { profile } = (process.env.PROF_OFF && scene !== 'big' ? { profile: { nodes: [], samples: [], timeDeltas: [] } } : await cdp.send('Profiler.stop')) as { profile: { nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; children?: number[] }[]; samples: number[]; timeDeltas: number[] } }
  const m1 = await metrics()
  const frames = ((await page.evaluate('window.__frames')) as number[]).slice(1).sort((a, b) => a - b)
  const at = (q: number): string => (frames[Math.min(frames.length - 1, Math.floor((q / 100) * frames.length))] ?? 0).toFixed(1)
  type Loaf = { duration: number; blockingDuration: number; renderStart: number; styleAndLayoutStart: number; startTime: number; scripts: { invoker: string; duration: number; forcedStyleAndLayoutDuration: number; sourceFunctionName: string; sourceURL: string; sourceCharPosition: number }[] }
  const loafs = (await page.evaluate('window.__loaf')) as Loaf[]
  // Where a frame's script starts: line:column in the served bundle.
  const bundles = new Map<string, string>()
  const lineAt = (url: string, at: number): string => {
    if (!url || at < 0) return '?'
    const file = path.join(process.env.PROF_ROOT ?? path.join(__dirname, '..', 'out', 'renderer'), new URL(url).pathname)
    if (!bundles.has(file)) bundles.set(file, existsSync(file) ? readFileSync(file, 'utf8') : '')
    const text = bundles.get(file)!.slice(0, at)
    return `${text.split('\n').length}`
  }
  for (const l of loafs.filter((x) => x.duration > 20).sort((a, b) => (process.env.PROF_LONGEST ? b.duration - a.duration : 0)).slice(0, Number(process.env.PROF_LOAF ?? 15)))
    console.log(
      `long frame ${l.duration.toFixed(0)} ms (render ${(l.startTime + l.duration - l.renderStart).toFixed(0)}, style+layout ${(l.startTime + l.duration - l.styleAndLayoutStart).toFixed(0)}): ` +
        l.scripts.map((x) => `${x.invoker}${x.sourceFunctionName ? '/' + x.sourceFunctionName : ''}${process.env.PROF_AT ? `@${lineAt(x.sourceURL, x.sourceCharPosition)}` : ''} ${x.duration.toFixed(0)}${x.forcedStyleAndLayoutDuration ? ` (forced layout ${x.forcedStyleAndLayoutDuration.toFixed(0)})` : ''}`).join(', ')
    )
  console.log(`frames: ${frames.length}, p50 ${at(50)} ms, p95 ${at(95)} ms, p99 ${at(99)} ms, over 20 ms: ${frames.filter((f) => f > 20).length}, longest ${at(100)} ms`)
  for (const k of ['TaskDuration', 'ScriptDuration', 'LayoutDuration', 'RecalcStyleDuration', 'LayoutCount', 'RecalcStyleCount', 'Nodes'])
    console.log(`${k}: ${(k.endsWith('Duration') ? (m1[k] - m0[k]) * 1000 : m1[k] - m0[k]).toFixed(1)}${k.endsWith('Duration') ? ' ms' : ''}`)
  const self = new Map<string, number>()
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const dt = new Map<number, number>()
  profile.samples.forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)))
  let total = 0
  for (const [id, us] of dt) {
    const n = byId.get(id)!
    const key = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`
    self.set(key, (self.get(key) ?? 0) + us)
    total += us
  }
  const rows = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 40)
  console.log(`total ${(total / 1000).toFixed(0)} ms over ${(seconds + 1)} s`)
  for (const [k, us] of rows) console.log(`${(us / 1000).toFixed(1).padStart(8)} ms  ${((us / total) * 100).toFixed(1).padStart(5)}%  ${k}`)
  // Inclusive time (the function and what it called), for the application's own functions.
  const parent = new Map<number, number>()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const inclusive = new Map<string, number>()
  for (const [id, us] of dt) {
    const seen = new Set<string>()
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const n = byId.get(at)!
      if (!n.callFrame.url) continue
      const key = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`
      if (seen.has(key)) continue
      seen.add(key)
      inclusive.set(key, (inclusive.get(key) ?? 0) + us)
    }
  }
  // Native calls (DOM reads that lay the page out, writes) by the application function that made them.
  if (process.env.PROF_NATIVE) {
    const native = new Map<string, number>()
    for (const [id, us] of dt) {
      const n = byId.get(id)!
      if (n.callFrame.url || n.callFrame.functionName.startsWith('(')) continue
      let caller = parent.get(id)
      while (caller !== undefined && !byId.get(caller)!.callFrame.url) caller = parent.get(caller)
      const c = caller === undefined ? undefined : byId.get(caller)!.callFrame
      const key = `${n.callFrame.functionName} ← ${c ? `${c.functionName || '(anon)'}:${c.lineNumber}` : '?'}`
      native.set(key, (native.get(key) ?? 0) + us)
    }
    console.log('native calls by caller:')
    for (const [k, us] of [...native.entries()].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`${(us / 1000).toFixed(1).padStart(8)} ms  ${k}`)
  }
  const only = new RegExp(process.env.PROF_FILTER ?? '')
  // What long tasks are made of (PROF_BLOCK=ms): runs of samples without an idle one between,
  // longer than the given time, with each application function's inclusive time within them.
  if (process.env.PROF_BLOCK) {
    const min = Number(process.env.PROF_BLOCK) * 1000
    const inBlocks = new Map<string, number>()
    let block: number[] = []
    let blockUs = 0
    let blocks = 0
    let blocksUs = 0
    const close = (): void => {
      if (blockUs >= min) {
        blocks++
        blocksUs += blockUs
        for (const i of block) {
          const seen = new Set<string>()
          for (let at: number | undefined = profile.samples[i]; at !== undefined; at = parent.get(at)) {
            const n = byId.get(at)!
            const key = n.callFrame.url ? `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}` : n.callFrame.functionName
            if (seen.has(key)) continue
            seen.add(key)
            inBlocks.set(key, (inBlocks.get(key) ?? 0) + (profile.timeDeltas[i + 1] ?? 0))
          }
        }
      }
      block = []
      blockUs = 0
    }
    profile.samples.forEach((id, i) => {
      if (byId.get(id)!.callFrame.functionName === '(idle)') close()
      else {
        block.push(i)
        blockUs += profile.timeDeltas[i + 1] ?? 0
      }
    })
    close()
    console.log(`tasks over ${process.env.PROF_BLOCK} ms: ${blocks}, ${(blocksUs / 1000).toFixed(0)} ms in all; inside them:`)
    for (const [k, us] of [...inBlocks.entries()].filter(([k]) => only.test(k)).sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.PROF_INCLUSIVE ?? 40)))
      console.log(`${(us / 1000).toFixed(1).padStart(8)} ms  ${k}`)
  }
  console.log('inclusive:')
  for (const [k, us] of [...inclusive.entries()].filter(([k]) => only.test(k)).sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.PROF_INCLUSIVE ?? 40)))
    console.log(`${(us / 1000).toFixed(1).padStart(8)} ms  ${k}`)
  await browser.close()
  await host.close()
}
main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1) })
