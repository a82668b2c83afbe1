// dissectProtobuf against protobufjs and against `protoc --decode_raw` on the same bytes.
import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import protobuf from 'protobufjs'
import { rangeProblems, tilingProblems } from '../../dissect/fields'
import { DEFAULT_READING, ENCODERS, protoText, protoType } from '../serialization/record'
import { dissectProtobuf } from './protobuf-fields'
import { decodeRawText } from './protobuf-wire'

const hasProtoc = spawnSync('protoc', ['--version']).status === 0

function protocDecodeRaw(bytes: Uint8Array): string | null {
  const r = spawnSync('protoc', ['--decode_raw'], { input: Buffer.from(bytes) })
  return r.status === 0 ? r.stdout.toString('latin1') : null
}

// A schema with every wire type: varints (signed, zigzag, bool, enum), I64, I32, strings, bytes,
// nested messages, packed and unpacked repeated fields.
const WIDE = `syntax = "proto3";
enum Unidade { CELSIUS = 0; FAHRENHEIT = 1; }
message Inner { string nome = 1; sint64 delta = 2; }
message Wide {
  int32 a = 1; int64 b = 2; uint32 c = 3; uint64 d = 4; sint32 e = 5; sint64 f = 6; bool g = 7;
  Unidade h = 8; fixed32 i = 9; fixed64 j = 10; sfixed32 k = 11; sfixed64 l = 12; float m = 13;
  double n = 14; string o = 15; bytes p = 16; Inner q = 17; repeated int32 r = 18;
  repeated string s = 19; repeated Inner t = 20; repeated double u = 21 [packed = false];
  int32 big_number = 300;
}`
const wide = protobuf.parse(WIDE, { keepCase: true }).root.lookupType('Wide')

const wideValue = fc.record(
  {
    a: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
    b: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String),
    c: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
    e: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
    f: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String),
    g: fc.boolean(),
    h: fc.constantFrom(0, 1),
    i: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
    k: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
    m: fc.float({ noNaN: true }),
    n: fc.double({ noNaN: true }),
    o: fc.string({ maxLength: 20 }),
    p: fc.uint8Array({ maxLength: 20 }),
    q: fc.record({
      nome: fc.string({ maxLength: 8 }),
      delta: fc.bigInt({ min: -(2n ** 40n), max: 2n ** 40n }).map(String)
    }),
    r: fc.array(fc.integer({ min: -1000, max: 100000 }), { maxLength: 6 }),
    s: fc.array(fc.string({ maxLength: 6 }), { maxLength: 3 }),
    t: fc.array(fc.record({ nome: fc.string({ maxLength: 4 }) }), { maxLength: 3 }),
    u: fc.array(fc.double({ noNaN: true }), { maxLength: 3 }),
    big_number: fc.integer({ min: -5, max: 5 })
  },
  { requiredKeys: [] }
)

describe('dissectProtobuf', () => {
  it('reads the lesson’s message as protobufjs does, field by field', () => {
    const type = protoType(protoText())
    const bytes = ENCODERS.protobuf(DEFAULT_READING)
    const d = dissectProtobuf(bytes, type)
    expect(d.malformed).toBeUndefined()
    expect(tilingProblems(d.fields, bytes.length)).toEqual([])
    const lib = type.toObject(type.decode(bytes), { longs: String })
    expect({ ...d.value, timestamp: String(d.value.timestamp) }).toEqual(lib)
  })

  it('agrees with protobufjs on random messages of every wire type', () => {
    fc.assert(
      fc.property(wideValue, (v) => {
        const bytes = wide.encode(wide.fromObject(v)).finish()
        const d = dissectProtobuf(bytes, wide)
        expect(d.malformed).toBeUndefined()
        expect(tilingProblems(d.fields, bytes.length)).toEqual([])
        expect(rangeProblems(d.fields, bytes.length)).toEqual([])
        const lib = wide.toObject(wide.decode(bytes), { longs: String, bytes: Array }) as Record<
          string,
          unknown
        >
        const mine = JSON.parse(
          JSON.stringify(d.value, (_k, x: unknown) =>
            typeof x === 'bigint' ? String(x) : x instanceof Uint8Array ? Array.from(x) : x
          )
        ) as Record<string, unknown>
        // The enum reads as its name in the tree; protobufjs gives the number.
        if (typeof mine.h === 'string') mine.h = wide.lookupEnum('Unidade').values[mine.h]
        // Nested messages: compare with their own default-less objects.
        expect(
          JSON.parse(
            JSON.stringify(mine, (_k, x: unknown) => (typeof x === 'number' && Object.is(x, -0) ? 0 : x))
          )
        ).toEqual(
          JSON.parse(
            JSON.stringify(lib, (_k, x: unknown) => (typeof x === 'number' && Object.is(x, -0) ? 0 : x))
          )
        )
      }),
      { numRuns: 200 }
    )
  })

  it('without a schema, shows every possible reading of a varint', () => {
    const bytes = ENCODERS.protobuf({ ...DEFAULT_READING, historico: [] })
    const d = dissectProtobuf(bytes)
    const ts = d.fields.find((f) => f.id === 'protobuf.f3')!
    const value = ts.children!.find((f) => f.name === 'Value')!
    const readings = value
      .children!.filter((f) => f.name.startsWith('Reading as'))
      .map((f) => `${f.name}: ${f.value}`)
    expect(readings).toContain(`Reading as uint64 / uint32: ${DEFAULT_READING.timestamp}`)
    expect(readings).toContain(`Reading as sint64 / sint32 (zigzag): ${DEFAULT_READING.timestamp / 2}`)
  })

  it('an old reader marks a field it does not know, a renumbered field as a wire type mismatch', () => {
    const v2 = ENCODERS.protobuf(DEFAULT_READING, { addUnidade: true })
    const old = dissectProtobuf(v2, protoType(protoText()))
    const unknown = old.fields.find((f) => f.name.startsWith('Unknown field 5'))
    expect(unknown).toBeDefined()
    expect(old.malformed).toBeUndefined()
    const renumbered = ENCODERS.protobuf(DEFAULT_READING, { renumber: true })
    const broken = dissectProtobuf(renumbered, protoType(protoText()))
    expect(broken.fields.filter((f) => f.malformed).map((f) => f.id)).toEqual([
      'protobuf.sensor',
      'protobuf.timestamp'
    ])
  })

  it('garbage gives a malformed range, never an exception', () => {
    const type = protoType(protoText())
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), fc.boolean(), (bytes, withSchema) => {
        const d = dissectProtobuf(bytes, withSchema ? type : undefined)
        expect(rangeProblems(d.fields, bytes.length)).toEqual([])
        expect(tilingProblems(d.fields, bytes.length)).toEqual([])
        if (d.malformed) expect(d.malformed.end).toBe(bytes.length)
      }),
      { numRuns: 3000 }
    )
    const d = dissectProtobuf(Uint8Array.of(0x0a, 0x05, 0x41))
    expect(d.malformed).toMatchObject({ start: 0, end: 3 })
    expect(d.malformed!.reason).toMatch(/declares 5 bytes/)
  })
})

// protoc is installed here and in CI; without it this block fails loudly rather than skipping.
describe('decode_raw agrees with protoc', () => {
  it('protoc is available', () => {
    expect(hasProtoc, 'protoc --version failed: install protobuf-compiler').toBe(true)
  })

  it('on the lesson’s messages', () => {
    for (const o of [
      {},
      { addUnidade: true },
      { renumber: true },
      { temperaturaType: 'float' as const },
      { temperaturaType: 'int32' as const }
    ]) {
      const bytes = ENCODERS.protobuf(DEFAULT_READING, o)
      expect(decodeRawText(bytes)).toBe(protocDecodeRaw(bytes))
    }
  })

  it('on random messages of every wire type', () => {
    fc.assert(
      fc.property(wideValue, (v) => {
        const bytes = wide.encode(wide.fromObject(v)).finish()
        expect(decodeRawText(bytes)).toBe(protocDecodeRaw(bytes))
      }),
      { numRuns: 60 }
    )
  }, 60_000)

  it('on real messages with one byte changed', () => {
    fc.assert(
      fc.property(wideValue, fc.nat(), fc.integer({ min: 0, max: 255 }), (v, at, b) => {
        const bytes = Uint8Array.from(wide.encode(wide.fromObject(v)).finish())
        if (bytes.length === 0) return
        bytes[at % bytes.length] = b
        expect(decodeRawText(bytes)).toBe(protocDecodeRaw(bytes))
      }),
      { numRuns: 150 }
    )
  }, 60_000)

  it('on random bytes (both fail, or both print the same)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 24 }), (bytes) => {
        expect(decodeRawText(bytes)).toBe(protocDecodeRaw(bytes))
      }),
      { numRuns: 150 }
    )
  }, 60_000)
})
