// Column and parameter values, decoded by their type OID (from RowDescription, Parse or
// ParameterDescription) and their format code (0 = text, 1 = binary): what Wireshark leaves as
// hex (`Data: 0000000000000002`), shown as the typed value the server meant.
import { PG_TYPES } from '../../../../shared/protocols/pgsql'
import { ByteReader } from '../common/reader'
import { hex, utf8 } from '../../dissect/fields'

export interface Shown {
  /** How the value reads for people: `42`, `"Loja Centro"`, `2024-03-01`, `true`. */
  shown: string
  /** JSON-safe value (numbers that would lose precision stay strings). */
  json: unknown
}

export const typeName = (oid: number | undefined): string =>
  oid === undefined || oid === 0 ? 'unspecified' : (PG_TYPES[oid] ?? `OID ${oid}`)

const PG_EPOCH_MS = Date.UTC(2000, 0, 1)

function numericBinary(r: ByteReader): string {
  const ndigits = r.i16('numeric ndigits')
  const weight = r.i16('numeric weight')
  const sign = r.u16('numeric sign')
  const dscale = r.u16('numeric dscale')
  if (sign === 0xc000) return 'NaN'
  if (sign === 0xd000) return 'Infinity'
  if (sign === 0xf000) return '-Infinity'
  const digits: number[] = []
  for (let i = 0; i < ndigits; i++) digits.push(r.i16('numeric digit'))
  let int = ''
  for (let w = 0; w <= weight; w++) {
    const d = w < digits.length ? digits[w] : 0
    int += w === 0 ? String(d) : String(d).padStart(4, '0')
  }
  if (int === '') int = '0'
  let frac = ''
  for (let w = weight + 1; frac.length < dscale; w++) {
    const d = w >= 0 && w < digits.length ? digits[w] : 0
    frac += String(d).padStart(4, '0')
  }
  frac = frac.slice(0, dscale)
  return `${sign === 0x4000 ? '-' : ''}${int}${frac ? '.' + frac : ''}`
}

const iso = (ms: number, dateOnly = false): string => {
  const d = new Date(ms)
  if (!Number.isFinite(d.getTime())) return String(ms)
  return dateOnly ? d.toISOString().slice(0, 10) : d.toISOString().replace('T', ' ').replace('Z', '')
}

function binary(oid: number, bytes: Uint8Array): Shown {
  const r = new ByteReader(bytes)
  const exact = (n: number): void => {
    if (bytes.length !== n) r.fail(`${typeName(oid)} in binary is ${n} bytes, got ${bytes.length}`, 0, bytes.length)
  }
  switch (oid) {
    case 16:
      exact(1)
      return { shown: bytes[0] ? 'true' : 'false', json: bytes[0] !== 0 }
    case 21:
      exact(2)
      return num(r.i16())
    case 23:
      exact(4)
      return num(r.i32())
    case 26:
      exact(4)
      return num(r.u32())
    case 20: {
      exact(8)
      const v = r.i64()
      const safe = v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER)
      return { shown: v.toString(), json: safe ? Number(v) : v.toString() }
    }
    case 700:
      exact(4)
      return num(r.f32())
    case 701:
      exact(8)
      return num(r.f64())
    case 1700: {
      const s = numericBinary(r)
      return { shown: s, json: s }
    }
    case 1082: {
      exact(4)
      const s = iso(PG_EPOCH_MS + r.i32() * 86_400_000, true)
      return { shown: s, json: s }
    }
    case 1114:
    case 1184: {
      exact(8)
      const us = r.i64()
      const s = iso(PG_EPOCH_MS + Number(us / 1000n)) + (oid === 1184 ? '+00' : '')
      return { shown: s, json: s }
    }
    case 2950: {
      exact(16)
      const h = hex(bytes, '')
      const s = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
      return { shown: s, json: s }
    }
    case 3802: {
      if (bytes[0] !== 1) r.fail('jsonb in binary starts with version byte 1', 0, 1)
      return text(114, utf8(bytes.subarray(1)))
    }
    case 17:
      return { shown: '\\x' + hex(bytes, ''), json: '\\x' + hex(bytes, '') }
    case 18:
    case 19:
    case 25:
    case 114:
    case 1042:
    case 1043:
      return text(oid, utf8(bytes))
    default:
      return { shown: hex(bytes), json: hex(bytes, '') }
  }
}

const num = (n: number): Shown => ({ shown: String(n), json: n })

/** `s` as a JSON string; `plain` text (see `plainAscii`) needs no escaping. */
const quoted = (s: string, plain: boolean): string => (plain ? `"${s}"` : JSON.stringify(s))

function text(oid: number, s: string, plain = false): Shown {
  switch (oid) {
    case 16:
      return { shown: s === 't' ? 'true' : s === 'f' ? 'false' : s, json: s === 't' ? true : s === 'f' ? false : s }
    case 20:
    case 21:
    case 23:
    case 26: {
      const n = Number(s)
      return Number.isSafeInteger(n) ? num(n) : { shown: s, json: s }
    }
    case 700:
    case 701: {
      const n = Number(s)
      return Number.isFinite(n) ? num(n) : { shown: s, json: s }
    }
    case 114:
    case 3802:
      try {
        return { shown: s, json: JSON.parse(s) as unknown }
      } catch {
        return { shown: quoted(s, plain), json: s }
      }
    case 1700:
    case 1082:
    case 1083:
    case 1114:
    case 1184:
    case 1186:
    case 2950:
      return { shown: s, json: s }
    default:
      return { shown: quoted(s, plain), json: s }
  }
}

/** `how` for each OID and format met, so each value does not build the same words again. */
const hows = new Map<number, string>()

/** What decodes a value of `oid` in `format`: `int4 (binary)`, `numeric (text)`, `type not declared (text)`. */
export function howOf(oid: number | undefined, format: number): string {
  const known = oid !== undefined && oid !== 0
  const key = (known ? oid : 0) * 2 + (format === 1 ? 1 : 0)
  let how = hows.get(key)
  if (how === undefined) {
    how = `${known ? typeName(oid) : 'type not declared'} (${format === 1 ? 'binary' : 'text'})`
    // OIDs come from the wire: garbage could name millions, so only the first ones are kept.
    if (hows.size < 4096) hows.set(key, how)
  }
  return how
}

/**
 * A binary-format value by its OID. `oid` 0 or undefined means the type is not known on this
 * connection (a Bind before any Parse type): shown as hex. Throws a DissectError when the bytes do
 * not fit the type.
 */
export function binaryValue(oid: number | undefined, bytes: Uint8Array): Shown {
  if (oid === undefined || oid === 0) return { shown: hex(bytes), json: hex(bytes, '') }
  return binary(oid, bytes)
}

/**
 * A text-format value (`s`, its bytes as UTF-8; `plain` when they are `plainAscii`) by its OID;
 * a type not known on this connection is shown as text.
 */
export function textValue(oid: number | undefined, s: string, plain: boolean): Shown {
  return text(oid !== undefined && oid !== 0 ? oid : 25, s, plain)
}
