// Messages the client sends: the untyped startup packets (StartupMessage, SSLRequest,
// GSSENCRequest, CancelRequest) and the typed ones (simple Query; Parse/Bind/Describe/Execute/
// Sync of the extended protocol; Close, Flush, Terminate; password and SASL answers; COPY data).
import type { Field } from '../../../../shared/events'
import { PGSQL, PG_FRONTEND } from '../../../../shared/protocols/pgsql'
import { field, hex, printable } from '../../dissect/fields'
import { branch, leaf, plain } from '../common/field-literals'
import { ByteReader } from '../common/reader'
import { typeName } from './values'
import { cstring, formatCodes, formatOf, header, short, valueField, type Message, type PgState } from './wire'

export const SSL_REQUEST = 80877103
export const GSSENC_REQUEST = 80877104
export const CANCEL_REQUEST = 80877102
export const PROTOCOL_3 = 196608

/** A message without a type byte: Int32 length, Int32 code, then the body. */
export function startupMessage(pdu: Uint8Array, state: PgState): Message {
  const r = new ByteReader(pdu)
  const len = r.i32('length')
  const codeAt = r.pos
  const code = r.u32('request code')
  const lenField = leaf('Length', 0, 4, `${len}`, PGSQL.length)
  if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
    state.sslPending = true
    const what = code === SSL_REQUEST ? 'SSLRequest' : 'GSSENCRequest'
    return {
      name: what,
      summary: `${what}: may we switch to ${code === SSL_REQUEST ? 'TLS' : 'GSSAPI encryption'}?`,
      fields: [lenField, leaf('Request code', codeAt, r.pos, `${code} (1234.${code & 0xffff}: ${what})`, PGSQL.code)],
      keys: { type: what }
    }
  }
  if (code === CANCEL_REQUEST) {
    const pidAt = r.pos
    const pid = r.i32('process id')
    const keyAt = r.pos
    const key = r.bytes(r.left, 'secret key')
    return {
      name: 'CancelRequest',
      summary: `CancelRequest for backend ${pid}`,
      fields: [
        lenField,
        leaf('Request code', codeAt, codeAt + 4, `${code} (1234.5678: CancelRequest)`, PGSQL.code),
        leaf('Process id', pidAt, keyAt, String(pid), PGSQL.pid),
        leaf('Secret key', keyAt, r.pos, hex(key), PGSQL.secretKey)
      ],
      keys: { type: 'CancelRequest' }
    }
  }
  const major = code >>> 16
  const minor = code & 0xffff
  if (major !== 3) r.fail(`unsupported frontend protocol ${major}.${minor}: the server supports 3.0`, codeAt, r.pos)
  state.startup = false
  const params: Field[] = []
  const values: Record<string, string> = {}
  while (r.left > 1) {
    const at = r.pos
    const name = cstring(r, 'Parameter name', PGSQL.parameterName)
    const value = cstring(r, 'Value', PGSQL.parameterValue)
    values[name.value] = value.value
    params.push(branch(name.value, at, r.pos, value.value, PGSQL.parameter, [name.field, value.field]))
  }
  const endAt = r.pos
  if (r.u8('terminator') !== 0) r.fail('StartupMessage must end with a NUL byte', endAt, r.pos)
  return {
    name: 'StartupMessage',
    summary: `StartupMessage v${major}.${minor} user=${values.user ?? '?'} database=${values.database ?? values.user ?? '?'}`,
    fields: [
      lenField,
      leaf('Protocol version', codeAt, codeAt + 4, `${major}.${minor} (${code})`, PGSQL.code),
      field('Parameters', 8, endAt, `${params.length}`, { children: params }),
      plain('Terminator', endAt, r.pos, '0')
    ],
    keys: { type: 'StartupMessage', ...(values.application_name ? { application: values.application_name } : {}) }
  }
}

/** A typed frontend message (the type byte is known; the length was checked by the framer). */
export function frontendMessage(pdu: Uint8Array, state: PgState): Message {
  const tag = String.fromCharCode(pdu[0])
  const r = new ByteReader(pdu)
  let name = PG_FRONTEND[tag] ?? `Unknown '${tag}'`
  if (tag === 'p') name = state.auth === 'sasl-initial' ? 'SASLInitialResponse' : state.auth === 'sasl' ? 'SASLResponse' : state.auth === 'gss' ? 'GSSResponse' : 'PasswordMessage'
  const fields = header(r, name)
  const keys: Record<string, string | number | boolean> = { type: name, tag }
  let summary = name
  switch (tag) {
    case 'Q': {
      const q = cstring(r, 'Query', PGSQL.query)
      fields.push(q.field)
      keys.sql = q.value
      summary = `Query: ${short(q.value)}`
      break
    }
    case 'P': {
      const st = cstring(r, 'Statement', PGSQL.statement)
      const q = cstring(r, 'Query', PGSQL.query)
      const at = r.pos
      const n = r.i16('parameter type count')
      const oids: number[] = []
      const types: Field[] = [plain('Count', at, r.pos, String(n))]
      for (let i = 0; i < n; i++) {
        const o = r.pos
        const oid = r.u32('parameter type OID')
        oids.push(oid)
        types.push(leaf(`$${i + 1}`, o, r.pos, `${oid} (${typeName(oid)})`, PGSQL.typeOid))
      }
      state.statements.set(st.value, oids)
      fields.push(st.field, q.field, branch('Parameter types', at, r.pos, n ? oids.map(typeName).join(', ') : 'none declared (the server infers them)', PGSQL.paramTypes, types))
      keys.sql = q.value
      keys.statement = st.value
      summary = `Parse${st.value ? ` "${st.value}"` : ''}: ${short(q.value)}`
      break
    }
    case 'B': {
      const portal = cstring(r, 'Portal', PGSQL.portal)
      const st = cstring(r, 'Statement', PGSQL.statement)
      const pf = formatCodes(r, 'Parameter formats')
      const at = r.pos
      const n = r.i16('parameter count')
      const oids = state.statements.get(st.value) ?? []
      const params: Field[] = [plain('Count', at, r.pos, String(n))]
      const json: unknown[] = []
      for (let i = 0; i < n; i++) {
        const v = valueField(r, `$${i + 1}`, oids[i], formatOf(pf.codes, i), PGSQL.param)
        json.push(v.json)
        params.push(v.field)
      }
      const rf = formatCodes(r, 'Result formats')
      state.resultFormats = rf.codes
      fields.push(portal.field, st.field, pf.field, branch('Parameters', at, rf.field.start, JSON.stringify(json), PGSQL.params, params), rf.field)
      keys.portal = portal.value
      keys.statement = st.value
      keys.params = JSON.stringify(json)
      summary = `Bind${n ? ` ${short(JSON.stringify(json), 50)}` : ''}`
      break
    }
    case 'D':
    case 'C': {
      const at = r.pos
      const what = String.fromCharCode(r.u8('target'))
      if (what !== 'S' && what !== 'P') r.fail(`${name} target must be 'S' or 'P', got '${what}'`, at, r.pos)
      const n = cstring(r, what === 'S' ? 'Statement' : 'Portal', what === 'S' ? PGSQL.statement : PGSQL.portal)
      if (tag === 'D') state.describes.push(what as 'S' | 'P')
      else if (what === 'S') state.statements.delete(n.value)
      fields.push(leaf('Target', at, at + 1, what === 'S' ? "'S' (prepared statement)" : "'P' (portal)", PGSQL.describeWhat), n.field)
      keys[what === 'S' ? 'statement' : 'portal'] = n.value
      summary = `${name} ${what === 'S' ? 'statement' : 'portal'}${n.value ? ` "${n.value}"` : ''}`
      break
    }
    case 'E': {
      const portal = cstring(r, 'Portal', PGSQL.portal)
      const at = r.pos
      const max = r.i32('max rows')
      fields.push(portal.field, leaf('Max rows', at, r.pos, max === 0 ? '0 (all)' : String(max), PGSQL.maxRows))
      keys.portal = portal.value
      summary = `Execute${portal.value ? ` "${portal.value}"` : ''}${max ? ` (up to ${max} rows)` : ''}`
      break
    }
    case 'X':
      state.terminated = true
      summary = 'Terminate: the client ends the session'
      break
    case 'p': {
      if (state.auth === 'sasl-initial') {
        const m = cstring(r, 'Mechanism', PGSQL.saslMechanism)
        const at = r.pos
        const len = r.i32('SASL data length')
        fields.push(m.field, plain('Data length', at, r.pos, String(len)))
        if (len > 0) {
          const d = r.pos
          const data = r.bytes(len, 'SASL data')
          fields.push(leaf('SASL data', d, r.pos, JSON.stringify(printable(data, 120)), PGSQL.payload))
        }
        state.auth = 'sasl'
        summary = `SASLInitialResponse (${m.value})`
        break
      }
      const at = r.pos
      const data = r.bytes(r.left, 'data')
      fields.push(leaf(state.auth === 'password' ? 'Password' : 'Data', at, r.pos, state.auth === 'password' ? '(hidden)' : JSON.stringify(printable(data, 120)), PGSQL.payload))
      break
    }
    case 'd':
    case 'f':
    case 'F': {
      const at = r.pos
      const data = r.bytes(r.left, 'data')
      fields.push(leaf('Data', at, r.pos, JSON.stringify(printable(data, 120)), PGSQL.payload))
      break
    }
    default:
      break
  }
  if (r.left > 0) r.fail(`${r.left} bytes left after the ${name} message`, r.pos, r.limit)
  return { name, summary, fields, keys }
}
