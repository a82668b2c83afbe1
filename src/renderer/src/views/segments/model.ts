// The TCP segments table as data: every modeled or captured TCP segment and every data chunk of
// the run, with its numbers and why they are what they are ("Seq 1 + 10 bytes = 11").
import type { BytesEvent, LabEvent, Localized, PduEvent } from '@shared/events'
import { format } from '../../i18n/text'
import S from './strings.json'

export type SegmentSource = 'modeled' | 'data' | 'captured'

export interface SegmentRow {
  key: number
  /** The event's seq (what a click selects). */
  seqNo: number
  conn: string
  dir: 'c2s' | 's2c'
  flags: string
  seq: number
  ack: number | null
  len: number
  modeled: boolean
  source: SegmentSource
  why: Localized
  /** A data chunk's first characters. */
  text?: string
}

const R = S.reason

function dataWhy(seq: number, len: number): Localized {
  return format(R.data, { seq, len, next: seq + len })
}

function segmentWhy(
  flags: string,
  seq: number,
  ack: number | null,
  captured: boolean,
  len: number
): Localized {
  if (flags === 'SYN') return format(R.syn, { seq })
  if (flags === 'SYN, ACK') return format(R.synAck, { ack: String(ack) })
  if (flags.includes('RST')) return seq === 0 && ack === 1 ? R.refused : R.rst
  if (flags.includes('FIN')) return format(R.fin, { next: seq + 1 })
  if (captured && len > 0) return dataWhy(seq, len)
  return format(R.ack, { ack: String(ack) })
}

function segmentRow(p: PduEvent): SegmentRow {
  const captured = p.keys?.captured === true
  const flags = String(p.keys?.flags ?? '')
  const seq = Number(p.keys?.seq ?? 0)
  const ack = flags.includes('ACK') ? Number(p.keys?.ack ?? 0) : null
  const len = captured ? Number(p.keys?.len ?? 0) : 0
  return {
    key: p.seq,
    seqNo: p.seq,
    conn: p.conn,
    dir: p.dir,
    flags,
    seq,
    ack,
    len,
    modeled: !captured,
    source: captured ? 'captured' : 'modeled',
    why: segmentWhy(flags, seq, ack, captured, Number(p.keys?.len))
  }
}

function dataRow(b: BytesEvent): SegmentRow {
  const seq = typeof b.tcpSeq === 'number' ? b.tcpSeq : b.offset + 1
  const len = b.data.length
  return {
    key: b.seq,
    seqNo: b.seq,
    conn: b.conn,
    dir: b.dir,
    flags: 'PSH, ACK',
    seq,
    ack: typeof b.tcpAck === 'number' ? b.tcpAck : null,
    len,
    modeled: false,
    source: 'data',
    why: dataWhy(seq, len),
    text: new TextDecoder().decode(b.data.subarray(0, 40))
  }
}

/** The table's rows, in log order: modeled and captured TCP segments, and the data chunks. */
export function segmentRows(events: readonly LabEvent[]): SegmentRow[] {
  const out: SegmentRow[] = []
  for (const e of events) {
    if (e.kind === 'pdu' && e.protocol === 'tcp' && (e.modeled || e.keys?.captured === true))
      out.push(segmentRow(e))
    else if (e.kind === 'bytes') out.push(dataRow(e))
  }
  return out
}

export type SegmentFilter = 'modeled' | 'captured' | 'both'

/** The rows a filter shows: captured segments, the modeled ones with the data, or both. */
export function filterRows(rows: SegmentRow[], filter: SegmentFilter): SegmentRow[] {
  if (filter === 'both') return rows
  return rows.filter((r) => (filter === 'captured' ? r.source === 'captured' : r.source !== 'captured'))
}
