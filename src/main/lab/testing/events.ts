// Helpers for tests that drive the engine with real sockets.
import { execFileSync } from 'node:child_process'
import type { LabEvent } from '../../../shared/events'
import type { Session } from '../session/session'

/** Resolves when `predicate` holds for the session's events (checked on every new event). */
export function waitForEvents(
  session: Session,
  predicate: (events: readonly LabEvent[]) => boolean,
  timeoutMs = 5000
): Promise<readonly LabEvent[]> {
  return new Promise((resolve, reject) => {
    if (predicate(session.events)) return resolve(session.events)
    const timer = setTimeout(() => {
      unsubscribe()
      reject(new Error(`timed out after ${timeoutMs} ms waiting for events (have ${session.size})`))
    }, timeoutMs)
    const unsubscribe = session.subscribe(() => {
      if (predicate(session.events)) {
        clearTimeout(timer)
        unsubscribe()
        resolve(session.events)
      }
    })
  })
}

export function has(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

export const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes)
