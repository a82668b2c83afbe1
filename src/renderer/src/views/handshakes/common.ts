// Shared by the handshake lessons' views (segments, tls, frames, eventstream): the visible events
// of the current lesson run, and finding a field's path by id for selection.
import { useMemo } from 'react'
import type { Field, LabEvent, PduEvent } from '@shared/events'
import { useLab, useLogVersion, visibleEvents } from '../../store'

export interface RunView {
  events: LabEvent[]
  pdus: PduEvent[]
  version: string
}

/** Visible events of the current run; recomputed when the log, cursor or epoch change. */
export function useRunEvents(): RunView {
  const { count, cursor, epoch } = useLogVersion()
  return useMemo(() => {
    const events = visibleEvents(useLab.getState())
    return {
      events,
      pdus: events.filter((e): e is PduEvent => e.kind === 'pdu'),
      version: `${epoch}:${count}:${cursor}`
    }
  }, [count, cursor, epoch])
}

/** Index path of the first field with this id (depth-first), or null. */
export function pathOf(fields: Field[] | undefined, id: string, prefix: number[] = []): number[] | null {
  if (!fields) return null
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]
    if (f.id === id) return [...prefix, i]
    const deeper = pathOf(f.children, id, [...prefix, i])
    if (deeper) return deeper
  }
  return null
}

export function findField(fields: Field[] | undefined, id: string): Field | null {
  if (!fields) return null
  for (const f of fields) {
    if (f.id === id) return f
    const d = findField(f.children, id)
    if (d) return d
  }
  return null
}

export function selectField(pdu: PduEvent, id: string): void {
  useLab.getState().select(pdu.seq, pathOf(pdu.fields, id))
}

export function hexBytes(data: Uint8Array, max = 16): string {
  const s = Array.from(data.subarray(0, max), (b) => b.toString(16).padStart(2, '0')).join(' ')
  return data.length > max ? s + ' …' : s
}
