// The gRPC dissector on bytes real programs produced (fixtures recorded by record.ts from the
// grpc-js client and server, and from curl): calls, messages with their 5-byte prefix and named
// protobuf fields, trailers, resets; reassembly across DATA frames and several messages per frame;
// the same PDUs however the bytes are split; bad input flagged with its range, never thrown.
import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import type { Direction, Field } from '../../../../shared/events'
import { GRPC_FIELDS, parseSegments } from '../../../../shared/protocols/grpc'
import { rangeProblems } from '../../dissect/fields'
import { guarded } from '../../dissect/registry'
import type { PduDraft } from '../../dissect/types'
import { essence } from '../../testing/capture'
import '..'
import { createGrpcDissector, looksLikeGrpc as looksLike } from './dissector'
import { MessageReassembler } from './messages'
import { parseTimeout, percentDecode, withoutType } from './decode'
import type { Recording } from '../../testing/grpc-fixtures'

const load = (name: string): Recording =>
  JSON.parse(readFileSync(path.join(__dirname, 'fixtures', `${name}.json`), 'utf8')) as Recording
const FIXTURES = [
  'grpc-js-four',
  'grpc-js-calls',
  'grpc-js-large',
  'curl-two-messages',
  'curl-truncated-prefix',
  'curl-length-too-large'
]

function stream(r: Recording, dir: Direction): Uint8Array {
  return new Uint8Array(
    Buffer.concat(r.chunks.filter((c) => c.dir === dir).map((c) => Buffer.from(c.hex, 'hex')))
  )
}

/** Feeds the recording chunk by chunk, in the order the tap saw them. */
function dissect(r: Recording): PduDraft[] {
  const d = guarded('grpc', createGrpcDissector())
  const out: PduDraft[] = []
  for (const c of r.chunks) out.push(...d.push(c.dir, new Uint8Array(Buffer.from(c.hex, 'hex')), c.offset))
  out.push(...(d.end?.('c2s') ?? []), ...(d.end?.('s2c') ?? []))
  return out
}

/**
 * Feeds each direction whole (c2s first), one direction cut into pieces at `cuts`. Client → server
 * PDUs never depend on the server's bytes, so a c2s cut is fed alone.
 */
function dissectSplit(r: Recording, split: Direction, cuts: number[]): PduDraft[] {
  const d = guarded('grpc', createGrpcDissector())
  const out: PduDraft[] = []
  for (const dir of split === 'c2s' ? (['c2s'] as const) : (['c2s', 's2c'] as const)) {
    const bytes = stream(r, dir)
    const points = dir === split ? [...cuts, bytes.length] : [bytes.length]
    let at = 0
    for (const p of points) {
      if (p <= at) continue
      out.push(...d.push(dir, bytes.slice(at, p), at))
      at = p
    }
  }
  out.push(...(d.end?.('c2s') ?? []), ...(d.end?.('s2c') ?? []))
  return out.filter((p) => p.dir === split)
}

const grpc = (pdus: PduDraft[], kind?: string): PduDraft[] =>
  pdus.filter((p) => p.protocol === 'grpc' && (!kind || p.keys?.grpc === kind))
const find = (fields: Field[], id: string): Field | undefined => {
  for (const f of fields) {
    if (f.id === id) return f
    const inner = f.children && find(f.children, id)
    if (inner) return inner
  }
  return undefined
}

describe('grpc dissector on grpc-js traffic', () => {
  const r = load('grpc-js-calls')
  const pdus = dissect(r)

  it('shows the four call types, each on its own HTTP/2 stream', () => {
    const calls = grpc(pdus, 'call')
    const types = new Map(calls.map((p) => [String(p.keys?.method), p.keys?.callType]))
    expect(types.get('GetTemperatura')).toBe('unary')
    expect(types.get('StreamLeituras')).toBe('server-streaming')
    expect(types.get('EnviarLeituras')).toBe('client-streaming')
    expect(types.get('Conversar')).toBe('bidi')
    const ids = calls.map((p) => p.keys?.streamId)
    expect(new Set(ids).size).toBe(calls.length)
    expect(ids.slice(0, 4)).toEqual([1, 3, 5, 7])
  })

  it('gives each message its 5-byte prefix, each byte ranged, and protobuf fields named from sensor.proto', () => {
    const req = grpc(pdus, 'message').find((p) => p.dir === 'c2s')!
    expect(req.keys).toMatchObject({
      method: 'GetTemperatura',
      messageType: 'SensorRequest',
      index: 1,
      length: 6,
      compressed: false
    })
    const top = req.fields[0]
    expect(top.id).toBe(GRPC_FIELDS.message)
    const [flag, length, data] = top.children!
    expect([flag.id, flag.start, flag.end, flag.value]).toEqual([
      GRPC_FIELDS.compressedFlag,
      0,
      1,
      '0: not compressed'
    ])
    expect([length.id, length.start, length.end]).toEqual([GRPC_FIELDS.messageLength, 1, 5])
    expect(length.children!.map((c) => [c.start, c.end])).toEqual([
      [1, 2],
      [2, 3],
      [3, 4],
      [4, 5]
    ])
    expect([data.id, data.start, data.end]).toEqual([GRPC_FIELDS.messageData, 5, 11])
    const sensor = find(data.children!, 'protobuf.sensor_id')!
    expect(sensor.value).toBe('"A1"')
    expect(Buffer.from(req.data.subarray(sensor.start, sensor.end)).toString('hex')).toBe('0a024131')
    const res = grpc(pdus, 'message').find((p) => p.dir === 's2c')!
    expect(res.keys?.messageType).toBe('TemperaturaResponse')
    expect(find(res.fields, 'protobuf.valor')?.value).toBe('23.5')
    expect(find(res.fields, 'protobuf.unidade')?.value).toBe('"°C"')
  })

  it('puts each message PDU on exactly the stream bytes its segments name', () => {
    for (const p of grpc(pdus, 'message')) {
      const bytes = stream(r, p.dir)
      const pieces = parseSegments(String(p.keys?.segments))
      const joined = Buffer.concat(
        pieces.map((s) => Buffer.from(bytes.subarray(s.offset, s.offset + s.length)))
      )
      expect(joined.equals(Buffer.from(p.data))).toBe(true)
      if (p.offset >= 0)
        expect(
          Buffer.from(bytes.subarray(p.offset, p.offset + p.data.length)).equals(Buffer.from(p.data))
        ).toBe(true)
    }
  })

  it('reads the trailers: grpc-status and grpc-message as fields, trailers-only responses included', () => {
    const statuses = grpc(pdus, 'status')
    expect(statuses.map((p) => p.keys?.statusName)).toEqual([
      'OK',
      'OK',
      'OK',
      'OK',
      'NOT_FOUND',
      'UNIMPLEMENTED',
      'OK'
    ])
    const notFound = statuses[4]
    expect(notFound.summary).toMatch(/trailers-only/)
    expect(find(notFound.fields, GRPC_FIELDS.status)?.value).toBe('NOT_FOUND (5)')
    expect(find(notFound.fields, GRPC_FIELDS.statusMessage)?.value).toBe(
      '"sensor \\"ZZ\\" não encontrado (sensores: A1, B2, C3)"'
    )
  })

  it('reads the call headers: :path, content-type, te and the deadline', () => {
    const deadline = grpc(pdus, 'call').find((p) => p.keys?.timeoutMs !== undefined)!
    expect(deadline.keys?.timeoutMs).toBeGreaterThan(0)
    expect(find(deadline.fields, GRPC_FIELDS.timeout)?.value).toMatch(/deadline in \d+ milliseconds/)
    for (const id of [GRPC_FIELDS.path, GRPC_FIELDS.contentType, GRPC_FIELDS.te])
      expect(find(deadline.fields, id)).toBeDefined()
  })

  it('shows half-close apart from cancel', () => {
    const halfCloses = grpc(pdus, 'half-close')
    expect(
      halfCloses.every((p) => p.dir === 'c2s' && find(p.fields, GRPC_FIELDS.endStream)?.mask === 0x01)
    ).toBe(true)
    const resets = grpc(pdus, 'reset')
    expect(resets.map((p) => [p.keys?.method, p.keys?.error])).toEqual([
      ['StreamLeituras', 'CANCEL'],
      ['StreamLeituras', 'CANCEL']
    ])
    // Messages the server had already sent when the reset went out are still decoded, and say so.
    const all = grpc(pdus)
    for (const reset of resets) {
      const later = all
        .slice(all.indexOf(reset) + 1)
        .filter((p) => p.keys?.grpc === 'message' && p.keys.streamId === reset.keys?.streamId)
      for (const p of later) expect(p.summary).toMatch(/arrived after the call ended/)
    }
  })

  it('marks, inside each DATA frame, which bytes are prefix and which message data', () => {
    const data = pdus.filter(
      (p) => p.protocol === 'http2' && p.keys?.type === 'DATA' && Number(p.keys.dataLength) > 0
    )
    for (const p of data) {
      const parts = find(p.fields, 'http2.data.data')!.children!
      expect(parts.length).toBeGreaterThan(0)
      expect(parts.every((f) => f.id === GRPC_FIELDS.dataPart)).toBe(true)
      expect(parts[0].name).toMatch(/length prefix/)
    }
  })

  it('flags an unknown method and a body that is not protobuf, with their ranges', () => {
    const unknown = grpc(pdus, 'message').find((p) => p.keys?.method === 'Apagar')!
    expect(unknown.malformed?.reason).toMatch(/not a method of the \.proto/)
    expect(unknown.malformed).toMatchObject({ start: 5, end: 9 })
    expect(find(unknown.fields, 'protobuf.f1')).toBeDefined()
    const bad = grpc(pdus, 'message').find(
      (p) => p.dir === 'c2s' && p.malformed && p.keys?.method === 'GetTemperatura'
    )!
    expect(bad.malformed?.reason).toMatch(/declares 16 bytes but only 2 remain/)
    expect(bad.malformed!.start).toBeGreaterThanOrEqual(5)
  })
})

describe('grpc dissector: reassembly', () => {
  it('reassembles a 40 000-byte message that spans DATA frames, both ways', () => {
    const r = load('grpc-js-large')
    const msgs = grpc(dissect(r), 'message')
    expect(msgs).toHaveLength(2)
    for (const m of msgs) {
      expect(m.keys?.frames).toBeGreaterThanOrEqual(3)
      expect(m.offset).toBe(-1)
      expect(m.data.length).toBe(Number(m.keys?.length) + 5)
      expect(m.malformed).toBeUndefined()
    }
    expect(find(msgs[0].fields, 'protobuf.texto')?.value).toMatch(/^"x{20}/)
  })

  it('splits two messages that one DATA frame carries', () => {
    const pdus = dissect(load('curl-two-messages'))
    const frame = pdus.find((p) => p.protocol === 'http2' && p.dir === 'c2s' && p.keys?.type === 'DATA')!
    expect(find(frame.fields, 'http2.data.data')!.children!.map((f) => f.name)).toEqual([
      'gRPC message #1: length prefix',
      'gRPC message #1: message data',
      'gRPC message #2: length prefix',
      'gRPC message #2: message data'
    ])
    const msgs = grpc(pdus, 'message').filter((p) => p.dir === 'c2s')
    expect(msgs.map((p) => find(p.fields, 'protobuf.temperatura')?.value)).toEqual(['22.5', '23.5'])
    expect(msgs[1].offset - msgs[0].offset).toBe(18)
  })

  // Every single cut of the short recordings; the four-call recording (a few kB) is fed one byte at
  // a time instead (every boundary in one pass) and cut at random below, to keep the run short.
  it.each(['curl-two-messages', 'curl-truncated-prefix', 'curl-length-too-large'])(
    '%s: the same PDUs for each direction split at every offset',
    (name) => {
      const r = load(name)
      for (const dir of ['c2s', 's2c'] as const) {
        const base = JSON.stringify(dissectSplit(r, dir, []).map(essence))
        const n = stream(r, dir).length
        for (let k = 1; k < n; k++)
          if (JSON.stringify(dissectSplit(r, dir, [k]).map(essence)) !== base)
            throw new Error(`${dir} cut at ${k} differs`)
      }
    },
    60_000
  )

  it('grpc-js-four: the same PDUs when each direction arrives one byte at a time', () => {
    const r = load('grpc-js-four')
    for (const dir of ['c2s', 's2c'] as const) {
      const n = stream(r, dir).length
      const everyByte = Array.from({ length: n - 1 }, (_, i) => i + 1)
      expect(JSON.stringify(dissectSplit(r, dir, everyByte).map(essence)), dir).toBe(
        JSON.stringify(dissectSplit(r, dir, []).map(essence))
      )
    }
  })

  it.each(['grpc-js-four', 'grpc-js-calls', 'grpc-js-large'])(
    '%s: the same PDUs for random cuts',
    (name) => {
      const r = load(name)
      const base = {
        c2s: JSON.stringify(dissectSplit(r, 'c2s', []).map(essence)),
        s2c: JSON.stringify(dissectSplit(r, 's2c', []).map(essence))
      }
      const n = Math.min(stream(r, 'c2s').length, stream(r, 's2c').length)
      fc.assert(
        fc.property(
          fc.uniqueArray(fc.integer({ min: 1, max: n - 1 }), { maxLength: 40 }),
          fc.constantFrom<Direction>('c2s', 's2c'),
          (cuts, dir) => {
            expect(
              JSON.stringify(
                dissectSplit(
                  r,
                  dir,
                  [...cuts].sort((a, b) => a - b)
                ).map(essence)
              )
            ).toBe(base[dir])
          }
        ),
        { numRuns: 20 }
      )
    },
    60_000
  )

  it('keeps every field inside its parent and its PDU, in every fixture', () => {
    for (const name of FIXTURES)
      for (const p of dissect(load(name)))
        expect(rangeProblems(p.fields, p.data.length), `${name}: ${p.summary}`).toEqual([])
  })

  it('MessageReassembler: any messages, any cuts, same messages back; parts tile each payload', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 40 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(300), { maxLength: 8 }),
        (bodies, rawCuts) => {
          const wire = Buffer.concat(
            bodies.map((b) =>
              Buffer.concat([Buffer.from([0, 0, 0, b.length >> 8, b.length & 0xff]), Buffer.from(b)])
            )
          )
          const cuts = [...new Set(rawCuts.map((c) => c % (wire.length + 1)))].sort((a, b) => a - b)
          const m = new MessageReassembler()
          const got: Uint8Array[] = []
          let at = 0
          for (const c of [...cuts, wire.length]) {
            if (c <= at) continue
            const r = m.push(new Uint8Array(wire.subarray(at, c)), 1000 + at)
            expect(r.broken).toBeUndefined()
            expect(r.parts.reduce((n, p) => n + p.end - p.start, 0)).toBe(c - at)
            got.push(...r.messages.map((x) => x.bytes.subarray(5)))
            at = c
          }
          expect(got.map((g) => Buffer.from(g).toString('hex'))).toEqual(
            bodies.map((b) => Buffer.from(b).toString('hex'))
          )
          expect(m.end('the end')).toBeNull()
        }
      )
    )
  })
})

describe('grpc dissector: bad input', () => {
  it('flags a truncated prefix with its range', () => {
    const bad = grpc(dissect(load('curl-truncated-prefix')), 'message')[0]
    expect(bad.malformed).toEqual({
      reason: 'truncated prefix: 3 of its 5 bytes arrived before the client’s END_STREAM',
      start: 0,
      end: 3
    })
  })

  it('flags a length prefix larger than the message', () => {
    const bad = grpc(dissect(load('curl-length-too-large')), 'message')[0]
    expect(bad.malformed?.reason).toBe(
      'the prefix declares 16 bytes but only 4 arrived before the client’s END_STREAM'
    )
    expect(bad.offset).toBeGreaterThan(0)
    expect(find(bad.fields, GRPC_FIELDS.messageLength)?.value).toBe('16 bytes declared')
  })

  it('flags DATA that is not length-prefixed messages, and what follows on that stream', () => {
    const r = load('curl-two-messages')
    const c2s = stream(r, 'c2s')
    // Keep the preface, SETTINGS and HEADERS curl sent; replace its DATA frame with text.
    const pdus = dissect(r)
    const dataFrame = pdus.find((p) => p.protocol === 'http2' && p.dir === 'c2s' && p.keys?.type === 'DATA')!
    const text = Buffer.from('GET / HTTP/1.1\r\n\r\n')
    const frame = (payload: Buffer, flags: number): Buffer =>
      Buffer.concat([Buffer.from([0, 0, payload.length, 0, flags, 0, 0, 0, 1]), payload])
    const forged = Buffer.concat([
      Buffer.from(c2s.subarray(0, dataFrame.offset)),
      frame(text, 0),
      frame(Buffer.from([0, 0, 0, 0, 0]), 1)
    ])
    const d = createGrpcDissector()
    let out: PduDraft[] = []
    expect(() => (out = d.push('c2s', new Uint8Array(forged), 0))).not.toThrow()
    const bad = grpc(out, 'message')
    expect(bad[0].malformed?.reason).toMatch(/compressed flag is 71 \(0x47\), not 0 or 1/)
    expect(bad[0].malformed).toMatchObject({ start: 0, end: text.length })
    expect(bad[1].malformed?.reason).toMatch(/^not decoded: the stream lost gRPC framing earlier/)
  })

  it('never throws on garbage, and garbage is flagged', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 400 }),
        fc.constantFrom<Direction>('c2s', 's2c'),
        (bytes, dir) => {
          const d = createGrpcDissector()
          const out = [...d.push(dir, bytes, 0), ...(d.end?.(dir) ?? [])]
          for (const p of out) expect(rangeProblems(p.fields, p.data.length)).toEqual([])
        }
      )
    )
  })

  it('looksLike: a first request with content-type application/grpc; a bare preface is left to HTTP/2', () => {
    const first = (name: string): Uint8Array =>
      new Uint8Array(Buffer.from(load(name).chunks.find((c) => c.dir === 'c2s')!.hex, 'hex'))
    // curl writes the preface, SETTINGS and its gRPC request together.
    expect(looksLike(first('curl-two-messages'), 'c2s')).toBe(1)
    // grpc-js writes the preface and SETTINGS first: that much is any HTTP/2 client.
    expect(looksLike(first('grpc-js-four'), 'c2s')).toBe(0)
    expect(looksLike(new TextEncoder().encode('GET / HTTP/1.1\r\n'), 'c2s')).toBe(0)
    expect(looksLike(new Uint8Array(0), 's2c')).toBe(0)
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (b) => looksLike(b, 'c2s') >= 0))
  })
})

describe('grpc header values', () => {
  it('parses grpc-timeout and grpc-message as the spec writes them', () => {
    expect(parseTimeout('1999m')).toEqual({ ms: 1999, text: '1999 milliseconds' })
    expect(parseTimeout('2S')?.ms).toBe(2000)
    expect(parseTimeout('123456789S')).toBeNull()
    expect(parseTimeout('10x')).toBeNull()
    expect(percentDecode('sensor%20%22ZZ%22%20n%C3%A3o')).toBe('sensor "ZZ" não')
    expect(percentDecode('%E0%A4%A')).toBe('%E0%A4%A')
  })

  it('drops a field name’s type suffix as / \\(.*\\)$/ does, line breaks included', () => {
    expect(withoutType('sensor_id (string = 1)')).toBe('sensor_id')
    fc.assert(
      fc.property(fc.array(fc.constantFrom(' ', '(', ')', 'a', '\n', '\r', '\u2028'), { maxLength: 14 }), (chars) => {
        const name = chars.join('')
        expect(withoutType(name)).toBe(name.replace(/ \(.*\)$/, ''))
      }),
      { numRuns: 3000 }
    )
  })
})
