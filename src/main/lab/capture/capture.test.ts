// Frames on the wire: the hand-written parser on frames the pcap export builds and on frames dumpcap
// really captured on loopback (where this machine allows capture), checked against tshark, field by
// field: the same values at the same byte positions.
import { execFile } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import type { Field, PduEvent } from '../../../shared/events'
import { sessionPackets, writePcap } from '../../../shared/pcap'
import { capturedFrameFor, capturedStack } from '../../../shared/layers'
import { DissectError } from '../dissect/error'
import { rangeProblems } from '../dissect/fields'
import { Lab } from '../lab'
import { frameFields, parseFrame } from './frame'
import { probeCapture } from './loopback'

const run = promisify(execFile)
const canCapture = (await probeCapture()).ok

/** tshark's fields of each frame: name → { pos, size, show } (first occurrence). */
async function tsharkFields(frames: { t: number; data: Uint8Array }[]): Promise<Map<string, { pos: number; size: number; show: string }>[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'wirelab-frames-'))
  const file = path.join(dir, 'frames.pcap')
  writeFileSync(file, writePcap(frames))
  const { stdout } = await run('tshark', ['-r', file, '-T', 'pdml'], { timeout: 30_000, maxBuffer: 64 << 20 })
  return stdout.split('<packet>').slice(1).map((pkt) => {
    const out = new Map<string, { pos: number; size: number; show: string }>()
    for (const m of pkt.matchAll(/<field name="([^"]+)"[^>]*?size="(\d+)" pos="(\d+)" show="([^"]*)"/g))
      if (!out.has(m[1])) out.set(m[1], { size: Number(m[2]), pos: Number(m[3]), show: m[4] })
    return out
  })
}

function flat(fields: Field[], out = new Map<string, Field>()): Map<string, Field> {
  for (const f of fields) {
    if (f.id && !out.has(f.id)) out.set(f.id, f)
    if (f.children) flat(f.children, out)
  }
  return out
}

/** Our field id → tshark's, for fields whose byte ranges mean the same thing. */
const SAME_RANGE: [string, string][] = [
  ['eth.dst', 'eth.dst'],
  ['eth.src', 'eth.src'],
  ['eth.type', 'eth.type'],
  ['ip.len', 'ip.len'],
  ['ip.id', 'ip.id'],
  ['ip.flags', 'ip.flags'],
  ['ip.ttl', 'ip.ttl'],
  ['ip.proto', 'ip.proto'],
  ['ip.checksum', 'ip.checksum'],
  ['ip.src', 'ip.src'],
  ['ip.dst', 'ip.dst'],
  ['tcp.srcport', 'tcp.srcport'],
  ['tcp.dstport', 'tcp.dstport'],
  ['tcp.seq', 'tcp.seq'],
  ['tcp.ack', 'tcp.ack'],
  ['tcp.hdr_len', 'tcp.hdr_len'],
  ['tcp.window', 'tcp.window_size_value'],
  ['tcp.checksum', 'tcp.checksum'],
  ['tcp.urgent_pointer', 'tcp.urgent_pointer'],
  ['udp.srcport', 'udp.srcport'],
  ['udp.dstport', 'udp.dstport'],
  ['udp.length', 'udp.length'],
  ['udp.checksum', 'udp.checksum']
]

function compareWithTshark(frame: Uint8Array, ours: Field[], theirs: Map<string, { pos: number; size: number; show: string }>): number {
  const mine = flat(ours)
  let compared = 0
  for (const [id, ts] of SAME_RANGE) {
    const f = mine.get(id)
    const t = theirs.get(ts)
    if (!f || !t) {
      expect(!!f, `${id} is in one tree and not the other`).toBe(!!t)
      continue
    }
    expect([f.start, f.end - f.start], id).toEqual([t.pos, t.size])
    compared++
  }
  const p = parseFrame(1, frame)!
  expect(String(p.ip.ttl)).toBe(theirs.get('ip.ttl')?.show)
  expect(String(p.ip.id)).toBe(String(Number(theirs.get('ip.id')?.show)))
  if (p.tcp) {
    expect(String(p.tcp.seq)).toBe(theirs.get('tcp.seq_raw')?.show)
    expect(String(p.tcp.window)).toBe(theirs.get('tcp.window_size_value')?.show)
    expect(p.tcp.mss === undefined ? undefined : String(p.tcp.mss)).toBe(theirs.get('tcp.options.mss_val')?.show)
    expect(p.tcp.wscale === undefined ? undefined : String(p.tcp.wscale)).toBe(theirs.get('tcp.options.wscale.shift')?.show)
    expect(p.tcp.tsval === undefined ? undefined : String(p.tcp.tsval)).toBe(theirs.get('tcp.options.timestamp.tsval')?.show)
    expect(String(p.payloadLength)).toBe(theirs.get('tcp.len')?.show)
  }
  return compared
}

describe('frames', () => {
  it('parses the frames the pcap export builds, with every field inside the frame', async () => {
    const lab = new Lab({ ephemeralPorts: true })
    await lab.start('tcp-udp-echo', {})
    await lab.script()
    await lab.stop()
    const packets = sessionPackets(lab.session.events)
    expect(packets.length).toBeGreaterThan(8)
    const theirs = await tsharkFields(packets.map((p) => ({ t: p.t, data: p.bytes })))
    packets.forEach((pk, i) => {
      const p = parseFrame(1, pk.bytes)!
      expect(p).not.toBeNull()
      const fields = frameFields(p)
      expect(rangeProblems(fields, pk.bytes.length)).toEqual([])
      expect(compareWithTshark(pk.bytes, fields, theirs[i])).toBeGreaterThan(10)
    })
  })

  it('a truncated or inconsistent frame is a ranged error, anything else is not IPv4 (null)', () => {
    const eth = Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x08, 0x00, 0x45, 0, 0, 40)
    expect(() => parseFrame(1, eth)).toThrow(DissectError)
    expect(parseFrame(1, Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x86, 0xdd))).toBeNull()
    expect(parseFrame(999, new Uint8Array(60))).toBeNull()
    const badIhl = new Uint8Array(60)
    badIhl.set([0x08, 0x00], 12)
    badIhl[14] = 0x42
    expect(() => parseFrame(1, badIhl)).toThrow(/header length 8/)
    // Random bytes: null, a parse, or a DissectError — never anything else.
    let seed = 7
    for (let i = 0; i < 3000; i++) {
      const n = (seed = (seed * 1103515245 + 12345) >>> 0) % 120
      const b = new Uint8Array(n).map(() => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24)
      if (i % 2 === 0 && n > 14) b.set([0x08, 0x00, 0x45], 12)
      try {
        const p = parseFrame(1, b)
        if (p) expect(rangeProblems(frameFields(p), b.length).filter((x) => !/Payload/.test(x))).toEqual([])
      } catch (e) {
        expect(e).toBeInstanceOf(DissectError)
      }
    }
  })

  it.skipIf(!canCapture)('real frames on loopback (dumpcap): our fields are tshark’s, at the same byte positions', async () => {
    const lab = new Lab({ ephemeralPorts: true })
    try {
      expect((await lab.setCapture(true)).on).toBe(true)
      await lab.start('tcp-udp-echo', {})
      expect(lab.capture.state().available).toBe(true)
      await lab.script()
      await lab.capture.settle()
    } finally {
      await lab.stop()
    }
    const frames = lab.session.events.filter((e): e is PduEvent => e.kind === 'pdu' && e.protocol === 'frame')
    // The handshake, both data segments and the teardown over TCP, and both UDP datagrams.
    expect(frames.filter((f) => f.keys?.flags === 'SYN')).toHaveLength(1)
    expect(frames.filter((f) => f.fields.some((x) => x.id === 'udp'))).toHaveLength(2)
    // Loopback's quirks, as captured: all-zero MACs and a 65,495-byte MSS.
    const syn = frames.find((f) => f.keys?.flags === 'SYN')!
    expect(flat(syn.fields).get('eth.src')?.value).toBe('00:00:00:00:00:00')
    expect(syn.keys?.mss).toBe(65495)
    expect(syn.keys?.seq).toBe(0)
    const theirs = await tsharkFields(frames.map((f) => ({ t: f.t, data: f.data })))
    frames.forEach((f, i) => {
      expect(rangeProblems(f.fields, f.data.length)).toEqual([])
      expect(compareWithTshark(f.data, f.fields, theirs[i])).toBeGreaterThan(10)
    })
    // Each application PDU is found in the frame that carried it, its bytes at the frame's payload.
    const apps = lab.session.events.filter((e): e is PduEvent => e.kind === 'pdu' && !e.modeled && (e.protocol === 'tcp' || e.protocol === 'udp'))
    expect(apps).toHaveLength(4)
    for (const pdu of apps) {
      const frame = capturedFrameFor(lab.session.events, pdu)
      expect(frame, pdu.summary).not.toBeNull()
      const stack = capturedStack(frame!, pdu)
      expect(stack.link).toBe('loopback')
      const app = stack.layers.find((l) => l.id === 'app')!
      expect(stack.frame.subarray(app.start, app.end)).toEqual(pdu.data)
      expect(stack.layers.filter((l) => l.id !== 'app').every((l) => l.source === 'captured')).toBe(true)
    }
  }, 30_000)
})
