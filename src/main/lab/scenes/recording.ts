// Sessions recorded from real servers (DESIGN.md: the fourth place a lesson's server can come
// from). A recording holds, per lesson action, the events the live lesson logged for it: the real
// bytes the real server exchanged, their dissection, the narration and the checkpoints. Replaying
// an action appends those events to the session again, paced as they happened, with connection
// ids made unique, so the views cannot tell a replay from live traffic except by its label.
import { readFileSync, writeFileSync } from 'node:fs'
import { gunzipSync, gzipSync } from 'node:zlib'
import type { LabEvent } from '../../../shared/events'
import { fromWire, toWire, type WireEvent } from '../../../shared/wire'
import type { SceneContext } from './context'

export interface Recording {
  format: 'wirelab-recording'
  version: 1
  scene: string
  /** The server the bytes came from. */
  server: { name: string; version: string }
  /** Client libraries and their versions. */
  recordedWith: Record<string, string>
  /** ISO date. */
  recorded: string
  /** The command that regenerates the file. */
  recordedBy: string
  /** Per action id, the events it logged. */
  actions: Record<string, WireEvent[]>
}

/** Reads a recording (`.json`, or gzipped `.json.gz`: modeled TCP segments make them large). */
export function loadRecording(file: string): Recording {
  const raw = readFileSync(file)
  const r = JSON.parse((file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8')) as Recording
  if (r.format !== 'wirelab-recording' || r.version !== 1 || typeof r.actions !== 'object') throw new Error(`${file} is not a Wirelab recording`)
  return r
}

export function saveRecording(file: string, r: Recording): void {
  const text = JSON.stringify(r) + '\n'
  writeFileSync(file, file.endsWith('.gz') ? gzipSync(text, { level: 9 }) : text)
}

/** The events an action logged (everything after `fromSeq`, except the lesson's own start/stop). */
export function segmentOf(events: readonly LabEvent[], fromSeq: number): WireEvent[] {
  return events.filter((e) => e.seq > fromSeq && e.kind !== 'scene').map(toWire)
}

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/**
 * Appends a recorded segment to the session, paced as recorded (gaps longer than `maxGapMs`, such
 * as a broker restart, are shortened). Connection, outside-client and checkpoint-run ids get a
 * prefix so they never collide with ids already in the session; `relabel` renames nodes.
 */
export async function replaySegment(ctx: SceneContext, segment: WireEvent[], o: { relabel?: Record<string, string>; maxGapMs?: number } = {}): Promise<number> {
  const prefix = `${ctx.session.nextId('rec')}-`
  const maxGap = o.maxGapMs ?? 1200
  const ids = new Map<string, string>()
  const id = (x: string): string => {
    let v = ids.get(x)
    if (!v) ids.set(x, (v = prefix + x))
    return v
  }
  const isMinted = (node: string): boolean => /^ext\d+$/.test(node)
  const start = performance.now()
  let prevT: number | null = null
  let at = 0
  let n = 0
  for (const w of segment) {
    const e = fromWire(w)
    if (prevT !== null) at += Math.min(maxGap, Math.max(0, e.t - prevT))
    prevT = e.t
    const wait = start + at - performance.now()
    if (wait > 4) await delay(wait)
    const { seq: _seq, t: _t, ...draft } = e
    if ('conn' in draft && typeof draft.conn === 'string') draft.conn = id(draft.conn)
    if (draft.kind === 'conn.open') {
      if (isMinted(draft.from)) draft.from = id(draft.from)
      if (isMinted(draft.to)) draft.to = id(draft.to)
    }
    if (draft.kind === 'node') {
      if (isMinted(draft.node)) draft.node = id(draft.node)
      const label = o.relabel?.[draft.node]
      if (label) draft.label = label
    }
    if (draft.kind === 'checkpoint') draft.run = id(draft.run)
    ctx.session.append(draft)
    n++
  }
  return n
}
