// Session files (`.wirelab`): the JSON `SessionFile` the engine's `session:file`, the Electron
// menu and `wirelab run … --out` write. Parsing checks everything the replay relies on, so a
// damaged or foreign file gets a readable reason instead of a broken view.
import type { Localized } from '@shared/events'
import { fromWire, isSessionFile, toWire, type SessionFile, type WireEvent } from '@shared/wire'
import type { LabEvent } from '@shared/events'
import { format } from '../i18n/text'
import S from './strings.json'

export const SESSION_EXTENSION = '.wirelab'

const KINDS = new Set(['node', 'conn.open', 'conn.close', 'bytes', 'pdu', 'note', 'scene', 'checkpoint', 'fault', 'sample', 'drop'])

export type ParsedSession =
  { ok: true; file: SessionFile; events: LabEvent[] } | { ok: false; error: Localized }

function fail(error: Localized): ParsedSession {
  return { ok: false, error }
}

/** Parses and checks a session file's text. Never throws. */
export function parseSessionText(text: string): ParsedSession {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return fail(S.notJson)
  }
  if (!isSessionFile(value))
    return fail(S.notSession)
  const events: LabEvent[] = []
  let prev = 0
  for (let i = 0; i < value.events.length; i++) {
    const w = value.events[i] as Partial<WireEvent> | null
    if (
      !w ||
      typeof w !== 'object' ||
      typeof w.kind !== 'string' ||
      !KINDS.has(w.kind) ||
      typeof w.seq !== 'number' ||
      typeof w.t !== 'number'
    )
      return fail(format(S.damaged, { n: i + 1 }))
    if (w.seq <= prev)
      return fail(format(S.outOfOrder, { n: i + 1, seq: w.seq }))
    prev = w.seq
    try {
      events.push(fromWire(w as WireEvent))
    } catch {
      return fail(format(S.base64, { n: i + 1, seq: w.seq }))
    }
  }
  return { ok: true, file: value, events }
}

/** The lesson a session shows: the file's `scene`, else the latest `scene started` event's. */
export function sessionScene(file: Pick<SessionFile, 'scene'>, events: readonly LabEvent[]): string | null {
  if (file.scene) return file.scene
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]
    if (e.kind === 'scene' && e.state === 'started') return e.scene
  }
  return null
}

/** A session file holding the given events (what the app saves while replaying). */
export function sessionFileOf(
  events: readonly LabEvent[],
  scene: string | null,
  created: Date = new Date()
): SessionFile {
  return {
    format: 'wirelab-session',
    version: 1,
    created: created.toISOString(),
    ...(scene ? { scene } : {}),
    events: events.map(toWire)
  }
}

/** `tcp-udp-echo-2026-11-22T19-40-03.wirelab` */
export function sessionFileName(
  scene: string | null,
  ext: string = SESSION_EXTENSION,
  when: Date = new Date()
): string {
  const stamp = when.toISOString().slice(0, 19).replace(/:/g, '-')
  return `${scene ?? 'session'}-${stamp}${ext}`
}
