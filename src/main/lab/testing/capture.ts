// Shared by the HTTP and HTTP/2 tests: run a lesson with real sockets, collect what the tap
// recorded, and re-feed the same bytes to a fresh dissector split in other places.
import type { BytesEvent, ConnOpenEvent, Direction, LabEvent, PduEvent } from '../../../shared/events'
import { Lab } from '../lab'
import type { PduDraft, StreamDissector } from '../dissect/types'
import { rangeProblems } from '../dissect/fields'

export interface Capture {
  lab: Lab
  events: readonly LabEvent[]
}

/** Starts a lesson on ephemeral ports and runs its default script (or one action). */
export async function runScene(scene: string, params: Record<string, unknown> = {}, action?: { id: string; args?: Record<string, unknown> }): Promise<Capture> {
  const lab = new Lab({ ephemeralPorts: true })
  await lab.start(scene, params)
  if (action) {
    const r = await lab.action(action.id, action.args ?? {})
    if (!r.ok) throw new Error(`action ${action.id} failed: ${JSON.stringify(r.message)}`)
  } else await lab.script()
  return { lab, events: lab.session.events }
}

export function connections(events: readonly LabEvent[]): ConnOpenEvent[] {
  return events.filter((e): e is ConnOpenEvent => e.kind === 'conn.open')
}

export function bytesOf(events: readonly LabEvent[], conn: string, dir: Direction): Uint8Array {
  const chunks = events.filter((e): e is BytesEvent => e.kind === 'bytes' && e.conn === conn && e.dir === dir)
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.data.length, 0))
  let at = 0
  for (const c of chunks) {
    out.set(c.data, at)
    at += c.data.length
  }
  return out
}

export function pdusOf(events: readonly LabEvent[], conn: string, protocol: string, dir?: Direction): PduEvent[] {
  return events.filter((e): e is PduEvent => e.kind === 'pdu' && e.conn === conn && e.protocol === protocol && (!dir || e.dir === dir))
}

/** What must be identical however the bytes were split. */
export function essence(p: Pick<PduDraft, 'dir' | 'summary' | 'fields' | 'offset' | 'keys' | 'malformed' | 'data'>): string {
  return JSON.stringify({ dir: p.dir, summary: p.summary, fields: p.fields, offset: p.offset, keys: p.keys ?? null, malformed: p.malformed ?? null, len: p.data.length })
}

/** Feeds both directions' bytes in the order given by `order` (direction and chunk cut points). */
export function feed(d: StreamDissector, parts: { dir: Direction; bytes: Uint8Array; offset: number }[], end = false): PduDraft[] {
  const out: PduDraft[] = []
  for (const p of parts) out.push(...d.push(p.dir, p.bytes, p.offset))
  if (end) {
    out.push(...(d.end?.('c2s') ?? []))
    out.push(...(d.end?.('s2c') ?? []))
  }
  return out
}

/** The recorded chunks of a connection, in log order, as feed() parts. */
export function recordedParts(events: readonly LabEvent[], conn: string): { dir: Direction; bytes: Uint8Array; offset: number }[] {
  return events.filter((e): e is BytesEvent => e.kind === 'bytes' && e.conn === conn).map((e) => ({ dir: e.dir, bytes: e.data, offset: e.offset }))
}

/** Splits a direction's whole stream at `cuts` (sorted offsets). */
export function splitAt(bytes: Uint8Array, cuts: number[]): { bytes: Uint8Array; offset: number }[] {
  const out: { bytes: Uint8Array; offset: number }[] = []
  let at = 0
  for (const c of [...cuts, bytes.length]) {
    if (c <= at || c > bytes.length) continue
    out.push({ bytes: bytes.slice(at, c), offset: at })
    at = c
  }
  return out
}

export function problemsOf(pdus: PduDraft[]): string[] {
  return pdus.flatMap((p) => rangeProblems(p.fields, p.data.length).map((x) => `${p.summary}: ${x}`))
}
