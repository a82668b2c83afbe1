// The ZMTP dissector on bytes libzmq really exchanged (the zeromq package's libzmq and pyzmq's,
// recorded by fixtures/record.ts). tshark has no ZMTP dissector, so the bytes themselves are the
// reference: each expectation below is read off the recorded stream.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import type { Direction } from '../../../../shared/events'
import { ZMTP } from '../../../../shared/protocols/zmtp'
import { findField, rangeProblems, tilingProblems } from '../../dissect/fields'
import type { PduDraft } from '../../dissect/types'
import { readFixtures } from '../../tap/fixture-recorder'
import { streamOf as piecesStream } from '../../testing/relay'
import { everyOffset, feedAndEnd, shape } from '../../testing/streams'
import type { RecordedConnection } from '../../tap/fixture-recorder'
import { createZmtpDissector, looksLike, newZmtpState, zmtpPduLength } from './dissector'
import { ZMTP_FIXTURES } from './fixtures/record'

const streamOf = (c: RecordedConnection, dir: Direction): Uint8Array => piecesStream(c.pieces, dir)
const conns = readFixtures(ZMTP_FIXTURES)
const conn = (prefix: string): (typeof conns)[number] => conns.find((c) => c.name.startsWith(prefix))!
const dissect = (stream: Uint8Array, dir: Direction, cuts: number[] = []): PduDraft[] => feedAndEnd(createZmtpDissector, stream, dir, cuts)
const summaries = (prefix: string, dir: Direction): string[] => dissect(streamOf(conn(prefix), dir), dir).map((p) => p.summary)

describe('ZMTP dissector on traffic recorded from libzmq', () => {
  it('has the recorded connections and the libzmq versions they came from', () => {
    expect(conns.length).toBe(7)
    expect(conns.recordedWith).toMatchObject({ libzmq: expect.stringMatching(/^4\.\d+\.\d+$/), pyzmq: expect.stringMatching(/libzmq 4\./) })
  })

  for (const c of conns)
    for (const dir of ['c2s', 's2c'] as const)
      it(`${c.name} (${dir}): sound ranges, PDUs tile the stream`, () => {
        const stream = streamOf(c, dir)
        const pdus = dissect(stream, dir)
        let at = 0
        for (const p of pdus) {
          expect(p.offset).toBe(at)
          expect(Array.from(p.data)).toEqual(Array.from(stream.subarray(at, at + p.data.length)))
          at += p.data.length
          expect(rangeProblems(p.fields, p.data.length)).toEqual([])
          if (!p.malformed) expect(tilingProblems(p.fields, p.data.length)).toEqual([])
        }
        expect(at).toBe(stream.length)
        // Only libzmq's ERROR command (below) breaks the grammar.
        expect(pdus.filter((p) => p.malformed && !c.name.includes('PLAIN refused'))).toEqual([])
      })

  it('reads the 64-byte greeting: signature, version 3.1, mechanism, as-server', () => {
    const [g] = dissect(streamOf(conn('zeromq: REQ/REP'), 'c2s'), 'c2s')
    expect(g.data.length).toBe(64)
    expect(g.keys).toEqual({ kind: 'greeting', version: '3.1', mechanism: 'NULL', asServer: false })
    expect(findField(g.fields, ZMTP.signature)).toMatchObject({ start: 0, end: 10 })
    expect(findField(g.fields, ZMTP.mechanism)).toMatchObject({ start: 12, end: 32, value: '"NULL" (padded with zeros to 20 bytes)' })
    // libzmq's PLAIN server names the mechanism but leaves as-server at 0.
    const [plain] = dissect(streamOf(conn('zeromq: PLAIN'), 's2c'), 's2c')
    expect(plain.keys).toMatchObject({ mechanism: 'PLAIN', asServer: false })
  })

  it('REQ/REP: READY with Socket-Type and Identity, the empty delimiter, a LONG frame, PING/PONG', () => {
    expect(summaries('zeromq: REQ/REP', 'c2s').slice(1, 4)).toEqual(['READY Socket-Type="REQ" Identity=""', 'Message 2 frames [delimiter] «ping»', 'Message 2 frames [delimiter] «Ola, mundo»'])
    const c2s = dissect(streamOf(conn('zeromq: REQ/REP'), 'c2s'), 'c2s')
    const ready = c2s[1]
    expect(ready.keys).toMatchObject({ kind: 'command', command: 'READY', socketType: 'REQ', identity: '' })
    const st = ready.fields.find((f) => f.name === 'Socket-Type')!
    expect(new TextDecoder().decode(ready.data.subarray(findField(st.children!, ZMTP.propertyValue)!.start, st.end))).toBe('REQ')
    const ping = c2s[2]
    expect(ping.keys).toEqual({ kind: 'message', frames: 2, delimiter: true, first: 'ping', body: 'ping' })
    expect(Array.from(ping.data)).toEqual([0x01, 0x00, 0x00, 0x04, ...new TextEncoder().encode('ping')])
    expect(ping.fields[0].children?.map((f) => f.name)).toEqual(['Flags', 'Size', 'Delimiter'])
    // 300 bytes do not fit a one-byte size: the LONG flag and an 8-byte size.
    const long = c2s[4]
    expect(long.data[2]).toBe(0x02)
    expect(findField(long.fields[1].children!, ZMTP.length)).toMatchObject({ start: 3, end: 11, value: '300 bytes' })
    expect(summaries('zeromq: REQ/REP', 'c2s').filter((s) => s.startsWith('PING'))).not.toHaveLength(0)
    expect(summaries('zeromq: REQ/REP', 's2c').filter((s) => s === 'PONG')).not.toHaveLength(0)
  })

  it('PUB/SUB: the subscriber sends SUBSCRIBE and CANCEL upstream; the publisher sends only matching messages', () => {
    expect(summaries('zeromq: PUB/SUB', 'c2s')).toEqual(['Greeting ZMTP 3.1 NULL', 'READY Socket-Type="SUB"', 'SUBSCRIBE "sensor."', 'SUBSCRIBE "alarm"', 'CANCEL "alarm"'])
    // "other 1" and, after the CANCEL, "alarm gone" were published but never sent to this subscriber.
    expect(summaries('zeromq: PUB/SUB', 's2c')).toEqual(['Greeting ZMTP 3.1 NULL', 'READY Socket-Type="PUB"', 'Message 2 frames «sensor.temp» «21.5»', 'Message «alarm fire»'])
    const sub = dissect(streamOf(conn('zeromq: PUB/SUB'), 'c2s'), 'c2s')[2]
    expect(sub.keys).toEqual({ kind: 'command', command: 'SUBSCRIBE', topic: 'sensor.' })
    expect(findField(sub.fields, ZMTP.subscription)).toMatchObject({ start: 12, end: 19 })
    expect(summaries('pyzmq: SUB', 'c2s')).toContain('SUBSCRIBE "sensor."')
  })

  it('PUSH/PULL: jobs alternate between the two workers', () => {
    const jobs = conns.filter((c) => c.name.startsWith('zeromq: PUSH')).map((c) => dissect(streamOf(c, 's2c'), 's2c').flatMap((p) => (p.keys?.kind === 'message' ? [p.keys.body] : [])))
    expect(jobs).toEqual([
      ['job 1', 'job 3'],
      ['job 2', 'job 4']
    ])
  })

  it('PLAIN: HELLO carries the password in clear text; libzmq’s ERROR reply breaks the command grammar and is flagged', () => {
    expect(summaries('zeromq: PLAIN', 'c2s')[1]).toBe('HELLO user "aluno"')
    const [, error] = dissect(streamOf(conn('zeromq: PLAIN'), 's2c'), 's2c')
    // Size 9, then a name length of 0x5e where "\x05ERROR" belongs: what libzmq sent.
    expect(Array.from(error.data.subarray(0, 3))).toEqual([0x04, 0x09, 0x5e])
    expect(error.malformed).toEqual({ reason: 'command name: needs 94 bytes, only 8 left', start: 3, end: 11 })
    expect(error.fields.map((f) => f.name)).toEqual(['Flags', 'Size', 'Malformed'])
  })

  it('gives the same PDUs however the stream is split, at every offset', () => {
    for (const c of conns)
      for (const dir of ['c2s', 's2c'] as const) {
        const stream = streamOf(c, dir)
        const whole = dissect(stream, dir).map(shape)
        for (const k of everyOffset(stream.length)) expect(dissect(stream, dir, [k]).map(shape), `${c.name} ${dir} split at ${k}`).toEqual(whole)
        expect(dissect(stream, dir, everyOffset(stream.length)).map(shape)).toEqual(whole)
      }
  })
})

describe('ZMTP dissector on bad input', () => {
  const req = streamOf(conn('zeromq: REQ/REP'), 'c2s')

  it('flags a peer that does not send a ZMTP 3 greeting', () => {
    const http = new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n')
    const [p] = dissect(http, 'c2s')
    expect(p.malformed).toMatchObject({ start: 0, end: http.length, reason: expect.stringMatching(/starts with 0xff, not 0x47/) })
    const zmtp2 = Uint8Array.of(0xff, 0, 0, 0, 0, 0, 0, 0, 1, 0x01, 1, 0)
    expect(dissect(zmtp2, 'c2s')[0].malformed?.reason).toMatch(/byte 9 of a ZMTP 3 greeting is 0x7f, not 0x01/)
  })

  it('flags frames with reserved flag bits, and a stream that ends inside a frame', () => {
    const bad = Uint8Array.from([...req.subarray(0, 64), 0x80, 0x01, 0x41])
    const pdus = dissect(bad, 'c2s')
    expect(pdus.at(-1)?.malformed).toMatchObject({ start: 0, end: 3, reason: expect.stringMatching(/reserved bits/) })
    expect(pdus.at(-1)?.offset).toBe(64)
    const cut = dissect(req.subarray(0, 64 + 3), 'c2s')
    expect(cut.at(-1)?.malformed?.reason).toMatch(/truncated/)
  })

  it('never throws and keeps every range sound on random and mutated input', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(req.length), fc.uint8Array({ minLength: 1, maxLength: 6 }), (junk, at, patch) => {
        const mutated = req.slice()
        mutated.set(patch.subarray(0, Math.max(0, mutated.length - at)), Math.min(at, mutated.length))
        for (const input of [junk, mutated, Uint8Array.from([...req.subarray(0, 64), ...junk])]) {
          for (const p of dissect(input, 'c2s')) {
            expect(rangeProblems(p.fields, p.data.length)).toEqual([])
            if (p.malformed) expect(p.malformed.end).toBeLessThanOrEqual(p.data.length)
          }
          expect(() => looksLike(input, 'c2s')).not.toThrow()
          expect(() => zmtpPduLength(input, 'c2s', newZmtpState())).not.toThrow()
        }
      }),
      { numRuns: 400, seed: 5555 }
    )
  })

  it('looksLike: the greeting from either side, nothing else', () => {
    for (const c of conns) for (const dir of ['c2s', 's2c'] as const) expect(looksLike(streamOf(c, dir), dir)).toBe(1)
    const enc = new TextEncoder()
    for (const other of ['GET / HTTP/1.1\r\n\r\n', 'AMQP\x00\x00\x09\x01', '\x10\x0c\x00\x04MQTT', '']) expect(looksLike(enc.encode(other), 'c2s')).toBe(0)
  })
})
