// The caption: the narration (`note`) current at the playback cursor, in the chosen language.
import type { JSX } from 'react'
import type { NoteEvent } from '@shared/events'
import { lowerBound, runStart, useLab } from '../store'
import { useLocalized } from '../i18n'

function currentNote(s: ReturnType<typeof useLab.getState>): NoteEvent | null {
  const k = lowerBound(s.notes, s.cursor)
  if (k === 0 || s.notes[k - 1] < runStart(s)) return null
  const e = s.events[s.notes[k - 1]]
  return e.kind === 'note' ? e : null
}

export function Caption(): JSX.Element {
  const loc = useLocalized()
  const note = useLab(currentNote)
  return (
    <div className={`caption level-${note?.level ?? 'info'}`} data-testid="caption" aria-live="polite">
      {note ? loc(note.text) : '\u00a0'}
    </div>
  )
}
