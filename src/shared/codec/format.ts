// The binary log format shared by the session log, its spill file and the bridge.
//
// A chunk is a run of entries, each `[u8 tag][u32 length][payload]` (little-endian). Tag 0 defines
// the next string of the chunk's string table (payload: UTF-8), tag 14 its next field-tree template;
// every other tag is one event whose payload starts with `[u32 seq][f64 t]`. Strings inside records are either a reference into the
// table or inline text. A chunk decodes on its own: its table starts empty, so any chunk of a log
// (in memory, on disk, or sent to a renderer) can be read without the others.
import type { EventKind } from '../events'

export const TAG_STRING = 0
/** Defines the chunk's next field-tree template (encode.ts, `tree`). */
export const TAG_TREE = 14
export const TAG_JSON = 15

export const KIND_TAG: Record<EventKind, number> = {
  node: 1,
  'conn.open': 2,
  'conn.close': 3,
  bytes: 4,
  pdu: 5,
  note: 6,
  scene: 7,
  checkpoint: 8,
  drop: 9,
  fault: 10,
  sample: 11
}

export const TAG_KIND: (EventKind | undefined)[] = []
for (const [k, v] of Object.entries(KIND_TAG)) TAG_KIND[v] = k as EventKind

/** Bytes before an entry's payload: tag and length. */
export const ENTRY_HEAD = 5
/** Bytes of an event payload before its body: seq and time. */
export const EVENT_HEAD = 12

/** Events of interest, as the renderer's playback steps over them: pdu, conn.open, conn.close, note, checkpoint (isMark). */
export function isMarkTag(tag: number): boolean {
  return tag === 5 || tag === 2 || tag === 3 || tag === 6 || tag === 8
}

export function isEventTag(tag: number): boolean {
  return tag !== TAG_STRING && tag !== TAG_TREE
}

/** Walks a chunk's entries without decoding them. */
export function forEachEntry(
  bytes: Uint8Array,
  from: number,
  to: number,
  each: (tag: number, at: number, length: number) => void
): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let at = from
  while (at + 5 <= to) {
    const length = view.getUint32(at + 1, true)
    if (at + 5 + length > to) break
    each(bytes[at], at, length)
    at += 5 + length
  }
  return at
}

/** Seq of the event entry at `at` (its tag must not be TAG_STRING). */
export function seqAt(bytes: Uint8Array, at: number): number {
  return (bytes[at + 5] | (bytes[at + 6] << 8) | (bytes[at + 7] << 16)) + bytes[at + 8] * 0x1000000
}
