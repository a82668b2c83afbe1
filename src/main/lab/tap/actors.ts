// Which actor is behind a connection? Wirelab's own clients claim their ephemeral port when they
// connect; anything else that reaches a public port is a person's own client (an "external" actor).
import type { Localized, Transport } from '../../../shared/events'

export interface Actor {
  node: string
  label: string
  /** The label in both languages (see `named`). */
  text?: Localized
}

/** An actor whose label is in both languages: `label` keeps the English for logs and exports. */
export const named = (node: string, text: Localized): Actor => ({ node, label: text.en, text })

export class Actors {
  private readonly known = new Map<string, Actor>()
  private pending = 0
  private wakers: (() => void)[] = []

  private wake(): void {
    const w = this.wakers
    this.wakers = []
    for (const fn of w) fn()
  }

  /** Call before a built-in client connects; call the returned function once it has claimed (or failed). */
  expect(): () => void {
    this.pending++
    let done = false
    return () => {
      if (done) return
      done = true
      this.pending--
      this.wake()
    }
  }

  claim(transport: Transport, localPort: number, actor: Actor): void {
    this.known.set(`${transport}:${localPort}`, actor)
    this.wake()
  }

  release(transport: Transport, localPort: number): void {
    this.known.delete(`${transport}:${localPort}`)
  }

  /**
   * The built-in actor using this local port, waiting briefly for clients still connecting. Past
   * the deadline the event loop gets one more turn before the answer is "nobody": a process that
   * was starved of CPU past it (a loaded machine) runs its timers before the I/O waiting since, and
   * the connect that claims the port may be in that I/O.
   */
  async lookup(transport: Transport, port: number, timeoutMs = 200): Promise<Actor | undefined> {
    const key = `${transport}:${port}`
    const deadline = Date.now() + timeoutMs
    while (!this.known.has(key) && this.pending > 0) {
      if (Date.now() >= deadline) {
        await new Promise<void>((resolve) => setImmediate(resolve))
        break
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.max(1, deadline - Date.now()))
        this.wakers.push(() => {
          clearTimeout(t)
          resolve()
        })
      })
    }
    return this.known.get(key)
  }
}
