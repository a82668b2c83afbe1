// A class at once: 20 `mosquitto_pub` publishers and 20 `mosquitto_sub` subscribers (QoS 1), all
// outside programs, talking to the MQTT lesson's broker through its tap while the app follows live
// in Chromium. Every subscriber must receive every message; frames are sampled meanwhile.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import type { Browser } from '@playwright/test'
import { Lab } from '../../src/main/lab/lab'
import { startWebHost } from '../../src/main/web'
import { cdpOf, cpuDelta, openPage, probe, rendererCpu, sampleFrames } from './renderer'
import { loadavg, log, round, sleep, type Target } from './stats'

export interface ClassroomResult {
  publishers: number
  subscribers: number
  messages: number
  expectedDeliveries: number
  deliveries: number
  lost: number
  events: number
  eventsPerSec: number
  notInStore: number
  frameP50: number
  frameP95: number
  mainCpuUsPerEvent: number
}

export function haveMosquittoClients(): boolean {
  return spawnSync('sh', ['-c', 'command -v mosquitto_pub && command -v mosquitto_sub']).status === 0
}

export async function classroom(
  browser: Browser,
  o: { publishers?: number; subscribers?: number; perSecond?: number; seconds?: number } = {}
): Promise<ClassroomResult> {
  const publishers = o.publishers ?? 20
  const subscribers = o.subscribers ?? 20
  const perSecond = o.perSecond ?? 2
  const seconds = o.seconds ?? 10
  const perPublisher = perSecond * seconds
  const messages = publishers * perPublisher
  const lab = new Lab({ ephemeralPorts: true })
  const status = await lab.start('mqtt', {})
  const port = status.ports.find((p) => p.name === 'mqtt')!.port
  const host = await startWebHost({ port: 0, lab })
  const page = await openPage(browser, host.url)
  await page.getByTestId('pb-live').click().catch(() => undefined)
  const children: ChildProcess[] = []
  try {
    let subacks = 0
    const off = lab.session.subscribe((e) => {
      if (e.kind === 'pdu' && e.protocol === 'mqtt' && e.summary.startsWith('SUBACK')) subacks++
    })
    const received = new Array<number>(subscribers).fill(0)
    const subsDone: Promise<void>[] = []
    for (let i = 0; i < subscribers; i++) {
      const c = spawn('mosquitto_sub', ['-h', '127.0.0.1', '-p', String(port), '-q', '1', '-t', 'class/#', '-C', String(messages), '-i', `student-sub-${i}`], {
        stdio: ['ignore', 'pipe', 'pipe']
      })
      children.push(c)
      c.stdout!.on('data', (d: Buffer) => {
        for (const b of d) if (b === 0x0a) received[i]++
      })
      subsDone.push(new Promise((r) => c.once('exit', () => r())))
    }
    const deadline = performance.now() + 15_000
    while (subacks < subscribers && performance.now() < deadline) await sleep(20)
    off()
    if (subacks < subscribers) throw new Error(`only ${subacks} of ${subscribers} subscribers were acknowledged`)
    const cdp = await cdpOf(page)
    const base = await probe(page)
    const sizeBefore = lab.session.size
    const cpu0 = await rendererCpu(cdp)
    const t0 = performance.now()
    const frames = await sampleFrames(page, async () => {
      const pubs: ChildProcess[] = []
      for (let i = 0; i < publishers; i++) {
        const c = spawn('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(port), '-q', '1', '-t', `class/student${i}`, '-l', '-i', `student-pub-${i}`], {
          stdio: ['pipe', 'ignore', 'pipe']
        })
        children.push(c)
        pubs.push(c)
      }
      for (let k = 0; k < perPublisher; k++) {
        const due = t0 + (k * 1000) / perSecond
        const wait = due - performance.now()
        if (wait > 0) await sleep(wait)
        for (let i = 0; i < publishers; i++) pubs[i].stdin!.write(`student ${i} says ${k}\n`)
      }
      for (const p of pubs) p.stdin!.end()
      await Promise.race([Promise.all(subsDone), sleep(60_000)])
    })
    const elapsed = (performance.now() - t0) / 1000
    // The app gets everything the engine logged: wait until the store holds it (bounded).
    const events = lab.session.size - sizeBefore
    const until = performance.now() + 10_000
    while ((await probe(page)).stored - base.stored < lab.session.size - sizeBefore && performance.now() < until) await sleep(25)
    // What the engine had logged before the last look must be in the store (events logged after
    // it, the clients' last closes, may be there too: that is not a negative count).
    const logged = lab.session.size - sizeBefore
    const p = await probe(page)
    const cpu = cpuDelta(cpu0, await rendererCpu(cdp))
    const deliveries = received.reduce((a, b) => a + b, 0)
    return {
      publishers,
      subscribers,
      messages,
      expectedDeliveries: messages * subscribers,
      deliveries,
      lost: messages * subscribers - deliveries,
      events,
      eventsPerSec: Math.round(events / elapsed),
      notInStore: Math.max(0, logged - (p.stored - base.stored)),
      frameP50: frames.p50,
      frameP95: frames.p95,
      mainCpuUsPerEvent: round((cpu.thread * 1e6) / Math.max(1, events), 2)
    }
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL')
    await page.close()
    await host.close()
  }
}

export function classroomTarget(targets: Target[], r: ClassroomResult | null, why?: string): void {
  if (!r) {
    targets.push({ name: '40 outside clients at once, app attached: deliveries lost, frame p95', target: '0, ≤ 20 ms', measured: why ?? 'not run', met: null, load: loadavg() })
    return
  }
  log(`  ${r.publishers} publishers × ${r.messages / r.publishers} messages → ${r.subscribers} subscribers (QoS 1): ${r.deliveries}/${r.expectedDeliveries} delivered, ${r.events} events (${r.eventsPerSec}/s), frames p50 ${r.frameP50} / p95 ${r.frameP95} ms`)
  targets.push({
    name: '40 outside clients at once, app attached: deliveries lost, frame p95',
    target: '0, ≤ 20 ms',
    measured: `lost ${r.lost} of ${r.expectedDeliveries} deliveries (${r.publishers} mosquitto_pub × ${r.messages / r.publishers} messages → ${r.subscribers} mosquitto_sub, QoS 1), frame p95 ${r.frameP95} ms; ${r.events} events (${r.eventsPerSec}/s), ${r.notInStore} not in the store`,
    met: r.lost === 0 && r.notInStore === 0 && r.frameP95 <= 20,
    load: loadavg(),
    note: `renderer main thread ${r.mainCpuUsPerEvent} µs CPU per event`
  })
}
