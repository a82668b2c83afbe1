// Recorded conversations: the bytes of real connections (a real client talking to a real server
// through a tap), stored as fixtures next to a protocol's dissector and fed back in tests. A
// recording script in the protocol's folder regenerates them.
import fs from 'node:fs'
import type { Direction } from '../../../shared/events'
import type { PduDraft, StreamDissector } from './types'

export interface Conversation {
  /** What produced it, e.g. `pg 8.23.1 → PGlite 0.5.14 (Postgres 17.5)`. */
  name: string
  pieces: { dir: Direction; data: Uint8Array }[]
}

interface ConversationFile {
  note: string
  recorded: string
  conversations: { name: string; pieces: { dir: Direction; base64: string }[] }[]
}

export function saveConversations(file: string, note: string, conversations: Conversation[]): void {
  const out: ConversationFile = {
    note,
    recorded: new Date().toISOString().slice(0, 10),
    conversations: conversations.map((c) => ({
      name: c.name,
      pieces: c.pieces.map((p) => ({ dir: p.dir, base64: Buffer.from(p.data).toString('base64') }))
    }))
  }
  fs.writeFileSync(file, JSON.stringify(out, null, 1) + '\n')
}

export function loadConversations(file: string): Conversation[] {
  const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as ConversationFile
  return raw.conversations.map((c) => ({
    name: c.name,
    pieces: c.pieces.map((p) => ({ dir: p.dir, data: new Uint8Array(Buffer.from(p.base64, 'base64')) }))
  }))
}

/** Everything a conversation sent in one direction, as one buffer. */
export function streamOf(c: Conversation, dir: Direction): Uint8Array {
  const parts = c.pieces.filter((p) => p.dir === dir)
  const out = new Uint8Array(parts.reduce((n, p) => n + p.data.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p.data, at)
    at += p.data.length
  }
  return out
}

/**
 * Feeds a conversation to a fresh dissector in its recorded order, each piece optionally cut at
 * `cut` bytes into two pushes, then ends both directions. Returns every PDU.
 */
export function replay(create: () => StreamDissector, c: Conversation, cut?: (piece: number, length: number) => number | undefined): PduDraft[] {
  const d = create()
  const offsets: Record<Direction, number> = { c2s: 0, s2c: 0 }
  const out: PduDraft[] = []
  c.pieces.forEach((p, i) => {
    const at = cut?.(i, p.data.length)
    const parts = at !== undefined && at > 0 && at < p.data.length ? [p.data.subarray(0, at), p.data.subarray(at)] : [p.data]
    for (const part of parts) {
      out.push(...d.push(p.dir, part, offsets[p.dir]))
      offsets[p.dir] += part.length
    }
  })
  out.push(...(d.end?.('c2s') ?? []), ...(d.end?.('s2c') ?? []))
  return out
}

/**
 * The same stream split at every offset must give the same PDUs. Each piece is re-fed as two
 * pushes cut at `k`, for every k (pieces longer than `maxCutsPerPiece`: every k within 256 bytes of
 * either end, evenly spaced ones between), with everything else fed as recorded; returns `piece:k` for each
 * cut whose result differed from the unsplit run. Every PDU's offset, bytes, summary, keys and
 * malformed range are compared (bytes by position and length), and the whole field tree of the PDUs around the cut.
 */
export function splitMismatches(create: () => StreamDissector, c: Conversation, maxCutsPerPiece = 2048): string[] {
  const brief = (p: PduDraft): string => `${p.dir}:${p.offset}:${p.data.length}:${p.summary}:${JSON.stringify(p.keys ?? {})}:${JSON.stringify(p.malformed ?? null)}`
  const whole = replay(create, c)
  const wholeBrief = whole.map(brief).join('\n')
  const starts: Record<Direction, number[]> = { c2s: [], s2c: [] }
  const offsets: Record<Direction, number> = { c2s: 0, s2c: 0 }
  for (const p of c.pieces) {
    starts[p.dir].push(offsets[p.dir])
    offsets[p.dir] += p.data.length
  }
  const pieceStart = (i: number): number => starts[c.pieces[i].dir][c.pieces.slice(0, i).filter((p) => p.dir === c.pieces[i].dir).length]
  const bad: string[] = []
  c.pieces.forEach((p, i) => {
    const base = pieceStart(i)
    // Long pieces (a 5 KB INFO reply): every offset near both ends, evenly spaced ones between.
    const step = Math.max(1, Math.ceil(p.data.length / maxCutsPerPiece))
    for (let k = 1; k < p.data.length; k += k < 256 || k > p.data.length - 256 ? 1 : step) {
      const got = replay(create, c, (j) => (j === i ? k : undefined))
      const at = base + k
      const around = (ps: PduDraft[]): string =>
        JSON.stringify(ps.filter((x) => x.dir === p.dir && x.offset <= at && x.offset + x.data.length >= at).map((x) => x.fields))
      if (got.map(brief).join('\n') !== wholeBrief || around(got) !== around(whole)) bad.push(`${i}:${k}`)
    }
  })
  return bad
}
