// PostgreSQL frontend/backend protocol v3 (`pgsql`). Reassembly asks how long the next message
// is (Int32 length; the untyped startup packets first, then a type byte before the length; the
// one-byte answer to SSLRequest), and each whole message is decoded with byte ranges. The
// conversation's state (startup phase, SSL answer pending, statement parameter OIDs, the current
// result's columns) lives with the connection, so DataRow values come out typed.
import type { Direction, Field } from '../../../../shared/events'
import { PG_BACKEND, PG_FRONTEND, PG_MAX_STARTUP_PACKET, PGSQL, PGSQL_PORT } from '../../../../shared/protocols/pgsql'
import { field, printable } from '../../dissect/fields'
import { leaf } from '../common/field-literals'
import { framed, type Decoded, type LengthResult } from '../../dissect/reassembly'
import type { DissectorDef, StreamDissector } from '../../dissect/types'
import { DissectError } from '../common/reader'
import { backendMessage, sslResponse } from './backend'
import { CANCEL_REQUEST, GSSENC_REQUEST, PROTOCOL_3, SSL_REQUEST, frontendMessage, startupMessage } from './frontend'
import { newState, type Message, type PgState } from './wire'

export const PGSQL_PORTS = [PGSQL_PORT]

/** The big-endian Int32 at `at` (callers check that 4 bytes are there). */
const i32 = (b: Uint8Array, at: number): number => (b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]

export function pgsqlPduLength(buf: Uint8Array, dir: Direction, state: PgState): LengthResult {
  if (state.tls) return buf.length
  if (dir === 's2c' && state.sslPending && (buf[0] === 0x4e || buf[0] === 0x53)) return 1
  if (dir === 'c2s' && state.startup) {
    if (buf.length < 4) return 'more'
    const len = i32(buf, 0)
    // What the postmaster checks before anything else; it logs this and closes the connection.
    if (len < 8 || len > PG_MAX_STARTUP_PACKET)
      return { malformed: `invalid length of startup packet (${len}): Postgres accepts 8 to ${PG_MAX_STARTUP_PACKET} bytes, logs this and closes the connection` }
    return len
  }
  const names = dir === 'c2s' ? PG_FRONTEND : PG_BACKEND
  const tag = String.fromCharCode(buf[0])
  if (!(tag in names))
    return {
      malformed:
        dir === 'c2s'
          ? `invalid frontend message type ${buf[0]} ('${printable(buf.subarray(0, 1))}'): Postgres answers FATAL and closes the connection`
          : `invalid backend message type ${buf[0]} ('${printable(buf.subarray(0, 1))}')`
    }
  if (buf.length < 5) return 'more'
  const len = i32(buf, 1)
  if (len < 4) return { malformed: `invalid message length ${len} (at least 4: the length counts itself)` }
  return 1 + len
}

function decodeMessage(pdu: Uint8Array, dir: Direction, state: PgState): Message {
  if (state.tls)
    return { name: 'TLS', summary: `${pdu.length} bytes of TLS (not decoded)`, fields: [leaf('TLS data', 0, pdu.length, `${pdu.length} bytes`, PGSQL.payload)], keys: { type: 'TLS' } }
  if (dir === 'c2s') return state.startup ? startupMessage(pdu, state) : frontendMessage(pdu, state)
  if (pdu.length === 1 && state.sslPending) return sslResponse(pdu, state)
  return backendMessage(pdu, state)
}

export function decodePgsql(pdu: Uint8Array, dir: Direction, state: PgState): Decoded {
  const startup = dir === 'c2s' && state.startup
  try {
    const m = decodeMessage(pdu, dir, state)
    return { summary: m.summary, fields: m.fields, keys: m.keys }
  } catch (err) {
    if (!(err instanceof DissectError)) throw err
    // Keep what is known (the header) and flag exactly the bytes that did not decode.
    const fields: Field[] = []
    const typed = !startup && pdu.length >= 5
    if (typed) {
      const tag = String.fromCharCode(pdu[0])
      fields.push(leaf('Type', 0, 1, `'${tag}'`, PGSQL.type), leaf('Length', 1, 5, String(i32(pdu, 1)), PGSQL.length))
    }
    const start = Math.max(typed ? 5 : 0, Math.min(err.start, pdu.length))
    const end = Math.max(start, Math.min(err.end, pdu.length))
    fields.push(field('Malformed data', start, end, err.reason, { malformed: err.reason }))
    const name = typed ? ((dir === 'c2s' ? PG_FRONTEND : PG_BACKEND)[String.fromCharCode(pdu[0])] ?? 'message') : 'startup packet'
    return {
      summary: `Malformed PGSQL ${name}: ${err.reason}`,
      fields,
      keys: { type: name },
      malformed: { reason: err.reason, start, end }
    }
  }
}

export function createPgsqlDissector(): StreamDissector {
  return framed<PgState>({
    protocol: 'pgsql',
    state: newState,
    pduLength: pgsqlPduLength,
    decode: decodePgsql,
    maxPdu: 64 * 1024 * 1024
  })
}

/**
 * Does this look like the start of a Postgres conversation? Clients open with an untyped startup
 * packet (SSLRequest, GSSENCRequest, StartupMessage v3.0 or CancelRequest); servers open with the
 * SSL answer byte or an Authentication request. Never throws.
 */
export function looksLike(first: Uint8Array, dir: Direction): number {
  if (first.length < 1) return 0
  if (dir === 'c2s') {
    if (first.length < 8) return 0
    const len = i32(first, 0)
    const code = i32(first, 4) >>> 0
    if (len === 8 && (code === SSL_REQUEST || code === GSSENC_REQUEST)) return 1
    if (len === 16 && code === CANCEL_REQUEST) return 0.9
    if (code === PROTOCOL_3 && len > 8 && len <= PG_MAX_STARTUP_PACKET) return 1
    return 0
  }
  if (first.length === 1) return first[0] === 0x4e || first[0] === 0x53 ? 0.3 : 0
  if (first.length >= 9 && first[0] === 0x52 && i32(first, 1) >= 8 && i32(first, 1) < 1024) return 0.9
  if (first[0] === 0x45 && first.length >= 5 && i32(first, 1) > 4 && i32(first, 1) < 4096) return 0.5
  return 0
}

export const pgsqlDef: DissectorDef = {
  id: 'pgsql',
  name: 'PostgreSQL frontend/backend protocol v3',
  transport: 'tcp',
  ports: PGSQL_PORTS,
  looksLike,
  create: createPgsqlDissector
}
