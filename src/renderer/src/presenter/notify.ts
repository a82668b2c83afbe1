// A short status line for the presenter's actions (saved, exported, failed).
import { create } from 'zustand'
import { localizeNow, type Localized } from '../i18n'

export interface Notice {
  id: number
  text: string
  error: boolean
}

export const useNotice = create<{ notice: Notice | null }>(() => ({ notice: null }))

let next = 1
let timer: ReturnType<typeof setTimeout> | undefined

export function notify(text: string, error = false): void {
  clearTimeout(timer)
  useNotice.setState({ notice: { id: next++, text, error } })
  timer = setTimeout(() => useNotice.setState({ notice: null }), error ? 10_000 : 5000)
}

/** An error whose message a person reads, in both languages (its `message` is the English). */
export class LocalizedError extends Error {
  constructor(readonly text: Localized) {
    super(text.en)
  }
}

/** What went wrong, in the current language where the error says it in both. */
export function errorMessage(e: unknown): string {
  if (e instanceof LocalizedError) return localizeNow(e.text)
  return e instanceof Error ? e.message : String(e)
}
