// TLS handshake messages (RFC 8446 §4): ClientHello and ServerHello (versions, random, session id,
// cipher suites, extensions such as SNI, ALPN, supported_versions and key_share), the encrypted
// extensions, and the others by name. Reads with the common ByteReader; what the record layer and
// decryption need (randoms, version, cipher suite, ALPN) goes into the connection's state.
import type { Field } from '../../../../shared/events'
import { field, hex, utf8 } from '../../dissect/fields'
import { ByteReader } from '../common/reader'
import {
  CIPHER_SUITES,
  EXTENSIONS,
  GROUPS,
  HANDSHAKE_TYPES,
  SIGNATURE_SCHEMES,
  VERSIONS,
  UNNAMED,
  isGrease,
  nameOf,
  versionText
} from './names'
import type { TlsState } from './state'
import { TLS_FIELDS as F } from '../../../../shared/protocols/tls'
import type { TlsKeys } from '../../../../shared/protocols/tls'

/** One shared decoder (UTF-8, not fatal: what `new TextDecoder()` per call did). */
const ascii = utf8

interface Ext {
  type: number
  start: number
  end: number
  field: Field
}

/** Parses one extension's body into child fields, recording what the state needs. */
function extension(
  r: ByteReader,
  hsType: number,
  state: TlsState,
  keys: TlsKeys
): Ext {
  const start = r.pos
  const type = r.u16('extension type')
  const len = r.u16('extension length')
  const bodyStart = r.pos
  r.need(len, `extension ${type}`)
  const end = bodyStart + len
  const body = new ByteReader(r.buf, bodyStart, end)
  const children: Field[] = [
    field('Type', start, start + 2, nameOf(EXTENSIONS, type), { id: F.handshakeExtensionType }),
    field('Length', start + 2, start + 4, String(len), { id: F.handshakeExtensionLen })
  ]
  let value = ''
  try {
    if (type === 0 && len > 0 && hsType === 1) {
      const listLen = body.u16('server name list length')
      children.push(field('Server Name list length', bodyStart, bodyStart + 2, String(listLen)))
      while (body.pos < end) {
        const s = body.pos
        const nameType = body.u8('name type')
        const nlen = body.u16('name length')
        const name = ascii(body.bytes(nlen, 'server name'))
        children.push(
          field('Server Name Indication', s, body.pos, name, {
            id: F.handshakeExtensionsServerName,
            children: [
              field('Name type', s, s + 1, nameType === 0 ? 'host_name (0)' : String(nameType)),
              field('Name length', s + 1, s + 3, String(nlen)),
              field('Server name', s + 3, body.pos, name, { id: F.handshakeExtensionsServerNameName })
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
      while (body.pos < end) {
        const s = body.pos
        const plen = body.u8('protocol length')
        const p = ascii(body.bytes(plen, 'protocol'))
        protos.push(p)
        children.push(
          field('ALPN Next Protocol', s, body.pos, p, { id: F.handshakeExtensionsAlpnStr })
        )
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
        while (body.pos < end) {
          const s = body.pos
          const v = body.u16('version')
          const n = isGrease(v) ? nameOf(UNNAMED, v) : (VERSIONS[v] ?? nameOf(UNNAMED, v))
          vs.push(n)
          children.push(
            field('Supported Version', s, s + 2, `${n} (0x${v.toString(16).padStart(4, '0')})`, {
              id: F.handshakeExtensionsSupportedVersion
            })
          )
        }
        value = vs.join(', ')
        keys.supportedVersions = vs.join(',')
      } else {
        const v = body.u16('selected version')
        state.version = v
        value = VERSIONS[v] ?? nameOf(UNNAMED, v)
        children.push(
          field(
            'Selected Version',
            bodyStart,
            bodyStart + 2,
            `${value} (0x${v.toString(16).padStart(4, '0')})`,
            { id: F.handshakeExtensionsSupportedVersion }
          )
        )
      }
    } else if (type === 51) {
      const shares: string[] = []
      const one = (): void => {
        const s = body.pos
        const g = body.u16('group')
        const klen = body.u16('key exchange length')
        body.bytes(klen, 'key exchange')
        const gname = isGrease(g) ? 'GREASE' : (GROUPS[g] ?? `0x${g.toString(16)}`)
        shares.push(gname)
        children.push(
          field('Key Share Entry', s, body.pos, `Group: ${gname}, Key Exchange length: ${klen}`, {
            id: F.handshakeExtensionsKeyShareEntry,
            children: [
              field('Group', s, s + 2, nameOf(GROUPS, g), { id: F.handshakeExtensionsKeyShareGroup }),
              field('Key Exchange Length', s + 2, s + 4, String(klen)),
              field(
                'Key Exchange (public key)',
                s + 4,
                body.pos,
                hex(r.buf.subarray(s + 4, Math.min(body.pos, s + 4 + 16))) + (klen > 16 ? ' …' : ''),
                { id: F.handshakeExtensionsKeyShareKeyExchange }
              )
            ]
          })
        )
      }
      if (hsType === 1) {
        const l = body.u16('client key share length')
        children.push(field('Client Key Share Length', bodyStart, bodyStart + 2, String(l)))
        while (body.pos < end) one()
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
      while (body.pos < end) {
        const s = body.pos
        const g = body.u16('group')
        gs.push(isGrease(g) ? 'GREASE' : (GROUPS[g] ?? `0x${g.toString(16)}`))
        children.push(field('Supported Group', s, s + 2, nameOf(GROUPS, g)))
      }
      value = gs.join(', ')
    } else if (type === 13) {
      const l = body.u16('signature algorithms length')
      children.push(field('Signature Hash Algorithms Length', bodyStart, bodyStart + 2, String(l)))
      let n = 0
      while (body.pos < end) {
        const s = body.pos
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
  r.pos = end
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
  r: ByteReader,
  hsType: 1 | 2,
  state: TlsState,
  keys: TlsKeys
): Field[] {
  const out: Field[] = []
  const vStart = r.pos
  const legacy = r.u16('legacy version')
  out.push(
    field(
      'Version (legacy)',
      vStart,
      vStart + 2,
      versionText(legacy),
      { id: F.handshakeVersion }
    )
  )
  const rStart = r.pos
  const random = hex(r.bytes(32, 'random'), '')
  out.push(field('Random', rStart, rStart + 32, random, { id: F.handshakeRandom }))
  if (hsType === 1) state.clientRandom = random
  else state.serverRandom = random
  const sStart = r.pos
  const sidLen = r.u8('session id length')
  const sid = r.bytes(sidLen, 'session id')
  out.push(
    field('Session ID', sStart, r.pos, sidLen ? hex(sid, '') : '(empty)', {
      id: F.handshakeSessionId,
      children: [
        field('Session ID Length', sStart, sStart + 1, String(sidLen)),
        ...(sidLen ? [field('Session ID', sStart + 1, r.pos, hex(sid, ''))] : [])
      ]
    })
  )
  if (hsType === 1) {
    const cStart = r.pos
    const csLen = r.u16('cipher suites length')
    if (csLen % 2) throw new Error('cipher suites length is odd')
    const suites: Field[] = [field('Cipher Suites Length', cStart, cStart + 2, String(csLen))]
    const names: string[] = []
    for (let i = 0; i < csLen / 2; i++) {
      const s = r.pos
      const cs = r.u16('cipher suite')
      names.push(CIPHER_SUITES[cs] ?? nameOf(UNNAMED, cs))
      suites.push(
        field('Cipher Suite', s, s + 2, nameOf(CIPHER_SUITES, cs), { id: F.handshakeCiphersuite })
      )
    }
    keys.cipherSuites = csLen / 2
    out.push(
      field(
        `Cipher Suites (${csLen / 2} suites)`,
        cStart,
        r.pos,
        names.slice(0, 3).join(', ') + (names.length > 3 ? ', …' : ''),
        { id: F.handshakeCiphersuites, children: suites }
      )
    )
    const mStart = r.pos
    const cmLen = r.u8('compression methods length')
    r.bytes(cmLen, 'compression methods')
    out.push(
      field(
        'Compression Methods',
        mStart,
        r.pos,
        cmLen === 1 && r.buf[mStart + 1] === 0 ? 'null (0)' : `${cmLen} methods`,
        { id: F.handshakeCompMethods }
      )
    )
  } else {
    const s = r.pos
    const cs = r.u16('cipher suite')
    state.cipherSuite = cs
    keys.cipherSuite = CIPHER_SUITES[cs] ?? cs
    out.push(field('Cipher Suite', s, s + 2, nameOf(CIPHER_SUITES, cs), { id: F.handshakeCiphersuite }))
    const m = r.pos
    const comp = r.u8('compression method')
    out.push(
      field('Compression Method', m, m + 1, comp === 0 ? 'null (0)' : String(comp), {
        id: F.handshakeCompMethod
      })
    )
  }
  if (r.pos < r.limit) {
    const eStart = r.pos
    const extLen = r.u16('extensions length')
    r.need(extLen, 'extensions')
    const extEnd = r.pos + extLen
    const exts: Field[] = [field('Extensions Length', eStart, eStart + 2, String(extLen))]
    const er = new ByteReader(r.buf, r.pos, extEnd)
    while (er.pos < extEnd) exts.push(extension(er, hsType, state, keys).field)
    r.pos = extEnd
    out.push(
      field(`Extensions (${exts.length - 1})`, eStart, extEnd, '', {
        id: F.handshakeExtensions,
        children: exts
      })
    )
  }
  if (hsType === 2 && state.version === undefined) state.version = legacy
  return out
}

/** Handshake messages inside `buf[start, end)`; `names` collects their names for the summary. */
export function handshakeMessages(
  buf: Uint8Array,
  start: number,
  end: number,
  state: TlsState,
  keys: TlsKeys,
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
          { id: F.handshake }
        )
      )
      names.push(`${name} (fragment)`)
      break
    }
    const header = [
      field('Handshake Type', at, at + 1, `${name} (${type})`, { id: F.handshakeType }),
      field('Length', at + 1, at + 4, String(len), { id: F.handshakeLength })
    ]
    let body: Field[] = []
    if ((type === 1 || type === 2) && len > 0) {
      try {
        body = hello(new ByteReader(buf, at + 4, bodyEnd), type as 1 | 2, state, keys)
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err)
        body = [field(`Malformed ${name}`, at + 4, bodyEnd, reason, { malformed: reason })]
      }
    } else if (type === 8 && len >= 2) {
      try {
        const r = new ByteReader(buf, at + 4, bodyEnd)
        const extLen = r.u16('extensions length')
        r.need(extLen, 'extensions')
        const exts: Field[] = [field('Extensions Length', at + 4, at + 6, String(extLen))]
        while (r.pos < at + 6 + extLen) exts.push(extension(r, type, state, keys).field)
        body = [
          field(`Extensions (${exts.length - 1})`, at + 4, r.pos, '', {
            id: F.handshakeExtensions,
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
        id: F.handshake,
        children: [...header, ...body]
      })
    )
    at = bodyEnd
  }
  return out
}
