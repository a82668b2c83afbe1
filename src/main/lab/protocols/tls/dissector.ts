// TLS: the record layer (type, version, length), the handshake messages sent in the clear
// (ClientHello, ServerHello: versions, random, session id, cipher suites, extensions such as SNI,
// ALPN, supported_versions and key_share) and the encrypted records that follow, labelled as
// encrypted. For TLS 1.3 sessions whose secrets are in the key log (Wirelab's own servers and
// clients write theirs), each encrypted record is also decrypted and shown as a second PDU.
import type { Direction, Field } from '../../../../shared/events'
import { field, hex } from '../../dissect/fields'
import { framed, type Decoded } from '../../dissect/reassembly'
import type { DissectorDef, PduDraft, StreamDissector } from '../../dissect/types'
import { keyLog, type KeyLog } from '../common/keylog'
import { decryptedPdu, flushPending, tryDecrypt, type Decrypted } from './decrypt'
import { handshakeMessages } from './handshake'
import { ALERTS, CIPHER_SUITES, CONTENT_TYPES, VERSIONS, versionText } from './names'
import { MAX_PENDING, newTlsState, type Pending, type TlsState } from './state'
import { TLS_FIELDS as F } from '../../../../shared/protocols/tls'
import type { TlsKeys } from '../../../../shared/protocols/tls'

/** Largest record: 2^14 bytes of plaintext plus expansion (RFC 8446 §5.2 allows 2^14 + 256; TLS 1.2 2^14 + 2048). */
const MAX_RECORD = 16384 + 2048

function decodeRecord(pdu: Uint8Array, dir: Direction, state: TlsState, offset: number): Decoded {
  const type = pdu[0]
  const version = (pdu[1] << 8) | pdu[2]
  const len = (pdu[3] << 8) | pdu[4]
  const tname = CONTENT_TYPES[type] ?? `Unknown (${type})`
  // The record header's fields, then what the record holds.
  const children: Field[] = [
    field('Content Type', 0, 1, `${tname} (${type})`, { id: F.recordContentType }),
    field('Version', 1, 3, versionText(version), {
      id: F.recordVersion
    }),
    field('Length', 3, 5, String(len), { id: F.recordLength })
  ]
  const keys: TlsKeys = { contentType: type }
  const c = state.crypto[dir]
  const encrypted = type === 23 || (c.ccs && type !== 20)
  let summary: string
  let extra: PduDraft | undefined
  if (encrypted) {
    keys.encrypted = true
    // Records wait behind earlier ones still waiting for their secret (order matters: sequence
    // numbers and the switch to application secrets).
    const d: Decrypted | { why: string; missing?: boolean } =
      state.version !== 0x0304
        ? { why: 'decryption is shown for TLS 1.3 sessions' }
        : c.pending.length
          ? { why: 'waiting for an earlier record', missing: true }
          : tryDecrypt(pdu, dir, state)
    const name = type === 23 ? 'Encrypted Application Data' : `Encrypted ${tname}`
    if ('why' in d && d.missing && c.pending.length < MAX_PENDING) {
      children.push(
        field(name, 5, pdu.length, `${len} bytes, encrypted (key not logged yet: decrypted when it is)`, {
          id: F.appData
        })
      )
      summary = `${name}, ${len} bytes`
      keys.decryptPending = true
      const entry: Pending = { record: pdu, offset }
      c.pending.push(entry)
    } else if ('why' in d) {
      children.push(field(name, 5, pdu.length, `${len} bytes, encrypted (${d.why})`, { id: F.appData }))
      summary = `${name}, ${len} bytes`
      keys.decryptError = d.why
    } else {
      const tagStart = Math.max(5, pdu.length - 16)
      children.push(
        field(name, 5, pdu.length, `${len} bytes, encrypted; decrypted with ${d.label} (record #${d.seq})`, {
          id: F.appData,
          children: [
            field('Ciphertext', 5, tagStart, `${tagStart - 5} bytes`),
            field('Authentication tag', tagStart, pdu.length, hex(pdu.subarray(tagStart)))
          ]
        })
      )
      summary = `${name}, ${len} bytes`
      keys.decrypted = true
      extra = decryptedPdu(dir, d, state)
      // The keys decryptedPdu just made (its own object): the record's offset goes last.
      extra.keys!.recordOffset = offset
    }
  } else if (type === 22) {
    const names: string[] = []
    for (const f of handshakeMessages(pdu, 5, pdu.length, state, keys, names)) children.push(f)
    summary = names.join(', ')
    if (keys.handshakeType === 1)
      summary += `${state.sni ? ` SNI=${state.sni}` : ''}${state.alpnOffered ? ` ALPN=${state.alpnOffered.join(',')}` : ''}`
    if (keys.handshakeType === 2)
      summary += ` ${VERSIONS[state.version ?? 0] ?? ''} ${CIPHER_SUITES[state.cipherSuite ?? -1] ?? ''}`
    if (state.version) keys.version = VERSIONS[state.version] ?? state.version
  } else if (type === 20) {
    children.push(
      field(
        'Change Cipher Spec Message',
        5,
        pdu.length,
        state.version === 0x0304
          ? '1 (compatibility only: TLS 1.3 ignores it)'
          : '1 (from now on, this side encrypts)'
      )
    )
    summary = 'Change Cipher Spec'
    if (state.version !== 0x0304) c.ccs = true
  } else if (type === 21 && len >= 2) {
    children.push(
      field('Alert', 5, pdu.length, `${ALERTS[pdu[6]] ?? pdu[6]}`, {
        children: [
          field('Level', 5, 6, pdu[5] === 2 ? 'fatal (2)' : 'warning (1)'),
          field('Description', 6, 7, `${ALERTS[pdu[6]] ?? 'unknown'} (${pdu[6]})`)
        ]
      })
    )
    summary = `Alert: ${ALERTS[pdu[6]] ?? pdu[6]}`
  } else {
    children.push(field('Fragment', 5, pdu.length, `${len} bytes`))
    summary = tname
  }
  const fields = [
    field(`TLS Record: ${tname}`, 0, pdu.length, `${pdu.length} bytes`, { id: F.record, children })
  ]
  return extra
    ? { protocol: 'tls', summary, fields, keys, extra: [extra] }
    : { protocol: 'tls', summary, fields, keys }
}

export function tlsDissector(log: KeyLog = keyLog): StreamDissector {
  const state = newTlsState(log)
  const inner = framed<TlsState>({
    protocol: 'tls',
    state: () => state,
    pduLength(buf) {
      if (buf.length >= 1 && !CONTENT_TYPES[buf[0]])
        return { malformed: `not a TLS record: content type ${buf[0]}` }
      if (buf.length >= 2 && buf[1] !== 3) return { malformed: `not a TLS record: version major ${buf[1]}` }
      if (buf.length < 5) return 'more'
      const len = (buf[3] << 8) | buf[4]
      if (len > MAX_RECORD) return { malformed: `record length ${len} exceeds ${MAX_RECORD}` }
      return 5 + len
    },
    decode: decodeRecord,
    maxPdu: MAX_RECORD + 5
  })
  // Secrets logged since: decrypt what was waiting (both directions).
  const flushed = (pdus: PduDraft[]): PduDraft[] => [
    ...pdus,
    ...flushPending('c2s', state),
    ...flushPending('s2c', state)
  ]
  return {
    push: (dir, chunk, offset) => flushed(inner.push(dir, chunk, offset)),
    end: (dir) => flushed(inner.end?.(dir) ?? [])
  }
}

/**
 * The handshake in the first record, read on a scratch state: `null` when `first` does not start
 * with a whole handshake record (a heuristic's helper: never throws).
 */
export function firstHandshake(first: Uint8Array): TlsKeys | null {
  if (first.length < 9 || first[0] !== 22 || first[1] !== 3 || first[2] > 4) return null
  const len = (first[3] << 8) | first[4]
  if (len > MAX_RECORD || first.length < 5 + len || first[5] > 24) return null
  const keys: TlsKeys = {}
  try {
    handshakeMessages(first.subarray(0, 5 + len), 5, 5 + len, newTlsState(keyLog), keys, [])
  } catch {
    return null
  }
  return keys
}

/** A handshake record: a ClientHello (c2s) or ServerHello (s2c) is near certain; any record header is likely. */
export function looksLikeTls(first: Uint8Array, dir: Direction): number {
  if (first.length < 3 || !CONTENT_TYPES[first[0]] || first[1] !== 3 || first[2] > 4) return 0
  const hs = firstHandshake(first)
  if (hs?.handshakeType === (dir === 'c2s' ? 1 : 2)) return 0.95
  return first[0] === 22 ? 0.7 : 0.3
}

export const tlsDef: DissectorDef = {
  id: 'tls',
  name: 'TLS (records, handshake; TLS 1.3 decrypted with the key log)',
  transport: 'tcp',
  ports: [443, 8443],
  looksLike: looksLikeTls,
  create: () => tlsDissector()
}
