// What the person selected: a PDU (by its event seq) and optionally one field inside it, by
// its index path in the field tree (`[0, 1]` = second child of the first top-level field).
import type { LabSlice } from './types'

export interface SelectionSlice {
  selectedSeq: number | null
  fieldPath: number[] | null
  /** Selects a PDU (and a field in it, if given). */
  select(seq: number | null, fieldPath?: number[] | null): void
  selectField(fieldPath: number[] | null): void
}

export const createSelectionSlice: LabSlice<SelectionSlice> = (set) => ({
  selectedSeq: null,
  fieldPath: null,
  select: (seq, fieldPath = null) => set({ selectedSeq: seq, fieldPath }),
  selectField: (fieldPath) => set({ fieldPath })
})
