// A lesson that opens and closes connections all hour (the MQTT load action connects eleven clients
// per burst) must not keep the closed ones until it stops; the open ones still close when it does.
import net from 'node:net'
import v8 from 'node:v8'
import vm from 'node:vm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Session } from '../session/session'
import { Actors } from '../tap/actors'
import { LOOPBACK } from '../net/ports'
import { SceneContext } from './context'

v8.setFlagsFromString('--expose-gc')
const gc = vm.runInNewContext('gc') as () => void

const closed = (s: net.Socket): Promise<void> => new Promise((r) => (s.destroyed ? r() : s.once('close', () => r())))

describe('SceneContext sockets', () => {
  let server: net.Server
  let port = 0
  const accepted = new Set<net.Socket>()
  beforeAll(async () => {
    server = net.createServer((c) => {
      accepted.add(c)
      c.on('error', () => undefined)
      c.on('close', () => accepted.delete(c))
    })
    await new Promise<void>((r) => server.listen(0, LOOPBACK, r))
    port = (server.address() as net.AddressInfo).port
  })
  afterAll(() => {
    for (const c of accepted) c.destroy()
    return new Promise<void>((r) => server.close(() => r()))
  })

  it('forgets a built-in client connection once it closes, and closes the open ones when the lesson stops', async () => {
    const ctx = new SceneContext(new Session(), new Actors())
    const refs: WeakRef<net.Socket>[] = []
    for (let i = 0; i < 40; i++) {
      const s = await ctx.connectTcp({ node: `client:${i}`, label: `client ${i}` }, port)
      refs.push(new WeakRef(s))
      s.destroy()
      await closed(s)
    }
    const open = await ctx.connectTcp({ node: 'client:open', label: 'still open' }, port)
    // Let the sockets' own timers and callbacks finish before collecting.
    await new Promise((r) => setTimeout(r, 50))
    gc()
    gc()
    // All 40 stayed reachable before (one stop-time cleanup each); at most the newest may still be
    // referenced by the event loop's own bookkeeping.
    const kept = refs.filter((r) => r.deref() !== undefined).length
    expect(kept).toBeLessThanOrEqual(2)
    expect(open.destroyed).toBe(false)
    await ctx.stop()
    expect(open.destroyed).toBe(true)
  })
})
