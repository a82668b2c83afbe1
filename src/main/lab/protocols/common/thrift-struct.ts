// Thrift structs, byte by byte, in the binary protocol (field header = type byte + 16-bit field
// id, big-endian values) and the compact protocol (field id delta and type packed in one byte,
// zigzag varints, little-endian doubles). No schema is needed to walk them: every field header
// says its type; names come from the IDL when it is known. One walker for the serialization
// lesson's Thrift structs and the Thrift RPC dissector's message bodies.
import type { Field } from '../../../../shared/events'
import { hexByte, thousands, utf8 } from '../../dissect/fields'
import { branch, leaf, masked } from './field-literals'
import { idKey, ieeeFields, plural, readVarint, show, utf8Field, varintField, zigzag } from './codec-fields'
import { ByteReader, plainAscii } from './reader'
import { DissectError } from '../../dissect/error'

export type ThriftVariant = 'binary' | 'compact'

// TType (binary protocol)
const TTYPE: Record<number, string> = {
  0: 'STOP',
  1: 'VOID',
  2: 'BOOL',
  3: 'BYTE',
  4: 'DOUBLE',
  6: 'I16',
  8: 'I32',
  10: 'I64',
  11: 'STRING',
  12: 'STRUCT',
  13: 'MAP',
  14: 'SET',
  15: 'LIST'
}
// Compact types, mapped to their TType names.
const CTYPE: Record<number, string> = {
  0: 'STOP',
  1: 'BOOL_TRUE',
  2: 'BOOL_FALSE',
  3: 'BYTE',
  4: 'I16',
  5: 'I32',
  6: 'I64',
  7: 'DOUBLE',
  8: 'BINARY',
  9: 'LIST',
  10: 'SET',
  11: 'MAP',
  12: 'STRUCT'
}
const C2T: Record<number, number> = {
  1: 2,
  2: 2,
  3: 3,
  4: 6,
  5: 8,
  6: 10,
  7: 4,
  8: 11,
  9: 15,
  10: 14,
  11: 13,
  12: 12
}
const TTYPE_LOWER: Record<number, string> = Object.fromEntries(Object.entries(TTYPE).map(([k, v]) => [k, v.toLowerCase()]))
const MAX_DEPTH = 64

/** The big-endian int32 at `at`. */
const int32At = (b: Uint8Array, at: number): number => (b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]

/** The big-endian int64 at `at`: a number when it is a safe integer, else a bigint. */
function int64At(b: Uint8Array, at: number): number | bigint {
  const hi = int32At(b, at)
  const lo = int32At(b, at + 4) >>> 0
  // |hi| below 2^21: hi × 2^32 + lo is exact, and a safe integer unless it is exactly -2^53.
  if (hi >= -0x200000 && hi < 0x200000) {
    const n = hi * 0x100000000 + lo
    if (Number.isSafeInteger(n)) return n
  }
  return (BigInt(hi) << 32n) + BigInt(lo)
}

interface Item {
  value: unknown
  shown: string
  children: Field[]
}

/**
 * Field names by field id, from the IDL. An entry may carry the names inside the field's value
 * (a nested struct, or the structs in a list, set or map value), so nested structs are named too.
 */
export type ThriftNames = Record<number, string | ThriftFieldName>
export interface ThriftFieldName {
  name: string
  /** Names of the struct this field holds (directly, or as list/set elements or map values). */
  struct?: ThriftNames
}

export interface ThriftWalkOptions {
  /**
   * Declared lengths and counts above this are malformed at once (default: whatever fits in the
   * bytes at hand). A stream dissector sets it, so a message still arriving is "needs more bytes"
   * (a DissectError with `needed`) while a length no sane peer sends is rejected without waiting.
   */
  bound?: number
}

const nameOf = (names: ThriftNames | undefined, fid: number): ThriftFieldName | undefined => {
  const n = names?.[fid]
  return n === undefined ? undefined : typeof n === 'string' ? { name: n } : n
}

export class ThriftWalker {
  constructor(
    readonly c: ByteReader,
    readonly v: ThriftVariant,
    readonly names: ThriftNames,
    readonly o: ThriftWalkOptions = {}
  ) {}

  /** A declared length or count `n` read at `start`, rejected above the bound. */
  private declared(n: number, start: number, what: string): void {
    const bound = this.o.bound
    if (bound !== undefined && n > bound)
      throw new DissectError(`${what} ${thousands(n)} exceeds the ${thousands(bound)}-byte limit`, start, this.c.limit)
  }

  private int(n: 1 | 2 | 4 | 8, id: string, name: string): { value: number | bigint; field: Field } {
    const c = this.c
    if (this.v === 'compact' && n > 1) {
      const vi = readVarint(c, name)
      const z = zigzag(vi.value)
      const value =
        n === 8
          ? z <= BigInt(Number.MAX_SAFE_INTEGER) && z >= BigInt(Number.MIN_SAFE_INTEGER)
            ? Number(z)
            : z
          : Number(BigInt.asIntN(n * 8, z))
      const f = varintField(name, c.buf, vi, show(value), id)
      f.children!.push(
        leaf('Zigzag', vi.start, vi.end, `${vi.value} → ${show(value)}`, `${id}.zigzag`)
      )
      return { value, field: f }
    }
    const start = c.pos
    c.need(n, name)
    const b = c.buf
    let value: number | bigint
    if (n === 1) value = (b[start] << 24) >> 24
    else if (n === 2) value = ((b[start] << 24) >> 16) | b[start + 1]
    else if (n === 4) value = int32At(b, start)
    else value = int64At(b, start)
    c.pos += n
    return { value, field: leaf(name, start, c.pos, show(value), id) }
  }

  private size(id: string, name: string): { value: number; field: Field } {
    const start = this.c.pos
    if (this.v === 'compact') {
      const vi = readVarint(this.c, name)
      if (vi.value > 0x7fffffffn) throw new DissectError(`${name} ${vi.value} is larger than the message`, start, this.c.limit)
      this.declared(Number(vi.value), start, name)
      if (this.o.bound === undefined && vi.value > BigInt(this.c.limit))
        throw new DissectError(`${name} ${vi.value} is larger than the message`, start, this.c.limit)
      return { value: Number(vi.value), field: varintField(name, this.c.buf, vi, `${vi.value}`, id) }
    }
    this.c.need(4, name)
    const n = int32At(this.c.buf, start)
    this.c.pos += 4
    if (n < 0) throw new DissectError(`negative ${name} ${n}`, start, this.c.limit)
    this.declared(n, start, name)
    return { value: n, field: leaf(name, start, this.c.pos, `${n}`, id) }
  }

  /** A value of TType `t` at the cursor; `names` name the fields of a struct value (or of its elements). */
  value(t: number, id: string, depth: number, compactBool?: boolean, names?: ThriftNames): Item {
    if (depth > MAX_DEPTH) throw new DissectError('nested too deeply', this.c.pos, this.c.limit)
    const c = this.c
    const start = c.pos
    switch (t) {
      case 2: {
        if (compactBool !== undefined) return { value: compactBool, shown: String(compactBool), children: [] }
        const b = c.u8('bool')
        const value = this.v === 'compact' ? b === 1 : b !== 0
        return {
          value,
          shown: String(value),
          children: [leaf('Bool byte', start, c.pos, `${b}`, `${id}.byte`)]
        }
      }
      case 3: {
        const r = this.int(1, `${id}.byte`, 'Byte')
        return { value: r.value, shown: show(r.value), children: [r.field] }
      }
      case 6:
      case 8:
      case 10: {
        const r = this.int(
          t === 6 ? 2 : t === 8 ? 4 : 8,
          `${id}.int`,
          this.v === 'compact' ? `${TTYPE[t]} (zigzag varint)` : `${TTYPE[t]} (big-endian)`
        )
        return { value: r.value, shown: show(r.value), children: [r.field] }
      }
      case 4: {
        c.bytes(8, 'double')
        const ieee = ieeeFields(c.buf, start, 8, this.v === 'compact', `${id}.double`)
        return { value: ieee.value, shown: show(ieee.value), children: ieee.children }
      }
      case 11: {
        const len = this.size(`${id}.length`, 'Length')
        const at = c.pos
        c.skip(len.value, 'string')
        const ascii = plainAscii(c.buf, at, c.pos)
        const value = ascii ?? utf8(c.buf.subarray(at, c.pos))
        return {
          value,
          shown: ascii !== undefined ? `"${ascii}"` : show(value),
          children: [len.field, utf8Field('UTF-8 bytes', c.buf, at, c.pos, `${id}.chars`)]
        }
      }
      case 12: {
        const children: Field[] = []
        const obj = this.struct(children, `${id}`, depth + 1, false, names)
        return { value: obj, shown: `struct {${plural(Object.keys(obj).length, 'field')}}`, children }
      }
      case 13: {
        const children: Field[] = []
        let n: number
        let kt: number
        let vt: number
        if (this.v === 'compact') {
          const sz = this.size(`${id}.size`, 'Map size')
          children.push(sz.field)
          n = sz.value
          if (n === 0) return { value: {}, shown: '{}', children }
          const b = c.u8('map types')
          kt = C2T[b >> 4] ?? -1
          vt = C2T[b & 0x0f] ?? -1
          children.push(leaf('Key and value types', c.pos - 1, c.pos, `${CTYPE[b >> 4] ?? '?'} → ${CTYPE[b & 0x0f] ?? '?'}`, `${id}.types`))
        } else {
          kt = c.u8('map key type')
          vt = c.u8('map value type')
          children.push(leaf('Key and value types', start, c.pos, `${TTYPE[kt] ?? '?'} → ${TTYPE[vt] ?? '?'}`, `${id}.types`))
          const sz = this.size(`${id}.size`, 'Map size')
          children.push(sz.field)
          n = sz.value
        }
        const obj: Record<string, unknown> = {}
        for (let i = 0; i < n; i++) {
          const kStart = c.pos
          const k = this.value(kt, `${id}.key`, depth + 1)
          const v = this.value(vt, `${id}.value`, depth + 1, undefined, names)
          obj[String(k.value)] = v.value
          children.push(branch(`${k.shown}: ${v.shown}`, kStart, c.pos, v.shown, `${id}.entry`, [...k.children, ...v.children]))
        }
        return { value: obj, shown: show(obj), children }
      }
      case 14:
      case 15: {
        const children: Field[] = []
        let n: number
        let et: number
        if (this.v === 'compact') {
          const b = c.u8('list header')
          et = C2T[b & 0x0f] ?? -1
          if (b >> 4 === 15) {
            children.push(leaf('List header', start, c.pos, `size ≥ 15 follows, element type ${CTYPE[b & 0x0f] ?? '?'}`, `${id}.header`))
            const sz = this.size(`${id}.size`, 'List size')
            children.push(sz.field)
            n = sz.value
          } else {
            n = b >> 4
            children.push(
              branch('List header', start, c.pos, `${hexByte(b)}: ${n} elements of ${CTYPE[b & 0x0f] ?? '?'}`, `${id}.header`, [
                masked('Size', start, c.pos, `${n}`, `${id}.header.size`, 0xf0),
                masked('Element type', start, c.pos, `${b & 0x0f} = ${CTYPE[b & 0x0f] ?? '?'}`, `${id}.header.type`, 0x0f)
              ])
            )
          }
        } else {
          et = c.u8('element type')
          children.push(leaf('Element type', start, c.pos, `${et} = ${TTYPE[et] ?? '?'}`, `${id}.etype`))
          const sz = this.size(`${id}.size`, 'List size')
          children.push(sz.field)
          n = sz.value
        }
        // Every element takes at least one byte: more elements than bytes left cannot be complete
        // (with a bound, that means "needs more bytes").
        if (n > c.limit - c.pos)
          throw new DissectError(
            `list of ${n} elements cannot fit in ${c.limit - c.pos} bytes`,
            start,
            c.limit,
            this.o.bound !== undefined ? c.pos + n : undefined
          )
        const items: unknown[] = []
        for (let i = 0; i < n; i++) {
          const at = c.pos
          const it = this.value(et, `${id}.item`, depth + 1, undefined, names)
          items.push(it.value)
          children.push(branch(`[${i}]`, at, c.pos, it.shown, `${id}.item`, it.children))
        }
        return { value: items, shown: show(items), children }
      }
      default:
        throw new DissectError(`unknown Thrift type ${t}`, start, c.limit)
    }
  }

  /** Reads fields until STOP. Pushes one field per struct field, then the STOP byte. */
  struct(
    out: Field[],
    prefix: string,
    depth: number,
    top = false,
    names: ThriftNames = this.names
  ): Record<string, unknown> {
    const c = this.c
    const obj: Record<string, unknown> = {}
    let last = 0
    while (true) {
      const start = c.pos
      const b = c.u8('field header')
      if (b === 0) {
        out.push(leaf('STOP', start, c.pos, '0x00: end of struct', `${prefix}.stop`))
        return obj
      }
      let fid: number
      let t: number
      let compactBool: boolean | undefined
      // Compact: the type and the id delta share the header byte; delta 0 puts the id after it.
      let ct = 0
      let delta = 0
      let idField: Field | undefined
      if (this.v === 'compact') {
        delta = b >> 4
        ct = b & 0x0f
        if (!(ct in CTYPE) || ct === 0) throw new DissectError(`unknown compact type ${ct}`, start, c.limit)
        t = C2T[ct]
        if (ct === 1 || ct === 2) compactBool = ct === 1
        if (delta) fid = last + delta
        else {
          const r = this.int(2, `${prefix}.header.id`, 'Field id (zigzag varint)')
          fid = Number(r.value)
          idField = r.field
        }
      } else {
        t = b
        if (!(t in TTYPE) || t === 1) throw new DissectError(`unknown Thrift type ${t}`, start, c.limit)
        c.need(2, 'field id')
        fid = ((c.buf[c.pos] << 24) >> 16) | c.buf[c.pos + 1]
        c.pos += 2
      }
      last = fid
      const named = nameOf(names, fid)
      const name = named?.name
      const key = name ? idKey(name) : `f${fid}`
      const id = `${prefix}.${key}`
      // The header's parts carry the field's own id (`<field>.header.type`…).
      const header: Field[] =
        this.v !== 'compact'
          ? [
              leaf('Type', start, start + 1, `${t} = ${TTYPE[t]}`, `${id}.header.type`),
              leaf('Field id (i16)', start + 1, c.pos, `${fid}`, `${id}.header.id`)
            ]
          : delta
            ? [
                masked('Field id delta', start, start + 1, `+${delta} → field ${fid}`, `${id}.header.delta`, 0xf0),
                masked('Type', start, start + 1, `${ct} = ${CTYPE[ct]}`, `${id}.header.type`, 0x0f)
              ]
            : [masked('Type (delta 0: the id follows)', start, start + 1, `${ct} = ${CTYPE[ct]}`, `${id}.header.type`, 0x0f)]
      if (idField) {
        idField.id = `${id}.header.id`
        header.push(idField)
      }
      const headerField = branch('Field header', start, c.pos, `field ${fid}, ${TTYPE[t]}`, `${id}.header`, header)
      const vStart = c.pos
      const v = this.value(t, `${id}.value`, depth + 1, compactBool, named?.struct)
      obj[name ?? String(fid)] = v.value
      const children = [headerField]
      if (c.pos > vStart) children.push(branch(`Value (${TTYPE[t]})`, vStart, c.pos, v.shown, `${id}.value`, v.children))
      out.push(branch(`${name ?? `field ${fid}`} (${fid}: ${TTYPE_LOWER[t]})`, start, c.pos, v.shown, id, children))
      if (!top && depth > MAX_DEPTH) throw new DissectError('nested too deeply', start, c.limit)
    }
  }
}

/**
 * Walks the Thrift struct at `start` (fields until STOP) and returns its fields (ids
 * `<prefix>.<field name>…`), the value they state, and where the struct ends. Throws DissectError;
 * one with `needed` means the struct runs past `limit` (with `o.bound`, more bytes may complete it).
 */
export function walkThriftStruct(
  buf: Uint8Array,
  start: number,
  limit: number,
  variant: ThriftVariant,
  names: ThriftNames,
  prefix: string,
  o: ThriftWalkOptions = {}
): { fields: Field[]; value: Record<string, unknown>; end: number } {
  const c = new ByteReader(buf, start, limit)
  const fields: Field[] = []
  const value = new ThriftWalker(c, variant, names, o).struct(fields, prefix, 0, true)
  return { fields, value, end: c.pos }
}

