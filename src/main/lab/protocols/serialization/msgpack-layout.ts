// MessagePack, byte by byte: every value starts with a type byte (some carry the length or the
// value in their low bits: fixmap, fixstr, fixint), then lengths and payload, big-endian.
import type { Field } from '../../../../shared/events'
import { field, hexByte } from '../../dissect/fields'
import { ieeeFields, show, utf8Field } from '../common/codec-fields'
import { ByteReader } from '../common/reader'
import { DissectError } from '../../dissect/error'
import { idKey, mapEntry, plural, walkTopLevel, type Layout } from './layout'

const MAX_DEPTH = 64

interface Item {
  field: Field
  value: unknown
}

function uint(c: ByteReader, n: 1 | 2 | 4 | 8, what: string): number | bigint {
  const dv = c.view(n, what)
  if (n === 1) return dv.getUint8(0)
  if (n === 2) return dv.getUint16(0)
  if (n === 4) return dv.getUint32(0)
  const v = dv.getBigUint64(0)
  return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v
}

function int(c: ByteReader, n: 1 | 2 | 4 | 8, what: string): number | bigint {
  const dv = c.view(n, what)
  if (n === 1) return dv.getInt8(0)
  if (n === 2) return dv.getInt16(0)
  if (n === 4) return dv.getInt32(0)
  const v = dv.getBigInt64(0)
  return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v
}

const sizeOf = (n: number): 1 | 2 | 4 | 8 => (n === 0 ? 1 : n === 1 ? 2 : n === 2 ? 4 : 8)

export function msgpackItem(c: ByteReader, id: string, name: string, depth: number): Item {
  if (depth > MAX_DEPTH) throw new DissectError('nested too deeply', c.pos, c.limit)
  const start = c.pos
  const t = c.u8('type byte')
  const typeByte = (label: string, extra: Field[] = []): Field =>
    field('Type byte', start, start + 1, `${hexByte(t)} = ${label}`, { id: `${id}.type`, children: extra })
  const done = (label: string, value: unknown, children: Field[]): Item => ({
    field: field(`${name} (${label})`, start, c.pos, show(value), { id, children }),
    value
  })
  const lenField = (n: number): Field[] =>
    c.pos - start > 1 ? [field('Length', start + 1, c.pos, `${n}`, { id: `${id}.length` })] : []
  const str = (label: string, n: number, typeChildren: Field[] = []): Item => {
    const lf = lenField(n)
    const at = c.pos
    c.bytes(n, 'string bytes')
    const u = utf8Field('UTF-8 bytes', c.buf, at, c.pos, `${id}.value`)
    const value = new TextDecoder().decode(c.buf.subarray(at, c.pos))
    return done(label, value, [typeByte(label, typeChildren), ...lf, u])
  }
  const arr = (label: string, n: number, typeChildren: Field[] = []): Item => {
    const children = [typeByte(label, typeChildren), ...lenField(n)]
    const items: unknown[] = []
    for (let i = 0; i < n; i++) {
      const it = msgpackItem(c, `${id}.item`, `[${i}]`, depth + 1)
      children.push(it.field)
      items.push(it.value)
    }
    return done(label, items, children)
  }
  const map = (label: string, n: number, typeChildren: Field[] = []): Item => {
    const children = [typeByte(label, typeChildren), ...lenField(n)]
    const obj: Record<string, unknown> = {}
    for (let i = 0; i < n; i++) {
      const e = msgpackEntry(c, id, depth + 1)
      children.push(e.field)
      obj[String(e.key)] = e.value
    }
    return done(label, obj, children)
  }
  const num = (label: string, value: number | bigint, ieee?: Field[]): Item =>
    done(label, value, [
      typeByte(label),
      field('Value (big-endian)', start + 1, c.pos, show(value), { id: `${id}.value`, children: ieee ?? [] })
    ])

  if (t <= 0x7f) return done('positive fixint', t, [typeByte('positive fixint: the value itself (0xxxxxxx)')])
  if (t >= 0xe0)
    return done('negative fixint', t - 256, [typeByte('negative fixint: 111xxxxx, the value itself')])
  if (t >= 0x80 && t <= 0x8f)
    return map('fixmap', t & 0x0f, [
      field('Type bits 1000', start, start + 1, 'fixmap', { id: `${id}.type.kind`, mask: 0xf0 }),
      field('Entries', start, start + 1, `${t & 0x0f}`, { id: `${id}.type.count`, mask: 0x0f })
    ])
  if (t >= 0x90 && t <= 0x9f)
    return arr('fixarray', t & 0x0f, [
      field('Type bits 1001', start, start + 1, 'fixarray', { id: `${id}.type.kind`, mask: 0xf0 }),
      field('Items', start, start + 1, `${t & 0x0f}`, { id: `${id}.type.count`, mask: 0x0f })
    ])
  if (t >= 0xa0 && t <= 0xbf)
    return str('fixstr', t & 0x1f, [
      field('Type bits 101', start, start + 1, 'fixstr', { id: `${id}.type.kind`, mask: 0xe0 }),
      field('Length', start, start + 1, `${t & 0x1f} bytes`, { id: `${id}.type.count`, mask: 0x1f })
    ])
  switch (t) {
    case 0xc0:
      return done('nil', null, [typeByte('nil')])
    case 0xc2:
      return done('false', false, [typeByte('false')])
    case 0xc3:
      return done('true', true, [typeByte('true')])
    case 0xc4:
    case 0xc5:
    case 0xc6: {
      const label = `bin ${8 << (t - 0xc4)}`
      const n = Number(uint(c, sizeOf(t - 0xc4), 'bin length'))
      const lf = lenField(n)
      const at = c.pos
      const bytes = c.bytes(n, 'bin bytes').slice()
      return done(label, bytes, [
        typeByte(label),
        ...lf,
        field('Bytes', at, c.pos, show(bytes), { id: `${id}.value` })
      ])
    }
    case 0xc7:
    case 0xc8:
    case 0xc9:
    case 0xd4:
    case 0xd5:
    case 0xd6:
    case 0xd7:
    case 0xd8: {
      const fixed = t >= 0xd4
      const label = fixed ? `fixext ${1 << (t - 0xd4)}` : `ext ${8 << (t - 0xc7)}`
      const n = fixed ? 1 << (t - 0xd4) : Number(uint(c, sizeOf(t - 0xc7), 'ext length'))
      const lf = lenField(n)
      const at = c.pos
      const extType = int(c, 1, 'ext type')
      const bytes = c.bytes(n, 'ext data').slice()
      return done(label, { type: extType, data: bytes }, [
        typeByte(label),
        ...lf,
        field('Extension type', at, at + 1, show(extType), { id: `${id}.ext_type` }),
        field('Data', at + 1, c.pos, show(bytes), { id: `${id}.value` })
      ])
    }
    case 0xca:
    case 0xcb: {
      const size = t === 0xca ? 4 : 8
      c.bytes(size, `float ${size * 8}`)
      const ieee = ieeeFields(c.buf, start + 1, size, false, `${id}.value`)
      return num(`float ${size * 8}`, ieee.value, ieee.children)
    }
    case 0xcc:
    case 0xcd:
    case 0xce:
    case 0xcf:
      return num(`uint ${8 << (t - 0xcc)}`, uint(c, sizeOf(t - 0xcc), 'uint'))
    case 0xd0:
    case 0xd1:
    case 0xd2:
    case 0xd3:
      return num(`int ${8 << (t - 0xd0)}`, int(c, sizeOf(t - 0xd0), 'int'))
    case 0xd9:
    case 0xda:
    case 0xdb:
      return str(`str ${8 << (t - 0xd9)}`, Number(uint(c, sizeOf(t - 0xd9), 'str length')))
    case 0xdc:
    case 0xdd:
      return arr(`array ${t === 0xdc ? 16 : 32}`, Number(uint(c, t === 0xdc ? 2 : 4, 'array length')))
    case 0xde:
    case 0xdf:
      return map(`map ${t === 0xde ? 16 : 32}`, Number(uint(c, t === 0xde ? 2 : 4, 'map length')))
    default:
      throw new DissectError(`${hexByte(t)} is never used in MessagePack`, start, start + 1)
  }
}

/** One map entry (key then value) as a single field named after the key. */
function msgpackEntry(
  c: ByteReader,
  prefix: string,
  depth: number
): { key: unknown; field: Field; value: unknown } {
  const start = c.pos
  const k = msgpackItem(c, `${prefix}.key`, 'Key', depth)
  const id = `${prefix}.${typeof k.value === 'string' ? idKey(k.value) : 'entry'}`
  const key = new ByteReader(c.buf, start, c.limit)
  const kf = msgpackItem(key, `${id}.key`, 'Key', depth)
  const v = msgpackItem(c, `${id}.value`, 'Value', depth)
  return mapEntry({ value: k.value, field: kf.field }, v, start, c.pos, id)
}

export function dissectMsgpack(bytes: Uint8Array): Layout {
  const c = new ByteReader(bytes)
  return walkTopLevel(
    'msgpack',
    bytes,
    (fields, value) => {
      if (bytes.length === 0) throw new DissectError('empty input', 0, 0)
      const t = bytes[0]
      const n = t >= 0x80 && t <= 0x8f ? t & 0x0f : t === 0xde ? 2 : t === 0xdf ? 4 : -1
      if (n >= 0 && (t <= 0x8f || bytes.length >= 1 + n)) {
        // Top-level map: its header, then one field per entry.
        const count = t <= 0x8f ? n : Number(uint(new ByteReader(bytes, 1), n as 2 | 4, 'map length'))
        c.pos = t <= 0x8f ? 1 : 1 + n
        fields.push(
          field(
            `Map header (${plural(count, 'entry').replace('entrys', 'entries')})`,
            0,
            c.pos,
            `${hexByte(t)}: ${t <= 0x8f ? `fixmap 1000|${(t & 0xf).toString(2).padStart(4, '0')}` : `map ${n * 8}`}, ${count} entries`,
            {
              id: 'msgpack.map',
              children:
                t <= 0x8f
                  ? [
                      field('Type bits 1000 (fixmap)', 0, 1, 'fixmap', {
                        id: 'msgpack.map.kind',
                        mask: 0xf0
                      }),
                      field('Entries', 0, 1, `${count}`, { id: 'msgpack.map.count', mask: 0x0f })
                    ]
                  : []
            }
          )
        )
        for (let i = 0; i < count; i++) {
          const e = msgpackEntry(c, 'msgpack', 1)
          fields.push(e.field)
          value[String(e.key)] = e.value
        }
      } else {
        const it = msgpackItem(c, 'msgpack.value', 'Value', 0)
        fields.push(it.field)
        value.value = it.value
      }
      if (c.pos < bytes.length)
        throw new DissectError(`${bytes.length - c.pos} bytes after the value`, c.pos, bytes.length)
    },
    (fields) =>
      `MessagePack: ${plural(fields.length - 1, 'entry').replace('entrys', 'entries')}, ${bytes.length} bytes`
  )
}
