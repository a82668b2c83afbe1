// What most lesson views start from: the visible events of the current lesson run, recomputed
// when the log, the cursor or the epoch change; and selecting a PDU's field by id.
import { useMemo } from 'react'
import type { LabEvent, PduEvent } from '@shared/events'
import { useLab, useLogVersion, visibleEvents } from '../store'
import { pathOf } from './fields'

export interface RunView {
  events: LabEvent[]
  pdus: PduEvent[]
  version: string
}

/** The run's events and PDUs as a model function takes them. */
export function runView(events: LabEvent[], version = ''): RunView {
  return { events, pdus: events.filter((e): e is PduEvent => e.kind === 'pdu'), version }
}

/** Visible events of the current run; recomputed when the log, cursor or epoch change. */
export function useRunEvents(): RunView {
  const { count, cursor, epoch } = useLogVersion()
  return useMemo(
    () => runView(visibleEvents(useLab.getState()), `${epoch}:${count}:${cursor}`),
    [count, cursor, epoch]
  )
}

/** Selects the first field with this id of a PDU (the PDU alone if it has none). */
export function selectField(pdu: PduEvent, id: string): void {
  useLab.getState().select(pdu.seq, pathOf(pdu.fields, id))
}
