// The spill path loses nothing: the same real traffic appended to a session that stays in memory
// and to one pushed far past a tiny memory budget (most of its log in the spill file) saves to the
// same session file byte for byte, exports the same pcap, streams the same events to a renderer
// (live feed and pages), and reads back the same events one by one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { existsSync } from 'node:fs'
import type { LabEvent } from '../../../shared/events'
import { toWire } from '../../../shared/wire'
import { decodeRange, LogReceiver } from '../../../shared/codec/receiver'
import { Lab } from '../lab'
import { NO_FAULTS } from '../../../shared/faults'
import { toPcap } from '../../../shared/pcap'
import { Session } from './session'
import { LogFeed, rangePacket } from './feed'
import { writePcap, writeSessionFile } from './save'

const events: LabEvent[] = []
let memory: Session
let spilled: Session

async function collect(write: (sink: (p: string | Uint8Array) => void) => Promise<unknown>): Promise<Buffer> {
  const parts: Buffer[] = []
  await write((p) => void parts.push(typeof p === 'string' ? Buffer.from(p) : Buffer.from(p)))
  return Buffer.concat(parts)
}

function copy(into: Session): void {
  for (const e of events) {
    const { seq: _s, ...draft } = e
    into.append(draft as Parameters<Session['append']>[0])
  }
}

beforeAll(async () => {
  // Real traffic: the echo lesson's script and the MQTT lesson's fan-out, several times over, and
  // the echo lesson again under imposed latency (the taps log a `fault` per delayed unit).
  const slow = { ...NO_FAULTS, latencyMs: { c2s: 1, s2c: 1 } }
  for (const [scene, faults] of [['tcp-udp-echo', NO_FAULTS], ['mqtt', NO_FAULTS], ['tcp-udp-echo', slow]] as const) {
    const lab = new Lab({ ephemeralPorts: true, faults })
    await lab.start(scene, {})
    for (let i = 0; i < 3; i++) await lab.script()
    await lab.stop()
    const base = events.length
    for (const e of lab.session.events) events.push({ ...e, seq: base + e.seq } as LabEvent)
  }
  memory = new Session()
  spilled = new Session({ memoryBudget: 4096, chunkBytes: 2048 })
  copy(memory)
  copy(spilled)
}, 60_000)

afterAll(() => {
  memory.dispose()
  spilled.dispose()
})

describe('a session past its memory budget', () => {
  it('keeps most of its log on disk, within budget in memory', () => {
    const st = spilled.stats()
    expect(st.events).toBe(events.length)
    expect(events.length).toBeGreaterThan(500)
    expect(events.filter((e) => e.kind === 'fault').length).toBeGreaterThan(5)
    expect(st.bytesOnDisk).toBeGreaterThan(st.bytesInMemory * 4)
    expect(st.bytesInMemory).toBeLessThan(4096 + 2 * 2048 + 16_384)
    expect(memory.stats().bytesOnDisk).toBe(0)
  })

  it('reads back exactly the events appended, in order', () => {
    expect(spilled.events.map(toWire)).toEqual(events.map(toWire))
    expect(spilled.read(100, 140).map((e) => e.seq)).toEqual(Array.from({ length: 41 }, (_, i) => 100 + i))
  })

  it('saves the same session file byte for byte', async () => {
    const when = new Date('2026-01-02T03:04:05Z')
    const a = await collect((sink) => writeSessionFile(memory, 'mqtt', sink, when))
    const b = await collect((sink) => writeSessionFile(spilled, 'mqtt', sink, when))
    expect(b.equals(a)).toBe(true)
    expect(JSON.parse(b.toString('utf8')).events).toEqual(events.map((e) => JSON.parse(JSON.stringify(toWire(e)))))
  })

  it('exports the same pcap, the one built from the events themselves', async () => {
    const a = await collect((sink) => writePcap(memory, sink))
    const b = await collect((sink) => writePcap(spilled, sink))
    expect(b.equals(a)).toBe(true)
    expect(b.equals(Buffer.from(toPcap(events).bytes))).toBe(true)
  })

  it('streams the same events to a renderer, live and by pages', async () => {
    const got = new Map<string, LabEvent[]>()
    for (const [name, s] of [['memory', memory], ['spilled', spilled]] as const) {
      const out: LabEvent[] = []
      const r = new LogReceiver()
      const feed = new LogFeed(s, (p) => void r.live(p, false, (e) => out.push(e)), { intervalMs: 1, maxBytes: 4096 })
      feed.follow(1)
      await new Promise((res) => setTimeout(res, 50))
      feed.close()
      got.set(name, out)
    }
    expect(got.get('spilled')!.map(toWire)).toEqual(events.map(toWire))
    expect(got.get('memory')!.map(toWire)).toEqual(events.map(toWire))
    const mid = Math.floor(memory.stats().marks / 2)
    const a = decodeRange(rangePacket(memory, { mark: mid, span: 300 }), false)
    const b = decodeRange(rangePacket(spilled, { mark: mid, span: 300 }), false)
    expect(b.info.from).toBe(a.info.from)
    expect(b.info.marksBefore).toBe(a.info.marksBefore)
    expect(b.events.map(toWire)).toEqual(a.events.map(toWire))
    expect(b.context.map(toWire)).toEqual(a.context.map(toWire))
    expect(a.events.map((e) => e.seq)).toEqual(Array.from({ length: 300 }, (_, i) => a.info.from! + i))
  })

  it('removes its spill file when cleared', () => {
    const s = new Session({ memoryBudget: 1024, chunkBytes: 512 })
    for (const e of events.slice(0, 200)) {
      const { seq: _s, ...draft } = e
      s.append(draft as Parameters<Session['append']>[0])
    }
    const file = (s as unknown as { spill: { file: string | null } }).spill.file
    expect(file && existsSync(file)).toBe(true)
    s.clear()
    expect(existsSync(file!)).toBe(false)
    expect(s.size).toBe(0)
  })
})
