// Pieces every Postgres message decoder uses: the per-connection state the conversation builds
// (startup phase, SSL answer pending, statement parameter OIDs, the current result's columns),
// NUL-terminated strings, the type/length header and the value fields decoded by OID.
import type { Field } from '../../../../shared/events'
import { PGSQL } from '../../../../shared/protocols/pgsql'
import { field, printable, utf8 } from '../../dissect/fields'
import { branch, leaf, plain } from '../common/field-literals'
import { ByteReader, DissectError, plainAscii } from '../common/reader'
import { binaryValue, howOf, textValue, typeName } from './values'

export interface Column {
  name: string
  oid: number
  format: number
}

export interface PgState {
  /** The client has not sent its StartupMessage yet (its messages have no type byte). */
  startup: boolean
  /** The client sent SSLRequest / GSSENCRequest: the server's next byte is a one-byte answer. */
  sslPending: boolean
  /** The server said `S`: what follows is TLS, not decoded here. */
  tls: boolean
  /** Parameter type OIDs by prepared statement name ('' = unnamed). */
  statements: Map<string, number[]>
  /** Result formats the last Bind asked for. */
  resultFormats: number[]
  /** What each pending Describe asked about ('S' statement / 'P' portal), oldest first. */
  describes: ('S' | 'P')[]
  /** The columns of the result being returned. */
  columns: Column[] | null
  /** What a `p` message is, from the last Authentication request. */
  auth: 'password' | 'sasl-initial' | 'sasl' | 'gss'
  /** The client ended the session (Terminate). */
  terminated: boolean
}

export const newState = (): PgState => ({
  startup: true,
  sslPending: false,
  tls: false,
  statements: new Map(),
  resultFormats: [],
  describes: [],
  columns: null,
  auth: 'password',
  terminated: false
})

export interface Message {
  name: string
  summary: string
  fields: Field[]
  keys: Record<string, string | number | boolean>
}

/** A NUL-terminated string at the reader's position, as a field. */
export function cstring(r: ByteReader, name: string, id: string): { value: string; field: Field } {
  const start = r.pos
  const nul = r.indexOf(0)
  if (nul < 0) r.fail(`${name}: no terminating NUL byte`, start, r.limit)
  const ascii = plainAscii(r.buf, start, nul)
  const value = ascii ?? r.utf8(nul - start, name)
  r.pos = nul + 1
  return { value, field: leaf(name, start, r.pos, ascii !== undefined ? `"${ascii}"` : JSON.stringify(value), id) }
}

/** Int16 count followed by that many int16 format codes (Bind). */
export function formatCodes(r: ByteReader, name: string): { codes: number[]; field: Field } {
  const start = r.pos
  const n = r.i16(`${name} count`)
  if (n < 0) r.fail(`${name}: negative count ${n}`, start, r.pos)
  const children: Field[] = [plain('Count', start, r.pos, String(n))]
  const codes: number[] = []
  for (let i = 0; i < n; i++) {
    const at = r.pos
    const c = r.i16('format code')
    codes.push(c)
    children.push(leaf(`Format ${i}`, at, r.pos, c === 1 ? '1 (binary)' : c === 0 ? '0 (text)' : `${c} (invalid)`, PGSQL.format))
  }
  const shown = n === 0 ? 'all text' : n === 1 ? `all ${codes[0] === 1 ? 'binary' : 'text'}` : codes.map((c) => (c === 1 ? 'b' : 't')).join(',')
  return { codes, field: branch(name, start, r.pos, shown, PGSQL.formats, children) }
}

/** The format of value `i` when a message lists `codes` (none: text; one: for all). */
export const formatOf = (codes: number[], i: number): number => (codes.length === 0 ? 0 : codes.length === 1 ? codes[0] : (codes[i] ?? 0))

/** How a value's text shows in its Data field: `printable(bytes, 120)`, from the text already decoded. */
function printableText(text: string, bytes: Uint8Array): string {
  if (bytes.length > 120) return printable(bytes, 120)
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 0x20 || c === 0x7f) return printable(bytes, 120)
  }
  return text
}

/**
 * One length-prefixed value (Bind parameter, DataRow column): Int32 length (-1 = NULL), then the
 * bytes, decoded by OID and format. A value that does not decode is flagged on its own bytes.
 */
export function valueField(
  r: ByteReader,
  label: string,
  oid: number | undefined,
  format: number,
  id: string
): { json: unknown; field: Field } {
  const start = r.pos
  const len = r.i32('value length')
  const lenField = leaf('Length', start, r.pos, len === -1 ? '-1 (NULL)' : `${len}`, PGSQL.valueLength)
  if (len === -1) return { json: null, field: branch(label, start, r.pos, 'NULL', id, [lenField]) }
  if (len < -1) r.fail(`${label}: negative length ${len}`, start, r.pos)
  const at = r.pos
  if (format !== 1) {
    r.skip(len, label)
    const ascii = plainAscii(r.buf, at, r.pos)
    const text = ascii ?? utf8(r.buf.subarray(at, r.pos))
    const v = textValue(oid, text, ascii !== undefined)
    const data = ascii !== undefined ? `"${ascii}"` : JSON.stringify(printableText(text, r.buf.subarray(at, r.pos)))
    return {
      json: v.json,
      field: branch(`${label}: ${howOf(oid, format)}`, start, r.pos, v.shown, id, [lenField, leaf('Data', at, r.pos, data, PGSQL.valueData)])
    }
  }
  const bytes = r.bytes(len, label)
  try {
    const v = binaryValue(oid, bytes)
    return {
      json: v.json,
      field: branch(`${label}: ${howOf(oid, format)}`, start, r.pos, v.shown, id, [lenField, leaf('Data', at, r.pos, v.shown, PGSQL.valueData)])
    }
  } catch (err) {
    const reason = err instanceof DissectError ? err.reason : String(err)
    return {
      json: null,
      field: field(`${label}: ${typeName(oid)}`, start, r.pos, `not a valid ${typeName(oid)}: ${reason}`, {
        id,
        malformed: reason,
        children: [lenField, field('Data', at, r.pos, `${len} bytes`, { id: PGSQL.valueData, malformed: reason })]
      })
    }
  }
}

/** The type byte and Int32 length that start every typed message. */
export function header(r: ByteReader, name: string): Field[] {
  const t = r.u8('type')
  const lenAt = r.pos
  const len = r.i32('length')
  return [
    leaf('Type', 0, 1, `'${String.fromCharCode(t)}' (${name})`, PGSQL.type),
    leaf('Length', lenAt, r.pos, `${len} (this field and the ${len - 4} bytes after it)`, PGSQL.length)
  ]
}

export const short = (s: string, n = 60): string => (s.length > n ? s.slice(0, n) + '…' : s)
