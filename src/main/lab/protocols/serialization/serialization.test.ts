// The byte layouts against the real decoders: for every format, the values the field tree states
// are the values the library decodes from the same bytes, and the top-level ranges tile the
// message. Garbage gives malformed ranges, never exceptions.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import type { Field } from '../../../../shared/events'
import { rangeProblems, tilingProblems } from '../../dissect/fields'
import { show } from '../common/codec-fields'
import { dissectFormat, encodeAll } from './formats'
import { decodeWithLibrary } from './library-decode'
import {
  DEFAULT_READING,
  ENCODERS,
  FIELD_KEYS,
  FORMATS,
  SENSOR_PROTO,
  protocolOf,
  validateReading,
  type Reading,
  type SchemaOptions,
  type TemperaturaType
} from './record'

const libraryDecode = decodeWithLibrary

function topByKey(fields: Field[], protocol: string): Map<string, Field> {
  const m = new Map<string, Field>()
  for (const f of fields) {
    const key = f.id?.startsWith(protocol + '.') ? f.id.slice(protocol.length + 1) : undefined
    if (key && (FIELD_KEYS as readonly string[]).includes(key)) m.set(key, f)
  }
  return m
}

function checkAgainstLibrary(r: Reading, o: SchemaOptions): void {
  for (const e of encodeAll(r, o)) {
    const { layout, bytes, format } = e
    expect(layout.malformed, `${format}: ${layout.summary}`).toBeUndefined()
    expect(tilingProblems(layout.fields, bytes.length), format).toEqual([])
    expect(rangeProblems(layout.fields, bytes.length), format).toEqual([])
    const lib = libraryDecode(format, bytes, o)
    const tree = topByKey(layout.fields, protocolOf(format))
    // Every field the library decoded is in the tree with the same value, and nothing else.
    expect([...tree.keys()].sort(), format).toEqual(
      Object.keys(lib)
        .filter((k) => lib[k] !== undefined)
        .sort()
    )
    for (const [key, f] of tree) expect(f.value, `${format} ${key}`).toBe(show(lib[key]))
  }
}

describe('serialization layouts agree with the real decoders', () => {
  it('the course notes’ reading, in every format and temperatura type', () => {
    for (const t of ['double', 'float', 'int32'] as TemperaturaType[])
      checkAgainstLibrary(DEFAULT_READING, { temperaturaType: t })
    checkAgainstLibrary(DEFAULT_READING, { addUnidade: true })
    checkAgainstLibrary(DEFAULT_READING, { renumber: true })
  })

  it('random readings (property)', () => {
    const reading = fc.record({
      temperatura: fc.oneof(
        fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
        fc.integer({ min: -500, max: 500 }).map((n) => n / 2)
      ),
      sensor: fc.string({ maxLength: 40, unit: 'grapheme' }),
      timestamp: fc.oneof(
        fc.integer({ min: 0, max: 2 ** 32 }),
        // every timestamp validateReading accepts (avsc's long stops one short of the safe integers)
        fc.integer({ min: -(Number.MAX_SAFE_INTEGER - 1), max: Number.MAX_SAFE_INTEGER - 1 }),
        fc.integer({ min: -(2 ** 31), max: 0 })
      ),
      historico: fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { maxLength: 20 })
    })
    fc.assert(
      fc.property(reading, fc.constantFrom<TemperaturaType>('double', 'float', 'int32'), (r, t) => {
        if (t === 'int32' && Math.abs(r.temperatura * 10) > 2 ** 31 - 1) return
        checkAgainstLibrary(r, { temperaturaType: t })
      }),
      { numRuns: 150 }
    )
  })

  it('refuses, with a reason, a timestamp Avro cannot write; every format encodes the last one it accepts', () => {
    const edge = { ...DEFAULT_READING, timestamp: -(Number.MAX_SAFE_INTEGER - 1) }
    expect(validateReading(edge)).toBeNull()
    expect(encodeAll(edge)).toHaveLength(FORMATS.length)
    expect(validateReading({ ...DEFAULT_READING, timestamp: -Number.MAX_SAFE_INTEGER })).toMatch(/Avro long/)
  })

  it('states the JSON and Protobuf sizes the lesson compares', () => {
    const sizes = Object.fromEntries(
      encodeAll({ temperatura: 23.5, sensor: 'A1', timestamp: 0, historico: [] }).map((e) => [
        e.format,
        e.bytes.length
      ])
    )
    // {"temperatura":23.5,"sensor":"A1","timestamp":0,"historico":[]} and, in Protobuf, only the
    // two non-default fields: 09 + 8 bytes of double, 12 02 41 31.
    expect(sizes.json).toBe(
      JSON.stringify({ temperatura: 23.5, sensor: 'A1', timestamp: 0, historico: [] }).length
    )
    expect(sizes.protobuf).toBe(13)
  })

  it('ships resources/sensor.proto as embedded', () => {
    const file = readFileSync(path.resolve(__dirname, '../../../../../resources/sensor.proto'), 'utf8')
    expect(file).toBe(SENSOR_PROTO)
  })

  it('explains the Protobuf tag byte as field << 3 | wire type', () => {
    const bytes = ENCODERS.protobuf(DEFAULT_READING)
    const layout = dissectFormat('protobuf', bytes)
    const sensor = layout.fields.find((f) => f.id === 'protobuf.sensor')!
    const tag = sensor.children!.find((f) => f.name === 'Tag')!
    expect(bytes[tag.start]).toBe((2 << 3) | 2)
    expect(tag.children!.find((f) => f.name === 'Field number')).toMatchObject({ value: '2', mask: 0xf8 })
    expect(tag.children!.find((f) => f.name === 'Wire type')).toMatchObject({ value: '2 = LEN', mask: 0x07 })
  })
})

describe('garbage and truncation', () => {
  const formats = FORMATS
  it('random bytes never throw; ranges stay sound and tile', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.constantFrom(...formats), (bytes, format) => {
        const layout = dissectFormat(format, bytes)
        expect(rangeProblems(layout.fields, bytes.length)).toEqual([])
        expect(tilingProblems(layout.fields, bytes.length)).toEqual([])
        if (layout.malformed) {
          expect(layout.malformed.start).toBeGreaterThanOrEqual(0)
          expect(layout.malformed.end).toBeLessThanOrEqual(bytes.length)
          expect(layout.fields.some((f) => f.malformed)).toBe(true)
        }
      }),
      { numRuns: 3000 }
    )
  })

  it('every truncation of a real message is flagged malformed with its range', () => {
    for (const e of encodeAll(DEFAULT_READING)) {
      for (let n = 0; n < e.bytes.length; n++) {
        const cut = e.bytes.slice(0, n)
        const layout = dissectFormat(e.format, cut)
        // Protobuf and Avro cuts can land on a field boundary and still be a valid (shorter) message.
        if (e.format === 'protobuf' || e.format === 'avro') {
          expect(tilingProblems(layout.fields, n)).toEqual([])
          continue
        }
        expect(layout.malformed, `${e.format} cut at ${n}`).toBeDefined()
        expect(layout.malformed!.end).toBe(n)
        expect(tilingProblems(layout.fields, n)).toEqual([])
      }
    }
  })

  it('mutated real messages never throw', () => {
    const real = encodeAll(DEFAULT_READING)
    fc.assert(
      fc.property(fc.nat(real.length - 1), fc.nat(200), fc.integer({ min: 0, max: 255 }), (i, pos, b) => {
        const e = real[i]
        const bytes = e.bytes.slice()
        bytes[pos % bytes.length] = b
        const layout = dissectFormat(e.format, bytes)
        expect(rangeProblems(layout.fields, bytes.length)).toEqual([])
        expect(tilingProblems(layout.fields, bytes.length)).toEqual([])
      }),
      { numRuns: 2000 }
    )
  })
})
