// Dissector throughput per protocol on bytes recorded from the lessons' own scripts, and tshark's
// time on the same connections exported as pcap (its start-up, timed on an empty pcap, subtracted).
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { LabEvent } from '../../src/shared/events'
import type { StreamDissector } from '../../src/main/lab/dissect/types'
import { allDissectors, type Fixture } from '../../src/main/lab/testing/fuzz-harness'
import { toPcap } from '../../src/shared/pcap'
import { keyLog } from '../../src/main/lab/protocols/common/keylog'
import { loadavg, log, median, round, type Target } from './stats'

/** Wireshark's name for what our dissector decodes, for `-d tcp.port==N,<name>`. */
const TSHARK_DECODE: Record<string, string> = {
  http: 'http',
  http2: 'http2',
  // gRPC rides on HTTP/2: Wireshark finds it from the content-type once the port is HTTP/2.
  grpc: 'http2',
  mqtt: 'mqtt',
  websocket: 'http',
  sse: 'http',
  s3: 'http',
  tls: 'tls',
  amqp: 'amqp',
  pgsql: 'pgsql',
  resp: 'resp',
  thrift: 'thrift'
}

export const DISSECT_TARGET = 3

/** How long the dissector runs before it is timed, and at least how long one timed run lasts. */
const WARM_UP_MS = 1000
const RUN_MS = 300

/** Timed runs of ours, each paired with one of tshark's (the medians of their ratios are reported). */
const PAIRS = 7

const CLK_TCK = Number(String(spawnSync('getconf', ['CLK_TCK']).stdout).trim()) || 100

function hasTool(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0
}

function dissectOnce(createDissector: (id: string) => StreamDissector, id: string, corpus: Fixture[]): { bytes: number; pdus: number; ms: number; cpuMs: number } {
  let bytes = 0
  let pdus = 0
  const cpu0 = process.cpuUsage()
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
  const cpu = process.cpuUsage(cpu0)
  return { bytes, pdus, ms: performance.now() - started, cpuMs: (cpu.user + cpu.system) / 1000 }
}

/**
 * The connections of `corpus` as a session, `copies` times over (distinct client ports): as the
 * lesson recorded them, or, for fixtures stored by a protocol's fixture script (no session),
 * their pieces on `serverPort`.
 */
function sessionOf(sessions: Map<string, readonly LabEvent[]>, corpus: Fixture[], copies: number, serverPort: number): LabEvent[] {
  const out: LabEvent[] = []
  let seq = 0
  let port = 20000
  for (let c = 0; c < copies; c++) {
    for (const f of corpus) {
      const [scene, conn] = f.name.split('/')
      const events = sessions.get(scene)
      const id = `b${c}-${seq}`
      const clientPort = port++ > 60000 ? (port = 20000) : port
      if (!events) {
        const t = 1_700_000_000_000
        const local = '127.0.0.1'
        out.push({ kind: 'conn.open', seq: ++seq, t, conn: id, transport: f.transport, from: 'client', to: 'server', client: { host: local, port: clientPort }, server: { host: local, port: serverPort } })
        const offsets = { c2s: 0, s2c: 0 }
        for (const p of f.pieces) {
          out.push({ kind: 'bytes', seq: ++seq, t, conn: id, dir: p.dir, offset: offsets[p.dir], data: p.data })
          offsets[p.dir] += p.data.length
        }
        continue
      }
      const open = events.find((e) => e.kind === 'conn.open' && e.conn === conn)
      if (!open || open.kind !== 'conn.open') continue
      out.push({ ...open, conn: id, client: { ...open.client, port: clientPort }, seq: ++seq })
      for (const e of events)
        if ((e.kind === 'bytes' || (e.kind === 'pdu' && e.modeled)) && e.conn === conn)
          out.push({ ...e, conn: id, seq: ++seq })
    }
  }
  return out
}

/** tshark's CPU seconds (user + system of the child) and wall seconds for one decode. */
function tshark(file: string, decode: string[], options: string[] = []): { cpu: number; wall: number } {
  const started = performance.now()
  const r = spawnSync(
    'sh',
    ['-c', 'tshark "$@" > /dev/null; s=$?; cut -d" " -f16-17 /proc/$$/stat; exit $s', 'sh', '-n', '-r', file, '-V', ...options, ...decode.flatMap((d) => ['-d', d])],
    { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28 }
  )
  if (r.status !== 0) throw new Error(`tshark failed: ${String(r.stderr).slice(0, 300)}`)
  // Children's user and system ticks, as the shell that waited for tshark saw them.
  const [cu, cs] = String(r.stdout).trim().split(/\s+/).map(Number)
  const hz = CLK_TCK
  return { cpu: (cu + cs) / hz, wall: (performance.now() - started) / 1000 }
}

export async function benchDissectors(
  createDissector: (id: string) => StreamDissector,
  runs: number,
  fixtures: Fixture[],
  sessions: Map<string, readonly LabEvent[]>,
  targets: Target[]
): Promise<Record<string, unknown>[]> {
  log('dissector throughput…')
  const rows: Record<string, unknown>[] = []
  const haveTshark = hasTool('tshark')
  const work = mkdtempSync(path.join(tmpdir(), 'wirelab-bench-'))
  const emptyPcap = path.join(work, 'empty.pcap')
  writeFileSync(emptyPcap, toPcap([]).bytes)
  // tshark gets the session's TLS key log too, so it decrypts what we decrypt (the same work).
  const options: string[] = []
  const secrets = keyLog.text()
  if (secrets) {
    const keys = path.join(work, 'keylog.txt')
    writeFileSync(keys, secrets)
    options.push('-o', `tls.keylog_file:${keys}`)
  }
  const ratios: { id: string; ratio: number; cpuRatio: number }[] = []
  for (const def of allDissectors()) {
    const corpus = fixtures.filter((f) => f.protocols.includes(def.id) && f.transport === def.transport)
    if (corpus.length === 0) continue
    // Warm-up: a second of passes (the compiler optimises what runs hot; tshark has nothing to warm).
    const once = dissectOnce(createDissector, def.id, corpus)
    let warm = 0
    let warmMs = 0
    while (warmMs < WARM_UP_MS) {
      warmMs += dissectOnce(createDissector, def.id, corpus).ms
      warm++
    }
    // Repeat the corpus so one run handles at least ~4 MB and lasts at least ~0.3 s (and 3 passes).
    const passes = Math.max(3, Math.ceil((4 * 1024 * 1024) / Math.max(1, once.bytes)), Math.ceil(RUN_MS / (warmMs / warm)))
    const oursRun = (): { bytes: number; pdus: number; ms: number; cpuMs: number } => {
      const run = { bytes: 0, pdus: 0, ms: 0, cpuMs: 0 }
      for (let p = 0; p < passes; p++) {
        const x = dissectOnce(createDissector, def.id, corpus)
        run.bytes += x.bytes
        run.pdus += x.pdus
        run.ms += x.ms
        run.cpuMs += x.cpuMs
      }
      return run
    }
    // tshark on the same connections, as a pcap: each of our runs is paired with one of its runs
    // (and one on an empty pcap, its start-up), so a machine that slows down or speeds up during
    // the bench changes both sides of a ratio alike.
    let tsharkRun: (() => { startup: { cpu: number; wall: number }; total: { cpu: number; wall: number } }) | undefined
    let pcapBytes = 0
    let pcapPackets = 0
    const file = path.join(work, `${def.id}.pcap`)
    if (haveTshark) {
      // As many copies as keep the capture ≤ 30,000 packets (tshark -V prints every field).
      const perCopy = sessionOf(sessions, corpus, 1, def.ports[0] ?? 9)
      const packetsPerCopy = Math.max(1, toPcap(perCopy).packets)
      const bytesPerCopy = Math.max(1, perCopy.reduce((n, e) => n + (e.kind === 'bytes' ? e.data.length : 0), 0))
      const copies = Math.max(1, Math.min(Math.floor(30_000 / packetsPerCopy), Math.floor(20e6 / bytesPerCopy)))
      const events = sessionOf(sessions, corpus, copies, def.ports[0] ?? 9)
      const pcap = toPcap(events)
      writeFileSync(file, pcap.bytes)
      pcapPackets = pcap.packets
      pcapBytes = events.reduce((n, e) => n + (e.kind === 'bytes' ? e.data.length : 0), 0)
      const ports = [
        ...new Set(events.filter((e) => e.kind === 'conn.open').map((e) => (e as { server: { port: number } }).server.port))
      ]
      const proto = TSHARK_DECODE[def.id]
      const decode = proto ? ports.map((p) => `${def.transport}.port==${p},${proto}`) : []
      if (pcapBytes > 0) tsharkRun = () => ({ startup: tshark(emptyPcap, [], options), total: tshark(file, decode, options) })
    }
    const mbps: number[] = []
    const cpuMbps: number[] = []
    const pps: number[] = []
    const startup: { cpu: number; wall: number }[] = []
    const total: { cpu: number; wall: number }[] = []
    let bytesPerRun = 0
    let pdusPerRun = 0
    for (let r = 0; r < Math.max(runs, PAIRS); r++) {
      const run = oursRun()
      bytesPerRun = run.bytes
      pdusPerRun = run.pdus
      mbps.push(run.bytes / 1e6 / (run.ms / 1000))
      cpuMbps.push(run.bytes / 1e6 / (Math.max(1, run.cpuMs) / 1000))
      pps.push(run.pdus / (run.ms / 1000))
      if (tsharkRun) {
        const t = tsharkRun()
        startup.push(t.startup)
        total.push(t.total)
      }
    }
    const row: Record<string, unknown> = {
      protocol: def.id,
      connections: corpus.length,
      bytesPerRun,
      pdusPerRun,
      mbPerSec: round(median(mbps), 2),
      cpuMbPerSec: round(median(cpuMbps), 2),
      pdusPerSec: Math.round(median(pps))
    }
    rmSync(file, { force: true })
    if (tsharkRun) {
      // Per pair: tshark's time without its start-up, against ours on the capture's bytes.
      const wallRatios = total.map((t, i) => Math.max(0.001, t.wall - startup[i].wall) / (pcapBytes / (mbps[i] * 1e6)))
      const cpuRatios = total.map((t, i) => Math.max(0.001, t.cpu - startup[i].cpu) / (pcapBytes / (cpuMbps[i] * 1e6)))
      const ratio = median(wallRatios)
      const cpuRatio = median(cpuRatios)
      const tsharkWall = median(total.map((x) => x.wall))
      const startupWall = median(startup.map((x) => x.wall))
      const net = Math.max(0.001, tsharkWall - startupWall)
      const netCpu = Math.max(0.001, median(total.map((x) => x.cpu)) - median(startup.map((x) => x.cpu)))
      Object.assign(row, {
        pcapPackets,
        tsharkSeconds: round(tsharkWall, 3),
        tsharkStartupSeconds: round(startupWall, 3),
        tsharkMbPerSec: round(pcapBytes / 1e6 / net, 2),
        tsharkCpuSeconds: round(netCpu, 3),
        oursSeconds: round(pcapBytes / (median(mbps) * 1e6), 3),
        speedupVsTshark: round(ratio, 1),
        cpuSpeedupVsTshark: round(cpuRatio, 1),
        speedupsVsTshark: wallRatios.map((x) => round(x, 2)),
        cpuSpeedupsVsTshark: cpuRatios.map((x) => round(x, 2))
      })
      const conclusive = net > 0.15
      if (conclusive) ratios.push({ id: def.id, ratio, cpuRatio })
      targets.push({
        name: `${def.id}: dissector vs tshark on the same bytes`,
        target: `≥ ${DISSECT_TARGET}×`,
        measured: conclusive
          ? `${round(ratio, 1)}× wall, ${round(cpuRatio, 1)}× CPU, medians of ${total.length} paired runs (ours ${round(median(mbps), 1)} MB/s, tshark ${round(pcapBytes / 1e6 / net, 1)} MB/s excluding its ${round(startupWall, 2)} s start-up)`
          : `inconclusive: tshark took ${round(tsharkWall, 2)} s, within its start-up time; ours ${round(median(mbps), 1)} MB/s`,
        met: conclusive ? Math.min(ratio, cpuRatio) >= DISSECT_TARGET : null,
        load: loadavg()
      })
    }
    rows.push(row)
    log(`  ${def.id}: ${row.mbPerSec} MB/s, ${row.pdusPerSec} PDUs/s${row.speedupVsTshark ? `, ${row.speedupVsTshark}× tshark (${row.cpuSpeedupVsTshark}× in CPU time)` : ''}`)
  }
  rmSync(work, { recursive: true, force: true })
  if (ratios.length) {
    const slowest = ratios.reduce((a, b) => (Math.min(a.ratio, a.cpuRatio) <= Math.min(b.ratio, b.cpuRatio) ? a : b))
    targets.push({
      name: 'slowest dissector vs tshark',
      target: `≥ ${DISSECT_TARGET}×`,
      measured: `${slowest.id}: ${round(slowest.ratio, 1)}× wall, ${round(slowest.cpuRatio, 1)}× CPU`,
      met: Math.min(slowest.ratio, slowest.cpuRatio) >= DISSECT_TARGET,
      load: loadavg()
    })
  }
  return rows
}
