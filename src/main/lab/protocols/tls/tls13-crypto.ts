// TLS 1.3 record protection (RFC 8446 §5.2, §7.1, §7.3): traffic keys are derived from a traffic
// secret with HKDF-Expand-Label, the nonce is the IV XOR the record sequence number, and the
// AEAD's additional data is the 5-byte record header.
import {
  createDecipheriv,
  createHmac,
  hash as oneShotHash,
  type DecipherChaCha20Poly1305,
  type DecipherGCM
} from 'node:crypto'
import { concatBytes } from '../../../../shared/bytes'

export interface Tls13Suite {
  name: string
  hash: 'sha256' | 'sha384'
  cipher: 'aes-128-gcm' | 'aes-256-gcm' | 'chacha20-poly1305'
  keyLength: number
}

export const TLS13_SUITES: Record<number, Tls13Suite> = {
  0x1301: { name: 'TLS_AES_128_GCM_SHA256', hash: 'sha256', cipher: 'aes-128-gcm', keyLength: 16 },
  0x1302: { name: 'TLS_AES_256_GCM_SHA384', hash: 'sha384', cipher: 'aes-256-gcm', keyLength: 32 },
  0x1303: { name: 'TLS_CHACHA20_POLY1305_SHA256', hash: 'sha256', cipher: 'chacha20-poly1305', keyLength: 32 }
}

const DIGEST_LENGTH: Record<string, number> = { sha256: 32, sha384: 48 }

/** HKDF-Expand (RFC 5869 §2.3). */
export function hkdfExpand(
  hash: string,
  prk: Uint8Array,
  info: Uint8Array,
  length: number
): Uint8Array<ArrayBuffer> {
  // One block (every TLS 1.3 key and IV): T(1) = HMAC(PRK, info | 0x01).
  if (length <= (DIGEST_LENGTH[hash] ?? 0)) return expandOne(hash, prk, withCounter(info), length)
  const out = new Uint8Array(length)
  let prev = new Uint8Array(0)
  let at = 0
  for (let i = 1; at < length; i++) {
    const h = createHmac(hash, prk)
    // T(0) is empty: nothing to feed for the first block (each update is a call into OpenSSL).
    if (prev.length) h.update(prev)
    h.update(info)
    h.update(Uint8Array.of(i))
    prev = new Uint8Array(h.digest())
    out.set(prev.subarray(0, Math.min(prev.length, length - at)), at)
    at += prev.length
  }
  return out
}

/** The hashes' block sizes (RFC 2104's B). */
const BLOCK_SIZE: Record<string, number> = { sha256: 64, sha384: 128 }

/** (key XOR ipad) | message, then (key XOR opad) | inner hash: written here, hashed in one call each. */
const innerPad = new Uint8Array(256)
const outerPad = new Uint8Array(192)

/**
 * HMAC (RFC 2104) of a short message with a key no longer than a block (a traffic secret), written
 * into `out`: two one-shot hashes, which leave no native object behind, their digests as Latin-1
 * text (a character per byte), which needs no ArrayBuffer. An `Hmac` per key and IV (eight a
 * connection), like a `KeyObject` per secret, was a native object the collector had to free, and
 * each digest an ArrayBuffer for its sweeper thread to release.
 */
export function hmacShort(hash: string, key: Uint8Array, message: Uint8Array, out: Uint8Array): void {
  const block = BLOCK_SIZE[hash]
  if (block === undefined || key.length > block || message.length > innerPad.length - block) {
    const t = createHmac(hash, key).update(message).digest()
    out.set(t.subarray(0, out.length))
    return
  }
  for (let i = 0; i < key.length; i++) {
    innerPad[i] = key[i] ^ 0x36
    outerPad[i] = key[i] ^ 0x5c
  }
  // The key's zero padding, XORed.
  innerPad.fill(0x36, key.length, block)
  outerPad.fill(0x5c, key.length, block)
  innerPad.set(message, block)
  const inner = oneShotHash(hash, innerPad.subarray(0, block + message.length), 'binary')
  for (let i = 0; i < inner.length; i++) outerPad[block + i] = inner.charCodeAt(i)
  const digest = oneShotHash(hash, outerPad.subarray(0, block + inner.length), 'binary')
  const n = Math.min(out.length, digest.length)
  for (let i = 0; i < n; i++) out[i] = digest.charCodeAt(i)
}

/** T(1) of HKDF-Expand, `infoAndOne` = info | 0x01 (`length` at most the hash's output). */
function expandOne(
  hash: string,
  prk: Uint8Array,
  infoAndOne: Uint8Array,
  length: number
): Uint8Array<ArrayBuffer> {
  // An array of its own (up to 64 bytes, V8 keeps it in its heap: no ArrayBuffer to release).
  const out = new Uint8Array(length)
  hmacShort(hash, prk, infoAndOne, out)
  return out
}

function withCounter(info: Uint8Array): Uint8Array {
  const out = new Uint8Array(info.length + 1)
  out.set(info)
  out[info.length] = 1
  return out
}

const ENCODER = new TextEncoder()

/** HkdfLabel | 0x01 for an empty context, per label and length (`key` and `iv` of every traffic secret; the same for either hash). */
const emptyContextInfo = new Map<string, Uint8Array>()

/** HKDF-Expand-Label(Secret, Label, Context, Length) with the "tls13 " prefix. */
export function hkdfExpandLabel(
  hash: string,
  secret: Uint8Array,
  label: string,
  context: Uint8Array,
  length: number
): Uint8Array<ArrayBuffer> {
  if (context.length || length > (DIGEST_LENGTH[hash] ?? 0))
    return hkdfExpand(hash, secret, hkdfLabel(label, context, length), length)
  const key = `${length} ${label}`
  let info = emptyContextInfo.get(key)
  if (!info) emptyContextInfo.set(key, (info = withCounter(hkdfLabel(label, context, length))))
  return expandOne(hash, secret, info, length)
}

/** The HkdfLabel structure (RFC 8446 §7.1): length, "tls13 " + label, context. */
function hkdfLabel(label: string, context: Uint8Array, length: number): Uint8Array {
  const full = ENCODER.encode('tls13 ' + label)
  const info = new Uint8Array(2 + 1 + full.length + 1 + context.length)
  info[0] = length >> 8
  info[1] = length & 0xff
  info[2] = full.length
  info.set(full, 3)
  info[3 + full.length] = context.length
  info.set(context, 4 + full.length)
  return info
}

export interface TrafficKeys {
  /**
   * The key's bytes, given to each record's decipher as they are: a `KeyObject` made once per
   * secret cost more than it saved (one more native object to make and, in the collector, to free).
   */
  key: Uint8Array<ArrayBuffer>
  iv: Uint8Array
  /** Where each record's nonce is written (the decipher copies it when it is made). */
  nonce: Uint8Array<ArrayBuffer>
}

const NO_CONTEXT = new Uint8Array(0)

export function trafficKeys(suite: Tls13Suite, secret: Uint8Array): TrafficKeys {
  const key = hkdfExpandLabel(suite.hash, secret, 'key', NO_CONTEXT, suite.keyLength)
  return { key, iv: hkdfExpandLabel(suite.hash, secret, 'iv', NO_CONTEXT, 12), nonce: new Uint8Array(12) }
}

/** The per-record nonce (RFC 8446 §5.3): the IV with the sequence number XORed into its last 8 bytes. */
export function nonce(
  iv: Uint8Array,
  seq: number,
  into: Uint8Array<ArrayBuffer> = new Uint8Array(iv.length)
): Uint8Array<ArrayBuffer> {
  const n = into
  n.set(iv) // into may hold the last record's nonce
  let s = seq
  for (let i = 11; i >= 4 && s > 0; i--) {
    n[i] ^= s % 256
    s = Math.floor(s / 256)
  }
  return n
}

export interface InnerPlaintext {
  /** The whole inner plaintext: content, type and padding (an array of its own). */
  plaintext: Uint8Array
  /** The content (what the application or handshake layer wrote). */
  content: Uint8Array
  /** The real content type hidden inside (22 handshake, 23 application data, 21 alert). */
  type: number
  /** Zero padding bytes after the type. */
  padding: number
}

/**
 * Decrypts one TLS 1.3 record (`record` = 5-byte header + ciphertext with a 16-byte tag).
 * Throws when authentication fails (wrong key or sequence number).
 */
export function decryptRecord(
  suite: Tls13Suite,
  keys: TrafficKeys,
  seq: number,
  record: Uint8Array
): InnerPlaintext {
  if (record.length < 5 + 17) throw new Error('record too short for an AEAD tag')
  const header = record.subarray(0, 5)
  const ct = record.subarray(5, record.length - 16)
  const tag = record.subarray(record.length - 16)
  let d: DecipherGCM | DecipherChaCha20Poly1305
  if (suite.cipher === 'chacha20-poly1305') {
    d = createDecipheriv('chacha20-poly1305', keys.key, nonce(keys.iv, seq, keys.nonce), {
      authTagLength: 16
    })
    d.setAAD(header, { plaintextLength: ct.length })
  } else {
    // GCM takes no options (plaintextLength is for CCM): fewer checks per record.
    const gcm = createDecipheriv(suite.cipher, keys.key, nonce(keys.iv, seq, keys.nonce))
    gcm.setAAD(header)
    d = gcm
  }
  d.setAuthTag(tag)
  // update() gives the whole plaintext for these AEADs; final() only checks the tag (and throws).
  const out = d.update(ct)
  const rest = d.final()
  const plain = rest.length === 0 ? ownArray(out) : concatBytes([out, rest])
  let end = plain.length
  while (end > 0 && plain[end - 1] === 0) end--
  if (end === 0) throw new Error('inner plaintext has no content type')
  return {
    plaintext: plain,
    content: plain.subarray(0, end - 1),
    type: plain[end - 1],
    padding: plain.length - end
  }
}

/** `b` as a Uint8Array over a buffer of its own: update()'s output already is one (GCM, ChaCha20-Poly1305). */
function ownArray(b: Uint8Array): Uint8Array {
  if (b.byteOffset === 0 && b.buffer.byteLength === b.length) return new Uint8Array(b.buffer, 0, b.length)
  const out = new Uint8Array(b.length)
  out.set(b)
  return out
}
