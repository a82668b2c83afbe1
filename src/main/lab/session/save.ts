// Writes the whole session (memory and disk alike) as a `.wirelab` session file or a pcap, a piece
// at a time, so a session of any length saves without being held in memory twice. The events are
// those in the log when the save starts; traffic that arrives meanwhile belongs to the next save.
import { createWriteStream } from 'node:fs'
import { once } from 'node:events'
import type { LabEvent } from '../../../shared/events'
import { toWire } from '../../../shared/wire'
import { pcapPieces } from '../../../shared/pcap'
import type { Session } from './session'

/** Where pieces go; awaiting it applies the destination's backpressure. */
export type Sink = (piece: string | Uint8Array) => Promise<void> | void

export type SaveFormat = 'wirelab' | 'pcap'

function* upTo(session: Session, last: number): Generator<LabEvent> {
  for (const e of session.iterate(1)) {
    if (e.seq > last) return
    yield e
  }
}

/** The session file's JSON, identical to `JSON.stringify(session.toFile(scene))` for the same log. */
export async function writeSessionFile(
  session: Session,
  scene: string | undefined,
  sink: Sink,
  created: Date = new Date()
): Promise<number> {
  const last = session.size
  const head = JSON.stringify({ format: 'wirelab-session', version: 1, created: created.toISOString(), ...(scene ? { scene } : {}) })
  let piece = head.slice(0, -1) + ',"events":['
  let n = 0
  for (const e of upTo(session, last)) {
    piece += (n++ ? ',' : '') + JSON.stringify(toWire(e))
    if (piece.length > 1 << 20) {
      await sink(piece)
      piece = ''
    }
  }
  await sink(piece + ']}')
  return n
}

export async function writePcap(session: Session, sink: Sink): Promise<void> {
  for (const piece of pcapPieces(upTo(session, session.size))) await sink(piece)
}

/** Saves to a file on disk. */
export async function saveTo(session: Session, format: SaveFormat, file: string, scene?: string): Promise<void> {
  const out = createWriteStream(file)
  const failed = once(out, 'error').then(([err]) => {
    throw err
  })
  failed.catch(() => undefined) // an error after the last write still settles the race below
  const sink: Sink = async (piece) => {
    if (!out.write(piece)) await Promise.race([once(out, 'drain'), failed])
  }
  if (format === 'pcap') await writePcap(session, sink)
  else await writeSessionFile(session, scene, sink)
  out.end()
  await Promise.race([once(out, 'finish'), failed])
}
