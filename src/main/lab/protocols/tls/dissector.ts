// TLS: the record layer (type, version, length), the handshake messages sent in the clear
// (ClientHello, ServerHello: versions, random, session id, cipher suites, extensions such as SNI,
// ALPN, supported_versions and key_share) and the encrypted records that follow, labelled as
// encrypted. For TLS 1.3 sessions whose secrets are in the key log (Wirelab's own servers and
// clients write theirs), each encrypted record is also decrypted and shown as a second PDU.
import type { Direction, Field } from '../../../../shared/events'
import { field, hex, printable } from '../../dissect/fields'
import { framed, type Decoded } from '../../dissect/reassembly'
import { registerDissector } from '../../dissect/registry'
import type { DissectorDef, PduDraft, StreamDissector } from '../../dissect/types'
import { headEnd, looksLikeHttp, parseHead } from '../websocket/http-head'
import { keyLog, type KeyLog } from './keylog'
import {
  ALERTS,
  CIPHER_SUITES,
  CONTENT_TYPES,
  EXTENSIONS,
  GROUPS,
  HANDSHAKE_TYPES,
  SIGNATURE_SCHEMES,
  VERSIONS,
  isGrease,
  nameOf
} from './names'
import { TLS13_SUITES, decryptRecord, trafficKeys, type TrafficKeys } from './tls13-crypto'

/** Largest record: 2^14 bytes of plaintext plus expansion (RFC 8446 §5.2 allows 2^14 + 256; TLS 1.2 2^14 + 2048). */
const MAX_RECORD = 16384 + 2048

type Phase = 'handshake' | 'application'

interface DirCrypto {
  phase: Phase
  seq: number
  keys?: TrafficKeys
  /** The key log label these keys came from. */
  label?: string
  ccs: boolean
  /**
   * Encrypted records waiting for their secret: a peer logs some secrets only once it has read
   * the record (the server learns the client's application secret from the client's Finished),
   * so they are decrypted in order as soon as the key log has them.
   */
  pending: Pending[]
}

interface Pending {
  record: Uint8Array
  /** Stream offset of the record, filled in once the record's PDU is out. */
  offset: number
}

const MAX_PENDING = 256

interface TlsState {
  clientRandom?: string
  serverRandom?: string
  /** Version the ServerHello chose (supported_versions, or legacy_version). */
  version?: number
  cipherSuite?: number
  sni?: string
  alpnOffered?: string[]
  alpn?: string
  crypto: Record<Direction, DirCrypto>
  keylog: KeyLog
}

/** Extra PDUs (decrypted content) attached to a record's decoded fields, emitted right after it. */
const extras = new WeakMap<Field[], PduDraft>()
/** Records waiting for a secret, by their decoded fields (to learn their stream offset). */
const pendingOf = new WeakMap<Field[], Pending>()

class Reader {
  constructor(
    readonly buf: Uint8Array,
    public at: number,
    readonly end: number
  ) {}
  need(n: number, what: string): void {
    if (this.at + n > this.end)
      throw new Error(`${what}: needs ${n} bytes at ${this.at}, only ${this.end - this.at} left`)
  }
  u8(what: string): number {
    this.need(1, what)
    return this.buf[this.at++]
  }
  u16(what: string): number {
    this.need(2, what)
    const v = (this.buf[this.at] << 8) | this.buf[this.at + 1]
    this.at += 2
    return v
  }
  u24(what: string): number {
    this.need(3, what)
    const v = (this.buf[this.at] << 16) | (this.buf[this.at + 1] << 8) | this.buf[this.at + 2]
    this.at += 3
    return v
  }
  bytes(n: number, what: string): Uint8Array {
    this.need(n, what)
    const b = this.buf.subarray(this.at, this.at + n)
    this.at += n
    return b
  }
}

const ascii = (b: Uint8Array): string => new TextDecoder().decode(b)

interface Ext {
  type: number
  start: number
  end: number
  field: Field
}

/** Parses one extension's body into child fields, recording what the state needs. */
function extension(
  r: Reader,
  hsType: number,
  state: TlsState,
  keys: Record<string, string | number | boolean>
): Ext {
  const start = r.at
  const type = r.u16('extension type')
  const len = r.u16('extension length')
  const bodyStart = r.at
  r.need(len, `extension ${type}`)
  const end = bodyStart + len
  const body = new Reader(r.buf, bodyStart, end)
  const children: Field[] = [
    field('Type', start, start + 2, nameOf(EXTENSIONS, type), { id: 'tls.handshake.extension.type' }),
    field('Length', start + 2, start + 4, String(len), { id: 'tls.handshake.extension.len' })
  ]
  let value = ''
  try {
    if (type === 0 && len > 0 && hsType === 1) {
      const listLen = body.u16('server name list length')
      children.push(field('Server Name list length', bodyStart, bodyStart + 2, String(listLen)))
      while (body.at < end) {
        const s = body.at
        const nameType = body.u8('name type')
        const nlen = body.u16('name length')
        const name = ascii(body.bytes(nlen, 'server name'))
        children.push(
          field('Server Name Indication', s, body.at, name, {
            id: 'tls.handshake.extensions_server_name',
            children: [
              field('Name type', s, s + 1, nameType === 0 ? 'host_name (0)' : String(nameType)),
              field('Name length', s + 1, s + 3, String(nlen)),
              field('Server name', s + 3, body.at, name, { id: 'tls.handshake.extensions_server_name.name' })
            ]
          })
        )
        if (nameType === 0) {
          state.sni = name
          keys.sni = name
          value = name
        }
      }
    } else if (type === 16 && len > 0) {
      const listLen = body.u16('ALPN list length')
      children.push(field('ALPN extension length', bodyStart, bodyStart + 2, String(listLen)))
      const protos: string[] = []
      while (body.at < end) {
        const s = body.at
        const plen = body.u8('protocol length')
        const p = ascii(body.bytes(plen, 'protocol'))
        protos.push(p)
        children.push(field('ALPN Next Protocol', s, body.at, p, { id: 'tls.handshake.extensions_alpn_str' }))
      }
      value = protos.join(', ')
      if (hsType === 1) {
        state.alpnOffered = protos
        keys.alpn = protos.join(',')
      } else {
        state.alpn = protos[0]
        keys.alpn = protos[0] ?? ''
      }
    } else if (type === 43) {
      if (hsType === 1) {
        const l = body.u8('supported versions length')
        children.push(field('Supported Versions length', bodyStart, bodyStart + 1, String(l)))
        const vs: string[] = []
        while (body.at < end) {
          const s = body.at
          const v = body.u16('version')
          const n = isGrease(v) ? nameOf({}, v) : (VERSIONS[v] ?? nameOf({}, v))
          vs.push(n)
          children.push(
            field('Supported Version', s, s + 2, `${n} (0x${v.toString(16).padStart(4, '0')})`, {
              id: 'tls.handshake.extensions.supported_version'
            })
          )
        }
        value = vs.join(', ')
        keys.supportedVersions = vs.join(',')
      } else {
        const v = body.u16('selected version')
        state.version = v
        value = VERSIONS[v] ?? nameOf({}, v)
        children.push(
          field(
            'Selected Version',
            bodyStart,
            bodyStart + 2,
            `${value} (0x${v.toString(16).padStart(4, '0')})`,
            { id: 'tls.handshake.extensions.supported_version' }
          )
        )
      }
    } else if (type === 51) {
      const shares: string[] = []
      const one = (): void => {
        const s = body.at
        const g = body.u16('group')
        const klen = body.u16('key exchange length')
        body.bytes(klen, 'key exchange')
        const gname = isGrease(g) ? 'GREASE' : (GROUPS[g] ?? `0x${g.toString(16)}`)
        shares.push(gname)
        children.push(
          field('Key Share Entry', s, body.at, `Group: ${gname}, Key Exchange length: ${klen}`, {
            id: 'tls.handshake.extensions_key_share_entry',
            children: [
              field('Group', s, s + 2, nameOf(GROUPS, g), { id: 'tls.handshake.extensions_key_share_group' }),
              field('Key Exchange Length', s + 2, s + 4, String(klen)),
              field(
                'Key Exchange (public key)',
                s + 4,
                body.at,
                hex(r.buf.subarray(s + 4, Math.min(body.at, s + 4 + 16))) + (klen > 16 ? ' …' : ''),
                { id: 'tls.handshake.extensions_key_share_key_exchange' }
              )
            ]
          })
        )
      }
      if (hsType === 1) {
        const l = body.u16('client key share length')
        children.push(field('Client Key Share Length', bodyStart, bodyStart + 2, String(l)))
        while (body.at < end) one()
      } else if (len === 2) {
        const g = body.u16('selected group')
        shares.push(GROUPS[g] ?? String(g))
        children.push(
          field('Selected Group (HelloRetryRequest)', bodyStart, bodyStart + 2, nameOf(GROUPS, g))
        )
      } else one()
      value = shares.join(', ')
      keys.keyShare = value
    } else if (type === 10) {
      const l = body.u16('groups length')
      children.push(field('Supported Groups List Length', bodyStart, bodyStart + 2, String(l)))
      const gs: string[] = []
      while (body.at < end) {
        const s = body.at
        const g = body.u16('group')
        gs.push(isGrease(g) ? 'GREASE' : (GROUPS[g] ?? `0x${g.toString(16)}`))
        children.push(field('Supported Group', s, s + 2, nameOf(GROUPS, g)))
      }
      value = gs.join(', ')
    } else if (type === 13) {
      const l = body.u16('signature algorithms length')
      children.push(field('Signature Hash Algorithms Length', bodyStart, bodyStart + 2, String(l)))
      let n = 0
      while (body.at < end) {
        const s = body.at
        const a = body.u16('signature algorithm')
        n++
        children.push(field('Signature Algorithm', s, s + 2, nameOf(SIGNATURE_SCHEMES, a)))
      }
      value = `${n} algorithms`
    } else if (len > 0) {
      children.push(
        field(
          'Data',
          bodyStart,
          end,
          hex(r.buf.subarray(bodyStart, Math.min(end, bodyStart + 24))) + (len > 24 ? ' …' : '')
        )
      )
    }
  } catch (err) {
    children.push(
      field('Malformed extension body', bodyStart, end, err instanceof Error ? err.message : String(err), {
        malformed: 'extension body does not parse'
      })
    )
  }
  r.at = end
  const name = EXTENSIONS[type] ?? (isGrease(type) ? 'GREASE' : `Unknown ${type}`)
  return {
    type,
    start,
    end,
    field: field(`Extension: ${name}`, start, end, value || `${len} bytes`, {
      id: `tls.handshake.extension`,
      children
    })
  }
}

/** ClientHello / ServerHello body (after the 4-byte handshake header). */
function hello(
  r: Reader,
  hsType: 1 | 2,
  state: TlsState,
  keys: Record<string, string | number | boolean>
): Field[] {
  const out: Field[] = []
  const vStart = r.at
  const legacy = r.u16('legacy version')
  out.push(
    field(
      'Version (legacy)',
      vStart,
      vStart + 2,
      `${VERSIONS[legacy] ?? 'unknown'} (0x${legacy.toString(16).padStart(4, '0')})`,
      { id: 'tls.handshake.version' }
    )
  )
  const rStart = r.at
  const random = hex(r.bytes(32, 'random'), '')
  out.push(field('Random', rStart, rStart + 32, random, { id: 'tls.handshake.random' }))
  if (hsType === 1) state.clientRandom = random
  else state.serverRandom = random
  const sStart = r.at
  const sidLen = r.u8('session id length')
  const sid = r.bytes(sidLen, 'session id')
  out.push(
    field('Session ID', sStart, r.at, sidLen ? hex(sid, '') : '(empty)', {
      id: 'tls.handshake.session_id',
      children: [
        field('Session ID Length', sStart, sStart + 1, String(sidLen)),
        ...(sidLen ? [field('Session ID', sStart + 1, r.at, hex(sid, ''))] : [])
      ]
    })
  )
  if (hsType === 1) {
    const cStart = r.at
    const csLen = r.u16('cipher suites length')
    if (csLen % 2) throw new Error('cipher suites length is odd')
    const suites: Field[] = [field('Cipher Suites Length', cStart, cStart + 2, String(csLen))]
    const names: string[] = []
    for (let i = 0; i < csLen / 2; i++) {
      const s = r.at
      const cs = r.u16('cipher suite')
      names.push(CIPHER_SUITES[cs] ?? nameOf({}, cs))
      suites.push(
        field('Cipher Suite', s, s + 2, nameOf(CIPHER_SUITES, cs), { id: 'tls.handshake.ciphersuite' })
      )
    }
    keys.cipherSuites = csLen / 2
    out.push(
      field(
        `Cipher Suites (${csLen / 2} suites)`,
        cStart,
        r.at,
        names.slice(0, 3).join(', ') + (names.length > 3 ? ', …' : ''),
        { id: 'tls.handshake.ciphersuites', children: suites }
      )
    )
    const mStart = r.at
    const cmLen = r.u8('compression methods length')
    r.bytes(cmLen, 'compression methods')
    out.push(
      field(
        'Compression Methods',
        mStart,
        r.at,
        cmLen === 1 && r.buf[mStart + 1] === 0 ? 'null (0)' : `${cmLen} methods`,
        { id: 'tls.handshake.comp_methods' }
      )
    )
  } else {
    const s = r.at
    const cs = r.u16('cipher suite')
    state.cipherSuite = cs
    keys.cipherSuite = CIPHER_SUITES[cs] ?? cs
    out.push(field('Cipher Suite', s, s + 2, nameOf(CIPHER_SUITES, cs), { id: 'tls.handshake.ciphersuite' }))
    const m = r.at
    const comp = r.u8('compression method')
    out.push(
      field('Compression Method', m, m + 1, comp === 0 ? 'null (0)' : String(comp), {
        id: 'tls.handshake.comp_method'
      })
    )
  }
  if (r.at < r.end) {
    const eStart = r.at
    const extLen = r.u16('extensions length')
    r.need(extLen, 'extensions')
    const extEnd = r.at + extLen
    const exts: Field[] = [field('Extensions Length', eStart, eStart + 2, String(extLen))]
    const er = new Reader(r.buf, r.at, extEnd)
    while (er.at < extEnd) exts.push(extension(er, hsType, state, keys).field)
    r.at = extEnd
    out.push(
      field(`Extensions (${exts.length - 1})`, eStart, extEnd, '', {
        id: 'tls.handshake.extensions',
        children: exts
      })
    )
  }
  if (hsType === 2 && state.version === undefined) state.version = legacy
  return out
}

/** Handshake messages inside `buf[start, end)`; `names` collects their names for the summary. */
function handshakeMessages(
  buf: Uint8Array,
  start: number,
  end: number,
  state: TlsState,
  keys: Record<string, string | number | boolean>,
  names: string[]
): Field[] {
  const out: Field[] = []
  let at = start
  while (at < end) {
    if (end - at < 4) {
      out.push(
        field('Handshake fragment', at, end, `${end - at} bytes (message continues in another record)`)
      )
      names.push('fragment')
      break
    }
    const type = buf[at]
    const len = (buf[at + 1] << 16) | (buf[at + 2] << 8) | buf[at + 3]
    const name = HANDSHAKE_TYPES[type] ?? `Unknown handshake type ${type}`
    const bodyEnd = at + 4 + len
    if (bodyEnd > end) {
      out.push(
        field(
          `Handshake fragment: ${name}`,
          at,
          end,
          `${end - at} of ${len + 4} bytes (continues in another record)`,
          { id: 'tls.handshake' }
        )
      )
      names.push(`${name} (fragment)`)
      break
    }
    const header = [
      field('Handshake Type', at, at + 1, `${name} (${type})`, { id: 'tls.handshake.type' }),
      field('Length', at + 1, at + 4, String(len), { id: 'tls.handshake.length' })
    ]
    let body: Field[] = []
    if ((type === 1 || type === 2) && len > 0) {
      try {
        body = hello(new Reader(buf, at + 4, bodyEnd), type as 1 | 2, state, keys)
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err)
        body = [field(`Malformed ${name}`, at + 4, bodyEnd, reason, { malformed: reason })]
      }
    } else if (type === 8 && len >= 2) {
      try {
        const r = new Reader(buf, at + 4, bodyEnd)
        const extLen = r.u16('extensions length')
        r.need(extLen, 'extensions')
        const exts: Field[] = [field('Extensions Length', at + 4, at + 6, String(extLen))]
        while (r.at < at + 6 + extLen) exts.push(extension(r, type, state, keys).field)
        body = [
          field(`Extensions (${exts.length - 1})`, at + 4, r.at, '', {
            id: 'tls.handshake.extensions',
            children: exts
          })
        ]
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err)
        body = [field(`Malformed ${name}`, at + 4, bodyEnd, reason, { malformed: reason })]
      }
    } else if (len > 0) {
      const label =
        type === 11 ? 'Certificate chain' : type === 20 ? 'Verify data' : type === 4 ? 'Ticket' : 'Body'
      body = [field(label, at + 4, bodyEnd, `${len} bytes`)]
    }
    keys.handshakeType = keys.handshakeType === undefined ? type : keys.handshakeType
    names.push(name)
    out.push(
      field(`Handshake Protocol: ${name}`, at, bodyEnd, `${len + 4} bytes`, {
        id: 'tls.handshake',
        children: [...header, ...body]
      })
    )
    at = bodyEnd
  }
  return out
}

const LABELS: Record<Direction, Record<Phase, string>> = {
  c2s: { handshake: 'CLIENT_HANDSHAKE_TRAFFIC_SECRET', application: 'CLIENT_TRAFFIC_SECRET_0' },
  s2c: { handshake: 'SERVER_HANDSHAKE_TRAFFIC_SECRET', application: 'SERVER_TRAFFIC_SECRET_0' }
}

/** Tries to decrypt one TLS 1.3 record; advances the direction's sequence number either way. */
type Decrypted = { type: number; content: Uint8Array; padding: number; label: string; seq: number }

/**
 * Tries to decrypt the next TLS 1.3 record of `dir`. `missing` means the secret is not in the key
 * log (yet): nothing is consumed, so the record can be retried in order later.
 */
function tryDecrypt(
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
    return { ...inner, label, seq }
  } catch (err) {
    return { why: `decryption failed: ${err instanceof Error ? err.message : String(err)}` }
  }
}

/** Decrypts waiting records of `dir` whose secret has arrived, in order. */
function flushPending(dir: Direction, state: TlsState): PduDraft[] {
  const c = state.crypto[dir]
  const out: PduDraft[] = []
  while (c.pending.length && c.pending[0].offset >= 0) {
    const next = c.pending[0]
    const d = tryDecrypt(next.record, dir, state)
    if ('why' in d && d.missing) break
    c.pending.shift()
    if (!('why' in d)) {
      const p = decryptedPdu(dir, d, state)
      p.keys = { ...p.keys, recordOffset: next.offset, late: true }
      out.push(p)
    }
  }
  return out
}

function decryptedPdu(
  dir: Direction,
  d: { type: number; content: Uint8Array; padding: number; label: string; seq: number },
  state: TlsState
): PduDraft {
  const { content, type } = d
  const data = new Uint8Array(content.length + 1 + d.padding)
  data.set(content)
  data[content.length] = type
  const trailer: Field[] = [
    field(
      'Real content type (inner)',
      content.length,
      content.length + 1,
      `${CONTENT_TYPES[type] ?? 'unknown'} (${type})`,
      { id: 'tls.record.content_type' }
    )
  ]
  if (d.padding) trailer.push(field('Padding', content.length + 1, data.length, `${d.padding} zero bytes`))
  const keys: Record<string, string | number | boolean> = {
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
        { id: 'tls.alert_message.level' }
      ),
      field('Description', 1, 2, `${ALERTS[content[1]] ?? 'unknown'} (${content[1]})`, {
        id: 'tls.alert_message.desc'
      })
    ]
    summary = `alert: ${ALERTS[content[1]] ?? content[1]}`
  } else if (type === 23) {
    const end = looksLikeHttp(content) ? headEnd(content) : -1
    if (end > 0) {
      try {
        const head = parseHead(content.subarray(0, end))
        protocol = 'http'
        fields = [...head.fields]
        if (end < content.length) {
          fields.push(
            field('Body', end, content.length, JSON.stringify(printable(content.subarray(end), 400)), {
              id: 'http.file_data'
            })
          )
        }
        summary = `${head.startLine}${end < content.length ? ` + ${content.length - end} bytes body` : ''}`
        keys.httpStart = head.startLine
      } catch {
        fields = []
      }
    }
    if (!fields.length) {
      fields = [
        field('Application data (plaintext)', 0, content.length, JSON.stringify(printable(content, 400)), {
          id: 'tls.app_data.plaintext'
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

function decodeRecord(pdu: Uint8Array, dir: Direction, state: TlsState): Decoded {
  const type = pdu[0]
  const version = (pdu[1] << 8) | pdu[2]
  const len = (pdu[3] << 8) | pdu[4]
  const tname = CONTENT_TYPES[type] ?? `Unknown (${type})`
  const header: Field[] = [
    field('Content Type', 0, 1, `${tname} (${type})`, { id: 'tls.record.content_type' }),
    field('Version', 1, 3, `${VERSIONS[version] ?? 'unknown'} (0x${version.toString(16).padStart(4, '0')})`, {
      id: 'tls.record.version'
    }),
    field('Length', 3, 5, String(len), { id: 'tls.record.length' })
  ]
  const keys: Record<string, string | number | boolean> = { contentType: type }
  const c = state.crypto[dir]
  const encrypted = type === 23 || (c.ccs && type !== 20)
  let children: Field[] = [...header]
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
          id: 'tls.app_data'
        })
      )
      summary = `${name}, ${len} bytes`
      keys.decryptPending = true
      const entry: Pending = { record: pdu, offset: -1 }
      c.pending.push(entry)
      pendingOf.set(children, entry)
    } else if ('why' in d) {
      children.push(field(name, 5, pdu.length, `${len} bytes, encrypted (${d.why})`, { id: 'tls.app_data' }))
      summary = `${name}, ${len} bytes`
      keys.decryptError = d.why
    } else {
      const tagStart = Math.max(5, pdu.length - 16)
      children.push(
        field(name, 5, pdu.length, `${len} bytes, encrypted; decrypted with ${d.label} (record #${d.seq})`, {
          id: 'tls.app_data',
          children: [
            field('Ciphertext', 5, tagStart, `${tagStart - 5} bytes`),
            field('Authentication tag', tagStart, pdu.length, hex(pdu.subarray(tagStart)))
          ]
        })
      )
      summary = `${name}, ${len} bytes`
      keys.decrypted = true
      extra = decryptedPdu(dir, d, state)
    }
  } else if (type === 22) {
    const names: string[] = []
    children = [...header, ...handshakeMessages(pdu, 5, pdu.length, state, keys, names)]
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
    field(`TLS Record: ${tname}`, 0, pdu.length, `${pdu.length} bytes`, { id: 'tls.record', children })
  ]
  if (extra) extras.set(fields, extra)
  const waiting = pendingOf.get(children)
  if (waiting) pendingOf.set(fields, waiting)
  return { protocol: 'tls', summary: `${summary}`, fields, keys }
}

export function tlsDissector(log: KeyLog = keyLog): StreamDissector {
  const state: TlsState = {
    crypto: {
      c2s: { phase: 'handshake', seq: 0, ccs: false, pending: [] },
      s2c: { phase: 'handshake', seq: 0, ccs: false, pending: [] }
    },
    keylog: log
  }
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
  const withExtras = (pdus: PduDraft[]): PduDraft[] => {
    const out: PduDraft[] = []
    for (const p of pdus) {
      out.push(p)
      const e = extras.get(p.fields)
      if (e) {
        e.keys = { ...e.keys, recordOffset: p.offset }
        out.push(e)
      }
      const waiting = pendingOf.get(p.fields)
      if (waiting) waiting.offset = p.offset
    }
    // Secrets logged since: decrypt what was waiting (both directions).
    out.push(...flushPending('c2s', state), ...flushPending('s2c', state))
    return out
  }
  return {
    push: (dir, chunk, offset) => withExtras(inner.push(dir, chunk, offset)),
    end: (dir) => withExtras(inner.end?.(dir) ?? [])
  }
}

export const tlsDef: DissectorDef = registerDissector({
  id: 'tls',
  name: 'TLS (records, handshake; TLS 1.3 decrypted with the key log)',
  transport: 'tcp',
  create: () => tlsDissector()
})
