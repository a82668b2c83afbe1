// CBOR (RFC 8949), byte by byte: every item starts with an initial byte holding the major type
// (3 high bits) and the additional information (5 low bits: the value, or how many argument
// bytes follow), then the argument and the payload, big-endian.
import type { Field } from '../../../../shared/events'
import { field, hexByte } from '../../dissect/fields'
import { ieeeFields, show, utf8Field } from '../common/codec-fields'
import { ByteReader } from '../common/reader'
import { DissectError } from '../../dissect/error'
import { idKey, mapEntry, plural, walkTopLevel, type Layout } from './layout'

const MAJOR = [
  'unsigned integer',
  'negative integer',
  'byte string',
  'text string',
  'array',
  'map',
  'tag',
  'simple/float'
]
const MAX_DEPTH = 64
const BREAK = Symbol('break')

interface Item {
  field: Field
  value: unknown
}

interface Head {
  major: number
  ai: number
  /** The argument (length, value, count), or null for indefinite length. */
  arg: bigint | null
  children: Field[]
}

function head(c: ByteReader, id: string): Head {
  const start = c.pos
  const b = c.u8('initial byte')
  const major = b >> 5
  const ai = b & 0x1f
  const aiText =
    ai < 24
      ? `${ai} (the value itself)`
      : ai <= 27
        ? `${ai}: a ${1 << (ai - 24)}-byte argument follows`
        : ai === 31
          ? '31: indefinite length'
          : `${ai}: reserved`
  const children: Field[] = [
    field(
      'Initial byte',
      start,
      start + 1,
      `${hexByte(b)} = ${major.toString(2).padStart(3, '0')}|${ai.toString(2).padStart(5, '0')}`,
      {
        id: `${id}.initial`,
        children: [
          field('Major type', start, start + 1, `${major} = ${MAJOR[major]}`, {
            id: `${id}.initial.major`,
            mask: 0xe0
          }),
          field('Additional information', start, start + 1, aiText, { id: `${id}.initial.ai`, mask: 0x1f })
        ]
      }
    )
  ]
  let arg: bigint | null
  if (ai < 24) arg = BigInt(ai)
  else if (ai <= 27) {
    const n = 1 << (ai - 24)
    const dv = c.view(n, 'argument')
    arg =
      n === 1
        ? BigInt(dv.getUint8(0))
        : n === 2
          ? BigInt(dv.getUint16(0))
          : n === 4
            ? BigInt(dv.getUint32(0))
            : dv.getBigUint64(0)
    if (major !== 7)
      children.push(field('Argument', start + 1, c.pos, arg.toString(), { id: `${id}.argument` }))
  } else if (ai === 31) {
    if (major === 0 || major === 1 || major === 6)
      throw new DissectError(`indefinite length is not allowed for ${MAJOR[major]}`, start, start + 1)
    arg = null
  } else throw new DissectError(`additional information ${ai} is reserved`, start, start + 1)
  return { major, ai, arg, children }
}

const toNum = (v: bigint): number | bigint => (v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v)

function count(arg: bigint, what: string, c: ByteReader): number {
  if (arg > BigInt(c.limit - c.pos))
    throw new DissectError(`${what} of ${arg} exceeds the ${c.limit - c.pos} bytes left`, c.pos, c.limit)
  return Number(arg)
}

export function cborItem(
  c: ByteReader,
  id: string,
  name: string,
  depth: number,
  allowBreak = false
): Item | typeof BREAK {
  if (depth > MAX_DEPTH) throw new DissectError('nested too deeply', c.pos, c.limit)
  const start = c.pos
  const h = head(c, id)
  const done = (label: string, value: unknown, extra: Field[] = []): Item => ({
    field: field(`${name} (${label})`, start, c.pos, show(value), {
      id,
      children: [...h.children, ...extra]
    }),
    value
  })
  switch (h.major) {
    case 0:
      return done('unsigned integer', toNum(h.arg!))
    case 1: {
      const v = -1n - h.arg!
      return done('negative integer, −1 − argument', v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v)
    }
    case 2:
    case 3: {
      const text = h.major === 3
      const chunks: Uint8Array[] = []
      const extra: Field[] = []
      if (h.arg === null) {
        while (true) {
          if (c.pos < c.limit && c.buf[c.pos] === 0xff) {
            extra.push(field('Break', c.pos, c.pos + 1, '0xff', { id: `${id}.break` }))
            c.pos++
            break
          }
          const at = c.pos
          const ch = head(c, `${id}.chunk`)
          if (ch.major !== h.major || ch.arg === null)
            throw new DissectError('indefinite string chunk of the wrong type', at, c.limit)
          const n = count(ch.arg, 'chunk length', c)
          const bAt = c.pos
          chunks.push(c.bytes(n, 'chunk'))
          extra.push(
            field(`Chunk`, at, c.pos, `${n} bytes`, {
              id: `${id}.chunk`,
              children: [...ch.children, field('Bytes', bAt, c.pos, `${n}`, { id: `${id}.chunk.bytes` })]
            })
          )
        }
      } else {
        const n = count(h.arg, 'length', c)
        const at = c.pos
        chunks.push(c.bytes(n, text ? 'text' : 'bytes'))
        extra.push(
          text
            ? utf8Field('UTF-8 bytes', c.buf, at, c.pos, `${id}.value`)
            : field('Bytes', at, c.pos, show(c.buf.slice(at, c.pos)), { id: `${id}.value` })
        )
      }
      const all = new Uint8Array(chunks.reduce((n, x) => n + x.length, 0))
      let o = 0
      for (const x of chunks) {
        all.set(x, o)
        o += x.length
      }
      return done(text ? 'text string' : 'byte string', text ? new TextDecoder().decode(all) : all, extra)
    }
    case 4:
    case 5: {
      const isMap = h.major === 5
      const extra: Field[] = []
      const items: unknown[] = []
      const obj: Record<string, unknown> = {}
      const n =
        h.arg === null ? Infinity : count(h.arg * (isMap ? 2n : 1n), 'item count', c) / (isMap ? 2 : 1)
      for (let i = 0; i < n; i++) {
        if (isMap) {
          const e = cborEntry(c, id, depth + 1, h.arg === null)
          if (e === BREAK) {
            extra.push(field('Break', c.pos - 1, c.pos, '0xff', { id: `${id}.break` }))
            break
          }
          extra.push(e.field)
          obj[String(e.key)] = e.value
        } else {
          const it = cborItem(c, `${id}.item`, `[${i}]`, depth + 1, h.arg === null)
          if (it === BREAK) {
            extra.push(field('Break', c.pos - 1, c.pos, '0xff', { id: `${id}.break` }))
            break
          }
          extra.push(it.field)
          items.push(it.value)
        }
      }
      return done(isMap ? 'map' : 'array', isMap ? obj : items, extra)
    }
    case 6: {
      const inner = cborItem(c, `${id}.content`, 'Tagged item', depth + 1)
      if (inner === BREAK) throw new DissectError('break inside a tag', start, c.limit)
      return done(`tag ${h.arg}`, inner.value, [inner.field])
    }
    default: {
      if (h.ai === 31) {
        if (!allowBreak)
          throw new DissectError('break (0xff) outside an indefinite-length item', start, start + 1)
        return BREAK
      }
      if (h.ai === 25 || h.ai === 26 || h.ai === 27) {
        const size = h.ai === 25 ? 2 : h.ai === 26 ? 4 : 8
        const ieee = ieeeFields(c.buf, start + 1, size, false, `${id}.value`)
        return done(size === 2 ? 'half float' : size === 4 ? 'float' : 'double', ieee.value, [
          field('Value (big-endian)', start + 1, c.pos, show(ieee.value), {
            id: `${id}.value`,
            children: ieee.children
          })
        ])
      }
      const v = Number(h.arg!)
      const simple: Record<number, [string, unknown]> = {
        20: ['false', false],
        21: ['true', true],
        22: ['null', null],
        23: ['undefined', undefined]
      }
      const s = simple[v]
      if (s) return done(s[0], s[1])
      return done(
        `simple value ${v}`,
        `simple(${v})`,
        h.ai === 24 ? [field('Simple value', start + 1, c.pos, `${v}`, { id: `${id}.simple` })] : []
      )
    }
  }
}

function cborEntry(
  c: ByteReader,
  prefix: string,
  depth: number,
  allowBreak: boolean
): { key: unknown; value: unknown; field: Field } | typeof BREAK {
  const start = c.pos
  const k = cborItem(c, `${prefix}.key`, 'Key', depth, allowBreak)
  if (k === BREAK) return BREAK
  const id = `${prefix}.${typeof k.value === 'string' ? idKey(k.value) : 'entry'}`
  const kf = cborItem(new ByteReader(c.buf, start, c.limit), `${id}.key`, 'Key', depth) as Item
  const v = cborItem(c, `${id}.value`, 'Value', depth)
  if (v === BREAK) throw new DissectError('break where a map value was expected', c.pos - 1, c.limit)
  return mapEntry({ value: k.value, field: kf.field }, v, start, c.pos, id)
}

export function dissectCbor(bytes: Uint8Array): Layout {
  const c = new ByteReader(bytes)
  return walkTopLevel(
    'cbor',
    bytes,
    (fields, value) => {
      if (bytes.length === 0) throw new DissectError('empty input', 0, 0)
      if (bytes[0] >> 5 === 5) {
        // Top-level map: its head, then one field per entry.
        const h = head(c, 'cbor.map')
        const n = h.arg === null ? Infinity : Number(h.arg)
        fields.push(
          field(
            `Map head (${h.arg === null ? 'indefinite' : plural(n, 'pair')})`,
            0,
            c.pos,
            h.arg === null ? 'indefinite length' : `${n} pairs`,
            { id: 'cbor.map', children: h.children }
          )
        )
        if (h.arg !== null && h.arg > BigInt(bytes.length))
          throw new DissectError(`map of ${h.arg} pairs cannot fit in ${bytes.length} bytes`, 0, bytes.length)
        for (let i = 0; i < n; i++) {
          const e = cborEntry(c, 'cbor', 1, h.arg === null)
          if (e === BREAK) {
            fields.push(field('Break', c.pos - 1, c.pos, '0xff: end of the map', { id: 'cbor.break' }))
            break
          }
          fields.push(e.field)
          value[String(e.key)] = e.value
        }
      } else {
        const it = cborItem(c, 'cbor.value', 'Value', 0)
        if (it === BREAK) throw new DissectError('break (0xff) outside an indefinite-length item', 0, 1)
        fields.push(it.field)
        value.value = it.value
      }
      if (c.pos < bytes.length)
        throw new DissectError(`${bytes.length - c.pos} bytes after the item`, c.pos, bytes.length)
    },
    (fields) =>
      `CBOR: ${plural(fields.filter((f) => f.id !== 'cbor.map' && f.id !== 'cbor.break').length, 'pair')}, ${bytes.length} bytes`
  )
}
