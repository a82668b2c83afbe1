// Binary records (see format.ts) → events. In the renderer a PDU's bytes and field tree stay in the
// record until something reads them (`data` is a view into the received bytes, `fields` is decoded
// on first use), so a long session costs little more than its bytes; `plain` decoding gives
// ordinary objects (the engine, tests, exports).
import type { BytesEvent, Direction, Field, KeyValue, LabEvent, Malformed, PduEvent, PduKeys } from '../events'
import { ByteCursor } from './byte-sink'
import {
  B_EXTRA,
  B_S2C,
  B_TCPACK,
  B_TCPSEQ,
  F_CHILDREN,
  F_EXTRA,
  F_ID,
  F_MALFORMED,
  F_MASK,
  F_MODELED,
  F_MODELED_FALSE,
  F_VALUE,
  K_FALSE,
  K_FLOAT,
  K_INT,
  K_JSON,
  K_STRING,
  K_TRUE,
  P_EXTRA,
  P_KEYS,
  P_MALFORMED,
  P_MODELED,
  P_MODELED_FALSE,
  P_S2C,
  SHAPE_CODE
} from './layout'
import { TAG_JSON, TAG_KIND, TAG_STRING, TAG_TREE } from './format'

function str(c: ByteCursor, table: readonly string[]): string {
  const v = c.uvar()
  if (v % 2 === 1) return c.utf8((v - 1) / 2)
  const s = table[v / 2]
  if (s === undefined) throw new RangeError(`string ${v / 2} is not defined in this chunk`)
  return s
}

function json(c: ByteCursor, table: readonly string[]): unknown {
  return JSON.parse(str(c, table))
}

/** A chunk's string table, with its field-tree templates (encode.ts, `tree`). */
export type ChunkTable = string[] & { trees?: FieldNode[][] }

/** A field of a template: everything but its value. */
interface FieldNode {
  flags: number
  shape: string
  id: string | undefined
  name: string
  start: number
  end: number
  mask: number | undefined
  malformed: string | undefined
  children: FieldNode[] | undefined
}

/** A PDU's field tree: inline, or a template and its values. */
function fieldTree(c: ByteCursor, table: ChunkTable): Field[] {
  const v = c.uvar()
  if (v % 2 === 0) return fieldList(c, table, v / 2)
  const tpl = table.trees?.[(v - 1) / 2]
  if (!tpl) throw new RangeError(`field template ${(v - 1) / 2} is not defined in this chunk`)
  return fromTemplate(tpl, c, table)
}

function fromTemplate(nodes: FieldNode[], c: ByteCursor, table: readonly string[]): Field[] {
  const out: Field[] = new Array(nodes.length)
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i]
    const value = n.flags & F_VALUE ? str(c, table) : undefined
    const children = n.children ? fromTemplate(n.children, c, table) : undefined
    out[i] = build(n.shape, n.flags, n.id, n.name, value, n.start, n.end, n.mask, n.malformed, undefined, children)
  }
  return out
}

function structure(c: ByteCursor, table: readonly string[]): FieldNode[] {
  const count = c.uvar()
  const out: FieldNode[] = new Array(count)
  for (let i = 0; i < count; i++) {
    const flags = c.u8()
    const shape = str(c, table)
    const id = flags & F_ID ? str(c, table) : undefined
    const name = str(c, table)
    const start = c.svar()
    const end = start + c.svar()
    const mask = flags & F_MASK ? c.uvar() : undefined
    const malformed = flags & F_MALFORMED ? str(c, table) : undefined
    const children = flags & F_CHILDREN ? structure(c, table) : undefined
    out[i] = { flags, shape, id, name, start, end, mask, malformed, children }
  }
  return out
}

/** Adds a template definition entry to the chunk's table. */
export function defineTree(src: Uint8Array, at: number, length: number, table: ChunkTable): void {
  ;(table.trees ??= []).push(structure(new ByteCursor(src, at + 5, at + 5 + length), table))
}

function fieldList(c: ByteCursor, table: readonly string[], n = c.uvar()): Field[] {
  const out: Field[] = new Array(n)
  for (let i = 0; i < n; i++) out[i] = field(c, table)
  return out
}

function field(c: ByteCursor, table: readonly string[]): Field {
  const flags = c.u8()
  const shape = str(c, table)
  const id = flags & F_ID ? str(c, table) : undefined
  const name = str(c, table)
  const value = flags & F_VALUE ? str(c, table) : undefined
  const start = c.svar()
  const end = start + c.svar()
  const mask = flags & F_MASK ? c.uvar() : undefined
  const malformed = flags & F_MALFORMED ? str(c, table) : undefined
  const x = flags & F_EXTRA ? (json(c, table) as Record<string, unknown>) : undefined
  const children = flags & F_CHILDREN ? fieldList(c, table) : undefined
  return build(shape, flags, id, name, value, start, end, mask, malformed, x, children)
}

/** A field object with its properties in their original order (encode.ts, SHAPE_CODE). */
function build(
  shape: string,
  flags: number,
  id: string | undefined,
  name: string,
  value: string | undefined,
  start: number,
  end: number,
  mask: number | undefined,
  malformed: string | undefined,
  x: Record<string, unknown> | undefined,
  children: Field[] | undefined
): Field {
  const modeled = flags & F_MODELED ? true : flags & F_MODELED_FALSE ? false : undefined
  const f = {} as Record<string, unknown>
  for (let i = 0; i < shape.length; i++) {
    switch (shape.charCodeAt(i)) {
      case 0x69: // i
        f.id = id
        break
      case 0x6e: // n
        f.name = name
        break
      case 0x76: // v
        f.value = value
        break
      case 0x73: // s
        f.start = start
        break
      case 0x65: // e
        f.end = end
        break
      case 0x63: // c
        f.children = children
        break
      case 0x6d: // m
        f.mask = mask
        break
      case 0x64: // d
        f.modeled = modeled
        break
      case 0x66: // f
        f.malformed = malformed
        break
      case 0x78: // x
        if (x) for (const k in x) if (!(k in SHAPE_CODE)) f[k] = x[k]
        break
    }
  }
  // Values of unexpected types travel in the extras and take their key's place.
  if (x) for (const k in x) if (k in SHAPE_CODE) f[k] = x[k]
  return f as unknown as Field
}

function keys(c: ByteCursor, table: readonly string[]): PduKeys {
  const n = c.uvar()
  const out: PduKeys = {}
  for (let i = 0; i < n; i++) {
    const k = str(c, table)
    const type = c.u8()
    switch (type) {
      case K_FALSE:
        out[k] = false
        break
      case K_TRUE:
        out[k] = true
        break
      case K_INT:
        out[k] = c.svar()
        break
      case K_FLOAT:
        out[k] = c.f64()
        break
      case K_STRING:
        out[k] = str(c, table)
        break
      case K_JSON:
        out[k] = json(c, table) as KeyValue
        break
      default:
        throw new RangeError(`unknown key type ${type}`)
    }
  }
  return out
}

/** The bytes a run of records was decoded from, and the string table they refer to. */
export interface RecordSource {
  bytes: Uint8Array
  table: ChunkTable
}

/** An event whose bytes stay in its record: `data` is a view into it, made when read. */
class PayloadRecord {
  seq: number
  t: number
  conn: string
  dir: Direction
  offset: number
  #src: RecordSource
  #at: number
  #len: number

  constructor(seq: number, t: number, conn: string, dir: Direction, offset: number, src: RecordSource, at: number, len: number) {
    this.seq = seq
    this.t = t
    this.conn = conn
    this.dir = dir
    this.offset = offset
    this.#src = src
    this.#at = at
    this.#len = len
  }

  get data(): Uint8Array {
    return this.#src.bytes.subarray(this.#at, this.#at + this.#len)
  }

  /** The field tree that follows the payload in a PDU's record. */
  protected fieldsAfterData(): Field[] {
    return fieldTree(new ByteCursor(this.#src.bytes, this.#at + this.#len), this.#src.table)
  }
}

/** A PDU read from a record: `data` and `fields` come from the record when first read. */
export class PduRecord extends PayloadRecord {
  readonly kind = 'pdu' as const
  protocol: string
  summary: string
  modeled: boolean | undefined = undefined
  malformed: Malformed | undefined = undefined
  keys: PduKeys | undefined = undefined
  #fields: Field[] | undefined = undefined

  constructor(
    seq: number,
    t: number,
    conn: string,
    dir: Direction,
    protocol: string,
    summary: string,
    offset: number,
    src: RecordSource,
    at: number,
    len: number
  ) {
    super(seq, t, conn, dir, offset, src, at, len)
    this.protocol = protocol
    this.summary = summary
  }

  get fields(): Field[] {
    this.#fields ??= this.fieldsAfterData()
    return this.#fields
  }

  set fields(v: Field[]) {
    this.#fields = v
  }

  toJSON(): PduEvent {
    return plainPdu(this as unknown as PduEvent)
  }
}

/** A bytes event read from a record: `data` is a view into the record. */
export class BytesRecord extends PayloadRecord {
  readonly kind = 'bytes' as const
  tcpSeq: number | undefined = undefined
  tcpAck: number | undefined = undefined

  toJSON(): BytesEvent {
    return plainBytes(this as unknown as BytesEvent)
  }
}

/** A PDU as a plain object (own properties only), whatever it was read from. */
export function plainPdu(e: PduEvent): PduEvent {
  const out = { ...e, fields: e.fields, data: e.data } as PduEvent
  for (const k of ['modeled', 'malformed', 'keys'] as const) if (out[k] === undefined) delete out[k]
  return out
}

/** A bytes event as a plain object. */
export function plainBytes(e: BytesEvent): BytesEvent {
  const out = { ...e, data: e.data } as BytesEvent
  if (out.tcpSeq === undefined) delete out.tcpSeq
  if (out.tcpAck === undefined) delete out.tcpAck
  return out
}

/**
 * Decodes one event record (`at` is the entry's first byte, tag included). `lazy` keeps PDU and
 * bytes payloads in `src` (which must then stay unchanged); otherwise they are copied out.
 */
export function decodeRecord(
  src: Uint8Array,
  at: number,
  table: ChunkTable,
  lazy: boolean,
  cur: ByteCursor = new ByteCursor(src),
  source: RecordSource = { bytes: src, table }
): LabEvent {
  const tag = src[at]
  const length = (src[at + 1] | (src[at + 2] << 8) | (src[at + 3] << 16)) + src[at + 4] * 0x1000000
  cur.pos = at + 5
  cur.end = Math.min(src.length, at + 5 + length)
  const seq = cur.u32()
  const t = cur.f64()
  if (tag === 5) {
    const flags = cur.u8()
    const conn = str(cur, table)
    const protocol = str(cur, table)
    const summary = str(cur, table)
    const offset = cur.svar()
    const malformed = flags & P_MALFORMED ? (json(cur, table) as Malformed) : undefined
    const k = flags & P_KEYS ? keys(cur, table) : undefined
    const extra = flags & P_EXTRA ? (json(cur, table) as Record<string, unknown>) : undefined
    const len = cur.uvar()
    const dataAt = cur.pos
    cur.skip(len)
    const dir: Direction = flags & P_S2C ? 's2c' : 'c2s'
    const modeled = flags & P_MODELED ? true : flags & P_MODELED_FALSE ? false : undefined
    if (lazy) {
      const r = new PduRecord(seq, t, conn, dir, protocol, summary, offset, source, dataAt, len)
      r.modeled = modeled
      r.malformed = malformed
      r.keys = k
      if (extra) Object.assign(r, extra)
      return r as unknown as PduEvent
    }
    const fields = fieldTree(cur, table)
    const e: PduEvent = { kind: 'pdu', seq, t, conn, dir, protocol, summary, fields, data: src.slice(dataAt, dataAt + len), offset }
    if (modeled !== undefined) e.modeled = modeled
    if (malformed) e.malformed = malformed
    if (k) e.keys = k
    if (extra) Object.assign(e, extra)
    return e
  }
  if (tag === 4) {
    const flags = cur.u8()
    const conn = str(cur, table)
    const offset = cur.svar()
    const tcpSeq = flags & B_TCPSEQ ? cur.svar() : undefined
    const tcpAck = flags & B_TCPACK ? cur.svar() : undefined
    const extra = flags & B_EXTRA ? (json(cur, table) as Record<string, unknown>) : undefined
    const len = cur.uvar()
    const dataAt = cur.pos
    cur.skip(len)
    const dir: Direction = flags & B_S2C ? 's2c' : 'c2s'
    if (lazy) {
      const r = new BytesRecord(seq, t, conn, dir, offset, source, dataAt, len)
      r.tcpSeq = tcpSeq
      r.tcpAck = tcpAck
      if (extra) Object.assign(r, extra)
      return r as unknown as BytesEvent
    }
    const e: BytesEvent = { kind: 'bytes', seq, t, conn, dir, offset, data: src.slice(dataAt, dataAt + len) }
    if (tcpSeq !== undefined) e.tcpSeq = tcpSeq
    if (tcpAck !== undefined) e.tcpAck = tcpAck
    if (extra) Object.assign(e, extra)
    return e
  }
  const rest = json(cur, table) as Record<string, unknown>
  if (tag === TAG_JSON) return { ...rest, seq, t } as unknown as LabEvent
  const kind = TAG_KIND[tag]
  if (!kind) throw new RangeError(`unknown record tag ${tag}`)
  return { kind, seq, t, ...rest } as unknown as LabEvent
}

/** Adds a string definition entry's text to `table`. */
export function defineString(src: Uint8Array, at: number, length: number, table: string[]): void {
  table.push(new ByteCursor(src, at + 5, at + 5 + length).utf8(length))
}

/**
 * Decodes the entries of `src[from, to)`, extending `table` with the strings they define, and
 * calls `each` for every event whose seq is at least `minSeq`. Returns where it stopped.
 */
export function decodeEntries(
  src: Uint8Array,
  from: number,
  to: number,
  table: string[],
  lazy: boolean,
  each: (e: LabEvent) => void,
  minSeq = 0
): number {
  let at = from
  const cur = new ByteCursor(src)
  const source: RecordSource = { bytes: src, table }
  while (at + 5 <= to) {
    const length = (src[at + 1] | (src[at + 2] << 8) | (src[at + 3] << 16)) + src[at + 4] * 0x1000000
    if (at + 5 + length > to) break
    const tag = src[at]
    if (tag === TAG_STRING) defineString(src, at, length, table)
    else if (tag === TAG_TREE) defineTree(src, at, length, table)
    else {
      const seq = (src[at + 5] | (src[at + 6] << 8) | (src[at + 7] << 16)) + src[at + 8] * 0x1000000
      if (seq >= minSeq) each(decodeRecord(src, at, table, lazy, cur, source))
    }
    at += 5 + length
  }
  return at
}
