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

/** One claim of a port; taking it back removes only this claim, not a later one of the same port. */
interface Claim {
  actor: Actor
}

export class Actors {
  private readonly known = new Map<string, Claim>()
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

  /**
   * Tells the taps that this local port is `actor`'s. The returned function takes the claim back
   * (a later claim of the same port by another connection stays): a port the kernel hands out
   * again must not keep naming the client that had it before.
   */
  claim(transport: Transport, localPort: number, actor: Actor): () => void {
    const key = `${transport}:${localPort}`
    const claim: Claim = { actor }
    this.known.set(key, claim)
    this.wake()
    return () => {
      if (this.known.get(key) === claim) this.known.delete(key)
    }
  }

  /** How many ports are claimed now. */
  get claimed(): number {
    return this.known.size
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
    return this.known.get(key)?.actor
  }
}
