import { describe, expect, it } from 'vitest'
import { ByteReader, DissectError, plainAscii } from './reader'

describe('ByteReader', () => {
  it('reads big- and little-endian integers, floats and varints at the right positions', () => {
    const buf = Uint8Array.from([
      0x01, 0xfe, 0x12, 0x34, 0x00, 0x01, 0x02, 0xff, 0xff, 0xff, 0xfe, 0x34, 0x12, 0xac, 0x02, 0x40, 0x37, 0x80, 0x00, 0x00,
      0x00, 0x00, 0x00
    ])
    const r = new ByteReader(buf)
    expect(r.u8()).toBe(1)
    expect(r.i8()).toBe(-2)
    expect(r.u16()).toBe(0x1234)
    expect(r.u24()).toBe(0x000102)
    expect(r.i32()).toBe(-2)
    expect(r.u16le()).toBe(0x1234)
    expect(r.varint()).toBe(300)
    expect(r.f64()).toBe(23.5)
    expect(r.done).toBe(true)
  })

  it('u32 of 0xffffffff stays unsigned, u64 is a bigint', () => {
    const r = new ByteReader(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 1, 0, 0, 0, 2]))
    expect(r.u32()).toBe(0xffffffff)
    expect(r.u64()).toBe((1n << 32n) | 2n)
  })

  it('a read past the limit throws a DissectError carrying the range being read', () => {
    const r = new ByteReader(Uint8Array.from([1, 2, 3, 4, 5, 6]), 2, 5)
    r.u16('first')
    let err: unknown
    try {
      r.u16('length')
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(DissectError)
    const d = err as DissectError
    expect(d.start).toBe(4)
    expect(d.end).toBe(5)
    expect(d.reason).toMatch(/length: needs 2 bytes, only 1 left/)
  })

  it('sub-readers keep the parent buffer offsets and the parent moves past them', () => {
    const r = new ByteReader(new TextEncoder().encode('abcdef'))
    r.u8()
    const s = r.sub(3)
    expect(s.pos).toBe(1)
    expect(s.latin1(3)).toBe('bcd')
    expect(() => s.u8()).toThrow(DissectError)
    expect(r.pos).toBe(4)
  })

  it('strict UTF-8 rejects invalid bytes with their range', () => {
    const r = new ByteReader(Uint8Array.from([0x41, 0xc3, 0x28]))
    r.u8()
    try {
      r.utf8(2, 'name', true)
      expect.unreachable()
    } catch (e) {
      expect((e as DissectError).start).toBe(1)
      expect((e as DissectError).end).toBe(3)
    }
  })

  it('an over-long varint is a ranged error, not a hang', () => {
    const r = new ByteReader(new Uint8Array(12).fill(0x80))
    expect(() => r.varint('tag')).toThrow(/longer than 10 bytes/)
  })

  it('plainAscii reads short printable ASCII as the decoder does, text JSON quotes as itself, and declines anything else', () => {
    const bytes = new TextEncoder().encode('xx Pampulha, loja 7! ~{}xx')
    const text = plainAscii(bytes, 2, bytes.length - 2)
    expect(text).toBe(new TextDecoder().decode(bytes.subarray(2, bytes.length - 2)))
    expect(JSON.stringify(text)).toBe(`"${text}"`)
    expect(plainAscii(bytes, 3, 3)).toBe('')
    // Bytes that need escaping or decoding, and text past 32 bytes, are left to the decoder.
    for (const s of ['say "hi"', 'a\\b', 'tab\there', 'del\x7f', 'ção', 'x'.repeat(33)]) {
      const b = new TextEncoder().encode(s)
      expect(plainAscii(b, 0, b.length), s).toBeUndefined()
    }
    expect(plainAscii(new TextEncoder().encode('x'.repeat(32)), 0, 32)).toBe('x'.repeat(32))
  })
})
