// framed(): PDUs cut at the lengths the protocol gives, with their stream offsets, whatever the
// chunking; every PDU and every byte left waiting is the dissector's own, never a view of the
// chunk the caller passed (which a caller may reuse).
import { describe, expect, it } from 'vitest'
import type { PduDraft } from './types'
import { framed } from './reassembly'

/** A toy protocol: a 2-byte big-endian length, then that many bytes. */
const toy = (maxPdu?: number): ReturnType<typeof framed> =>
  framed<null>({
    protocol: 'toy',
    state: () => null,
    pduLength: (buf) => (buf.length < 2 ? 'more' : 2 + ((buf[0] << 8) | buf[1])),
    decode: (pdu) => ({ summary: `${pdu.length - 2} bytes`, fields: [] }),
    ...(maxPdu ? { maxPdu } : {})
  })

/** PDUs of these payload sizes (small ones and ones over 64 bytes), payload bytes counting up. */
function stream(sizes: number[]): Uint8Array {
  const out: number[] = []
  let n = 0
  for (const size of sizes) {
    out.push(size >> 8, size & 0xff)
    for (let i = 0; i < size; i++) out.push(n++ & 0xff)
  }
  return Uint8Array.from(out)
}

const SIZES = [3, 100, 0, 5, 200, 62, 63, 300]
const view = (p: PduDraft): [number, number[]] => [p.offset, [...p.data]]

describe('framed()', () => {
  it('gives the same PDUs and offsets however the stream is cut', () => {
    const bytes = stream(SIZES)
    const whole = toy().push('c2s', bytes, 0).map(view)
    expect(whole.map(([, d]) => d.length - 2)).toEqual(SIZES)
    for (let cut = 1; cut < bytes.length; cut++) {
      const d = toy()
      const pdus = [...d.push('c2s', bytes.subarray(0, cut), 0), ...d.push('c2s', bytes.subarray(cut), cut)]
      expect(pdus.map(view), `cut at ${cut}`).toEqual(whole)
    }
  })

  it('keeps PDUs and waiting bytes of its own when the caller reuses its chunk (a Buffer too)', () => {
    const bytes = stream(SIZES)
    const expected = toy().push('c2s', bytes, 0).map(view)
    for (const cut of [7, 120, 400, bytes.length - 10]) {
      const chunk = Buffer.from(bytes.subarray(0, cut))
      const d = toy()
      const first = d.push('c2s', chunk, 0)
      chunk.fill(0xee) // the caller reuses its buffer
      const rest = Buffer.from(bytes.subarray(cut))
      const second = d.push('c2s', rest, cut)
      rest.fill(0xdd)
      expect([...first, ...second].map(view), `cut at ${cut}`).toEqual(expected)
    }
  })

  it('flags a length over the limit as malformed, with bytes of its own, and stops decoding', () => {
    const chunk = Buffer.from([...stream([4]), 0x10, 0x00, 1, 2, 3])
    const d = toy(100)
    const pdus = d.push('s2c', chunk, 50)
    chunk.fill(0)
    expect(pdus.map(view)).toEqual([
      [50, [0, 4, 0, 1, 2, 3]],
      [56, [0x10, 0x00, 1, 2, 3]]
    ])
    expect(pdus[1].malformed?.reason).toMatch(/exceeds 100/)
    expect(d.push('s2c', Uint8Array.of(9), 61)[0].summary).toMatch(/lost framing/)
  })
})
