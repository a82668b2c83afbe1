// Events → binary records (see format.ts). Bytes and PDUs, the events that come by the thousand,
// get a compact layout with field ids, names and short values interned in the chunk's string table;
// the rarer kinds are stored as JSON. Anything an event carries beyond the known properties is kept
// as JSON beside the record, so every event decodes to exactly what was appended.
import type { BytesEvent, Field, LabEvent, PduEvent, PduKeys } from '../events'
import { ByteSink } from './byte-sink'
import { KIND_TAG, TAG_JSON, TAG_STRING, TAG_TREE } from './format'
import {
  B_EXTRA,
  B_S2C,
  B_TCPACK,
  B_TCPSEQ,
  describe,
  shapeString,
  F_VALUE,
  describedShape,
  F_EXTRA,
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
  F_CHILDREN,
  F_ID,
  F_MALFORMED,
  F_MASK,
  presence,
  safe,
  sameStructure,
  shapeOf
} from './layout'

/** Strings longer than this are never interned. */
const INTERN_MAX = 96
/**
 * Values are interned only when at most this long: short tokens (`ACK`, `set`, `0x00`) repeat in
 * every PDU of a kind; longer values (numbers with their meaning, payload text) rarely do, and
 * interning those would only grow the chunk's table. Summaries are never interned.
 */
const SHORT = 12

const PDU_KEYS = new Set([
  'kind',
  'seq',
  't',
  'conn',
  'dir',
  'protocol',
  'summary',
  'fields',
  'data',
  'offset',
  'modeled',
  'malformed',
  'keys'
])
const BYTES_KEYS = new Set(['kind', 'seq', 't', 'conn', 'dir', 'offset', 'data', 'tcpSeq', 'tcpAck'])
const FIELD_KEYS = new Set(['id', 'name', 'value', 'start', 'end', 'children', 'mask', 'modeled', 'malformed'])

function extras(o: object, known: Set<string>): Record<string, unknown> | null {
  let out: Record<string, unknown> | null = null
  for (const k in o) {
    if (known.has(k)) continue
    const v = (o as Record<string, unknown>)[k]
    if (v === undefined) continue
    ;(out ??= {})[k] = v
  }
  return out
}

export class EventEncoder {
  private table = new Map<string, number>()
  private pending: string[] = []
  private readonly body = new ByteSink(1024)
  /**
   * Field-tree structures of this chunk by hash (see `structureOf`): each with its template number
   * once it has one (a structure becomes a template when it comes back).
   */
  private trees = new Map<number, { struct: number[]; id: number }[]>()
  private treeCount = 0
  private treeEntries = 0
  /** Template definitions the current record needs (whole entries), and the structures they define. */
  private readonly defs = new ByteSink(256)
  private pendingTrees: { id: number }[] = []
  /** The structure of the tree being encoded (reused). */
  private struct: number[] = []
  /** Where str() writes: the record's body, or a template definition. */
  private cur: ByteSink = this.body

  /** Number of strings in the current chunk's table. */
  get strings(): number {
    return this.table.size
  }

  /** Starts a new chunk: its string table starts empty. */
  reset(): void {
    this.table.clear()
    this.trees.clear()
    this.shapes.clear()
    this.treeCount = 0
    this.treeEntries = 0
  }

  /** Appends `e`'s entries (new strings first, then the record) to `out`; returns the record's offset. */
  encode(e: LabEvent, out: ByteSink): number {
    const body = this.body
    body.pos = 0
    this.defs.pos = 0
    this.cur = body
    this.pending.length = 0
    this.pendingTrees.length = 0
    let tag: number
    try {
      if (e.kind === 'pdu') {
        tag = KIND_TAG.pdu
        this.pdu(e)
      } else if (e.kind === 'bytes') {
        tag = KIND_TAG.bytes
        this.bytesEvent(e)
      } else {
        tag = KIND_TAG[e.kind] ?? TAG_JSON
        const { seq: _s, t: _t, ...rest } = e as LabEvent & Record<string, unknown>
        if (tag !== TAG_JSON) delete (rest as Partial<LabEvent>).kind
        this.str(JSON.stringify(rest), false)
      }
    } catch (err) {
      // Nothing was written: forget the strings and templates this record would have defined.
      for (const s of this.pending) this.table.delete(s)
      for (const t of this.pendingTrees) t.id = -1
      this.shapes.clear()
      this.cur = body
      throw err
    }
    for (const s of this.pending) {
      out.reserve(5 + s.length * 3)
      const at = out.pos
      out.pos += 5
      const len = out.raw(s)
      out.buf[at] = TAG_STRING
      out.view.setUint32(at + 1, len, true)
    }
    if (this.defs.pos) out.bytes(this.defs.written())
    out.reserve(5 + 12 + body.pos)
    const at = out.pos
    out.buf[at] = tag
    out.view.setUint32(at + 1, 12 + body.pos, true)
    out.view.setUint32(at + 5, e.seq, true)
    out.view.setFloat64(at + 9, e.t, true)
    out.pos += 17
    out.buf.set(body.buf.subarray(0, body.pos), out.pos)
    out.pos += body.pos
    return at
  }

  /** A string: a table reference (`id << 1`) or inline text (`length << 1 | 1`). */
  private str(s: string, intern: boolean): void {
    if (intern && s.length <= INTERN_MAX) this.cur.uvar(this.intern(s) * 2)
    else this.cur.text(s, 1, 1)
  }

  private json(v: unknown): void {
    this.str(JSON.stringify(v), false)
  }

  private pdu(e: PduEvent): void {
    const b = this.body
    const x = extras(e, PDU_KEYS)
    let flags = e.dir === 's2c' ? P_S2C : 0
    if (e.modeled === true) flags |= P_MODELED
    else if (e.modeled === false) flags |= P_MODELED_FALSE
    if (e.malformed) flags |= P_MALFORMED
    if (e.keys) flags |= P_KEYS
    const odd = !safe(e.offset) || (e.modeled !== undefined && typeof e.modeled !== 'boolean')
    if (x || odd) flags |= P_EXTRA
    b.u8(flags)
    this.str(e.conn, true)
    this.str(e.protocol, true)
    this.str(e.summary, false)
    b.svar(safe(e.offset) ? e.offset : 0)
    if (e.malformed) this.json(e.malformed)
    if (e.keys) this.keys(e.keys)
    if (flags & P_EXTRA) this.json({ ...x, ...(odd ? { offset: e.offset, modeled: e.modeled } : {}) })
    b.uvar(e.data.length)
    b.bytes(e.data)
    this.tree(e.fields)
  }

  /**
   * A PDU's field tree. The first time a tree's structure (everything but its values) repeats in
   * a chunk it becomes a template, defined once (TAG_TREE); from then on such a tree is its
   * template's number and its values. Top level: `count << 1` then the fields, or
   * `template << 1 | 1` then the values in depth-first order.
   */
  private tree(list: Field[]): void {
    const struct = this.struct
    struct.length = 0
    const hash = this.structureOf(list, struct, 0x811c9dc5)
    if (hash !== null) {
      let same = this.trees.get(hash)
      let found: { struct: number[]; id: number } | undefined
      if (same) for (const t of same) if (sameStructure(t.struct, struct)) found = t
      if (found && found.id < 0) {
        // Seen once before: now it is a template.
        found.id = this.treeCount++
        this.pendingTrees.push(found)
        this.defineTree(list)
      } else if (!found && this.treeEntries < 4096) {
        if (!same) this.trees.set(hash, (same = []))
        same.push({ struct: struct.slice(), id: -1 })
        this.treeEntries++
      }
      if (found && found.id >= 0) {
        this.body.uvar(found.id * 2 + 1)
        this.values(list)
        return
      }
    }
    this.body.uvar(list.length * 2)
    for (const f of list) this.field(f)
  }

  /**
   * A tree's structure (everything but its values) as numbers, strings by their number in the
   * chunk's table, and its hash; null if some field does not fit a template.
   */
  private structureOf(list: Field[], out: number[], hash: number): number | null {
    out.push(list.length)
    let h = Math.imul(hash ^ list.length, 0x01000193)
    for (const f of list) {
      const flags = describe(f)
      if (flags < 0 || flags & F_MALFORMED) return null
      const shape = this.internShape(describedShape())
      const id = flags & F_ID ? this.intern(f.id as string) : -1
      const name = this.intern(f.name)
      const mask = flags & F_MASK ? (f.mask as number) : -1
      out.push(flags, shape, id, name, f.start, f.end, mask)
      h = Math.imul(h ^ flags, 0x01000193)
      h = Math.imul(h ^ shape, 0x01000193)
      h = Math.imul(h ^ id, 0x01000193)
      h = Math.imul(h ^ name, 0x01000193)
      h = Math.imul(h ^ f.start, 0x01000193)
      h = Math.imul(h ^ f.end, 0x01000193)
      h = Math.imul(h ^ mask, 0x01000193)
      if (f.children) {
        const inner = this.structureOf(f.children, out, h)
        if (inner === null) return null
        h = inner
      }
    }
    return h
  }

  /** Table numbers of this chunk's shapes, by shape code (`describe`). */
  private shapes = new Map<number, number>()

  private internShape(code: number): number {
    let id = this.shapes.get(code)
    if (id === undefined) {
      id = this.intern(shapeString(code))
      this.shapes.set(code, id)
    }
    return id
  }

  /** The table number of `s`, defining it if new (the record that needs it will carry the definition). */
  private intern(s: string): number {
    let id = this.table.get(s)
    if (id === undefined) {
      id = this.table.size
      this.table.set(s, id)
      this.pending.push(s)
    }
    return id
  }

  private defineTree(list: Field[]): void {
    const d = this.defs
    d.reserve(5)
    const at = d.pos
    d.pos += 5
    this.cur = d
    this.structure(list)
    this.cur = this.body
    d.buf[at] = TAG_TREE
    d.view.setUint32(at + 1, d.pos - at - 5, true)
  }

  /** A tree without its values (a template's definition). */
  private structure(list: Field[]): void {
    const d = this.cur
    d.uvar(list.length)
    for (const f of list) {
      const flags = describe(f)
      d.u8(flags)
      this.cur.uvar(this.internShape(describedShape()) * 2)
      if (flags & F_ID) this.str(f.id as string, true)
      this.str(f.name, true)
      d.svar(f.start)
      d.svar(f.end - f.start)
      if (flags & F_MASK) d.uvar(f.mask as number)
      if (flags & F_MALFORMED) this.str(f.malformed as string, false)
      if (flags & F_CHILDREN) this.structure(f.children as Field[])
    }
  }

  private values(list: Field[]): void {
    for (const f of list) {
      if (f.value !== undefined) this.str(f.value, f.value.length <= SHORT)
      if (f.children) this.values(f.children)
    }
  }

  private keys(keys: PduKeys): void {
    const b = this.body
    let n = 0
    for (const k in keys) if (keys[k] !== undefined) n++
    b.uvar(n)
    for (const k in keys) {
      const v = keys[k]
      if (v === undefined) continue
      this.str(k, true)
      if (v === true) b.u8(K_TRUE)
      else if (v === false) b.u8(K_FALSE)
      else if (typeof v === 'number') {
        if (safe(v) && !Object.is(v, -0)) {
          b.u8(K_INT)
          b.svar(v)
        } else {
          b.u8(K_FLOAT)
          b.f64(v)
        }
      } else if (typeof v === 'string') {
        b.u8(K_STRING)
        this.str(v, v.length <= SHORT)
      } else {
        // Lists (an MQTT SUBSCRIBE's filters) and what the contract does not allow (null, an object
        // from a foreign file): kept as JSON.
        b.u8(K_JSON)
        this.json(v)
      }
    }
  }

  private fields(list: Field[]): void {
    this.body.uvar(list.length)
    for (const f of list) this.field(f)
  }

  private field(f: Field): void {
    const b = this.body
    let flags = presence(f)
    let x = extras(f, FIELD_KEYS)
    // Anything that does not fit the compact layout travels as JSON (and overrides it on decode).
    if (f.id !== undefined && typeof f.id !== 'string') (x ??= {}).id = f.id
    if (f.value !== undefined && typeof f.value !== 'string') (x ??= {}).value = f.value
    if (typeof f.name !== 'string') (x ??= {}).name = f.name
    if (!safe(f.start)) (x ??= {}).start = f.start
    if (!safe(f.end)) (x ??= {}).end = f.end
    if (f.mask !== undefined && !(safe(f.mask) && f.mask >= 0)) (x ??= {}).mask = f.mask
    if (f.modeled !== undefined && typeof f.modeled !== 'boolean') (x ??= {}).modeled = f.modeled
    if (f.malformed !== undefined && typeof f.malformed !== 'string') (x ??= {}).malformed = f.malformed
    if (f.children !== undefined && !Array.isArray(f.children)) (x ??= {}).children = f.children
    if (x) flags |= F_EXTRA
    b.u8(flags)
    this.str(shapeOf(f), true)
    if (flags & F_ID) this.str(typeof f.id === 'string' ? f.id : '', true)
    this.str(typeof f.name === 'string' ? f.name : '', true)
    if (flags & F_VALUE) {
      const v = typeof f.value === 'string' ? f.value : ''
      this.str(v, v.length <= SHORT)
    }
    const start = safe(f.start) ? f.start : 0
    b.svar(start)
    b.svar((safe(f.end) ? f.end : 0) - start)
    if (flags & F_MASK) b.uvar(safe(f.mask) && (f.mask as number) >= 0 ? (f.mask as number) : 0)
    if (flags & F_MALFORMED) this.str(typeof f.malformed === 'string' ? f.malformed : '', false)
    if (x) this.json(x)
    if (flags & F_CHILDREN) this.fields(Array.isArray(f.children) ? f.children : [])
  }

  private bytesEvent(e: BytesEvent): void {
    const b = this.body
    const x = extras(e, BYTES_KEYS)
    const odd =
      !safe(e.offset) ||
      (e.tcpSeq !== undefined && !safe(e.tcpSeq)) ||
      (e.tcpAck !== undefined && !safe(e.tcpAck))
    let flags = e.dir === 's2c' ? B_S2C : 0
    if (e.tcpSeq !== undefined && safe(e.tcpSeq)) flags |= B_TCPSEQ
    if (e.tcpAck !== undefined && safe(e.tcpAck)) flags |= B_TCPACK
    if (x || odd) flags |= B_EXTRA
    b.u8(flags)
    this.str(e.conn, true)
    b.svar(safe(e.offset) ? e.offset : 0)
    if (flags & B_TCPSEQ) b.svar(e.tcpSeq as number)
    if (flags & B_TCPACK) b.svar(e.tcpAck as number)
    if (flags & B_EXTRA)
      this.json({
        ...x,
        ...(odd ? { offset: e.offset, tcpSeq: e.tcpSeq, tcpAck: e.tcpAck } : {})
      })
    b.uvar(e.data.length)
    b.bytes(e.data)
  }
}
