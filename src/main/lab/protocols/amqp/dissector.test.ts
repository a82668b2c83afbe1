// The AMQP 0-9-1 dissector on bytes amqplib, pika and RabbitMQ really exchanged (recorded by
// fixtures/record.ts), checked frame by frame against amqplib's own frame parser and decoders.
import { createRequire } from 'node:module'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import type { Direction } from '../../../../shared/events'
import { AMQP, amqpArgumentId, amqpPropertyId } from '../../../../shared/protocols/amqp'
import { findField as find, rangeProblems, tilingProblems } from '../../dissect/fields'
import type { PduDraft } from '../../dissect/types'
import { readFixtures } from '../../tap/fixture-recorder'
import { streamOf as piecesStream } from '../../testing/relay'
import { everyOffset, feedAndEnd, shape } from '../../testing/streams'
import type { RecordedConnection } from '../../tap/fixture-recorder'
import { amqpPduLength, createAmqpDissector, decodeAmqp, looksLike } from './dissector'
import { AMQP_FIXTURES } from './fixtures/record'
import { displayName, methodInfo } from './spec'

const req = createRequire(__filename)
const amqplibDir = path.dirname(req.resolve('amqplib'))
interface AmqplibFrame {
  type: number
  channel: number
  size: number
  payload: Buffer
  rest: Buffer
}
const frameLib = req(path.join(amqplibDir, 'lib', 'frame.js')) as { parseFrame(b: Buffer, max: number): AmqplibFrame | false }
const defsLib = req(path.join(amqplibDir, 'lib', 'defs.js')) as { decode(id: number, b: Buffer): Record<string, unknown>; info(id: number): { name: string } }

const streamOf = (c: RecordedConnection, dir: Direction): Uint8Array => piecesStream(c.pieces, dir)
const conns = readFixtures(AMQP_FIXTURES)

const dissect = (stream: Uint8Array, dir: Direction, cuts: number[] = []): PduDraft[] => feedAndEnd(createAmqpDissector, stream, dir, cuts)

/** amqplib's reading of a stream: frames after the protocol header, decoded by its own defs. */
function amqplibFrames(stream: Uint8Array): { type: number; channel: number; id?: number; fields?: Record<string, unknown>; body?: Buffer }[] {
  let buf: Buffer = Buffer.from(stream)
  if (buf.subarray(0, 4).toString() === 'AMQP') buf = buf.subarray(8)
  const out: ReturnType<typeof amqplibFrames> = []
  for (;;) {
    const f = frameLib.parseFrame(buf, 0)
    if (!f) break
    if (f.type === 1) {
      const id = f.payload.readUInt32BE(0)
      out.push({ type: 1, channel: f.channel, id, fields: defsLib.decode(id, f.payload.subarray(4)) })
    } else if (f.type === 2) {
      out.push({ type: 2, channel: f.channel, id: f.payload.readUInt16BE(0), fields: defsLib.decode(f.payload.readUInt16BE(0), f.payload.subarray(12)) })
    } else out.push({ type: f.type, channel: f.channel, ...(f.type === 3 ? { body: f.payload } : {}) })
    buf = f.rest
  }
  return out
}


describe('AMQP 0-9-1 dissector on traffic recorded from RabbitMQ', () => {
  it('has the recorded connections, labelled with the versions they came from', () => {
    expect(conns.map((c) => c.name)).toEqual([expect.stringMatching(/^amqplib: exchanges/), expect.stringMatching(/^amqplib: publish to a missing/), expect.stringMatching(/^pika:/)])
    expect(conns.recordedWith).toMatchObject({ rabbitmq: expect.stringMatching(/^\d+\.\d+\.\d+$/), amqplib: expect.any(String), pika: expect.any(String) })
  })

  for (const c of conns)
    for (const dir of ['c2s', 's2c'] as const)
      it(`${c.name} (${dir}): every frame decoded, sound ranges, the same as amqplib reads`, () => {
        const stream = streamOf(c, dir)
        const pdus = dissect(stream, dir)
        expect(pdus.filter((p) => p.malformed)).toEqual([])
        let at = 0
        for (const p of pdus) {
          expect(p.offset).toBe(at)
          expect(Array.from(p.data)).toEqual(Array.from(stream.subarray(at, at + p.data.length)))
          at += p.data.length
          expect(rangeProblems(p.fields, p.data.length)).toEqual([])
          expect(tilingProblems(p.fields, p.data.length)).toEqual([])
          expect(p.protocol).toBe('amqp')
        }
        expect(at).toBe(stream.length)
        // Frame by frame, what amqplib's parser reads from the same bytes.
        const ref = amqplibFrames(stream)
        const ours = pdus.filter((p) => p.keys?.frame !== 'protocol-header')
        expect(ours.reduce((n, p) => n + Number(p.keys?.frames), 0)).toBe(ref.length)
        let i = 0
        for (const p of ours) {
          const frames = ref.slice(i, i + Number(p.keys?.frames))
          i += frames.length
          const [head] = frames
          expect(p.keys?.channel).toBe(head.channel)
          if (head.type === 8) expect(p.keys?.frame).toBe('heartbeat')
          if (head.type !== 1) continue
          expect(p.keys?.method).toBe(displayName(defsLib.info(head.id!).name))
          for (const [name, value] of Object.entries(head.fields!)) {
            if (typeof value === 'object' && value !== null) continue // tables: shown in the tree
            expect(p.keys?.[name], `${String(p.keys?.method)} ${name}`).toBe(typeof value === 'bigint' ? Number(value) : value)
            expect(find(p.fields, amqpArgumentId(name)), name).toBeDefined()
          }
          const header = frames.find((f) => f.type === 2)
          if (header) {
            for (const [name, value] of Object.entries(header.fields!)) {
              if (value === undefined || (typeof value === 'object' && value !== null)) continue
              expect(p.keys?.[name], name).toBe(value)
              expect(find(p.fields, amqpPropertyId(name)), name).toBeDefined()
            }
            const body = Buffer.concat(frames.filter((f) => f.type === 3).map((f) => f.body!))
            expect(p.keys?.bodySize).toBe(body.length)
            if (body.length < 150 && body.every((b) => b >= 0x20 && b < 0x7f)) expect(p.keys?.body).toBe(body.toString())
          }
        }
      })

  it('shows a message as one PDU: method, content header with its properties and table, and the body frames', () => {
    const [tour] = conns
    const pdus = dissect(streamOf(tour, 'c2s'), 'c2s')
    const publish = pdus.find((p) => p.keys?.method === 'Basic.Publish' && p.keys.routingKey === 'sala.101.temp' && p.keys.exchange === 'sensores.topic')!
    expect(publish.keys).toMatchObject({ frames: 3, channel: 1, body: '21.5', contentType: 'text/plain', deliveryMode: 2, priority: 5, correlationId: 'req-7', messageId: 'm-1', appId: 'wirelab' })
    expect(publish.summary).toBe('Basic.Publish exchange="sensores.topic" key="sala.101.temp" «21.5»')
    expect(publish.fields.map((f) => f.name)).toEqual(['Method frame', 'Content header frame', 'Body frame'])
    const headers = find(publish.fields, amqpPropertyId('headers'))!
    expect(headers.value).toBe('{sensor, andar, calibrado, escala, tags, local, grande, nada}')
    expect(headers.children?.map((c) => `${c.name}=${c.value ?? ''}`)).toEqual([
      'Size=124 bytes',
      'sensor="A1"',
      'andar=1',
      'calibrado=true',
      'escala=1.5',
      'tags=["sala", "temp"]',
      'local={predio}',
      'grande=1099511627776',
      'nada=void'
    ])
    const routingKey = find(publish.fields, amqpArgumentId('routingKey'))!
    expect(new TextDecoder().decode(publish.data.subarray(routingKey.start + 1, routingKey.end))).toBe('sala.101.temp')
    // Bits share one octet: mandatory is bit 0, immediate bit 1 of the same byte.
    const mandatory = find(publish.fields, amqpArgumentId('mandatory'))!
    const immediate = find(publish.fields, amqpArgumentId('immediate'))!
    expect([mandatory.start, mandatory.mask, immediate.start, immediate.mask]).toEqual([immediate.start, 1, mandatory.start, 2])
    // 10 000 bytes with frame-max 4096: three body frames in one PDU.
    const big = pdus.find((p) => p.keys?.method === 'Basic.Publish' && p.keys.exchange === 'sensores.fanout')!
    expect(big.keys).toMatchObject({ frames: 5, bodySize: 10_000 })
    const frameEnds = big.fields.map((f) => f.children?.find((c) => c.id === AMQP.frameEnd))
    expect(frameEnds.every((f) => f && big.data[f.start] === 0xce)).toBe(true)
  })

  it('gives the same PDUs however the stream is split', () => {
    for (const c of conns)
      for (const dir of ['c2s', 's2c'] as const) {
        const stream = streamOf(c, dir)
        const pdus = dissect(stream, dir)
        // Frames are independent once the protocol header is past, so each pair of neighbouring
        // PDUs is re-fed alone, split at every offset (in a pair longer than 300 bytes (the
        // connection set-up, the big message): every offset within 12 bytes of a field boundary, and the middle of each field).
        for (let i = 0; i + 1 < pdus.length; i++) {
          const from = pdus[i].offset
          const pair = stream.subarray(from, pdus[i + 1].offset + pdus[i + 1].data.length)
          const want = [pdus[i], pdus[i + 1]].map((p) => shape({ ...p, offset: p.offset - from }))
          const edges = [pdus[i], pdus[i + 1]].flatMap((p) => [p.offset - from, ...p.fields.map((f) => p.offset - from + f.start)])
          const mids = [pdus[i], pdus[i + 1]].flatMap((p) => p.fields.map((f) => p.offset - from + ((f.start + f.end) >> 1)))
          const cuts = everyOffset(pair.length).filter((k) => pair.length <= 300 || mids.includes(k) || edges.some((e) => Math.abs(k - e) <= 12))
          for (const k of cuts) expect(dissect(pair, dir, [k]).map(shape), `${c.name} ${dir} PDU ${i} split at ${k}`).toEqual(want)
        }
        // And the whole stream byte by byte.
        expect(dissect(stream, dir, everyOffset(stream.length)).map(shape)).toEqual(pdus.map(shape))
      }
  })

  it('takes amqplib’s argument layouts for every method instead of a transcription', () => {
    expect(methodInfo(60, 40)?.args.map((a) => `${a.type} ${a.name}`)).toEqual(['short ticket', 'shortstr exchange', 'shortstr routingKey', 'bit mandatory', 'bit immediate'])
    expect(methodInfo(10, 11)?.name).toBe('Connection.Start-Ok')
    expect(methodInfo(60, 72)?.name).toBe('Basic.Get-Empty')
    expect(methodInfo(99, 1)).toBeNull()
  })
})

describe('AMQP 0-9-1 dissector on bad input', () => {
  const tour = streamOf(conns[0], 'c2s')

  it('flags bytes that are not AMQP frames, with their range, and stops decoding that stream', () => {
    const junk = new TextEncoder().encode('GET / HTTP/1.1\r\nHost: x\r\n\r\n')
    const pdus = dissect(junk, 'c2s')
    expect(pdus).toHaveLength(1)
    expect(pdus[0].malformed).toMatchObject({ start: 0, end: junk.length })
    expect(pdus[0].malformed?.reason).toMatch(/frame type 0x47 is not 1/)
  })

  it('flags a wrong frame end octet at that byte, and keeps the frame’s fields', () => {
    const frame = tour.slice(8, 8 + 7 + ((tour[11] << 24) | (tour[12] << 16) | (tour[13] << 8) | tour[14]) + 1)
    frame[frame.length - 1] = 0xcd
    const [p] = dissect(frame, 'c2s')
    expect(p.malformed).toEqual({ reason: expect.stringMatching(/frame end is 0xcd, not 0xCE/), start: frame.length - 1, end: frame.length })
    expect(p.keys?.method).toBe('Connection.Start-Ok')
  })

  it('flags an unknown method with the class and method id bytes', () => {
    const bytes = Uint8Array.of(1, 0, 1, 0, 0, 0, 4, 0, 99, 0, 7, 0xce)
    const [p] = dissect(bytes, 'c2s')
    expect(p.malformed).toMatchObject({ start: 7, end: 11, reason: 'no method 99.7 in AMQP 0-9-1' })
    expect(rangeProblems(p.fields, p.data.length)).toEqual([])
  })

  it('flags arguments that run past their frame', () => {
    // Queue.Declare whose queue name length says 200 but the frame ends first.
    const bytes = Uint8Array.of(1, 0, 1, 0, 0, 0, 7, 0, 50, 0, 10, 0, 0, 200, 0xce)
    const [p] = dissect(bytes, 'c2s')
    expect(p.malformed?.reason).toMatch(/queue: needs 200 bytes, only 0 left/)
    expect(p.malformed).toMatchObject({ start: 14, end: 14 })
  })

  it('flags a stream that ends inside a frame as truncated', () => {
    const pdus = dissect(tour.subarray(0, 30), 'c2s')
    expect(pdus.at(-1)?.malformed?.reason).toMatch(/truncated: stream ended inside a PDU/)
    expect(pdus.at(-1)?.offset).toBe(8)
  })

  it('never throws and keeps every range sound on random and mutated input', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(tour.length), fc.uint8Array({ minLength: 1, maxLength: 8 }), (junk, at, patch) => {
        const mutated = tour.slice(0, Math.min(tour.length, at + 400))
        mutated.set(patch.subarray(0, Math.max(0, mutated.length - at)), Math.min(at, mutated.length))
        for (const input of [junk, mutated]) {
          for (const p of dissect(input, 'c2s')) {
            expect(rangeProblems(p.fields, p.data.length)).toEqual([])
            if (p.malformed) expect(p.malformed.end).toBeLessThanOrEqual(p.data.length)
          }
          expect(() => looksLike(input, 'c2s')).not.toThrow()
          expect(() => amqpPduLength(input)).not.toThrow()
        }
      }),
      { numRuns: 400, seed: 13 }
    )
    expect(() => decodeAmqp(Uint8Array.of(8, 0, 0, 0, 0, 0, 2, 1, 2, 0xce))).not.toThrow()
  })
})

describe('AMQP looksLike', () => {
  it('recognises the protocol header and frames from both sides, and nothing else', () => {
    for (const c of conns) {
      expect(looksLike(streamOf(c, 'c2s'), 'c2s')).toBe(1)
      expect(looksLike(streamOf(c, 's2c'), 's2c')).toBeGreaterThanOrEqual(0.9)
    }
    const enc = new TextEncoder()
    for (const other of ['GET / HTTP/1.1\r\n\r\n', 'PRI * HTTP/2.0', '\x10\x0c\x00\x04MQTT\x04\x02\x00<', '']) expect(looksLike(enc.encode(other), 'c2s')).toBe(0)
    expect(looksLike(enc.encode('AMQP\x01\x01\x00\x0a'), 'c2s')).toBe(0.9) // AMQP 1.0's header: AMQP, but not 0-9-1
  })
})
