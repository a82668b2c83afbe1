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
 * The order in which a flood's refresh reaches the views, one stage per frame: the packet list,
 * then the sequence diagram (the two lists that follow the newest event), then every other view.
 * Three frames of a third of the work each, instead of one frame that misses the next vsync.
 */
export const DRAW_STAGES = { list: 0, diagram: 1, rest: 2 } as const
export type DrawStage = keyof typeof DRAW_STAGES
export const LAST_STAGE = DRAW_STAGES.rest

/**
 * Hook: re-renders when the log or the cursor changes (at most once per frame; while events flood
 * in, a few times per second: see `shownCount`). A flood's refresh reaches the views in stages
 * (`DRAW_STAGES`, see `lag`).
 */
export function useLogVersion(stage: DrawStage = 'rest'): { count: number; cursor: number; epoch: number } {
  const count = useLab((s) => heldBack(s, stage)?.count ?? s.shownCount)
  const cursor = useLab((s) => heldBack(s, stage)?.cursor ?? s.cursor)
  const epoch = useLab((s) => s.epoch)
  return { count, cursor, epoch }
}

/** What a view of `stage` held back by a flood's refresh sees this frame (`lag`); null: the store as it is. */
export function heldBack(s: LabState, stage: DrawStage = 'rest'): LabState['lag'] {
  return s.lag !== null && s.lag.epoch === s.epoch && DRAW_STAGES[stage] > s.lag.drawn ? s.lag : null
}
