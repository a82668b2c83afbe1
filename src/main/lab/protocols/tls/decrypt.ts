// TLS 1.3 decryption with the session's key log (Wirelab's own servers and clients log their
// secrets): each encrypted record is decrypted in order per direction, records whose secret is not
// logged yet wait for it, and the plaintext becomes a PDU of its own (offset -1), handed to the
// HTTP dissector through the chaining API when it is HTTP.
import type { Direction, Field } from '../../../../shared/events'
import { chain } from '../../dissect/chain'
import { field, hex, printable } from '../../dissect/fields'
import type { PduDraft } from '../../dissect/types'
import { handshakeMessages } from './handshake'
import { ALERTS, CONTENT_TYPES } from './names'
import type { Phase, TlsState } from './state'
import { TLS13_SUITES, decryptRecord, trafficKeys, type InnerPlaintext } from './tls13-crypto'
import { TLS_FIELDS as F } from '../../../../shared/protocols/tls'
import type { HttpKeys } from '../../../../shared/protocols/http'
import type { TlsKeys } from '../../../../shared/protocols/tls'

const LABELS: Record<Direction, Record<Phase, string>> = {
  c2s: { handshake: 'CLIENT_HANDSHAKE_TRAFFIC_SECRET', application: 'CLIENT_TRAFFIC_SECRET_0' },
  s2c: { handshake: 'SERVER_HANDSHAKE_TRAFFIC_SECRET', application: 'SERVER_TRAFFIC_SECRET_0' }
}

/** Tries to decrypt one TLS 1.3 record; advances the direction's sequence number either way. */
export type Decrypted = InnerPlaintext & { label: string; seq: number }

/**
 * Tries to decrypt the next TLS 1.3 record of `dir`. `missing` means the secret is not in the key
 * log (yet): nothing is consumed, so the record can be retried in order later.
 */
export function tryDecrypt(
  pdu: Uint8Array,
  dir: Direction,
  state: TlsState
): Decrypted | { why: string; missing?: boolean } {
  const c = state.crypto[dir]
  if (state.version !== 0x0304) return { why: 'decryption is shown for TLS 1.3 sessions' }
  const suite = state.cipherSuite !== undefined ? TLS13_SUITES[state.cipherSuite] : undefined
  if (!suite) return { why: 'unknown TLS 1.3 cipher suite' }
  if (!state.clientRandom) return { why: 'no ClientHello seen' }
  const label = LABELS[dir][c.phase]
  if (!c.keys || c.label !== label) {
    const secret = state.keylog.secret(state.clientRandom, label)
    if (!secret) return { why: `no ${label} in the key log for this session`, missing: true }
    c.keys = trafficKeys(suite, secret)
    c.label = label
  }
  const seq = c.seq
  c.seq++
  try {
    const inner = decryptRecord(suite, c.keys, seq, pdu)
    return { plaintext: inner.plaintext, content: inner.content, type: inner.type, padding: inner.padding, label, seq }
  } catch (err) {
    return { why: `decryption failed: ${err instanceof Error ? err.message : String(err)}` }
  }
}

/** Decrypts waiting records of `dir` whose secret has arrived, in order. */
export function flushPending(dir: Direction, state: TlsState): PduDraft[] {
  const c = state.crypto[dir]
  const out: PduDraft[] = []
  while (c.pending.length && c.pending[0].offset >= 0) {
    const next = c.pending[0]
    const d = tryDecrypt(next.record, dir, state)
    if ('why' in d && d.missing) break
    c.pending.shift()
    if (!('why' in d)) {
      const p = decryptedPdu(dir, d, state)
      p.keys = Object.assign({}, p.keys, { recordOffset: next.offset, late: true })
      out.push(p)
    }
  }
  return out
}

export function decryptedPdu(dir: Direction, d: Decrypted, state: TlsState): PduDraft {
  // The inner plaintext as it is: content, real type, zero padding.
  const { content, type, plaintext: data } = d
  const trailer: Field[] = [
    field(
      'Real content type (inner)',
      content.length,
      content.length + 1,
      `${CONTENT_TYPES[type] ?? 'unknown'} (${type})`,
      { id: F.recordContentType }
    )
  ]
  if (d.padding) trailer.push(field('Padding', content.length + 1, data.length, `${d.padding} zero bytes`))
  const keys: TlsKeys & HttpKeys = {
    decrypted: true,
    innerType: type,
    recordSeq: d.seq,
    secret: d.label
  }
  let protocol = 'tls'
  let summary = ''
  let fields: Field[] = []
  if (type === 22) {
    const names: string[] = []
    fields = handshakeMessages(data, 0, content.length, state, keys, names)
    summary = `handshake: ${names.join(', ')}`
    if (names.includes('Finished')) {
      // After its Finished, a side switches to the application traffic secret (RFC 8446 §7.2).
      const c = state.crypto[dir]
      c.phase = 'application'
      c.seq = 0
      c.keys = undefined
    }
  } else if (type === 21 && content.length >= 2) {
    fields = [
      field(
        'Level',
        0,
        1,
        content[0] === 2 ? 'fatal (2)' : content[0] === 1 ? 'warning (1)' : String(content[0]),
        { id: F.alertMessageLevel }
      ),
      field('Description', 1, 2, `${ALERTS[content[1]] ?? 'unknown'} (${content[1]})`, {
        id: F.alertMessageDesc
      })
    ]
    summary = `alert: ${ALERTS[content[1]] ?? content[1]}`
  } else if (type === 23) {
    // HTTP/1.1 inside TLS: the HTTP dissector reads it, through the chaining API.
    const inner = chain(content, { dir, outer: 'tls', offset: 0 })
    if (inner) {
      protocol = inner.protocol
      fields = inner.fields
      summary = inner.summary
      Object.assign(keys, inner.keys)
    }
    if (!fields.length) {
      fields = [
        field('Application data (plaintext)', 0, content.length, JSON.stringify(printable(content, 400)), {
          id: F.appDataPlaintext
        })
      ]
      summary = `application data: "${printable(content, 60)}"`
    }
  } else {
    fields = [field('Content', 0, content.length, hex(content.subarray(0, 32)))]
    summary = `Decrypted ${CONTENT_TYPES[type] ?? `type ${type}`}`
  }
  return {
    dir,
    protocol,
    summary: `[decrypted] ${summary}`,
    fields: [...fields, ...trailer],
    data,
    offset: -1,
    keys
  }
}
