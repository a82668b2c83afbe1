// AMQP 0-9-1 values with byte ranges: method arguments (with consecutive bits packed into one
// octet), field tables (RabbitMQ's type tags, as amqplib's codec reads them) and content-header
// properties (present when their bit is set in the property flags).
import type { Field } from '../../../../shared/events'
import { amqpArgumentId, amqpPropertyId, AMQP } from '../../../../shared/protocols/amqp'
import { memo } from '../../../../shared/memo'
import { field, hex, printable } from '../../dissect/fields'
import type { ByteReader } from '../common/reader'
import type { ArgInfo } from './spec'

/** A decoded scalar, for PDU keys (tables are shown in the tree only). */
export type Scalar = string | number | boolean

export interface Decoded {
  fields: Field[]
  values: Record<string, Scalar>
}

/** `routingKey` → `Routing key` for the tree (the spec's few dozen names: each made once). */
export const label = memo((name: string): string => {
  const words = name.replace(/([A-Z])/g, ' $1').toLowerCase()
  return words.charAt(0).toUpperCase() + words.slice(1)
}, 1024)

const quote = (s: string): string => `"${s}"`

const text = (r: ByteReader, n: number, what: string): string => printable(r.bytes(n, what), 500)

/** Reads one value of `type` (not `bit`, which the caller packs). */
function scalar(r: ByteReader, type: ArgInfo['type'], name: string): { value: Scalar; shown: string; children?: Field[]; entries?: Record<string, Scalar> } {
  switch (type) {
    case 'octet': {
      const v = r.u8(name)
      return { value: v, shown: String(v) }
    }
    case 'short': {
      const v = r.u16(name)
      return { value: v, shown: String(v) }
    }
    case 'long': {
      const v = r.u32(name)
      return { value: v, shown: String(v) }
    }
    case 'longlong': {
      const v = r.u64(name)
      return { value: Number(v), shown: v.toString() }
    }
    case 'timestamp': {
      const v = Number(r.u64(name))
      const d = new Date(v * 1000)
      return { value: v, shown: Number.isFinite(d.getTime()) ? `${v} (${d.toISOString()})` : String(v) }
    }
    case 'shortstr': {
      const at = r.pos
      const n = r.u8(`${name} length`)
      const s = text(r, n, name)
      return { value: s, shown: quote(s), children: [field('Length', at, at + 1, String(n)), field('Text', at + 1, at + 1 + n, quote(s))] }
    }
    case 'longstr': {
      const at = r.pos
      const n = r.u32(`${name} length`)
      const s = text(r, n, name)
      return { value: s, shown: quote(s), children: [field('Length', at, at + 4, String(n)), field('Text', at + 4, at + 4 + n, quote(s))] }
    }
    case 'table': {
      const t = table(r, name)
      return { value: t.summary, shown: t.summary, children: t.fields, entries: t.entries }
    }
    default:
      return r.fail(`${name}: unknown AMQP type ${String(type)}`)
  }
}

/** A field table: u32 size, then (shortstr name, type tag, value) entries. */
export function table(r: ByteReader, name: string, depth = 0): { fields: Field[]; summary: string; entries: Record<string, Scalar> } {
  const at = r.pos
  const size = r.u32(`${name} size`)
  const body = r.sub(size, `${name} entries`)
  const fields: Field[] = [field('Size', at, at + 4, `${size} bytes`)]
  const names: string[] = []
  const entries: Record<string, Scalar> = {}
  while (!body.done) {
    const start = body.pos
    const kn = body.u8('entry name length')
    const key = body.latin1(kn, 'entry name')
    const v = tagged(body, key, depth)
    names.push(key)
    if (v.scalar !== undefined) entries[key] = v.scalar
    fields.push(field(key, start, body.pos, v.shown, { id: AMQP.tableEntry, children: [field('Name', start, start + 1 + kn, quote(key)), ...v.fields] }))
  }
  return { fields, summary: names.length ? `{${names.join(', ')}}` : '{}', entries }
}

/** Fixed-size tagged values: the type's name and how to read it. */
const FIXED: Record<string, [string, (r: ByteReader, name: string) => string]> = {
  t: ['boolean', (r, n) => String(r.u8(n) !== 0)],
  b: ['int8', (r, n) => String(r.i8(n))],
  B: ['uint8', (r, n) => String(r.u8(n))],
  s: ['int16', (r, n) => String(r.i16(n))],
  u: ['uint16', (r, n) => String(r.u16(n))],
  I: ['int32', (r, n) => String(r.i32(n))],
  i: ['uint32', (r, n) => String(r.u32(n))],
  l: ['int64', (r, n) => r.i64(n).toString()],
  f: ['float', (r, n) => String(r.f32(n))],
  d: ['double', (r, n) => String(r.f64(n))],
  T: ['timestamp', (r, n) => r.u64(n).toString()],
  D: ['decimal', readDecimal]
}

function readDecimal(r: ByteReader, name: string): string {
  const places = r.u8(name)
  const digits = r.u32(name)
  return places ? (digits / 10 ** places).toFixed(Math.min(places, 20)) : String(digits)
}

/** One tagged value (field tables and arrays). */
function tagged(r: ByteReader, name: string, depth: number): { shown: string; fields: Field[]; scalar?: Scalar } {
  if (depth > 16) r.fail(`${name}: tables nested more than 16 deep`)
  const tagAt = r.pos
  const code = r.u8(`${name} type tag`)
  const tag = String.fromCharCode(code)
  const at = r.pos
  const fixed = FIXED[tag]
  if (fixed) {
    const shown = fixed[1](r, name)
    const scalar = tag === 't' ? shown === 'true' : tag === 'l' || tag === 'T' || tag === 'D' ? shown : Number(shown)
    return { shown, scalar, fields: [field('Type', tagAt, at, `'${tag}' ${fixed[0]}`), field('Value', at, r.pos, shown)] }
  }
  switch (tag) {
    case 'V':
      return { shown: 'void', fields: [field('Type', tagAt, at, `'V' void`)] }
    case 'S': {
      const n = r.u32(`${name} length`)
      const raw = text(r, n, name)
      const s = quote(raw)
      return { shown: s, scalar: raw, fields: [field('Type', tagAt, at, `'S' long string`), field('Length', at, at + 4, String(n)), field('Value', at + 4, r.pos, s)] }
    }
    case 'x': {
      const n = r.u32(`${name} length`)
      const b = r.bytes(n, name)
      return { shown: hex(b.subarray(0, 32)) + (n > 32 ? '…' : ''), fields: [field('Type', tagAt, at, `'x' byte array`), field('Length', at, at + 4, String(n)), field('Value', at + 4, r.pos)] }
    }
    case 'F': {
      const t = table(r, name, depth + 1)
      return { shown: t.summary, fields: [field('Type', tagAt, at, `'F' table`), ...t.fields] }
    }
    case 'A': {
      const n = r.u32(`${name} size`)
      const items = r.sub(n, `${name} items`)
      const fields: Field[] = [field('Type', tagAt, at, `'A' array`), field('Size', at, at + 4, `${n} bytes`)]
      const shown: string[] = []
      for (let i = 0; !items.done; i++) {
        const s = items.pos
        const v = tagged(items, `${name}[${i}]`, depth + 1)
        shown.push(v.shown)
        fields.push(field(`[${i}]`, s, items.pos, v.shown, { children: v.fields }))
      }
      return { shown: `[${shown.join(', ')}]`, fields }
    }
    default:
      return r.fail(`${name}: unknown field-table type tag 0x${code.toString(16).padStart(2, '0')}`, tagAt, tagAt + 1)
  }
}

/** A method's arguments in order; runs of `bit` arguments share one octet, least significant bit first. */
export function methodArguments(r: ByteReader, args: ArgInfo[]): Decoded {
  const fields: Field[] = []
  const values: Record<string, Scalar> = {}
  let bitByte = -1
  let bitAt = 0
  let bit = 8
  for (const a of args) {
    if (a.type === 'bit') {
      if (bit >= 8) {
        bitAt = r.pos
        bitByte = r.u8(`${a.name} (bits)`)
        bit = 0
      }
      const v = (bitByte & (1 << bit)) !== 0
      values[a.name] = v
      fields.push(field(label(a.name), bitAt, bitAt + 1, String(v), { id: amqpArgumentId(a.name), mask: 1 << bit }))
      bit++
      continue
    }
    bit = 8
    const start = r.pos
    const v = scalar(r, a.type, a.name)
    if (a.type !== 'table') values[a.name] = v.value
    if (v.entries) for (const k in v.entries) values[`${a.name}.${k}`] = v.entries[k]
    const id = amqpArgumentId(a.name)
    fields.push(field(label(a.name), start, r.pos, v.shown, v.children ? { id, children: v.children } : { id }))
  }
  return { fields, values }
}

const isPresent = (words: number[], i: number): boolean => ((words[Math.floor(i / 15)] ?? 0) & (1 << (15 - (i % 15)))) !== 0

/**
 * Content-header properties: 16-bit flag words (bit 15 first; bit 0 says another word follows),
 * then each present property in order.
 */
export function properties(r: ByteReader, props: ArgInfo[]): Decoded & { flagsField: Field } {
  const at = r.pos
  const words: number[] = []
  do words.push(r.u16('property flags'))
  while ((words[words.length - 1] & 1) === 1 && words.length < 8)
  if ((words[words.length - 1] & 1) === 1) r.fail('property flags: more than 8 flag words', at, r.pos)
  const names = props.filter((_, i) => isPresent(words, i)).map((p) => p.name)
  const flagsField = field('Property flags', at, r.pos, `0x${words.map((w) => w.toString(16).padStart(4, '0')).join('')} (${names.join(', ') || 'none'})`, { id: AMQP.headerPropertyFlags })
  const fields: Field[] = []
  const values: Record<string, Scalar> = {}
  props.forEach((p, i) => {
    if (!isPresent(words, i)) return
    const start = r.pos
    const v = scalar(r, p.type, p.name)
    if (p.type !== 'table') values[p.name] = v.value
    if (v.entries) for (const k in v.entries) values[`${p.name}.${k}`] = v.entries[k]
    const id = amqpPropertyId(p.name)
    fields.push(field(label(p.name), start, r.pos, v.shown, v.children ? { id, children: v.children } : { id }))
  })
  // Bits beyond the properties this class defines are an error (§4.2.6.1).
  for (let i = props.length; i < words.length * 15; i++) if (isPresent(words, i)) r.fail(`property flags: bit for undefined property ${i + 1}`, at, at + words.length * 2)
  return { fields, values, flagsField }
}
