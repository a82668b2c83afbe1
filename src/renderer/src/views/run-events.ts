// What most lesson views start from: the visible events of the current lesson run, recomputed
// when the log, the cursor or the epoch change; and selecting a PDU's field by id.
import { useMemo } from 'react'
import type { LabEvent, PduEvent } from '@shared/events'
import { runStart, useLab, useLogVersion, visibleEvents } from '../store'
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

/** The latest RunView: every view on screen that asks at the same version shares one copy. */
let shared: RunView | null = null

function sharedRunView(): RunView {
  const s = useLab.getState()
  const version = `${s.epoch}:${s.shownCount}:${s.cursor}:${runStart(s)}`
  if (shared?.version !== version) shared = runView(visibleEvents(s), version)
  return shared
}

/** Visible events of the current run; recomputed when the log, cursor or epoch change. */
export function useRunEvents(): RunView {
  const { count, cursor, epoch } = useLogVersion()
  // Recomputed when the log, the cursor or the epoch change (read from the store inside).
  return useMemo(() => sharedRunView(), [count, cursor, epoch]) // eslint-disable-line react-hooks/exhaustive-deps
}

/** Selects the first field with this id of a PDU (the PDU alone if it has none). */
export function selectField(pdu: PduEvent, id: string): void {
  useLab.getState().select(pdu.seq, pathOf(pdu.fields, id))
}
