// The renderer's one store. Read it with narrow selectors (`useLab((s) => s.cursor)`), never the
// whole state; the event log itself (`events`) is mutated in place, so subscribe to `count` or
// `cursor` and read `useLab.getState().events` (or the helpers below) when they change. `events`
// is a window of the engine's log around the playback position (the whole log for a lesson of
// ordinary size); session-slice.ts explains how it is placed in the whole.
import { create } from 'zustand'
import type { LabEvent, PduEvent } from '@shared/events'
import { createSessionSlice } from './session-slice'
import { createPlaybackSlice, globalStep, lowerBound } from './playback-slice'
import { createSelectionSlice } from './selection-slice'
import { createSettingsSlice } from './settings-slice'
import type { LabState } from './types'

export type { LabState } from './types'
export { SPEEDS, lowerBound, globalStep, setPager, cursorFor } from './playback-slice'
export type { WindowInfo } from './session-slice'
export type { Lang, Theme } from './settings-slice'
export { isMark } from './session-slice'

export const useLab = create<LabState>()((...a) => ({
  ...createSessionSlice(...a),
  ...createPlaybackSlice(...a),
  ...createSelectionSlice(...a),
  ...createSettingsSlice(...a)
}))

/** Resets the session, playback and selection (tests, "clear"). Settings are kept. */
export function resetLab(): void {
  useLab.getState().clear()
  useLab.setState({ playing: true, following: true, speed: 1 })
}

/** Index of the first event of the current lesson run (the latest `scene started` before the cursor). */
export function runStart(s: Pick<LabState, 'runs' | 'cursor'>): number {
  const k = lowerBound(s.runs, s.cursor)
  return k > 0 ? s.runs[k - 1] : 0
}

/**
 * Events visible at the playback cursor (`events[from .. cursor)`), by default from the start
 * of the current lesson run. Returns a new array: call it when `cursor`/`count` change, not per frame.
 */
export function visibleEvents(s: LabState, from: number = runStart(s)): LabEvent[] {
  return s.events.slice(from, s.cursor)
}

/** Indices (into `events`) of the visible PDUs of the current run. */
export function visiblePduIndices(s: LabState, from: number = runStart(s)): number[] {
  return s.pdus.slice(lowerBound(s.pdus, from), lowerBound(s.pdus, s.cursor))
}

/** Number of events of interest visible, counted in the whole log (the scrub bar's position). */
export function visibleMarks(s: Pick<LabState, 'marks' | 'cursor' | 'marksBefore' | 'contextMarks'>): number {
  return globalStep(s)
}

/** The selected PDU, if it is visible at the cursor. */
export function selectedPdu(s: LabState): PduEvent | null {
  if (s.selectedSeq === null) return null
  const i = s.bySeq.get(s.selectedSeq)
  if (i === undefined || i < 0 || i >= s.cursor) return null
  const e = s.events[i]
  return e.kind === 'pdu' ? e : null
}

/**
 * Hook: re-renders when the log or the cursor changes (at most once per frame; while events flood
 * in, a few times per second: see `shownCount`). A flood's refresh draws the lists that follow the
 * newest event (`first`) in one frame and every other view in the next (see `lag`): two shorter
 * frames instead of one long one.
 */
export function useLogVersion(first = false): { count: number; cursor: number; epoch: number } {
  const count = useLab((s) => heldBack(s, first)?.count ?? s.shownCount)
  const cursor = useLab((s) => heldBack(s, first)?.cursor ?? s.cursor)
  const epoch = useLab((s) => s.epoch)
  return { count, cursor, epoch }
}

/** What a view held back by a flood's refresh sees for one frame (`lag`); null: the store as it is. */
export function heldBack(s: LabState, first = false): LabState['lag'] {
  return !first && s.lag?.epoch === s.epoch ? s.lag : null
}
