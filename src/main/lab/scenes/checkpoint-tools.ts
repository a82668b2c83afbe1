// Small readers for checkpoint answers: what a step's events say (its PDUs, the connections it
// opened, the bytes each way). A lesson's `checkpoints.ts` states its questions as data and reads
// each answer from the real events of the step with these.
import type { BytesEvent, ConnOpenEvent, LabEvent, Localized, PduEvent } from '../../../shared/events'
import type { CheckpointInfo } from '../../../shared/scene'

export type Reveal = { answer: string[]; explain: Localized }

export const choice = (id: string, en: string, pt: string): CheckpointInfo['choices'][number] => ({ id, label: { en, pt } })

export const pdusOf = (events: readonly LabEvent[], protocol?: string): PduEvent[] =>
  events.filter((e): e is PduEvent => e.kind === 'pdu' && (protocol === undefined || e.protocol === protocol))

export const opened = (events: readonly LabEvent[]): ConnOpenEvent[] =>
  events.filter((e): e is ConnOpenEvent => e.kind === 'conn.open')

export const bytesOf = (events: readonly LabEvent[], conn?: string, dir?: 'c2s' | 's2c'): BytesEvent[] =>
  events.filter(
    (e): e is BytesEvent => e.kind === 'bytes' && (conn === undefined || e.conn === conn) && (dir === undefined || e.dir === dir)
  )

/** Whether `needle` occurs in any of the chunks (as they crossed the wire, chunk by chunk joined per direction). */
export function onTheWire(chunks: readonly BytesEvent[], needle: string): boolean {
  if (!needle) return false
  const text = Buffer.concat(chunks.map((c) => c.data)).toString('latin1')
  return text.includes(Buffer.from(needle, 'utf8').toString('latin1'))
}

/** Milliseconds between two events, for the measured figures in an explanation. */
export const msBetween = (a: LabEvent, b: LabEvent): string => (b.t - a.t).toFixed(1)

/** A question with its choices, filled in for this run (the message actually sent, the clients connected). */
export function asked(def: CheckpointInfo, question: Localized, choices = def.choices): CheckpointInfo {
  return { ...def, question, choices }
}
