// `npm run bench`: measured speed. Prints a readable table and writes a JSON report; every figure
// is the median of several runs. Targets (issue 8) are checked and reported as met or missed.
//
//   npm run bench                        everything (about two minutes)
//   npm run bench -- --runs 3            fewer repetitions
//   npm run bench -- --only dissect,bridge,memory,browser
//   npm run bench -- --json bench.json   where to write the JSON (default: out/bench.json)
//
// Sections:
//   dissect  dissector throughput per protocol on bytes recorded from real lesson sessions, and
//            tshark's time on the same bytes exported as pcap (when tshark is installed)
//   memory   engine heap per 100,000 PDUs, from real traffic through the echo lesson's tap
//   bridge   engine → client through the real WebSocket bridge: zero-loss rate and latency
//   browser  Chromium through browser mode: time to interactive, delivery into the renderer at
//            1,000 and 10,000 PDUs/s, frame times while a live MQTT fan-out animates and while
//            scrolling a 100,000-PDU session, renderer memory per 100,000 PDUs
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import v8 from 'node:v8'
import vm from 'node:vm'
import { Worker } from 'node:worker_threads'
import type { LabEvent, PduEvent } from '../src/shared/events'
import { Lab } from '../src/main/lab/lab'
import { createDissector } from '../src/main/lab/protocols'
import {
  allDissectors,
  recordFixtures,
  type Fixture
} from '../src/main/lab/testing/fuzz-harness'
import { toPcap } from '../src/shared/pcap'
import { toWire } from '../src/shared/wire'
import { startWebHost } from '../src/main/web'

/** A bridge client in a worker thread: its own event loop, so parsing does not slow the engine. */
class BridgeClient {
  private constructor(private readonly worker: Worker) {}

  static async open(port: number, pduOnly = false): Promise<BridgeClient> {
    const worker = new Worker(
      `
      const { parentPort, workerData } = require('node:worker_threads')
      const WebSocket = require(workerData.ws)
      const ws = new WebSocket(workerData.url, { origin: workerData.origin, maxPayload: 2 ** 30 })
      const lat = []
      let received = 0, dropped = 0, biggest = 0, error = ''
      ws.on('open', () => parentPort.postMessage({ type: 'open' }))
      ws.on('error', (e) => { error = e.message })
      ws.on('message', (raw) => {
        const at = performance.timeOrigin + performance.now()
        const text = String(raw)
        biggest = Math.max(biggest, text.length)
        const msg = JSON.parse(text)
        if (msg.type !== 'events') return
        dropped = Math.max(dropped, msg.batch.dropped)
        for (const e of msg.batch.events) {
          received++
          if (!workerData.pduOnly || e.kind === 'pdu') lat.push(at - e.t)
        }
      })
      parentPort.on('message', (m) => {
        if (m === 'count') parentPort.postMessage({ type: 'count', received })
        if (m === 'stats') parentPort.postMessage({ type: 'stats', received, dropped, biggest, error, lat })
        if (m === 'close') { ws.close(); parentPort.close() }
      })
      `,
      {
        eval: true,
        workerData: {
          ws: require.resolve('ws'),
          url: `ws://127.0.0.1:${port}/bridge`,
          origin: `http://127.0.0.1:${port}`,
          pduOnly
        }
      }
    )
    await new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve())
      worker.once('error', reject)
    })
    return new BridgeClient(worker)
  }

  private ask<T>(what: string): Promise<T> {
    return new Promise((resolve) => {
      const on = (m: { type: string }): void => {
        if (m.type === what) {
          this.worker.off('message', on)
          resolve(m as T)
        }
      }
      this.worker.on('message', on)
      this.worker.postMessage(what)
    })
  }

  async count(): Promise<number> {
    return (await this.ask<{ received: number }>('count')).received
  }

  stats(): Promise<{ received: number; dropped: number; biggest: number; error: string; lat: number[] }> {
    return this.ask('stats')
  }

  async close(): Promise<void> {
    this.worker.postMessage('close')
    await new Promise((r) => this.worker.once('exit', r))
  }
}

async function main(): Promise<void> {
  v8.setFlagsFromString('--expose-gc')
  const gc = vm.runInNewContext('gc') as () => void

  const root = path.join(__dirname, '..')
  function flag(name: string): string | undefined {
    const i = process.argv.indexOf(`--${name}`)
    if (i >= 0) return process.argv[i + 1]
    return process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3)
  }
  const RUNS = Number(flag('runs') ?? 5)
  const ONLY = flag('only')?.split(',')
  const JSON_OUT = flag('json') ?? path.join(root, 'out', 'bench.json')
  const want = (s: string): boolean => !ONLY || ONLY.includes(s)

  const median = (xs: number[]): number => {
    if (xs.length === 0) return Number.NaN
    const s = [...xs].sort((a, b) => a - b)
    const m = s.length >> 1
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
  }
  const pct = (xs: number[], p: number): number => {
    if (xs.length === 0) return Number.NaN
    const s = [...xs].sort((a, b) => a - b)
    return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]
  }
  const round = (n: number, d = 1): number => (Number.isFinite(n) ? Math.round(n * 10 ** d) / 10 ** d : n)
  const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))
  const log = (line: string): void => void process.stderr.write(line + '\n')

  interface Target {
    name: string
    target: string
    measured: string
    met: boolean | null
    note?: string
  }
  const report: Record<string, unknown> = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: (await import('node:os')).cpus().length,
    runs: RUNS,
    loadAverageAtStart: (await import('node:os')).loadavg().map((x) => round(x, 1))
  }
  const targets: Target[] = []

  // ------------------------------------------------------------------------------------------------
  // Real traffic, recorded once: every lesson's default script, several times.

  log('recording real sessions from every lesson…')
  const recorded = await recordFixtures({ times: 5, timeoutMs: 30_000 })
  for (const f of recorded.failures) log(`  ! ${f.scene}: ${f.error}`)
  const fixtures = recorded.fixtures

  // ------------------------------------------------------------------------------------------------
  // Dissector throughput, and tshark on the same bytes.

  function hasTool(cmd: string): boolean {
    return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0
  }

  /** Wireshark's name for what our dissector decodes, for `-d tcp.port==N,<name>`. */
  const TSHARK_DECODE: Record<string, string> = {
    http: 'http',
    http2: 'http2',
    mqtt: 'mqtt',
    websocket: 'http',
    tls: 'tls'
  }

  function dissectOnce(id: string, corpus: Fixture[]): { bytes: number; pdus: number; ms: number } {
    let bytes = 0
    let pdus = 0
    const started = performance.now()
    for (const f of corpus) {
      const d = createDissector(id) // what a tap uses per connection (guarded)
      const offsets = { c2s: 0, s2c: 0 }
      for (const p of f.pieces) {
        pdus += d.push(p.dir, p.data, offsets[p.dir]).length
        offsets[p.dir] += p.data.length
        bytes += p.data.length
      }
      pdus += (d.end?.('c2s') ?? []).length + (d.end?.('s2c') ?? []).length
    }
    return { bytes, pdus, ms: performance.now() - started }
  }

  /** The recorded connections of `corpus` as a session, `copies` times over (distinct client ports). */
  function sessionOf(corpus: Fixture[], copies: number): LabEvent[] {
    const byName = new Map<string, readonly LabEvent[]>()
    for (const [scene, events] of recorded.sessions) byName.set(scene, events)
    const out: LabEvent[] = []
    let seq = 0
    let port = 20000
    for (let c = 0; c < copies; c++) {
      for (const f of corpus) {
        const [scene, conn] = f.name.split('/')
        const events = byName.get(scene) ?? []
        const open = events.find((e) => e.kind === 'conn.open' && e.conn === conn)
        if (!open || open.kind !== 'conn.open') continue
        const id = `b${c}-${conn}`
        const clientPort = port++ > 60000 ? (port = 20000) : port
        out.push({ ...open, conn: id, client: { ...open.client, port: clientPort }, seq: ++seq })
        for (const e of events)
          if ((e.kind === 'bytes' || (e.kind === 'pdu' && e.modeled)) && e.conn === conn)
            out.push({ ...e, conn: id, seq: ++seq })
      }
    }
    return out
  }

  function tsharkSeconds(file: string, decode: string[]): number {
    const started = performance.now()
    const r = spawnSync('tshark', ['-n', '-r', file, '-V', ...decode.flatMap((d) => ['-d', d])], {
      stdio: ['ignore', 'ignore', 'pipe'],
      maxBuffer: 1 << 28
    })
    if (r.status !== 0) throw new Error(`tshark failed: ${String(r.stderr).slice(0, 300)}`)
    return (performance.now() - started) / 1000
  }

  if (want('dissect')) {
    log('dissector throughput…')
    const rows: Record<string, unknown>[] = []
    const tshark = hasTool('tshark')
    const work = mkdtempSync(path.join(tmpdir(), 'wirelab-bench-'))
    let emptyPcap = ''
    if (tshark) {
      emptyPcap = path.join(work, 'empty.pcap')
      writeFileSync(emptyPcap, toPcap([]).bytes)
    }
    for (const def of allDissectors()) {
      const corpus = fixtures.filter((f) => f.protocols.includes(def.id) && f.transport === def.transport)
      if (corpus.length === 0) continue
      const once = dissectOnce(def.id, corpus)
      // Repeat the corpus so one run handles at least ~4 MB (and at least 3 passes).
      const passes = Math.max(3, Math.ceil((4 * 1024 * 1024) / Math.max(1, once.bytes)))
      const mbps: number[] = []
      const pps: number[] = []
      let bytesPerRun = 0
      let pdusPerRun = 0
      for (let r = 0; r < RUNS; r++) {
        let bytes = 0
        let pdus = 0
        let ms = 0
        for (let p = 0; p < passes; p++) {
          const x = dissectOnce(def.id, corpus)
          bytes += x.bytes
          pdus += x.pdus
          ms += x.ms
        }
        bytesPerRun = bytes
        pdusPerRun = pdus
        mbps.push(bytes / 1e6 / (ms / 1000))
        pps.push(pdus / (ms / 1000))
      }
      const row: Record<string, unknown> = {
        protocol: def.id,
        connections: corpus.length,
        bytesPerRun,
        pdusPerRun,
        mbPerSec: round(median(mbps), 2),
        pdusPerSec: Math.round(median(pps))
      }
      if (tshark) {
        // As many copies as keep the capture ≤ 30,000 packets (tshark -V prints every field).
        const perCopy = sessionOf(corpus, 1)
        const packetsPerCopy = Math.max(1, toPcap(perCopy).packets)
        const bytesPerCopy = Math.max(
          1,
          perCopy.reduce((n, e) => n + (e.kind === 'bytes' ? e.data.length : 0), 0)
        )
        const copies = Math.max(
          1,
          Math.min(Math.floor(30_000 / packetsPerCopy), Math.floor(20e6 / bytesPerCopy))
        )
        const events = sessionOf(corpus, copies)
        const file = path.join(work, `${def.id}.pcap`)
        writeFileSync(file, toPcap(events).bytes)
        const ports = [
          ...new Set(
            events
              .filter((e) => e.kind === 'conn.open')
              .map((e) => (e as { server: { port: number } }).server.port)
          )
        ]
        const proto = TSHARK_DECODE[def.id]
        const decode = proto ? ports.map((p) => `${def.transport}.port==${p},${proto}`) : []
        const startup: number[] = []
        const total: number[] = []
        for (let r = 0; r < Math.min(RUNS, 3); r++) {
          startup.push(tsharkSeconds(emptyPcap, []))
          total.push(tsharkSeconds(file, decode))
        }
        const pcapBytes = events.reduce((n, e) => n + (e.kind === 'bytes' ? e.data.length : 0), 0)
        const tsharkNet = Math.max(0.001, median(total) - median(startup))
        // Our time on the same bytes, from our median rate.
        const ours = pcapBytes / (median(mbps) * 1e6)
        rmSync(file, { force: true })
        Object.assign(row, {
          pcapPackets: toPcap(events).packets,
          tsharkSeconds: round(median(total), 3),
          tsharkStartupSeconds: round(median(startup), 3),
          tsharkMbPerSec: round(pcapBytes / 1e6 / tsharkNet, 2),
          oursSeconds: round(ours, 3),
          speedupVsTshark: round(tsharkNet / ours, 1)
        })
        const conclusive = median(total) - median(startup) > 0.15
        targets.push({
          name: `${def.id}: dissector no slower than tshark`,
          target: 'ratio ≥ 1',
          measured: conclusive
            ? `${round(tsharkNet / ours, 1)}× (ours ${round(median(mbps), 1)} MB/s, tshark ${round(pcapBytes / 1e6 / tsharkNet, 1)} MB/s excluding its ${round(median(startup), 2)} s start-up)`
            : `inconclusive: tshark took ${round(median(total), 2)} s, within its start-up time (${round(median(startup), 2)} s); ours ${round(median(mbps), 1)} MB/s`,
          met: conclusive ? tsharkNet / ours >= 1 : null
        })
      }
      rows.push(row)
      log(`  ${def.id}: ${row.mbPerSec} MB/s, ${row.pdusPerSec} PDUs/s`)
    }
    rmSync(work, { recursive: true, force: true })
    report.dissectors = rows
    if (!tshark) report.dissectorsNote = 'tshark not installed: no comparison'
  }

  // ------------------------------------------------------------------------------------------------
  // Real traffic generator: ping-pong through the echo lesson's TCP tap. Each round trip is 4 PDUs
  // (payload and modeled ACK in each direction) and 2 bytes events.

  async function echoLab(): Promise<{ lab: Lab; port: number }> {
    const lab = new Lab({ ephemeralPorts: true })
    const status = await lab.start('tcp-udp-echo', {})
    const port = status.ports.find((p) => p.transport === 'tcp')!.port
    return { lab, port }
  }

  async function pingPong(port: number, roundTrips: number, perSecond = 0, size = 48): Promise<void> {
    const s = net.connect({ host: '127.0.0.1', port })
    s.setNoDelay(true)
    await new Promise<void>((resolve, reject) => {
      s.once('connect', resolve)
      s.once('error', reject)
    })
    const msg = Buffer.alloc(size, 0x61)
    const started = performance.now()
    for (let i = 0; i < roundTrips; i++) {
      if (perSecond > 0) {
        const due = started + (i * 1000) / perSecond
        const wait = due - performance.now()
        if (wait > 1) await sleep(wait)
      }
      msg.writeUInt32BE(i, 0)
      await new Promise<void>((resolve) => {
        let got = 0
        const onData = (c: Buffer): void => {
          got += c.length
          if (got >= size) {
            s.off('data', onData)
            resolve()
          }
        }
        s.on('data', onData)
        s.write(msg)
      })
    }
    s.end()
  }

  function heapMb(): number {
    gc()
    gc()
    return process.memoryUsage().heapUsed / 1e6
  }

  // ------------------------------------------------------------------------------------------------
  // Engine → client through the real WebSocket bridge (Node client).

  /** Real PDUs recorded from the lessons, re-appended to a session at a set rate. */
  // Small PDUs, as in a live MQTT fan-out (the lessons' big HTTP bodies would measure JSON of megabytes).
  const allPdus = [...recorded.sessions.values()].flatMap((evs) =>
    evs.filter((e): e is PduEvent => e.kind === 'pdu' && e.data.length <= 300)
  )
  const mqttPdus = allPdus.filter((p) => p.protocol === 'mqtt')
  const samplePdus: PduEvent[] = (mqttPdus.length >= 50 ? mqttPdus : allPdus).slice(0, 2000)
  const wireBytesPerEvent = Math.round(
    samplePdus.reduce((n, p) => n + JSON.stringify(toWire(p)).length, 0) / Math.max(1, samplePdus.length)
  )
  function appendAtRate(lab: Lab, perSecond: number, seconds: number): Promise<number> {
    return new Promise((resolve) => {
      let sent = 0
      const started = performance.now()
      const tick = (): void => {
        const elapsed = (performance.now() - started) / 1000
        const due = Math.min(perSecond * seconds, Math.floor(elapsed * perSecond))
        for (; sent < due; sent++) {
          const p = samplePdus[sent % samplePdus.length]
          lab.session.append({
            kind: 'pdu',
            conn: p.conn,
            dir: p.dir,
            protocol: p.protocol,
            summary: p.summary,
            fields: p.fields,
            data: p.data,
            offset: p.offset,
            ...(p.keys ? { keys: p.keys } : {}),
            ...(p.modeled ? { modeled: true } : {})
          })
        }
        if (sent >= perSecond * seconds) resolve(sent)
        else setTimeout(tick, 2)
      }
      tick()
    })
  }

  interface Delivery {
    rate: number
    sent: number
    received: number
    dropped: number
    lost: number
    p50: number
    p99: number
    drainMs: number
    biggestMessageKb: number
    engineCpuUsPerEvent: number
    error?: string
  }

  async function bridgeDelivery(rate: number, seconds: number): Promise<Delivery> {
    const lab = new Lab({ ephemeralPorts: true })
    const host = await startWebHost({ port: 0, lab, root: path.join(root, 'out', 'renderer') })
    const client = await BridgeClient.open(host.port)
    const cpu0 = process.cpuUsage()
    const sent = await appendAtRate(lab, rate, seconds)
    const stopAt = performance.now()
    while ((await client.count()) < sent && performance.now() - stopAt < 10_000) await sleep(10)
    const drainMs = performance.now() - stopAt
    const cpu = process.cpuUsage(cpu0)
    const st = await client.stats()
    await client.close()
    await host.close()
    return {
      rate,
      sent,
      received: st.received,
      dropped: st.dropped,
      lost: sent - st.received,
      p50: round(pct(st.lat, 50), 2),
      p99: round(pct(st.lat, 99), 2),
      drainMs: Math.round(drainMs),
      biggestMessageKb: Math.round(st.biggest / 1024),
      engineCpuUsPerEvent: round((cpu.user + cpu.system) / sent, 1),
      ...(st.error ? { error: st.error } : {})
    }
  }

  if (want('bridge')) {
    log('bridge delivery (WebSocket client in a worker thread)…')
    const ladder = [1_000, 5_000, 10_000, 20_000, 50_000, 100_000]
    const rows: Delivery[] = []
    for (const rate of ladder) {
      const runs: Delivery[] = []
      for (let r = 0; r < Math.min(RUNS, 3); r++) runs.push(await bridgeDelivery(rate, 2))
      const m = runs.sort((a, b) => a.p99 - b.p99)[runs.length >> 1]
      rows.push({
        ...m,
        lost: Math.max(...runs.map((x) => x.lost)),
        dropped: Math.max(...runs.map((x) => x.dropped))
      })
      log(
        `  ${rate}/s: lost ${rows.at(-1)!.lost}, p50 ${m.p50} ms, p99 ${m.p99} ms, drain ${m.drainMs} ms, biggest message ${m.biggestMessageKb} KB`
      )
      if (rows.at(-1)!.lost > 0 || m.drainMs > 2000) break // the next rates would only fail harder
    }
    // Real traffic at 1,000 PDUs/s: 250 echo round trips per second through the tap.
    const { lab, port } = await echoLab()
    const host = await startWebHost({ port: 0, lab, root: path.join(root, 'out', 'renderer') })
    const client = await BridgeClient.open(host.port, true)
    const t0 = performance.now()
    await pingPong(port, 250 * 4, 250)
    const secs = (performance.now() - t0) / 1000
    await sleep(200)
    const { lat } = await client.stats()
    await client.close()
    await host.close()
    await lab.stop()
    const zeroLoss = rows.filter((r) => r.lost === 0 && r.dropped === 0 && r.drainMs < 1000)
    report.bridge = {
      client:
        'Node ws client in a worker thread (its own event loop, as a renderer has); events are real recorded PDUs (≤ 300 bytes, MQTT when available) re-appended at each rate',
      wireBytesPerEvent,
      ladder: rows,
      maxZeroLossRate: zeroLoss.length ? Math.max(...zeroLoss.map((r) => r.rate)) : 0,
      engineCpuUsPerEvent: median(rows.map((r) => r.engineCpuUsPerEvent)),
      projectedEventsPerSecOnOneCore: Math.round(1e6 / median(rows.map((r) => r.engineCpuUsPerEvent))),
      realTraffic1k: {
        pdusPerSec: Math.round(lat.length / secs),
        p50: round(pct(lat, 50), 2),
        p99: round(pct(lat, 99), 2)
      }
    }
    log(
      `  real echo traffic at ~${Math.round(lat.length / secs)} PDUs/s: p50 ${round(pct(lat, 50), 2)} ms, p99 ${round(pct(lat, 99), 2)} ms`
    )
  }

  // ------------------------------------------------------------------------------------------------
  let bigLab: Lab | null = null
  if (want('memory') || want('browser')) {
    log('engine memory per 100,000 PDUs (real echo traffic)…')
    const perPdu: number[] = []
    const perEvent: number[] = []
    for (let r = 0; r < Math.min(RUNS, 3); r++) {
      const { lab, port } = await echoLab()
      await pingPong(port, 200)
      const pdus0 = lab.session.events.filter((e) => e.kind === 'pdu').length
      const events0 = lab.session.size
      const before = heapMb()
      await pingPong(port, 25_000)
      const after = heapMb()
      const pdus = lab.session.events.filter((e) => e.kind === 'pdu').length - pdus0
      const events = lab.session.size - events0
      perPdu.push(((after - before) * 1e6) / pdus)
      perEvent.push(((after - before) * 1e6) / events)
      log(`  run ${r + 1}: ${pdus} PDUs (${events} events), heap +${round(after - before)} MB`)
      if (bigLab) await bigLab.stop()
      bigLab = lab // kept for the renderer's 100,000-PDU session
    }
    report.engineMemory = {
      bytesPerPdu: Math.round(median(perPdu)),
      bytesPerEvent: Math.round(median(perEvent)),
      mbPer100kPdus: round((median(perPdu) * 100_000) / 1e6, 1),
      note: 'heap growth after GC per PDU, counting the bytes events that come with them (2 per 4 PDUs)'
    }
    targets.push({
      name: 'engine memory per PDU',
      target: '≤ 1 KB',
      measured: `${Math.round(median(perPdu))} B/PDU (${round((median(perPdu) * 100_000) / 1e6, 1)} MB per 100,000 PDUs)`,
      met: median(perPdu) <= 1024
    })
  }

  // ------------------------------------------------------------------------------------------------
  // Chromium through browser mode (Playwright + /usr/bin/chromium).

  const PAGE_PROBE = `
  (() => {
    const now = () => performance.timeOrigin + performance.now()
    const b = (window.__bench = { arrive: [], frame: [], received: 0, dropped: 0, frames: [], sampling: false })
    const Orig = window.WebSocket
    window.WebSocket = class extends Orig {
      constructor(...args) {
        super(...args)
        this.addEventListener('message', (ev) => {
          const at = now()
          let msg
          try { msg = JSON.parse(String(ev.data)) } catch { return }
          if (!msg || msg.type !== 'events') return
          const ts = msg.batch.events.map((e) => e.t)
          b.received += ts.length
          b.dropped = Math.max(b.dropped, msg.batch.dropped)
          if (!b.measure) return
          for (const t of ts) b.arrive.push(at - t)
          // The app ingests pushed batches on the next animation frame.
          requestAnimationFrame(() => setTimeout(() => { const f = now(); for (const t of ts) b.frame.push(f - t) }, 0))
        })
      }
    }
    let last = 0
    const loop = (t) => { if (b.sampling && last) b.frames.push(t - last); last = t; requestAnimationFrame(loop) }
    requestAnimationFrame(loop)
  })()
  `

  const SCROLL_FOR_4S = `new Promise((resolve) => {
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

  interface Probe {
    arrive: number[]
    frame: number[]
    received: number
    dropped: number
    frames: number[]
    sampling: boolean
    measure?: boolean
  }

  if (want('browser')) {
    const rendererBuilt = existsSync(path.join(root, 'out', 'renderer', 'index.html'))
    if (!rendererBuilt)
      spawnSync(process.execPath, [path.join(root, 'scripts', 'build-if-needed.js')], { stdio: 'inherit' })
    const { chromium } = await import('@playwright/test')
    const browser = await chromium.launch({
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
    const out: Record<string, unknown> = {}
    const openPage = async (url: string): Promise<import('@playwright/test').Page> => {
      const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } })
      await page.addInitScript(PAGE_PROBE)
      await page.goto(url)
      await page.getByTestId('connection').and(page.locator('[data-state=open]')).waitFor({ timeout: 30_000 })
      return page
    }
    /** Page clock minus engine clock (ms), from the sample with the shortest round trip. */
    const clockOffset = async (
      page: import('@playwright/test').Page
    ): Promise<{ offset: number; error: number }> => {
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
    const probe = (page: import('@playwright/test').Page): Promise<Probe> =>
      page.evaluate(() => (globalThis as unknown as { __bench: Probe }).__bench)
    const sampleFrames = async (
      page: import('@playwright/test').Page,
      during: () => Promise<unknown>
    ): Promise<{ p50: number; p95: number; frames: number }> => {
      await page.evaluate(() => {
        const b = (globalThis as unknown as { __bench: Probe }).__bench
        b.frames = []
        b.sampling = true
      })
      await during()
      const frames = await page.evaluate(() => {
        const b = (globalThis as unknown as { __bench: Probe }).__bench
        b.sampling = false
        return b.frames
      })
      return { p50: round(pct(frames, 50), 1), p95: round(pct(frames, 95), 1), frames: frames.length }
    }
    const jsHeapMb = async (page: import('@playwright/test').Page): Promise<number> => {
      const cdp = await page.context().newCDPSession(page)
      await cdp.send('HeapProfiler.enable')
      await cdp.send('HeapProfiler.collectGarbage')
      await cdp.send('HeapProfiler.collectGarbage')
      const { usedSize } = await cdp.send('Runtime.getHeapUsage')
      await cdp.detach()
      return usedSize / 1e6
    }

    // Time to interactive: from starting the host to the lesson picker listing the lessons.
    log('browser mode: time to interactive…')
    const tti: number[] = []
    for (let r = 0; r < RUNS; r++) {
      const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } })
      const t0 = performance.now()
      const host = await startWebHost({ port: 0, ephemeralPorts: true })
      await page.goto(host.url)
      await page.getByTestId('connection').and(page.locator('[data-state=open]')).waitFor()
      await page
        .locator('[data-testid=lesson-picker] option[value="tcp-udp-echo"]')
        .waitFor({ state: 'attached' })
      tti.push(performance.now() - t0)
      await page.close()
      await host.close()
    }
    out.timeToInteractiveMs = { p50: Math.round(median(tti)), runs: tti.map(Math.round) }
    targets.push({
      name: 'browser mode interactive',
      target: '≤ 2 s',
      measured: `${Math.round(median(tti))} ms (host start → lesson picker filled)`,
      met: median(tti) <= 2000
    })

    // Delivery into the renderer: real recorded PDUs appended at 1,000 and 10,000 per second.
    log('browser mode: delivery into the renderer…')
    const deliveries: Record<string, unknown>[] = []
    const offsets: { offset: number; error: number }[] = []
    for (const rate of [1_000, 10_000, 20_000]) {
      const runs: {
        lost: number
        dropped: number
        arriveP50: number
        arriveP99: number
        frameP99: number
        frameP50: number
        fp50: number
        fp95: number
      }[] = []
      for (let r = 0; r < Math.min(RUNS, 3); r++) {
        const lab = new Lab({ ephemeralPorts: true })
        await lab.start('tcp-udp-echo', {})
        const host = await startWebHost({ port: 0, lab })
        const page = await openPage(host.url)
        const clock = await clockOffset(page)
        offsets.push(clock)
        await page.evaluate(() => ((globalThis as unknown as { __bench: Probe }).__bench.measure = true))
        const base = (await probe(page)).received
        let sent = 0
        const frames = await sampleFrames(page, async () => {
          sent = await appendAtRate(lab, rate, 3)
        })
        const deadline = performance.now() + 10_000
        let p = await probe(page)
        while (p.received - base < sent && performance.now() < deadline) {
          await sleep(20)
          p = await probe(page)
        }
        await sleep(100)
        p = await probe(page)
        runs.push({
          lost: sent - (p.received - base),
          dropped: p.dropped,
          arriveP50: pct(p.arrive, 50) - clock.offset,
          arriveP99: pct(p.arrive, 99) - clock.offset,
          frameP50: pct(p.frame, 50) - clock.offset,
          frameP99: pct(p.frame, 99) - clock.offset,
          fp50: frames.p50,
          fp95: frames.p95
        })
        await page.close()
        await host.close()
      }
      const row = {
        rate,
        lost: Math.max(...runs.map((x) => x.lost)),
        dropped: Math.max(...runs.map((x) => x.dropped)),
        arriveP50: round(median(runs.map((x) => x.arriveP50)), 2),
        arriveP99: round(median(runs.map((x) => x.arriveP99)), 2),
        inStoreP50: round(median(runs.map((x) => x.frameP50)), 2),
        inStoreP99: round(median(runs.map((x) => x.frameP99)), 2),
        frameP50: round(median(runs.map((x) => x.fp50)), 1),
        frameP95: round(median(runs.map((x) => x.fp95)), 1)
      }
      deliveries.push(row)
      log(
        `  ${rate}/s: lost ${row.lost}, arrival p99 ${row.arriveP99} ms, in store p99 ${row.inStoreP99} ms, frames p50 ${row.frameP50} / p95 ${row.frameP95} ms`
      )
    }
    out.delivery = deliveries
    out.pageClockOffsetMs = offsets.map((o) => `${round(o.offset, 2)} ± ${round(o.error, 2)}`)
    const at1k = deliveries.find((d) => d.rate === 1_000) as { inStoreP99: number; arriveP99: number }
    const at10k = deliveries.find((d) => d.rate === 10_000) as {
      lost: number
      dropped: number
      frameP95: number
    }
    targets.push({
      name: 'delivery latency at 1,000 PDUs/s',
      target: 'p99 ≤ 50 ms',
      measured: `p99 ${at1k.inStoreP99} ms to the renderer store's frame (${at1k.arriveP99} ms to the socket)`,
      met: at1k.inStoreP99 <= 50
    })
    targets.push({
      name: '10,000 PDUs/s into the renderer',
      target: 'no loss, frame p95 ≤ 20 ms',
      measured: `lost ${at10k.lost}, dropped ${at10k.dropped}, frame p95 ${at10k.frameP95} ms`,
      met: at10k.lost === 0 && at10k.dropped === 0 && at10k.frameP95 <= 20
    })

    // Live MQTT fan-out at 1,000 messages/s (the lesson's own load action), frames sampled.
    log('browser mode: live MQTT fan-out at 1,000 messages/s…')
    const fan: { p50: number; p95: number; frames: number; lost: number }[] = []
    for (let r = 0; r < Math.min(RUNS, 3); r++) {
      const lab = new Lab({ ephemeralPorts: true })
      await lab.start('mqtt', {})
      const host = await startWebHost({ port: 0, lab })
      const page = await openPage(host.url)
      await page
        .getByTestId('pb-live')
        .click()
        .catch(() => undefined)
      const base = (await probe(page)).received
      const sizeBefore = lab.session.size
      const f = await sampleFrames(page, () =>
        lab.action('burst', { count: 3000, rate: 1000, subscribers: 10 })
      )
      await sleep(300)
      const p = await probe(page)
      fan.push({ ...f, lost: lab.session.size - sizeBefore - (p.received - base) })
      await page.close()
      await host.close()
    }
    const fanMid = fan.sort((a, b) => a.p95 - b.p95)[fan.length >> 1]
    out.mqttFanout1k = { ...fanMid, subscribers: 10, messages: 3000 }
    targets.push({
      name: 'frames during a live MQTT fan-out at 1,000 msg/s',
      target: 'p95 ≤ 20 ms',
      measured: `p50 ${fanMid.p50} ms, p95 ${fanMid.p95} ms`,
      met: fanMid.p95 <= 20
    })

    // A 100,000-PDU session (the real echo traffic from the memory run): load, memory, scrolling.
    if (bigLab) {
      log('browser mode: 100,000-PDU session…')
      const lab = bigLab
      const pdus = lab.session.events.filter((e) => e.kind === 'pdu').length
      const emptyHost = await startWebHost({ port: 0, ephemeralPorts: true })
      const emptyPage = await openPage(emptyHost.url)
      const heapEmpty = await jsHeapMb(emptyPage)
      await emptyPage.close()
      await emptyHost.close()
      const host = await startWebHost({ port: 0, lab })
      const t0 = performance.now()
      const page = await openPage(host.url)
      await page.locator('[data-testid=packet-row]').first().waitFor({ timeout: 120_000 })
      const loadMs = performance.now() - t0
      const heapFull = await jsHeapMb(page)
      const scroll = await sampleFrames(page, () => page.evaluate(SCROLL_FOR_4S))
      const rows = await page.locator('[data-testid=packet-row]').count()
      await page.close()
      await host.close()
      out.session100k = {
        pdus,
        events: lab.session.size,
        loadMs: Math.round(loadMs),
        rendererHeapMbEmpty: round(heapEmpty),
        rendererHeapMbLoaded: round(heapFull),
        rendererMbPer100kPdus: round(((heapFull - heapEmpty) * 100_000) / pdus),
        scrollFrameP50: scroll.p50,
        scrollFrameP95: scroll.p95,
        rowsInDom: rows
      }
      targets.push({
        name: 'frames while scrolling a 100,000-PDU session',
        target: 'p95 ≤ 20 ms',
        measured: `p50 ${scroll.p50} ms, p95 ${scroll.p95} ms (${rows} rows in the DOM)`,
        met: scroll.p95 <= 20
      })
      log(
        `  ${pdus} PDUs: loaded in ${Math.round(loadMs)} ms, renderer heap ${round(heapEmpty)} → ${round(heapFull)} MB, scroll p95 ${scroll.p95} ms`
      )
    }
    await browser.close()
    report.browser = out
  }
  if (bigLab) await bigLab.stop()

  // ------------------------------------------------------------------------------------------------

  report.targets = targets
  report.loadAverageAtEnd = (await import('node:os')).loadavg().map((x) => round(x, 1))
  mkdirSync(path.dirname(JSON_OUT), { recursive: true })
  writeFileSync(JSON_OUT, JSON.stringify(report, null, 2))

  const table = (rows: Record<string, unknown>[]): string => {
    if (!rows.length) return ''
    const cols = Object.keys(rows[0])
    const w = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c] ?? '').length)))
    const line = (vals: string[]): string => vals.map((v, i) => v.padEnd(w[i])).join('  ')
    return [
      line(cols),
      line(w.map((n) => '-'.repeat(n))),
      ...rows.map((r) => line(cols.map((c) => String(r[c] ?? ''))))
    ].join('\n')
  }
  const print = (s: string): void => void process.stdout.write(s + '\n')
  print(JSON.stringify(report))
  print('')
  if (report.dissectors)
    print(
      'Dissector throughput (median of ' +
        RUNS +
        ' runs, bytes recorded from real lessons)\n' +
        table(report.dissectors as Record<string, unknown>[]) +
        '\n'
    )
  if (report.engineMemory)
    print('Engine memory\n' + table([report.engineMemory as Record<string, unknown>]) + '\n')
  if (report.bridge)
    print(
      'Bridge delivery (Node client)\n' +
        table((report.bridge as { ladder: Record<string, unknown>[] }).ladder) +
        '\n'
    )
  if (report.browser) {
    const b = report.browser as Record<string, unknown>
    if (b.delivery)
      print(
        'Into the renderer (Chromium, browser mode)\n' + table(b.delivery as Record<string, unknown>[]) + '\n'
      )
    print(
      'Renderer\n' +
        table(
          [
            {
              figure: 'time to interactive (ms)',
              value: (b.timeToInteractiveMs as { p50: number } | undefined)?.p50
            },
            {
              figure: 'MQTT fan-out 1k msg/s frame p50/p95 (ms)',
              value: b.mqttFanout1k
                ? `${(b.mqttFanout1k as { p50: number }).p50} / ${(b.mqttFanout1k as { p95: number }).p95}`
                : 'n/a'
            },
            ...(b.session100k
              ? Object.entries(b.session100k as Record<string, unknown>).map(([k, v]) => ({
                  figure: `100k session: ${k}`,
                  value: v
                }))
              : [])
          ].map((r) => ({ figure: r.figure, value: String(r.value) }))
        ) +
        '\n'
    )
  }
  print(
    'Targets\n' +
      table(
        targets.map((t) => ({
          target: `${t.name} (${t.target})`,
          measured: t.measured,
          result: t.met === null ? 'n/a' : t.met ? 'MET' : 'MISSED'
        }))
      )
  )
  print(`\nJSON report: ${path.relative(process.cwd(), JSON_OUT)}`)
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err)
    process.exit(1)
  }
)
