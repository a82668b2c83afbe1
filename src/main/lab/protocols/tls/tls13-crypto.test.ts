import { createCipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { TLS13_SUITES, decryptRecord, hkdfExpand, hmacShort, nonce, trafficKeys } from './tls13-crypto'

const hexOf = (b: Uint8Array): string => Buffer.from(b).toString('hex')

const mac = (hash: string, key: Uint8Array, message: Uint8Array): Uint8Array => {
  const out = new Uint8Array(hash === 'sha384' ? 48 : 32)
  hmacShort(hash, key, message, out)
  return out
}

describe('TLS 1.3 key schedule and record protection', () => {
  it('HKDF-Expand agrees with OpenSSL’s HKDF for one block and for several (extract done by hand)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        fc.uint8Array({ maxLength: 32 }),
        fc.uint8Array({ maxLength: 80 }),
        fc.integer({ min: 1, max: 200 }),
        fc.constantFrom('sha256', 'sha384'),
        (ikm, salt, info, length, hash) => {
          const prk = createHmac(hash, salt).update(ikm).digest()
          expect(hexOf(hkdfExpand(hash, prk, info, length))).toBe(
            hexOf(new Uint8Array(hkdfSync(hash, ikm, salt, info, length)))
          )
        }
      ),
      { numRuns: 300 }
    )
  })

  it('HMAC from two one-shot hashes agrees with OpenSSL’s HMAC (and falls back for long keys and messages)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 200 }),
        fc.uint8Array({ maxLength: 300 }),
        fc.constantFrom('sha256', 'sha384'),
        (key, message, hash) => {
          expect(hexOf(mac(hash, key, message))).toBe(hexOf(createHmac(hash, key).update(message).digest()))
        }
      ),
      { numRuns: 500 }
    )
    // The pads are rewritten per call: a long key, then a short one, then the first again.
    const long = randomBytes(48)
    const short = randomBytes(5)
    const m = randomBytes(20)
    const first = hexOf(mac('sha384', long, m))
    expect(hexOf(mac('sha384', short, m))).toBe(hexOf(createHmac('sha384', short).update(m).digest()))
    expect(hexOf(mac('sha384', long, m))).toBe(first)
    // A shorter output is the digest's first bytes.
    const out = new Uint8Array(12)
    hmacShort('sha256', short, m, out)
    expect(hexOf(out)).toBe(hexOf(createHmac('sha256', short).update(m).digest().subarray(0, 12)))
  })

  it('derives keys and IVs that are arrays of their own: a nonce never changes the IV', () => {
    const keys = trafficKeys(TLS13_SUITES[0x1302], randomBytes(48))
    expect(keys.key).not.toBeInstanceOf(Buffer)
    expect(keys.iv).not.toBeInstanceOf(Buffer)
    const iv = hexOf(keys.iv)
    for (let seq = 0; seq < 5; seq++) nonce(keys.iv, seq)
    expect(hexOf(keys.iv)).toBe(iv)
  })

  it('decrypts every record of a direction in order with one set of keys (sequence numbers 0…n)', () => {
    for (const id of [0x1301, 0x1302, 0x1303]) {
      const suite = TLS13_SUITES[id]
      const keys = trafficKeys(suite, randomBytes(suite.hash === 'sha384' ? 48 : 32))
      for (let seq = 0; seq < 6; seq++) {
        const inner = Buffer.concat([
          Buffer.from(`record ${seq} `.repeat(seq + 1)),
          Buffer.from([23]),
          Buffer.alloc(seq)
        ])
        const header = Buffer.from([23, 3, 3, 0, 0])
        header.writeUInt16BE(inner.length + 16, 3)
        const c = createCipheriv(suite.cipher as 'aes-128-gcm', keys.key, nonce(keys.iv, seq), {
          authTagLength: 16
        })
        c.setAAD(header)
        const record = Buffer.concat([header, c.update(inner), c.final(), c.getAuthTag()])
        const out = decryptRecord(suite, keys, seq, record)
        expect(Buffer.from(out.content).toString()).toBe(`record ${seq} `.repeat(seq + 1))
        expect(out.type).toBe(23)
        expect(out.padding).toBe(seq)
        expect(
          out.plaintext.byteOffset === 0 && out.plaintext.buffer.byteLength === out.plaintext.length
        ).toBe(true)
        // The same record under the next sequence number does not authenticate.
        expect(() => decryptRecord(suite, keys, seq + 1, record)).toThrow()
      }
    }
  })
})
