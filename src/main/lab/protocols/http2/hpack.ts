// HPACK (RFC 7541) header blocks as field trees. hpack.js does the decoding (integers, Huffman
// strings, the static and dynamic tables with eviction); this walker adds what a student needs
// to see: each representation's byte range and kind (indexed, literal with or without indexing,
// table size update), whether strings were Huffman-coded, and how the dynamic table grows.
// One HpackDecoder per direction, fed every header block in order, like the peer's own decoder.
import hpack from 'hpack.js'
import type { Field } from '../../../../shared/events'
import { field } from '../../dissect/fields'
import { HTTP2_FIELDS as F } from '../../../../shared/protocols/http2'
import { branch, masked } from '../common/field-literals'

export const STATIC_TABLE_LENGTH = hpack['static-table'].table.length // 61

export interface DecodedHeader {
  name: string
  value: string
  /** How it was sent: an index into a table, or a literal (added to the dynamic table or not). */
  kind: 'indexed' | 'literal-indexed' | 'literal-not-indexed' | 'literal-never-indexed'
}

export interface HpackResult {
  fields: Field[]
  headers: DecodedHeader[]
  /** Dynamic table after the block: bytes used (RFC 7541 §4.1 sizes), entries and limit. */
  tableSize: number
  tableEntries: number
  tableMax: number
  /** Entries this block added and evicted. */
  added: number
  evicted: number
  error?: string
}

/** The ids of the two string fields (`Name string`, `Value string`), made once. */
const NAME_ID = 'http2.header.name'
const VALUE_ID = 'http2.header.value'

const KIND_LABEL: Record<DecodedHeader['kind'], string> = {
  indexed: 'Indexed header field',
  'literal-indexed': 'Literal with incremental indexing',
  'literal-not-indexed': 'Literal without indexing',
  'literal-never-indexed': 'Literal never indexed'
}

export class HpackDecoder {
  private readonly table
  private broken: string | null = null

  constructor(maxSize = 4096) {
    this.table = hpack.table.create({ maxSize })
  }

  /** SETTINGS_HEADER_TABLE_SIZE from the peer that owns this decoder. */
  setProtocolMaxSize(size: number): void {
    this.table.protocolMaxSize = size
  }

  get size(): number {
    return this.table.size
  }

  get entries(): { name: string; value: string; size: number }[] {
    return this.table.dynamic.map((e) => ({ name: e.name, value: e.value, size: e.totalSize })).reverse()
  }

  private where(index: number): string {
    return index <= STATIC_TABLE_LENGTH ? `static table ${index}` : `dynamic table ${index} (entry ${index - STATIC_TABLE_LENGTH})`
  }

  /** Decodes one complete header block; field ranges are `base` + position in `block`. */
  decode(block: Uint8Array, base = 0): HpackResult {
    const fields: Field[] = []
    const headers: DecodedHeader[] = []
    let added = 0
    let evicted = 0
    const result = (error?: string): HpackResult => ({
      fields,
      headers,
      tableSize: this.table.size,
      tableEntries: this.table.dynamic.length,
      tableMax: this.table.maxSize,
      added,
      evicted,
      ...(error ? { error } : {})
    })
    if (this.broken) {
      fields.push(field('Header block', base, base + block.length, `not decoded: ${this.broken}`, { id: F.headerBlock, malformed: this.broken }))
      return result(this.broken)
    }
    const d = hpack.decoder.create()
    d.push(Buffer.from(block.buffer, block.byteOffset, block.byteLength))
    const pos = (): number => block.length - d.buffer.size
    const str = (label: string): { text: string; field: Field; size: number } => {
      const start = pos()
      const huffman = (block[start] & 0x80) !== 0
      const raw = d.decodeStr()
      const text = hpack.utils.stringify(raw)
      const end = pos()
      return {
        text,
        size: raw.length,
        field: branch(
          label,
          base + start,
          base + end,
          JSON.stringify(text),
          label === 'Name string' ? NAME_ID : label === 'Value string' ? VALUE_ID : `http2.header.${label.toLowerCase().split(' ')[0]}`,
          [
            masked('Huffman encoded', base + start, base + start + 1, huffman ? 'yes' : 'no', F.headerHuffman, 0x80),
            masked(
              'String length',
              base + start,
              base + start + lengthBytes(block, start),
              `${end - start - lengthBytes(block, start)} bytes${huffman ? ` → ${raw.length} characters` : ''}`,
              F.headerLength,
              0x7f
            )
          ]
        )
      }
    }
    try {
      while (!d.isEmpty()) {
        const start = pos()
        const before = this.table.dynamic.length
        if (d.decodeBit()) {
          const index = d.decodeInt()
          const e = this.table.lookup(index)
          headers.push({ name: e.name, value: e.value, kind: 'indexed' })
          fields.push(
            field(`${e.name}: ${e.value}`, base + start, base + pos(), `${KIND_LABEL.indexed}, ${this.where(index)}`, {
              id: F.header,
              children: [
                field('Representation', base + start, base + start + 1, `${KIND_LABEL.indexed} (1xxxxxxx)`, { id: F.headerRepr, mask: 0x80 }),
                field('Index', base + start, base + pos(), `${index}: ${this.where(index)}`, { id: F.headerIndex, mask: 0x7f })
              ]
            })
          )
          continue
        }
        const incremental = d.decodeBit() === 1
        let kind: DecodedHeader['kind'] = 'literal-indexed'
        let prefixMask = 0x3f
        let reprMask = 0xc0
        if (!incremental) {
          if (d.decodeBit()) {
            const size = d.decodeInt()
            this.table.updateSize(size)
            evicted += Math.max(0, before - this.table.dynamic.length)
            fields.push(
              field('Dynamic table size update', base + start, base + pos(), `max ${size} bytes`, {
                id: F.headerTableSizeUpdate,
                children: [
                  field('Representation', base + start, base + start + 1, 'Dynamic table size update (001xxxxx)', { id: F.headerRepr, mask: 0xe0 }),
                  field('Max size', base + start, base + pos(), String(size), { id: F.headerTableSize, mask: 0x1f })
                ]
              })
            )
            continue
          }
          kind = d.decodeBit() ? 'literal-never-indexed' : 'literal-not-indexed'
          prefixMask = 0x0f
          reprMask = 0xf0
        }
        const index = d.decodeInt()
        const indexEnd = pos()
        const children: Field[] = [
          field('Representation', base + start, base + start + 1, `${KIND_LABEL[kind]} (${kind === 'literal-indexed' ? '01xxxxxx' : kind === 'literal-never-indexed' ? '0001xxxx' : '0000xxxx'})`, {
            id: F.headerRepr,
            mask: reprMask
          })
        ]
        let name: string
        let nameSize: number
        if (index === 0) {
          children.push(field('Name index', base + start, base + indexEnd, '0: new name', { id: F.headerIndex, mask: prefixMask }))
          const n = str('Name string')
          name = n.text
          nameSize = n.size
          children.push(n.field)
        } else {
          const e = this.table.lookup(index)
          name = e.name
          nameSize = e.nameSize
          children.push(field('Name index', base + start, base + indexEnd, `${index}: ${this.where(index)} (${e.name})`, { id: F.headerIndex, mask: prefixMask }))
        }
        const v = str('Value string')
        children.push(v.field)
        if (incremental) {
          this.table.add(name, v.text, nameSize, v.size)
          added++
          evicted += Math.max(0, before + 1 - this.table.dynamic.length)
        }
        headers.push({ name, value: v.text, kind })
        const note = incremental ? `, added to the dynamic table (now ${this.table.dynamic.length} entries, ${this.table.size} bytes)` : ''
        fields.push(field(`${name}: ${v.text}`, base + start, base + pos(), `${KIND_LABEL[kind]}${note}`, { id: F.header, children }))
      }
    } catch (err) {
      this.broken = `HPACK error, decoder state lost: ${err instanceof Error ? err.message : String(err)}`
      const at = Math.min(block.length, pos())
      fields.push(field('Undecodable HPACK data', base + at, base + block.length, this.broken, { id: F.headerBlock, malformed: this.broken }))
      return result(this.broken)
    }
    return result()
  }
}

/** Bytes taken by the HPACK integer (7-bit prefix) at `start`. */
function lengthBytes(block: Uint8Array, start: number): number {
  if ((block[start] & 0x7f) !== 0x7f) return 1
  let i = start + 1
  while (i < block.length && block[i] & 0x80) i++
  return i - start + 1
}
