// Waiting for something a built-in client observes ("the third message arrived"): conditions are
// re-checked whenever the client calls `check()` after receiving something.

export class Waiters {
  private waiters: { test: () => boolean; resolve: () => void }[] = []

  /** Re-tests the pending conditions; resolves those that now hold. */
  check(): void {
    this.waiters = this.waiters.filter((w) => {
      if (!w.test()) return true
      w.resolve()
      return false
    })
  }

  /** Resolves once `test` holds, or rejects after `timeoutMs` naming `what` did not happen. */
  until(test: () => boolean, what: string, timeoutMs: number): Promise<void> {
    if (test()) return Promise.resolve()
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${what} did not happen within ${timeoutMs} ms`)), timeoutMs)
      this.waiters.push({
        test,
        resolve: () => {
          clearTimeout(timer)
          resolve()
        }
      })
    })
  }
}
