// Messages the server sends: the one-byte answer to SSLRequest, Authentication*, ParameterStatus,
// BackendKeyData, ReadyForQuery, RowDescription, DataRow (each column decoded by the OID and
// format RowDescription gave), CommandComplete, ErrorResponse / NoticeResponse, the extended
// protocol's ParseComplete/BindComplete/NoData/ParameterDescription, and the rest by name.
import type { Field } from '../../../../shared/events'
import { PGSQL, PG_BACKEND } from '../../../../shared/protocols/pgsql'
import { hex, printable } from '../../dissect/fields'
import { branch, leaf, plain } from '../common/field-literals'
import { ByteReader } from '../common/reader'
import { typeName } from './values'
import { cstring, formatOf, header, short, valueField, type Column, type Message, type PgState } from './wire'

const AUTH: Record<number, string> = {
  0: 'AuthenticationOk',
  2: 'AuthenticationKerberosV5',
  3: 'AuthenticationCleartextPassword',
  5: 'AuthenticationMD5Password',
  7: 'AuthenticationGSS',
  8: 'AuthenticationGSSContinue',
  9: 'AuthenticationSSPI',
  10: 'AuthenticationSASL',
  11: 'AuthenticationSASLContinue',
  12: 'AuthenticationSASLFinal'
}

const ERROR_FIELDS: Record<string, string> = {
  S: 'Severity',
  V: 'Severity (not localized)',
  C: 'SQLSTATE code',
  M: 'Message',
  D: 'Detail',
  H: 'Hint',
  P: 'Position',
  p: 'Internal position',
  q: 'Internal query',
  W: 'Where',
  s: 'Schema',
  t: 'Table',
  c: 'Column',
  d: 'Data type',
  n: 'Constraint',
  F: 'File',
  L: 'Line',
  R: 'Routine'
}

const STATUS: Record<string, string> = { I: 'idle', T: 'in a transaction block', E: 'in a failed transaction block' }

/** The server's one-byte answer to SSLRequest / GSSENCRequest. */
export function sslResponse(pdu: Uint8Array, state: PgState): Message {
  const b = String.fromCharCode(pdu[0])
  state.sslPending = false
  if (b === 'S') state.tls = true
  return {
    name: 'SSLResponse',
    summary: b === 'N' ? "SSL response 'N': no TLS here, continue in plain text" : "SSL response 'S': TLS handshake follows",
    fields: [leaf('SSL response', 0, 1, b === 'N' ? "'N' (not supported)" : "'S' (willing)", PGSQL.sslResponse)],
    keys: { type: 'SSLResponse', tag: b }
  }
}

function columnsOf(state: PgState): Column[] {
  return state.columns ?? []
}

export function backendMessage(pdu: Uint8Array, state: PgState): Message {
  const tag = String.fromCharCode(pdu[0])
  const r = new ByteReader(pdu)
  let name = PG_BACKEND[tag] ?? `Unknown '${tag}'`
  if (tag === 'R' && pdu.length >= 9) name = AUTH[new DataView(pdu.buffer, pdu.byteOffset + 5, 4).getInt32(0)] ?? 'Authentication'
  const fields = header(r, name)
  const keys: Record<string, string | number | boolean> = { type: name, tag }
  let summary = name
  switch (tag) {
    case 'R': {
      const at = r.pos
      const code = r.i32('authentication code')
      fields.push(leaf('Authentication type', at, r.pos, `${code} (${AUTH[code] ?? 'unknown'})`, PGSQL.authType))
      if (code === 0) summary = 'AuthenticationOk: no password needed here'
      if (code === 3) state.auth = 'password'
      if (code === 5) {
        const s = r.pos
        const salt = r.bytes(4, 'salt')
        fields.push(plain('Salt', s, r.pos, hex(salt)))
        state.auth = 'password'
      }
      if (code === 7 || code === 8 || code === 9) state.auth = 'gss'
      if (code === 10) {
        const mechs: string[] = []
        while (r.left > 1) {
          const m = cstring(r, 'Mechanism', PGSQL.saslMechanism)
          mechs.push(m.value)
          fields.push(m.field)
        }
        if (r.left === 1) r.skip(1)
        state.auth = 'sasl-initial'
        summary = `AuthenticationSASL: ${mechs.join(', ')}`
      }
      if (code === 11 || code === 12) {
        const s = r.pos
        const data = r.bytes(r.left, 'SASL data')
        fields.push(leaf('SASL data', s, r.pos, JSON.stringify(printable(data, 160)), PGSQL.payload))
      }
      break
    }
    case 'S': {
      const n = cstring(r, 'Name', PGSQL.parameterName)
      const v = cstring(r, 'Value', PGSQL.parameterValue)
      fields.push(n.field, v.field)
      keys.parameter = n.value
      summary = `ParameterStatus ${n.value} = ${short(v.value, 40)}`
      break
    }
    case 'K': {
      const at = r.pos
      const pid = r.i32('process id')
      const k = r.pos
      const key = r.bytes(r.left, 'secret key')
      fields.push(leaf('Process id', at, k, String(pid), PGSQL.pid), leaf('Secret key', k, r.pos, hex(key), PGSQL.secretKey))
      summary = `BackendKeyData pid=${pid}`
      break
    }
    case 'Z': {
      const at = r.pos
      const s = String.fromCharCode(r.u8('status'))
      fields.push(leaf('Status', at, r.pos, `'${s}' (${STATUS[s] ?? 'unknown'})`, PGSQL.status))
      keys.status = s
      // A sync point: descriptions that never got an answer (an error skipped them) are gone.
      state.describes = []
      summary = `ReadyForQuery (${STATUS[s] ?? s})`
      break
    }
    case 'T': {
      const at = r.pos
      const n = r.i16('column count')
      const kind = state.describes.shift()
      const cols: Column[] = []
      const children: Field[] = []
      for (let i = 0; i < n; i++) {
        const c0 = r.pos
        const nm = cstring(r, 'Name', PGSQL.columnName)
        const t0 = r.pos
        const table = r.u32('table OID')
        const a0 = r.pos
        const attr = r.i16('column number')
        const o0 = r.pos
        const oid = r.u32('type OID')
        const l0 = r.pos
        const len = r.i16('type length')
        const m0 = r.pos
        const mod = r.i32('type modifier')
        const f0 = r.pos
        const fmt = r.i16('format')
        // A statement's description says 0 (not yet known): the Bind decides the real format.
        const format = kind === 'S' ? formatOf(state.resultFormats, i) : fmt
        cols.push({ name: nm.value, oid, format })
        children.push(
          branch(nm.value, c0, r.pos, `${typeName(oid)}, ${format === 1 ? 'binary' : 'text'}`, PGSQL.column, [
              nm.field,
              leaf('Table OID', t0, a0, table ? String(table) : '0 (not a table column)', PGSQL.tableOid),
              leaf('Column number', a0, o0, String(attr), PGSQL.columnIndex),
              leaf('Type OID', o0, l0, `${oid} (${typeName(oid)})`, PGSQL.typeOid),
              leaf('Type length', l0, m0, len < 0 ? `${len} (variable)` : String(len), PGSQL.typeLength),
              leaf('Type modifier', m0, f0, String(mod), PGSQL.typeModifier),
              leaf('Format', f0, r.pos, fmt === 1 ? '1 (binary)' : '0 (text)', PGSQL.format)
          ])
        )
      }
      state.columns = cols
      fields.push(branch('Columns', at, r.pos, `${n}`, PGSQL.columns, [plain('Count', at, at + 2, String(n)), ...children]))
      keys.columns = n
      summary = `RowDescription: ${cols.map((c) => `${c.name} ${typeName(c.oid)}`).join(', ')}`
      break
    }
    case 'D': {
      const at = r.pos
      const n = r.i16('column count')
      const cols = columnsOf(state)
      const children: Field[] = [plain('Count', at, r.pos, String(n))]
      const row: Record<string, unknown> = {}
      for (let i = 0; i < n; i++) {
        const c = cols[i]
        const v = valueField(r, c?.name ?? `column ${i + 1}`, c?.oid, c?.format ?? 0, PGSQL.value)
        row[c?.name ?? `column${i + 1}`] = v.json
        children.push(v.field)
      }
      fields.push(branch('Values', at, r.pos, `${n}`, PGSQL.values, children))
      const json = JSON.stringify(row)
      keys.row = json
      keys.columns = n
      summary = `DataRow ${short(json, 70)}`
      break
    }
    case 'C': {
      const t = cstring(r, 'Tag', PGSQL.tag)
      fields.push(t.field)
      keys.command = t.value
      const count = /\s(\d+)$/.exec(t.value)
      if (count) keys.rows = Number(count[1])
      summary = `CommandComplete "${t.value}"`
      state.columns = null
      break
    }
    case 'E':
    case 'N': {
      const children: Field[] = []
      const got: Record<string, string> = {}
      while (r.left > 1) {
        const at = r.pos
        const code = String.fromCharCode(r.u8('field type'))
        const label = ERROR_FIELDS[code] ?? `Field '${code}'`
        const id = code === 'C' ? PGSQL.sqlstate : code === 'M' ? PGSQL.message : code === 'S' ? PGSQL.severity : PGSQL.errorField
        const v = cstring(r, label, id)
        got[code] = v.value
        children.push(branch(label, at, r.pos, v.value, id, [plain('Code', at, at + 1, `'${code}'`), v.field]))
      }
      const endAt = r.pos
      if (r.u8('terminator') !== 0) r.fail(`${name} must end with a NUL byte`, endAt, r.pos)
      fields.push(...children, plain('Terminator', endAt, r.pos, '0'))
      keys.severity = got.V ?? got.S ?? ''
      if (got.C) keys.sqlstate = got.C
      keys.error = got.M ?? ''
      summary = `${name} ${got.S ?? ''} ${got.C ?? ''}: ${short(got.M ?? '', 80)}`.replace(/\s+/g, ' ')
      if (tag === 'E') state.columns = null
      break
    }
    case 't': {
      const at = r.pos
      const n = r.i16('parameter count')
      const oids: number[] = []
      const children: Field[] = [plain('Count', at, r.pos, String(n))]
      for (let i = 0; i < n; i++) {
        const o = r.pos
        const oid = r.u32('parameter type OID')
        oids.push(oid)
        children.push(leaf(`$${i + 1}`, o, r.pos, `${oid} (${typeName(oid)})`, PGSQL.typeOid))
      }
      fields.push(branch('Parameter types', at, r.pos, oids.map(typeName).join(', ') || 'none', PGSQL.paramTypes, children))
      summary = `ParameterDescription: ${oids.map(typeName).join(', ') || 'no parameters'}`
      break
    }
    case 'n':
      state.describes.shift()
      summary = 'NoData: the statement returns no rows'
      break
    case 'I':
      summary = 'EmptyQueryResponse: the query string was empty'
      break
    case 'A': {
      const at = r.pos
      const pid = r.i32('process id')
      fields.push(leaf('Process id', at, r.pos, String(pid), PGSQL.pid))
      const ch = cstring(r, 'Channel', PGSQL.parameterName)
      const pl = cstring(r, 'Payload', PGSQL.payload)
      fields.push(ch.field, pl.field)
      summary = `NotificationResponse ${ch.value}: ${short(pl.value)}`
      break
    }
    default: {
      if (r.left > 0) {
        const at = r.pos
        const data = r.bytes(r.left, 'data')
        fields.push(leaf('Data', at, r.pos, JSON.stringify(printable(data, 120)), PGSQL.payload))
      }
      break
    }
  }
  if (r.left > 0) r.fail(`${r.left} bytes left after the ${name} message`, r.pos, r.limit)
  return { name, summary, fields, keys }
}
