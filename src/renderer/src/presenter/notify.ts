// A short status line for the presenter's actions (saved, exported, failed).
import { create } from 'zustand'

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

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}
