import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import mqttPacket, { type Packet } from 'mqtt-packet'
import type { Direction } from '../../../../shared/events'
import { findField as find, rangeProblems, tilingProblems } from '../../dissect/fields'
import type { PduDraft } from '../../dissect/types'
import { createDissector } from '..'
import { createMqttDissector, decodeMqtt, mqttPduLength } from './dissector'
import { FIXTURES, fixtureBytes, type Fixture } from '../../testing/mqtt-fixtures'

const S2C = new Set(['connack', 'suback', 'unsuback', 'pingresp'])
const dirOf = (p: Packet): Direction => (S2C.has(p.cmd) ? 's2c' : 'c2s')

/** The CONNECT that sets a connection's protocol version, then the fixture, through one dissector. */
function dissect(f: Fixture, chunks?: number[]): PduDraft[] {
  const d = createMqttDissector()
  const out: PduDraft[] = []
  if (f.packet.cmd !== 'connect') {
    const connect = FIXTURES.find((x) => x.packet.cmd === 'connect' && x.version === f.version)
    if (connect) d.push('c2s', fixtureBytes(connect), 0)
  }
  const bytes = fixtureBytes(f)
  const cuts = [0, ...(chunks ?? []), bytes.length]
  for (let i = 0; i + 1 < cuts.length; i++) out.push(...d.push(dirOf(f.packet), bytes.subarray(cuts[i], cuts[i + 1]), cuts[i]))
  return out
}

/** What a test compares across splits: everything except the identity of the byte arrays. */
const shape = (p: PduDraft): unknown => ({ ...p, data: Array.from(p.data) })

describe('MQTT dissector on bytes from mqtt-packet', () => {
  for (const f of FIXTURES) {
    it(`${f.name}`, () => {
      const bytes = fixtureBytes(f)
      const pdus = dissect(f)
      expect(pdus).toHaveLength(1)
      const [p] = pdus
      expect(p.protocol).toBe('mqtt')
      expect(p.malformed).toBeUndefined()
      expect(p.data).toEqual(bytes)
      expect(rangeProblems(p.fields, bytes.length)).toEqual([])
      expect(tilingProblems(p.fields, bytes.length)).toEqual([])
      expect(p.keys?.type).toBe(f.packet.cmd.toUpperCase())
      const pkt = f.packet as Packet & { messageId?: number; topic?: string; qos?: number; clientId?: string; retain?: boolean }
      // Whatever mqtt-packet's own parser reads back from the same bytes, the dissector reads too.
      const parsed: Packet[] = []
      const parser = mqttPacket.parser({ protocolVersion: f.version })
      parser.on('packet', (x: Packet) => parsed.push(x))
      parser.parse(Buffer.from(bytes))
      expect(parsed).toHaveLength(1)
      const ref = parsed[0] as Packet & { messageId?: number; topic?: string; qos?: number; retain?: boolean; length: number }
      if (ref.messageId !== undefined && pkt.cmd !== 'publish') expect(p.keys?.packetId).toBe(ref.messageId)
      if (pkt.cmd === 'publish') {
        expect(p.keys?.topic).toBe(ref.topic)
        expect(p.keys?.qos).toBe(ref.qos)
        expect(p.keys?.retain).toBe(ref.retain)
        if ((ref.qos ?? 0) > 0) expect(p.keys?.packetId).toBe(ref.messageId)
        else expect(p.keys?.packetId).toBeUndefined()
      }
      if (pkt.cmd === 'connect') expect(p.keys?.clientId).toBe(pkt.clientId)
      // The remaining-length field covers the varint bytes and says the parser's length.
      const len = find(p.fields, 'mqtt.len')
      expect(len?.value).toBe(`${ref.length} byte${ref.length === 1 ? '' : 's'}`)
      expect(len && len.end - len.start).toBe(bytes.length - ref.length - 1)
    })
  }

  it('reads the connect flags bit by bit', () => {
    const f = FIXTURES.find((x) => x.name.startsWith('CONNECT 3.1.1 with will'))!
    const [p] = dissect(f)
    const flags = find(p.fields, 'mqtt.conflags')!
    const byName = Object.fromEntries(flags.children!.map((c) => [c.name, c]))
    expect(byName['User name flag'].value).toBe('1')
    expect(byName['User name flag'].mask).toBe(0x80)
    expect(byName['Will QoS'].value).toBe('1')
    expect(byName['Will retain'].value).toBe('1')
    expect(byName['Clean session'].value).toMatch(/^0/)
    expect(p.keys).toMatchObject({ willTopic: 'device/123/status', willPayload: 'offline', username: 'aluno', clean: false })
  })

  it('gives the same PDUs whatever the split point', () => {
    for (const f of FIXTURES) {
      const whole = dissect(f).map(shape)
      const n = fixtureBytes(f).length
      const step = n > 2000 ? 97 : 1
      for (let cut = 1; cut < n; cut += step) expect(dissect(f, [cut]).map(shape), `${f.name} split at ${cut}`).toEqual(whole)
    }
  })

  it('gives the same PDUs for a whole conversation fed one byte at a time', () => {
    const v4 = FIXTURES.filter((f) => f.version === 4 && dirOf(f.packet) === 'c2s')
    const stream = Buffer.concat(v4.map((f) => Buffer.from(fixtureBytes(f))))
    const whole = createMqttDissector().push('c2s', stream, 0)
    const d = createMqttDissector()
    const bytewise: PduDraft[] = []
    for (let i = 0; i < stream.length; i++) bytewise.push(...d.push('c2s', stream.subarray(i, i + 1), i))
    expect(whole).toHaveLength(v4.length)
    expect(bytewise.map(shape)).toEqual(whole.map(shape))
    expect(whole.map((p) => p.offset)).toEqual(v4.reduce<number[]>((acc, f, i) => [...acc, i === 0 ? 0 : acc[i - 1] + fixtureBytes(v4[i - 1]).length], []))
  })

  it('shows a 3.1.1-format CONNACK sent to an MQTT 5 client as such', () => {
    const d = createMqttDissector()
    d.push('c2s', fixtureBytes(FIXTURES.find((x) => x.name.startsWith('CONNECT 5.0'))!), 0)
    const [p] = d.push('s2c', new Uint8Array(mqttPacket.generate({ cmd: 'connack', returnCode: 1, sessionPresent: false })), 0)
    expect(p.malformed).toBeUndefined()
    expect(p.summary).toContain('unacceptable protocol version')
    expect(p.summary).toContain('3.1.1-format')
    expect(p.keys?.returnCode).toBe(1)
  })

  it('flags malformed packets with the reason and range', () => {
    const cases: [string, number[], RegExp][] = [
      ['SUBSCRIBE with flags 0000', [0x80, 0x06, 0x00, 0x01, 0x00, 0x01, 0x61, 0x00], /flags must be 0010/],
      ['PUBLISH QoS 3', [0x36, 0x05, 0x00, 0x01, 0x61, 0x00, 0x01], /QoS 3/],
      ['reserved packet type 0', [0x00, 0x00], /reserved/],
      ['topic length past the end', [0x30, 0x03, 0x00, 0x09, 0x61], /Topic: needs 9 bytes/],
      ['CONNECT reserved flag', [0x10, 0x0d, 0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, 0x04, 0x03, 0x00, 0x3c, 0x00, 0x01, 0x61], /reserved flag/],
      ['PUBLISH topic with wildcard', [0x30, 0x05, 0x00, 0x03, 0x61, 0x2f, 0x23], /wildcards/],
      ['invalid UTF-8 topic', [0x30, 0x04, 0x00, 0x02, 0xc3, 0x28], /UTF-8/]
    ]
    for (const [name, bytes, reason] of cases) {
      const [p] = createMqttDissector().push('c2s', new Uint8Array(bytes), 0)
      expect(p.malformed?.reason, `${name}: ${p.summary}`).toMatch(reason)
      expect(rangeProblems(p.fields, bytes.length), name).toEqual([])
    }
    const [bad] = createMqttDissector().push('c2s', new Uint8Array([0x30, 0xff, 0xff, 0xff, 0xff, 0x01]), 0)
    expect(bad.malformed?.reason).toMatch(/longer than 4 bytes/)
    const junk = createDissector('mqtt')
    const text = new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n')
    const got = [...junk.push('c2s', text, 0), ...(junk.end?.('c2s') ?? [])]
    expect(got.every((p) => p.malformed)).toBe(true)
    expect(got.reduce((n, p) => n + p.data.length, 0)).toBe(text.length)
  })
})

/** Deterministic PRNG (mulberry32) so a failing fuzz case can be replayed from its index. */
function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function checkStream(bytes: Uint8Array, cuts: number[]): void {
  const d = createMqttDissector()
  const pdus: PduDraft[] = []
  let at = 0
  for (const c of [...cuts.filter((c) => c > 0 && c < bytes.length).sort((a, b) => a - b), bytes.length]) {
    pdus.push(...d.push('c2s', bytes.subarray(at, c), at))
    at = c
  }
  pdus.push(...(d.end?.('c2s') ?? []))
  let covered = 0
  for (const p of pdus) {
    const problems = rangeProblems(p.fields, p.data.length)
    if (problems.length) throw new Error(`range problems ${problems.join('; ')} in ${Buffer.from(bytes).toString('hex')}`)
    if (p.malformed?.reason.startsWith('dissector error')) throw new Error(p.malformed.reason)
    covered += p.data.length
  }
  if (covered !== bytes.length) throw new Error(`covered ${covered} of ${bytes.length} bytes`)
}

describe('MQTT dissector fuzz', () => {
  it('survives 100k random and mutated packets without an exception', () => {
    const next = rng(0x5eed)
    const seeds = FIXTURES.filter((f) => fixtureBytes(f).length < 400).map(fixtureBytes)
    let malformed = 0
    for (let i = 0; i < 100_000; i++) {
      let buf: Uint8Array
      if (i % 2 === 0) {
        buf = seeds[i % seeds.length].slice()
        const flips = 1 + Math.floor(next() * 4)
        for (let k = 0; k < flips; k++) buf[Math.floor(next() * buf.length)] = Math.floor(next() * 256)
        if (next() < 0.2) buf = buf.subarray(0, Math.floor(next() * buf.length))
      } else {
        const n = Math.floor(next() * 64)
        buf = new Uint8Array(n)
        for (let k = 0; k < n; k++) buf[k] = Math.floor(next() * 256)
        if (n > 1) {
          buf[0] = (Math.floor(next() * 16) << 4) | (buf[0] & 0x0f)
          buf[1] = n - 2 < 128 ? n - 2 : buf[1]
        }
      }
      // The decoder itself, on whatever length framing would hand it, with each protocol level.
      const len = mqttPduLength(buf)
      if (typeof len === 'number' && len <= buf.length) {
        const decoded = decodeMqtt(buf.subarray(0, len), 'c2s', { version: [3, 4, 5][i % 3] })
        if (decoded.malformed) malformed++
        const problems = rangeProblems(decoded.fields, len)
        if (problems.length) throw new Error(`case ${i}: ${problems.join('; ')}`)
      }
      if (i % 10 === 0) checkStream(buf, [Math.floor(next() * buf.length)])
    }
    expect(malformed).toBeGreaterThan(1000)
  }, 60_000)

  it('survives random streams and splits (fast-check)', () => {
    const conversation = Buffer.concat(FIXTURES.filter((f) => f.version === 4 && f.name !== 'PUBLISH large (3-byte remaining length)').map((f) => Buffer.from(fixtureBytes(f))))
    fc.assert(
      fc.property(
        fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.constant(new Uint8Array(conversation))),
        fc.array(fc.nat(400), { maxLength: 6 }),
        fc.array(fc.tuple(fc.nat(400), fc.integer({ min: 0, max: 255 })), { maxLength: 5 }),
        (base, cuts, edits) => {
          const bytes = base.slice()
          for (const [at, v] of edits) if (bytes.length) bytes[at % bytes.length] = v
          checkStream(bytes, cuts)
        }
      ),
      { numRuns: 500 }
    )
  })
})
