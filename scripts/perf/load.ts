// Load generators for the benchmark: recorded PDUs re-appended to a session at a set rate, and real
// ping-pong traffic through the echo lesson's TCP tap.
import net from 'node:net'
import type { LabEvent, PduEvent } from '../../src/shared/events'
import { Lab } from '../../src/main/lab/lab'
import { sleep } from './stats'

/** Small real PDUs (≤ 300 B), MQTT when there are enough, as in a live fan-out. */
export function samplePdus(sessions: Map<string, readonly LabEvent[]>): PduEvent[] {
  const all = [...sessions.values()].flatMap((evs) => evs.filter((e): e is PduEvent => e.kind === 'pdu' && e.data.length <= 300))
  const mqtt = all.filter((p) => p.protocol === 'mqtt')
  return (mqtt.length >= 50 ? mqtt : all).slice(0, 2000)
}

/** Appends `perSecond` PDUs per second for `seconds` seconds; resolves with how many. */
export function appendAtRate(lab: Lab, pdus: PduEvent[], perSecond: number, seconds: number): Promise<number> {
  return new Promise((resolve) => {
    let sent = 0
    const started = performance.now()
    const tick = (): void => {
      const elapsed = (performance.now() - started) / 1000
      const due = Math.min(perSecond * seconds, Math.floor(elapsed * perSecond))
      for (; sent < due; sent++) {
        const p = pdus[sent % pdus.length]
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

export async function echoLab(o: ConstructorParameters<typeof Lab>[0] = {}): Promise<{ lab: Lab; port: number }> {
  const lab = new Lab({ ephemeralPorts: true, ...o })
  const status = await lab.start('tcp-udp-echo', {})
  const port = status.ports.find((p) => p.transport === 'tcp')!.port
  return { lab, port }
}

/** Round trips through the echo lesson's TCP tap: 4 PDUs (payload and modeled ACK each way) and 2 bytes events each. */
export async function pingPong(port: number, roundTrips: number, perSecond = 0, size = 48): Promise<void> {
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
