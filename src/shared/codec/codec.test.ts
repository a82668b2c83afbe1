// The binary record format: every event decodes to exactly what was encoded (eager and lazy),
// including values the compact layout does not expect, and a chunk decodes on its own.
import { describe, expect, it } from 'vitest'
import type { CheckpointEvent, Field, LabEvent, PduEvent } from '../events'
import { toWire } from '../wire'
import { ByteCursor, ByteSink } from './byte-sink'
import { EventEncoder } from './encode'
import { decodeEntries, PduRecord } from './decode'
import { forEachEntry, isMarkTag, KIND_TAG, seqAt, TAG_JSON } from './format'

const enc = new TextEncoder()

function roundTrip(events: LabEvent[], lazy: boolean): LabEvent[] {
  const e = new EventEncoder()
  const out = new ByteSink(64)
  for (const ev of events) e.encode(ev, out)
  const got: LabEvent[] = []
  decodeEntries(out.written(), 0, out.pos, [], lazy, (x) => got.push(x))
  return got
}

const samples: LabEvent[] = [
  { kind: 'scene', seq: 1, t: 1_700_000_000_000.125, scene: 'mqtt', state: 'started', params: { qos: 1, name: 'Olá' } },
  { kind: 'node', seq: 2, t: 1_700_000_000_001, node: 'n1', label: 'Sensor A', role: 'client', endpoint: { host: '127.0.0.1', port: 40000 } },
  {
    kind: 'conn.open',
    seq: 3,
    t: 1_700_000_000_002,
    conn: 'c1',
    transport: 'tcp',
    from: 'n1',
    to: 'n2',
    client: { host: '127.0.0.1', port: 40000 },
    server: { host: '127.0.0.1', port: 1883 }
  },
  { kind: 'bytes', seq: 4, t: 1_700_000_000_003, conn: 'c1', dir: 'c2s', offset: 0, data: enc.encode('hello'), tcpSeq: 1, tcpAck: 1 },
  { kind: 'bytes', seq: 5, t: 1_700_000_000_004, conn: 'c1', dir: 's2c', offset: 2 ** 40, data: new Uint8Array(0) },
  {
    kind: 'pdu',
    seq: 6,
    t: 1_700_000_000_005,
    conn: 'c1',
    dir: 's2c',
    protocol: 'mqtt',
    summary: 'Publish Message [home/livingroom/temperature] “café” ☕',
    fields: [
      {
        id: 'mqtt.hdrflags',
        name: 'Header Flags',
        value: '0x30',
        start: 0,
        end: 1,
        children: [
          { id: 'mqtt.msgtype', name: 'Message Type', value: 'Publish Message (3)', start: 0, end: 1, mask: 0xf0 },
          { name: 'QoS', value: '0', start: 0, end: 1, mask: 6, modeled: false }
        ]
      },
      { id: 'mqtt.topic', name: 'Topic', value: 'x'.repeat(300), start: 4, end: 30 },
      { name: 'Bad', start: 30, end: 29, malformed: 'ends before it starts', modeled: true }
    ],
    data: new Uint8Array(300).map((_, i) => i),
    offset: -1,
    modeled: true,
    malformed: { reason: 'short', start: 1, end: 2 },
    keys: { topic: 'home/x', qos: 1, retain: false, dup: true, ratio: 0.5, big: 2 ** 50, neg: -3, minus0: -0 }
  },
  { kind: 'note', seq: 7, t: 1_700_000_000_006, key: 'k', text: { en: 'one', pt: 'um' }, level: 'warn' },
  { kind: 'drop', seq: 8, t: 1_700_000_000_007, count: 3, reason: 'bounded' },
  {
    kind: 'checkpoint',
    seq: 9,
    t: 1_700_000_000_008,
    id: 'cp',
    run: 'cp1',
    state: 'answer',
    question: { en: 'q', pt: 'q' },
    choices: [{ id: 'a', label: { en: 'A', pt: 'A' } }],
    answer: ['a']
  },
  { kind: 'conn.close', seq: 10, t: 1_700_000_000_009, conn: 'c1', by: 'client', how: 'fin' }
]

describe('event codec', () => {
  it('round-trips every kind exactly, eagerly and lazily', () => {
    for (const lazy of [false, true]) {
      const got = roundTrip(samples, lazy)
      const plain = (e: LabEvent): unknown => JSON.parse(JSON.stringify(toWire(e)))
      expect(got.map(plain)).toEqual(samples.map(plain))
    }
  })

  it('watch mode and checkpoint events (fault, checkpoint) come back identical, with their own tags', () => {
    const ask: CheckpointEvent = {
      kind: 'checkpoint',
      seq: 7,
      t: 1_700_000_000_106,
      id: 'handshake-count',
      run: 'handshake-count#2',
      state: 'ask',
      question: { en: 'How many segments open the connection?', pt: 'Quantos segmentos abrem a conexão?' },
      choices: [
        { id: '2', label: { en: 'Two', pt: 'Dois' } },
        { id: '3', label: { en: 'Three', pt: 'Três' } }
      ]
    }
    const events: LabEvent[] = [
      { kind: 'fault', seq: 1, t: 1_700_000_000_100.5, conn: 'c1', dir: 'c2s', offset: 0, length: 5, fault: 'delay', ms: 250 },
      { kind: 'fault', seq: 2, t: 1_700_000_000_101, conn: 'c1', dir: 's2c', offset: 2 ** 33, length: 1400, fault: 'drop' },
      { kind: 'fault', seq: 3, t: 1_700_000_000_102, conn: 'c2', dir: 'c2s', offset: 7, length: 3, fault: 'duplicate' },
      { kind: 'fault', seq: 4, t: 1_700_000_000_103, conn: 'c2', dir: 's2c', offset: 9, length: 0, fault: 'reorder', ms: 0 },
      { kind: 'fault', seq: 5, t: 1_700_000_000_104, conn: 'c2', dir: 'c2s', offset: 10, length: 0, fault: 'cut' },
      { kind: 'conn.close', seq: 6, t: 1_700_000_000_105, conn: 'c2', by: 'wirelab', how: 'cut', reason: 'cut on request' },
      ask,
      {
        ...ask,
        seq: 8,
        t: 1_700_000_000_107,
        state: 'answer',
        answer: ['3'],
        explain: { en: 'SYN, SYN-ACK, ACK: 3 segments in 0.4 ms', pt: 'SYN, SYN-ACK, ACK: 3 segmentos em 0,4 ms' }
      },
      {
        kind: 'pdu',
        seq: 9,
        t: 1_700_000_000_108,
        conn: 'c1',
        dir: 'c2s',
        protocol: 'mqtt',
        summary: 'Subscribe Request',
        fields: [],
        data: new Uint8Array([0x82, 0]),
        offset: 0,
        keys: { type: 'SUBSCRIBE', filters: ['home/#', 'sensors/+/temp'], qos: [1, 0] }
      }
    ]
    for (const lazy of [false, true]) {
      const got = roundTrip(events, lazy)
      expect(got.slice(0, 8)).toEqual(events.slice(0, 8))
      // JSON of each of those, key order included, is byte for byte the original's.
      expect(got.slice(0, 8).map((g) => JSON.stringify(g))).toEqual(events.slice(0, 8).map((e) => JSON.stringify(e)))
      // PDU keys that are lists (an MQTT SUBSCRIBE's filters and QoS) keep their values.
      expect((got[8] as PduEvent).keys).toEqual((events[8] as PduEvent).keys)
      expect(JSON.parse(JSON.stringify(toWire(got[8])))).toEqual(JSON.parse(JSON.stringify(toWire(events[8]))))
    }
    const e = new EventEncoder()
    const out = new ByteSink()
    const tags: number[] = []
    for (const ev of events) e.encode(ev, out)
    forEachEntry(out.written(), 0, out.pos, (tag) => tag !== 0 && tags.push(tag))
    expect(tags.slice(0, 5)).toEqual(Array(5).fill(KIND_TAG.fault))
    expect(tags.slice(6, 8)).toEqual([KIND_TAG.checkpoint, KIND_TAG.checkpoint])
    expect(tags).not.toContain(TAG_JSON)
  })

  it('field trees come back with their keys in the original order (JSON byte for byte)', () => {
    const pdu = samples[5] as PduEvent
    const odd = { ...pdu, fields: [{ name: 'a', start: 0, end: 1, id: 'x.a', children: [{ end: 2, start: 1, name: 'b', mask: 1 }], value: 'v' }] }
    for (const lazy of [false, true])
      for (const e of [pdu, odd]) {
        const [got] = roundTrip([e], lazy) as PduEvent[]
        expect(JSON.stringify(got.fields)).toBe(JSON.stringify(e.fields))
      }
  })

  it('a field tree whose structure repeats becomes a template: later copies carry only their values', () => {
    const base = samples[5] as PduEvent
    const variants = Array.from({ length: 6 }, (_, i) => ({
      ...base,
      seq: 100 + i,
      fields: [
        { ...base.fields[0], value: `0x3${i}` },
        { ...base.fields[1], value: `topic ${i}` },
        base.fields[2],
        ...(i === 4 ? [{ name: 'odd', start: 0, end: 1, extra: true } as unknown as Field] : [])
      ]
    }))
    const e = new EventEncoder()
    const out = new ByteSink()
    const sizes: number[] = []
    for (const v of variants) {
      const before = out.pos
      e.encode(v, out)
      sizes.push(out.pos - before)
    }
    // The second copy defines the template; from the third on, a record is much smaller.
    expect(sizes[2]).toBeLessThan(sizes[0] - 60)
    expect(sizes[5]).toBe(sizes[2])
    for (const lazy of [false, true]) {
      const got: LabEvent[] = []
      decodeEntries(out.written(), 0, out.pos, [], lazy, (x) => got.push(x))
      expect(got.map((g) => JSON.stringify((g as PduEvent).fields))).toEqual(variants.map((v) => JSON.stringify(v.fields)))
    }
  })

  it('keeps properties the layout does not know, and values of unexpected types', () => {
    const odd = {
      kind: 'pdu',
      seq: 1,
      t: 2,
      conn: 'c',
      dir: 'c2s',
      protocol: 'x',
      summary: 's',
      fields: [{ name: 'f', start: 0.5, end: 2 ** 60, extraProp: [1, 2], value: 7 as unknown as string }],
      data: new Uint8Array([1]),
      offset: 1.5,
      future: { nested: true },
      keys: { n: null as unknown as string }
    } as unknown as LabEvent
    const future = { kind: 'teleport', seq: 2, t: 3, where: 'mars' } as unknown as LabEvent
    const got = roundTrip([odd, future], false)
    expect(JSON.parse(JSON.stringify(toWire(got[0])))).toEqual(JSON.parse(JSON.stringify(toWire(odd))))
    expect(got[1]).toEqual(future)
  })

  it('lazy PDUs read data and fields from the record, and can be overridden', () => {
    const [pdu] = roundTrip([samples[5]], true) as PduEvent[]
    expect(pdu).toBeInstanceOf(PduRecord)
    expect(pdu.fields).toBe(pdu.fields) // decoded once
    expect(Array.from(pdu.data)).toEqual(Array.from((samples[5] as PduEvent).data))
    expect(JSON.parse(JSON.stringify(pdu)).fields[0].children[0].mask).toBe(0xf0)
    pdu.fields = []
    expect(pdu.fields).toEqual([])
  })

  it('starts every chunk with an empty string table, so a chunk decodes alone', () => {
    const e = new EventEncoder()
    const a = new ByteSink()
    const b = new ByteSink()
    e.encode(samples[5], a)
    e.reset()
    e.encode({ ...(samples[5] as PduEvent), seq: 7 }, b)
    const got: LabEvent[] = []
    decodeEntries(b.written(), 0, b.pos, [], false, (x) => got.push(x))
    expect(got[0].seq).toBe(7)
    // Strings repeat within a chunk by reference: the second record is much smaller.
    const c = new ByteSink()
    const e2 = new EventEncoder()
    e2.encode(samples[5], c)
    const first = c.pos
    e2.encode({ ...(samples[5] as PduEvent), seq: 8 }, c)
    expect(c.pos - first).toBeLessThan(first - 100)
  })

  it('entries can be walked without decoding: tags, seqs and marks', () => {
    const e = new EventEncoder()
    const out = new ByteSink()
    for (const ev of samples) e.encode(ev, out)
    const seqs: number[] = []
    let marks = 0
    forEachEntry(out.written(), 0, out.pos, (tag, at) => {
      if (tag === 0) return
      seqs.push(seqAt(out.buf, at))
      if (isMarkTag(tag)) marks++
    })
    expect(seqs).toEqual(samples.map((s) => s.seq))
    expect(marks).toBe(samples.filter((s) => ['pdu', 'conn.open', 'conn.close', 'note', 'checkpoint'].includes(s.kind)).length)
  })

  it('a damaged record throws a RangeError instead of reading garbage', () => {
    const e = new EventEncoder()
    const out = new ByteSink()
    e.encode(samples[5], out)
    const cut = out.written().slice()
    // Claim the record is longer than the bytes there are: the walk stops before it.
    const got: LabEvent[] = []
    const stop = decodeEntries(cut, 0, cut.length - 10, [], false, (x) => got.push(x))
    expect(got).toEqual([])
    expect(stop).toBeLessThan(cut.length)
    expect(() => new ByteCursor(new Uint8Array([0x80, 0x80])).uvar()).toThrow(RangeError)
  })

  it('varints cover every safe integer', () => {
    const s = new ByteSink(1)
    const values = [0, 1, 127, 128, 2 ** 31 - 1, 2 ** 31, 2 ** 32 + 5, 2 ** 52 - 1]
    for (const v of values) s.uvar(v)
    for (const v of values) s.svar(v === 0 ? 0 : -v)
    const c = new ByteCursor(s.written())
    expect(values.map(() => c.uvar())).toEqual(values)
    expect(values.map(() => c.svar())).toEqual(values.map((v) => (v === 0 ? 0 : -v)))
  })
})
