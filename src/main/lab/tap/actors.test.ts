// Which built-in client is behind a port: a claim that arrives while the lookup waits is found,
// also when the process was starved past the lookup's deadline with the claim still in its I/O.
import { stat } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { Actors } from './actors'

const client = { node: 'c1', label: 'client 1' }

describe('Actors.lookup', () => {
  it('finds a client that claims its port while the lookup waits', async () => {
    const actors = new Actors()
    const done = actors.expect()
    const found = actors.lookup('tcp', 40001)
    setTimeout(() => {
      actors.claim('tcp', 40001, client)
      done()
    }, 20)
    expect(await found).toEqual(client)
  })

  it('answers nobody once no client is still connecting', async () => {
    const actors = new Actors()
    const done = actors.expect()
    const found = actors.lookup('tcp', 40002)
    setTimeout(done, 10)
    expect(await found).toBeUndefined()
  })

  it('a process starved past the deadline still sees the claim waiting in its I/O', async () => {
    const actors = new Actors()
    const done = actors.expect()
    const found = actors.lookup('tcp', 40003, 30)
    const busy = (ms: number): void => {
      const until = Date.now() + ms
      while (Date.now() < until);
    }
    // The process gets no CPU until well past the deadline (starved in the loop's check phase).
    // Meanwhile the claim's I/O finishes, as a socket's connect would: the loop next runs its
    // timers, and only then that I/O.
    setImmediate(() => {
      busy(60)
      stat(import.meta.filename ?? __filename, () => {
        actors.claim('tcp', 40003, client)
        done()
      })
      busy(60)
    })
    expect(await found).toEqual(client)
  })
})
