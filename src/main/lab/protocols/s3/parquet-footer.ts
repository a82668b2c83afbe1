// The Parquet footer, byte by byte: FileMetaData is a Thrift struct in the compact protocol (field
// headers pack an id delta and a type; integers are zigzag varints). Walked generically with byte
// ranges, then named with parquet.thrift's field ids, so the byte inspector shows the schema, the
// row groups and every column chunk's offsets, and the views get the file's layout from the bytes
// that crossed the wire.
import type { Field } from '../../../../shared/events'
import type { ParquetLayout } from '../../../../shared/protocols/s3'
import { field, printable } from '../../dissect/fields'
import { ByteReader } from '../common/reader'

// Compact protocol types.
const T = { TRUE: 1, FALSE: 2, BYTE: 3, I16: 4, I32: 5, I64: 6, DOUBLE: 7, BINARY: 8, LIST: 9, SET: 10, MAP: 11, STRUCT: 12 } as const

export interface TNode {
  fid: number
  type: number
  start: number
  end: number
  /** Where the value starts (after the field header). */
  valueStart: number
  value?: number | bigint | boolean | string
  /** Struct fields, or list elements (fid = index). */
  children?: TNode[]
}

const MAX_DEPTH = 32

function zigzag(v: bigint): bigint {
  return (v >> 1n) ^ -(v & 1n)
}

function readValue(r: ByteReader, type: number, depth: number): Pick<TNode, 'value' | 'children'> {
  if (depth > MAX_DEPTH) r.fail('Thrift struct nested too deeply')
  switch (type) {
    case T.TRUE:
    case T.FALSE:
      return { value: type === T.TRUE }
    case T.BYTE:
      return { value: r.i8('byte') }
    case T.I16:
    case T.I32:
      return { value: Number(zigzag(r.varint64('integer'))) }
    case T.I64:
      return { value: zigzag(r.varint64('i64')) }
    case T.DOUBLE: {
      const b = r.bytes(8, 'double')
      return { value: new DataView(b.buffer, b.byteOffset, 8).getFloat64(0, true) }
    }
    case T.BINARY: {
      const n = r.varint('binary length', 5)
      const at = r.pos
      const raw = r.bytes(n, 'binary')
      return { value: printable(raw, 64), children: [{ fid: -1, type: T.BINARY, start: at, end: r.pos, valueStart: at }] }
    }
    case T.LIST:
    case T.SET: {
      const h = r.u8('list header')
      let n = h >> 4
      const et = h & 0x0f
      if (n === 15) n = r.varint('list size', 5)
      if (n > r.left) r.fail(`a list of ${n} elements cannot fit in ${r.left} bytes`)
      const children: TNode[] = []
      for (let i = 0; i < n; i++) {
        const start = r.pos
        const v = readValue(r, et === T.FALSE ? T.TRUE : et, depth + 1)
        children.push({ fid: i, type: et, start, end: r.pos, valueStart: start, ...v })
      }
      return { children }
    }
    case T.MAP: {
      const n = r.varint('map size', 5)
      if (n === 0) return { children: [] }
      const kv = r.u8('map types')
      const children: TNode[] = []
      for (let i = 0; i < n; i++) {
        const start = r.pos
        const k = readValue(r, kv >> 4, depth + 1)
        const v = readValue(r, kv & 0x0f, depth + 1)
        children.push({ fid: i, type: kv & 0x0f, start, end: r.pos, valueStart: start, value: `${String(k.value)}: ${String(v.value)}` })
      }
      return { children }
    }
    case T.STRUCT:
      return { children: readStruct(r, depth + 1) }
    default:
      return r.fail(`unknown Thrift compact type ${type}`, r.pos - 1, r.pos)
  }
}

/** The fields of one struct, up to and including its STOP byte. */
export function readStruct(r: ByteReader, depth = 0): TNode[] {
  const out: TNode[] = []
  let last = 0
  for (;;) {
    const start = r.pos
    const h = r.u8('field header')
    if (h === 0) return out
    const delta = h >> 4
    const type = h & 0x0f
    const fid = delta ? last + delta : Number(zigzag(r.varint64('field id')))
    last = fid
    const valueStart = r.pos
    const v = readValue(r, type, depth)
    out.push({ fid, type, start, end: r.pos, valueStart, ...v })
  }
}

// parquet.thrift, the parts a footer holds: field id → name (and the struct a field holds).
type Names = Record<number, [string, string?]>
const STRUCTS: Record<string, Names> = {
  FileMetaData: { 1: ['version'], 2: ['schema', 'SchemaElement'], 3: ['num_rows'], 4: ['row_groups', 'RowGroup'], 5: ['key_value_metadata', 'KeyValue'], 6: ['created_by'], 7: ['column_orders'] },
  SchemaElement: { 1: ['type'], 2: ['type_length'], 3: ['repetition_type'], 4: ['name'], 5: ['num_children'], 6: ['converted_type'], 7: ['scale'], 8: ['precision'], 9: ['field_id'], 10: ['logicalType'] },
  RowGroup: { 1: ['columns', 'ColumnChunk'], 2: ['total_byte_size'], 3: ['num_rows'], 4: ['sorting_columns'], 5: ['file_offset'], 6: ['total_compressed_size'], 7: ['ordinal'] },
  ColumnChunk: { 1: ['file_path'], 2: ['file_offset'], 3: ['meta_data', 'ColumnMetaData'], 4: ['offset_index_offset'], 5: ['offset_index_length'], 6: ['column_index_offset'], 7: ['column_index_length'] },
  ColumnMetaData: { 1: ['type'], 2: ['encodings'], 3: ['path_in_schema'], 4: ['codec'], 5: ['num_values'], 6: ['total_uncompressed_size'], 7: ['total_compressed_size'], 8: ['key_value_metadata', 'KeyValue'], 9: ['data_page_offset'], 10: ['index_page_offset'], 11: ['dictionary_page_offset'], 12: ['statistics', 'Statistics'], 13: ['encoding_stats', 'PageEncodingStats'], 14: ['bloom_filter_offset'], 15: ['bloom_filter_length'] },
  Statistics: { 1: ['max'], 2: ['min'], 3: ['null_count'], 4: ['distinct_count'], 5: ['max_value'], 6: ['min_value'], 7: ['is_max_value_exact'], 8: ['is_min_value_exact'] },
  KeyValue: { 1: ['key'], 2: ['value'] },
  PageEncodingStats: { 1: ['page_type'], 2: ['encoding'], 3: ['count'] }
}
const PHYSICAL = ['BOOLEAN', 'INT32', 'INT64', 'INT96', 'FLOAT', 'DOUBLE', 'BYTE_ARRAY', 'FIXED_LEN_BYTE_ARRAY']
const CODECS = ['UNCOMPRESSED', 'SNAPPY', 'GZIP', 'LZO', 'BROTLI', 'LZ4', 'ZSTD', 'LZ4_RAW']
const ENCODINGS = ['PLAIN', 'GROUP_VAR_INT', 'PLAIN_DICTIONARY', 'RLE', 'BIT_PACKED', 'DELTA_BINARY_PACKED', 'DELTA_LENGTH_BYTE_ARRAY', 'DELTA_BYTE_ARRAY', 'RLE_DICTIONARY', 'BYTE_STREAM_SPLIT']

const TYPE_NAMES: Record<number, string> = { 1: 'bool', 2: 'bool', 3: 'byte', 4: 'i16', 5: 'i32', 6: 'i64', 7: 'double', 8: 'binary', 9: 'list', 10: 'set', 11: 'map', 12: 'struct' }

function shown(struct: string | undefined, name: string, n: TNode): string {
  if (n.children && n.type === T.LIST) {
    if (name === 'encodings') return n.children.map((c) => ENCODINGS[Number(c.value)] ?? String(c.value)).join(', ')
    if (name === 'path_in_schema') return n.children.map((c) => String(c.value)).join('.')
    return `${n.children.length} element${n.children.length === 1 ? '' : 's'}`
  }
  if (n.type === T.STRUCT) return struct ?? 'struct'
  if (name === 'type' && typeof n.value === 'number') return PHYSICAL[n.value] ?? String(n.value)
  if (name === 'codec' && typeof n.value === 'number') return CODECS[n.value] ?? String(n.value)
  if (name === 'repetition_type' && typeof n.value === 'number') return ['REQUIRED', 'OPTIONAL', 'REPEATED'][n.value] ?? String(n.value)
  if (name === 'converted_type' && n.value === 0) return 'UTF8'
  return typeof n.value === 'string' ? JSON.stringify(n.value) : String(n.value)
}

/** Field tree for a struct's nodes, shifted by `base` (the struct's position in the PDU). */
function structFields(nodes: TNode[], struct: string, base: number, prefix: string): Field[] {
  const names = STRUCTS[struct] ?? {}
  return nodes.map((n) => {
    const [name, inner] = names[n.fid] ?? [`field ${n.fid}`]
    const id = `${prefix}.${name}`
    const header = field('Field header', base + n.start, base + n.valueStart, `id ${n.fid}, ${TYPE_NAMES[n.type] ?? n.type}`, { id: `${prefix}.header` })
    const children: Field[] = [header]
    if (n.type === T.STRUCT && n.children) children.push(...structFields(n.children, inner ?? '', base, `parquet.${(inner ?? 'struct').toLowerCase()}`))
    else if (n.type === T.LIST && n.children)
      children.push(
        ...n.children.map((c, i) => {
          const label = inner === 'SchemaElement' ? String(c.children?.find((x) => x.fid === 4)?.value ?? i) : inner === 'ColumnChunk' ? pathOf(c) : `[${i}]`
          return field(`${inner ?? 'element'} ${label}`, base + c.start, base + c.end, inner ? label : shown(undefined, '', c), {
            id: `${id}.item`,
            ...(c.children && inner ? { children: structFields(c.children, inner, base, `parquet.${inner.toLowerCase()}`) } : {})
          })
        })
      )
    return field(name, base + n.start, base + n.end, shown(inner, name, n), { id, children })
  })
}

const find = (nodes: TNode[] | undefined, fid: number): TNode | undefined => nodes?.find((n) => n.fid === fid)
const num = (n: TNode | undefined): number | undefined => (n?.value === undefined ? undefined : Number(n.value))
const pathOf = (chunk: TNode): string => (find(find(chunk.children, 3)?.children, 3)?.children ?? []).map((c) => String(c.value)).join('.')

/** The layout (row groups, column chunks with object offsets) a FileMetaData states. */
export function layoutOf(nodes: TNode[], size: number, metadataLength: number): ParquetLayout {
  const schema = find(nodes, 2)?.children ?? []
  const rowGroups = (find(nodes, 4)?.children ?? []).map((rg) => ({
    rows: num(find(rg.children, 3)) ?? 0,
    columns: (find(rg.children, 1)?.children ?? []).map((cc) => {
      const md = find(cc.children, 3)?.children
      const dict = num(find(md, 11))
      const data = num(find(md, 9)) ?? 0
      const start = dict !== undefined && dict > 0 && dict < data ? dict : data
      return { name: pathOf(cc), start, end: start + (num(find(md, 7)) ?? 0) }
    })
  }))
  return {
    size,
    rows: num(find(nodes, 3)) ?? 0,
    columns: schema.slice(1).map((s) => String(find(s.children, 4)?.value ?? '?')),
    rowGroups,
    metadata: [size - 8 - metadataLength, size - 8],
    footer: [size - 8 - metadataLength, size],
    createdBy: String(find(nodes, 6)?.value ?? '')
  }
}

export interface DecodedFooter {
  fields: Field[]
  layout: ParquetLayout
}

/**
 * Decodes the footer at the end of `tail`, the last bytes of an object of `size` bytes (`base` is
 * where `tail` starts in the PDU). Returns undefined when the tail does not hold the whole footer.
 * Throws a ranged `DissectError` when the bytes are not a valid footer.
 */
export function decodeFooter(tail: Uint8Array, size: number, base: number): DecodedFooter | undefined {
  const n = tail.length
  if (n < 8) return undefined
  const r = new ByteReader(tail, n - 8)
  const metadataLength = r.u32le('footer length')
  const magic = r.latin1(4, 'magic')
  if (magic !== 'PAR1') r.fail(`a Parquet file ends with "PAR1", not "${printable(tail.subarray(n - 4))}"`, n - 4, n)
  if (metadataLength + 8 > n) return undefined
  const start = n - 8 - metadataLength
  const m = new ByteReader(tail, start, n - 8)
  const nodes = readStruct(m)
  const fields: Field[] = [
    field('FileMetaData (Thrift compact protocol)', base + start, base + n - 8, `${metadataLength} bytes`, { id: 'parquet.file_metadata', children: structFields(nodes, 'FileMetaData', base, 'parquet.filemetadata') }),
    field('Footer length', base + n - 8, base + n - 4, `${metadataLength} (little-endian)`, { id: 'parquet.footer_length' }),
    field('Magic', base + n - 4, base + n, '"PAR1"', { id: 'parquet.magic' })
  ]
  return { fields, layout: layoutOf(nodes, size, metadataLength) }
}
