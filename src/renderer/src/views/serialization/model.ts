// The serialization view's model, a pure function of the visible events: the latest batch of
// encoder PDUs (one per format), each byte tagged with the logical field that owns it.
import type { Field, LabEvent, PduEvent } from '@shared/events'
import { FIELD_KEYS, formatLabel } from '@shared/protocols/serialization'

export { FIELD_KEYS }

export interface FormatRow {
  pdu: PduEvent
  format: string
  label: string
  size: number
  /** Index into `pdu.fields` of the top-level field owning each byte (−1 if none). */
  owner: Int32Array
  /** Logical key of each top-level field, or null for framing (braces, headers, STOP…). */
  keys: (string | null)[]
}

export interface SerializationModel {
  rows: FormatRow[]
  source: string | null
  batch: number | null
}

/** The logical key of a top-level field: `<protocol>.<key>` when key is one of the record's fields. */
export function keyOf(f: Field, known: readonly string[] = FIELD_KEYS): string | null {
  if (!f.id) return null
  const parts = f.id.split('.')
  if (parts.length < 2) return null
  const k = parts[1]
  if (known.includes(k)) return k
  // Schema-less Protobuf names fields by number: f1, f2…
  return /^f\d+$/.test(k) ? k : null
}

export function rowOf(pdu: PduEvent): FormatRow {
  const format = String(pdu.keys?.format ?? pdu.protocol)
  const owner = new Int32Array(pdu.data.length).fill(-1)
  pdu.fields.forEach((f, i) => {
    for (let b = Math.max(0, f.start); b < Math.min(pdu.data.length, f.end); b++) owner[b] = i
  })
  const known = String(pdu.keys?.fields ?? FIELD_KEYS.join(',')).split(',')
  return {
    pdu,
    format,
    label: formatLabel(format),
    size: pdu.data.length,
    owner,
    keys: pdu.fields.map((f) => keyOf(f, known))
  }
}

/** The latest batch of PDUs made by the lesson's encoder (not the ones tapped from sockets). */
export function buildModel(events: readonly LabEvent[]): SerializationModel {
  let batch: number | null = null
  let source: string | null = null
  const rows: FormatRow[] = []
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]
    if (e.kind !== 'pdu' || e.offset !== -1 || e.keys?.batch === undefined || e.keys?.format === undefined)
      continue
    const b = Number(e.keys.batch)
    if (batch === null) {
      batch = b
      source = String(e.keys.source ?? '')
    }
    if (b !== batch) break
    rows.unshift(rowOf(e))
  }
  return { rows, source, batch }
}

/** Colour slot of a logical key (CSS classes k-0 … k-5; framing bytes get none). */
export function colourSlot(key: string | null): number {
  if (!key) return -1
  const i = (FIELD_KEYS as readonly string[]).indexOf(key)
  if (i >= 0) return i
  const n = Number(key.slice(1))
  return Number.isFinite(n) ? (n - 1) % 6 : 5
}

/** Protobuf's wire types by number (their meaning, in both languages, is in strings.json). */
export const WIRE_TYPES: Record<number, string> = { 0: 'VARINT', 1: 'I64', 2: 'LEN', 3: 'SGROUP', 4: 'EGROUP', 5: 'I32' }

/** How many of a row's bytes belong to no logical field (braces, quotes, names, tags, lengths…). */
export function framingBytes(row: FormatRow): number {
  return Array.from(row.owner).filter((o) => o < 0 || row.keys[o] === null).length
}

/** The Protobuf tag field on the selection path (or the tag of a selected top-level field). */
export function tagOnPath(pdu: PduEvent, path: number[] | null): Field | null {
  if (pdu.protocol !== 'protobuf' || !path?.length) return null
  let list: Field[] | undefined = pdu.fields
  let found: Field | null = null
  for (const i of path) {
    const f: Field | undefined = list?.[i]
    if (!f) break
    if (f.id?.endsWith('.tag')) found = f
    list = f.children
  }
  if (found) return found
  if (path.length === 1) return pdu.fields[path[0]]?.children?.find((c) => c.id?.endsWith('.tag')) ?? null
  return null
}

/** Field number and wire type from a tag's bytes (a varint). */
export function decodeTag(bytes: Uint8Array): { value: number; field: number; wire: number } {
  let v = 0
  let mul = 1
  for (const b of bytes) {
    v += (b & 0x7f) * mul
    mul *= 128
    if ((b & 0x80) === 0) break
  }
  return { value: v, field: Math.floor(v / 8), wire: v % 8 }
}
