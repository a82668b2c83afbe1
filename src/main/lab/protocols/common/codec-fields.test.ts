// Varints and IEEE-754 numbers read with plain numbers agree, bit for bit and field for field, with
// the same readings done the long way with BigInt, on random bytes.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ieeeFields, readVarint } from './codec-fields'
import { ByteReader } from './reader'

/** The varint as BigInt arithmetic reads it (masked to 64 bits), or the error it raises. */
function varintTheLongWay(bytes: Uint8Array): { value: bigint; end: number } | 'error' {
  let value = 0n
  for (let i = 0; i < 10 && i < bytes.length; i++) {
    value |= BigInt(bytes[i] & 0x7f) << BigInt(7 * i)
    if ((bytes[i] & 0x80) === 0) return { value: value & 0xffffffffffffffffn, end: i + 1 }
  }
  return 'error'
}

/** Sign, exponent and mantissa from the bits as one BigInt. */
function ieeeTheLongWay(bytes: Uint8Array, littleEndian: boolean): [number, number, string] {
  const size = bytes.length
  const expBits = size === 8 ? 11 : size === 4 ? 8 : 5
  const manBits = size * 8 - 1 - expBits
  let bits = 0n
  for (let i = 0; i < size; i++) bits = (bits << 8n) | BigInt(bytes[littleEndian ? size - 1 - i : i])
  return [
    Number(bits >> BigInt(size * 8 - 1)),
    Number((bits >> BigInt(manBits)) & ((1n << BigInt(expBits)) - 1n)),
    (bits & ((1n << BigInt(manBits)) - 1n)).toString(16)
  ]
}

describe('codec fields', () => {
  it('reads varints of every length as BigInt arithmetic does', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 12 }), fc.nat(3), (bytes, skip) => {
        const buf = new Uint8Array(skip + bytes.length)
        buf.set(bytes, skip)
        const expected = varintTheLongWay(bytes)
        const reader = new ByteReader(buf, skip)
        if (expected === 'error') expect(() => readVarint(reader)).toThrow()
        else {
          expect(readVarint(reader)).toEqual({ value: expected.value, start: skip, end: skip + expected.end })
          expect(reader.pos).toBe(skip + expected.end)
        }
      }),
      { numRuns: 2000 }
    )
    // Every length up to ten bytes, at its largest value.
    for (let n = 1; n <= 10; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i < n - 1 ? 0xff : n === 10 ? 0x01 : 0x7f))
      expect(readVarint(new ByteReader(bytes)).value).toBe(
        (varintTheLongWay(bytes) as { value: bigint }).value
      )
    }
  })

  it('splits halves, floats and doubles into sign, exponent and mantissa as the bits say', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(2, 4, 8),
        fc.boolean(),
        fc.uint8Array({ minLength: 8, maxLength: 8 }),
        (size, littleEndian, random) => {
          const bytes = random.subarray(0, size)
          const buf = new Uint8Array(3 + size)
          buf.set(bytes, 3)
          const { children } = ieeeFields(buf, 3, size as 2 | 4 | 8, littleEndian, 'x')
          const [sign, exponent, mantissa] = ieeeTheLongWay(bytes, littleEndian)
          expect(children[0].value).toBe(`${sign} (${sign ? 'negative' : 'positive'})`)
          expect(children[1].value?.split('₂')[0]).toBe(
            exponent.toString(2).padStart(size === 8 ? 11 : size === 4 ? 8 : 5, '0')
          )
          expect(children[2].value?.split(' ')[0]).toBe(`0x${mantissa}`)
        }
      ),
      { numRuns: 2000 }
    )
    const one = new Uint8Array(new Float64Array([-1.5]).buffer)
    const { value, children } = ieeeFields(one, 0, 8, true, 'x')
    expect(value).toBe(-1.5)
    expect(children.map((c) => c.value)).toEqual([
      '1 (negative)',
      '01111111111₂ = 1023 − 1023 = 0',
      '0x8000000000000 → 1.5',
      '−1.5 × 2^0 = -1.5'
    ])
  })
})
