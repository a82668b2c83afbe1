// Avro binary encoding, byte by byte, read with the writer's schema: no tags and no field names
// on the wire, only values in schema order. int/long are zigzag varints; strings and bytes are a
// length (a zigzag long) then the bytes; arrays come in blocks ended by a zero count.
import type avro from 'avsc'
import type { Field } from '../../../../shared/events'
import { field } from '../../dissect/fields'
import { ieeeFields, readVarint, show, utf8Field, varintField, zigzag } from '../common/codec-fields'
import { ByteReader } from '../common/reader'
import { DissectError } from '../../dissect/error'
import { idKey, plural, walkTopLevel, type Layout } from './layout'

type Schema = avro.Schema
interface Named {
  type: string
  name?: string
  fields?: { name: string; type: Schema }[]
  items?: Schema
  values?: Schema
  symbols?: string[]
  size?: number
}
const MAX_DEPTH = 64

interface Item {
  field: Field
  value: unknown
}

class AvroWalker {
  private readonly names = new Map<string, Named>()
  constructor(readonly c: ByteReader) {}

  long(id: string, name: string): { value: bigint; field: Field } {
    const v = readVarint(this.c, name)
    const value = zigzag(v.value)
    const f = varintField(name, this.c.buf, v, show(value), id)
    f.children!.push(field('Zigzag', v.start, v.end, `${v.value} → ${value}`, { id: `${id}.zigzag` }))
    return { value, field: f }
  }

  typeName(s: Schema): string {
    if (typeof s === 'string') return s
    if (Array.isArray(s)) return `union`
    return (s as Named).name ?? (s as Named).type
  }

  item(s: Schema, id: string, name: string, depth: number): Item {
    if (depth > MAX_DEPTH) throw new DissectError('nested too deeply', this.c.pos, this.c.limit)
    const c = this.c
    const start = c.pos
    if (Array.isArray(s)) {
      const idx = this.long(`${id}.branch`, 'Union branch')
      const i = Number(idx.value)
      if (i < 0 || i >= s.length)
        throw new DissectError(
          `union branch ${idx.value} does not exist (${s.length} branches)`,
          start,
          c.limit
        )
      const inner = this.item(s[i], `${id}.value`, `Value (${this.typeName(s[i])})`, depth + 1)
      return {
        field: field(`${name} (union, branch ${i})`, start, c.pos, inner.field.value, {
          id,
          children: [idx.field, inner.field]
        }),
        value: inner.value
      }
    }
    let t: Named = typeof s === 'string' ? { type: s } : (s as Named)
    if (typeof s === 'string' && this.names.has(s)) t = this.names.get(s)!
    if (t.name && !this.names.has(t.name) && t.type !== t.name) this.names.set(t.name, t)
    const done = (label: string, value: unknown, children: Field[]): Item => ({
      field: field(`${name} (${label})`, start, c.pos, show(value), { id, children }),
      value
    })
    switch (t.type) {
      case 'null':
        return done('null', null, [])
      case 'boolean': {
        const b = c.u8('boolean')
        if (b > 1) throw new DissectError(`boolean byte must be 0 or 1, got ${b}`, start, start + 1)
        return done('boolean', b === 1, [])
      }
      case 'int':
      case 'long': {
        const l = this.long(`${id}.value`, `Value (${t.type}, zigzag varint)`)
        if (t.type === 'int' && (l.value > 2147483647n || l.value < -2147483648n))
          throw new DissectError(`int out of range: ${l.value}`, start, c.limit)
        const v =
          l.value <= BigInt(Number.MAX_SAFE_INTEGER) && l.value >= BigInt(Number.MIN_SAFE_INTEGER)
            ? Number(l.value)
            : l.value
        return done(t.type, v, l.field.children ?? [])
      }
      case 'float':
      case 'double': {
        const size = t.type === 'float' ? 4 : 8
        c.bytes(size, t.type)
        const ieee = ieeeFields(c.buf, start, size, true, `${id}.value`)
        return done(t.type, ieee.value, ieee.children)
      }
      case 'string':
      case 'bytes': {
        const len = this.long(`${id}.length`, 'Length (zigzag long)')
        if (len.value < 0n) throw new DissectError(`negative length ${len.value}`, start, c.limit)
        const n = Number(len.value)
        const at = c.pos
        c.bytes(n, t.type)
        const value =
          t.type === 'string' ? new TextDecoder().decode(c.buf.subarray(at, c.pos)) : c.buf.slice(at, c.pos)
        const body =
          t.type === 'string'
            ? utf8Field('UTF-8 bytes', c.buf, at, c.pos, `${id}.value`)
            : field('Bytes', at, c.pos, show(value), { id: `${id}.value` })
        return done(t.type, value, [len.field, body])
      }
      case 'fixed': {
        const bytes = c.bytes(t.size ?? 0, 'fixed').slice()
        return done(`fixed ${t.size}`, bytes, [])
      }
      case 'enum': {
        const l = this.long(`${id}.index`, 'Symbol index')
        const sym = t.symbols?.[Number(l.value)]
        if (sym === undefined) throw new DissectError(`enum index ${l.value} out of range`, start, c.limit)
        return done(`enum ${t.name}`, sym, [l.field])
      }
      case 'array':
      case 'map': {
        const isMap = t.type === 'map'
        const children: Field[] = []
        const items: unknown[] = []
        const obj: Record<string, unknown> = {}
        while (true) {
          const blockStart = c.pos
          const cnt = this.long(`${id}.count`, 'Block count')
          if (cnt.value === 0n) {
            children.push({ ...cnt.field, name: 'End of blocks (count 0)' })
            break
          }
          let n = cnt.value
          const blockChildren: Field[] = [cnt.field]
          if (n < 0n) {
            n = -n
            blockChildren.push(this.long(`${id}.block_size`, 'Block size in bytes').field)
          }
          if (n > BigInt(c.limit - c.pos))
            throw new DissectError(
              `block of ${n} items cannot fit in ${c.limit - c.pos} bytes`,
              blockStart,
              c.limit
            )
          for (let i = 0n; i < n; i++) {
            if (isMap) {
              const kStart = c.pos
              const k = this.item('string', `${id}.key`, 'Key', depth + 1)
              const v = this.item(t.values!, `${id}.value`, 'Value', depth + 1)
              obj[k.value as string] = v.value
              blockChildren.push(
                field(`${show(k.value)}: ${v.field.value}`, kStart, c.pos, v.field.value, {
                  id: `${id}.entry`,
                  children: [k.field, v.field]
                })
              )
            } else {
              const it = this.item(t.items!, `${id}.item`, `[${items.length}]`, depth + 1)
              items.push(it.value)
              blockChildren.push(it.field)
            }
          }
          children.push(
            field(`Block of ${n}`, blockStart, c.pos, `${n} item${n === 1n ? '' : 's'}`, {
              id: `${id}.block`,
              children: blockChildren
            })
          )
        }
        return done(isMap ? 'map' : `array of ${this.typeName(t.items!)}`, isMap ? obj : items, children)
      }
      case 'record':
      case 'error': {
        const children: Field[] = []
        const obj: Record<string, unknown> = {}
        for (const f of t.fields ?? []) {
          const it = this.item(f.type, `${id}.${idKey(f.name)}`, f.name, depth + 1)
          children.push(it.field)
          obj[f.name] = it.value
        }
        return done(`record ${t.name}`, obj, children)
      }
      default:
        if (this.names.has(t.type)) return this.item(this.names.get(t.type) as Schema, id, name, depth)
        throw new DissectError(`unsupported Avro type ${JSON.stringify(t.type)}`, start, c.limit)
    }
  }

  /** Top-level record: one field per record field, in schema order (nothing else on the wire). */
  record(s: Named, fields: Field[], value: Record<string, unknown>): void {
    if (s.name) this.names.set(s.name, s)
    for (const f of s.fields ?? []) {
      const it = this.item(f.type, `avro.${idKey(f.name)}`, `${f.name}`, 1)
      fields.push({ ...it.field, name: `${f.name} (${it.field.name.slice(f.name.length + 2, -1)})` })
      value[f.name] = it.value
    }
  }
}

/** Dissects Avro binary data written with `schema` (a record schema as JSON). */
export function dissectAvro(bytes: Uint8Array, schema: Schema): Layout {
  const c = new ByteReader(bytes)
  const w = new AvroWalker(c)
  return walkTopLevel(
    'avro',
    bytes,
    (fields, value) => {
      const s = schema as Named
      if (typeof schema === 'object' && !Array.isArray(schema) && s.type === 'record')
        w.record(s, fields, value)
      else {
        const it = w.item(schema, 'avro.value', 'Value', 0)
        fields.push(it.field)
        value.value = it.value
      }
      if (c.pos < bytes.length)
        throw new DissectError(`${bytes.length - c.pos} bytes left over after the record`, c.pos, bytes.length)
    },
    (fields) =>
      `Avro ${(schema as Named).name ?? ''}: ${plural(fields.length, 'field')} in schema order, no tags, ${bytes.length} bytes`
  )
}
