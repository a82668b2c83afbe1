// The engine side: delivery through the real WebSocket bridge to a client in a worker thread, and
// memory per PDU from real echo traffic through the tap.
import path from 'node:path'
import { Worker } from 'node:worker_threads'
import type { PduEvent } from '../../src/shared/events'
import { Lab } from '../../src/main/lab/lab'
import { startWebHost } from '../../src/main/web'
import { appendAtRate, echoLab, pingPong } from './load'
import { engineMemory, loadavg, log, mainThreadCpuUs, median, pct, round, sleep, type Target } from './stats'

class WorkerClient {
  private constructor(private readonly worker: Worker) {}

  static async open(port: number, pduOnly = false): Promise<WorkerClient> {
    // The worker runs the TypeScript client through tsx, as bin/wirelab.js runs the CLI.
    const worker = new Worker(
      `require('tsx/cjs/api').register(); require(${JSON.stringify(path.join(__dirname, 'bridge-worker.ts'))})`,
      { eval: true, workerData: { port, pduOnly } }
    )
    await new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve())
      worker.once('error', reject)
    })
    return new WorkerClient(worker)
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

  stats(): Promise<{ received: number; biggest: number; gaps: number; lat: number[] }> {
    return this.ask('stats')
  }

  async close(): Promise<void> {
    this.worker.postMessage('close')
    await new Promise((r) => this.worker.once('exit', r))
  }
}

export interface Delivery {
  rate: number
  sent: number
  received: number
  lost: number
  p50: number
  p99: number
  drainMs: number
  biggestPacketKb: number
  engineCpuUsPerEvent: number
}

async function bridgeDelivery(root: string, pdus: PduEvent[], rate: number, seconds: number): Promise<Delivery> {
  const lab = new Lab({ ephemeralPorts: true })
  const host = await startWebHost({ port: 0, lab, root: path.join(root, 'out', 'renderer') })
  const client = await WorkerClient.open(host.port)
  const cpu0 = mainThreadCpuUs()
  const sent = await appendAtRate(lab, pdus, rate, seconds)
  const stopAt = performance.now()
  while ((await client.count()) < sent && performance.now() - stopAt < 10_000) await sleep(10)
  const drainMs = performance.now() - stopAt
  const cpu = mainThreadCpuUs() - cpu0
  const st = await client.stats()
  await client.close()
  await host.close()
  return {
    rate,
    sent,
    received: st.received,
    lost: sent - st.received,
    p50: round(pct(st.lat, 50), 2),
    p99: round(pct(st.lat, 99), 2),
    drainMs: Math.round(drainMs),
    biggestPacketKb: Math.round(st.biggest / 1024),
    engineCpuUsPerEvent: round(cpu / sent, 1)
  }
}

export async function benchBridge(root: string, runs: number, pdus: PduEvent[]): Promise<Record<string, unknown>> {
  log('bridge delivery (WebSocket client in a worker thread)…')
  const rows: Delivery[] = []
  for (const rate of [1_000, 5_000, 10_000, 20_000, 50_000, 100_000]) {
    const all: Delivery[] = []
    for (let r = 0; r < Math.min(runs, 3); r++) all.push(await bridgeDelivery(root, pdus, rate, 2))
    const m = all.sort((a, b) => a.p99 - b.p99)[all.length >> 1]
    rows.push({ ...m, lost: Math.max(...all.map((x) => x.lost)) })
    log(`  ${rate}/s: lost ${rows.at(-1)!.lost}, p50 ${m.p50} ms, p99 ${m.p99} ms, drain ${m.drainMs} ms, engine ${m.engineCpuUsPerEvent} µs CPU/event`)
    if (rows.at(-1)!.lost > 0 || m.drainMs > 2000) break // the next rates would only fail harder
  }
  // Real traffic at 1,000 PDUs/s: 250 echo round trips per second through the tap.
  const { lab, port } = await echoLab()
  const host = await startWebHost({ port: 0, lab, root: path.join(root, 'out', 'renderer') })
  const client = await WorkerClient.open(host.port, true)
  const t0 = performance.now()
  await pingPong(port, 250 * 4, 250)
  const secs = (performance.now() - t0) / 1000
  await sleep(200)
  const { lat } = await client.stats()
  await client.close()
  await host.close()
  await lab.stop()
  const zeroLoss = rows.filter((r) => r.lost === 0 && r.drainMs < 1000)
  const cpuPerEvent = median(rows.map((r) => r.engineCpuUsPerEvent))
  log(`  real echo traffic at ~${Math.round(lat.length / secs)} PDUs/s: p50 ${round(pct(lat, 50), 2)} ms, p99 ${round(pct(lat, 99), 2)} ms`)
  return {
    client: 'Node ws client in a worker thread decoding every packet; events are real recorded PDUs (≤ 300 bytes, MQTT) re-appended at each rate',
    ladder: rows,
    maxZeroLossRate: zeroLoss.length ? Math.max(...zeroLoss.map((r) => r.rate)) : 0,
    engineCpuUsPerEvent: cpuPerEvent,
    projectedEventsPerSecOnOneCore: Math.round(1e6 / cpuPerEvent),
    realTraffic1k: {
      pdusPerSec: Math.round(lat.length / secs),
      p50: round(pct(lat, 50), 2),
      p99: round(pct(lat, 99), 2)
    }
  }
}

export const ENGINE_TARGET = 500

/** Engine memory per PDU over 25,000 echo round trips; returns the last lab (the 100,000-PDU session). */
export async function benchEngineMemory(
  runs: number,
  targets: Target[]
): Promise<{ row: Record<string, unknown>; lab: Lab }> {
  log('engine memory per 100,000 PDUs (real echo traffic)…')
  const perPdu: number[] = []
  const perEvent: number[] = []
  let kept: Lab | null = null
  let last = { heapMb: 0, arrayBuffersMb: 0 }
  for (let r = 0; r < Math.min(runs, 3); r++) {
    const { lab, port } = await echoLab()
    await pingPong(port, 200)
    const events0 = lab.session.size
    const before = engineMemory()
    await pingPong(port, 25_000)
    const after = engineMemory()
    const st = lab.session.stats()
    const events = st.events - events0
    let pdus = 0
    for (const e of lab.session.iterate(events0 + 1)) if (e.kind === 'pdu') pdus++
    perPdu.push(((after.totalMb - before.totalMb) * 1e6) / pdus)
    perEvent.push(((after.totalMb - before.totalMb) * 1e6) / events)
    last = { heapMb: after.heapMb - before.heapMb, arrayBuffersMb: after.arrayBuffersMb - before.arrayBuffersMb }
    log(`  run ${r + 1}: ${pdus} PDUs (${events} events), heap +${round(last.heapMb)} MB, log chunks +${round(last.arrayBuffersMb)} MB, on disk ${st.bytesOnDisk} B`)
    if (kept) await kept.stop()
    kept = lab
  }
  const b = median(perPdu)
  targets.push({
    name: 'engine memory per PDU',
    target: `≤ ${ENGINE_TARGET} B`,
    measured: `${Math.round(b)} B/PDU (${round((b * 100_000) / 1e6, 1)} MB per 100,000 PDUs with their bytes events; JS heap + log chunks, nothing on disk)`,
    met: b <= ENGINE_TARGET,
    load: loadavg()
  })
  return {
    row: {
      bytesPerPdu: Math.round(b),
      bytesPerEvent: Math.round(median(perEvent)),
      mbPer100kPdus: round((b * 100_000) / 1e6, 1),
      heapMbLastRun: round(last.heapMb, 1),
      chunksMbLastRun: round(last.arrayBuffersMb, 1),
      note: 'growth after GC of the JS heap plus ArrayBuffers (the log chunks live there) per PDU, counting the bytes events that come with them (2 per 4 PDUs)'
    },
    lab: kept as Lab
  }
}
