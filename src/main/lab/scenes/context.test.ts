// A lesson that opens and closes connections all hour (the MQTT load action connects eleven clients
// per burst) must not keep the closed ones until it stops; the open ones still close when it does.
import net from 'node:net'
import v8 from 'node:v8'
import vm from 'node:vm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Session } from '../session/session'
import { Actors } from '../tap/actors'
import { LOOPBACK } from '../net/ports'
import { waitForEvents } from '../testing/events'
import type { ConnOpenEvent } from '../../../shared/events'
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

describe('SceneContext port claims', () => {
  let server: net.Server
  let port = 0
  beforeAll(async () => {
    server = net.createServer((c) => {
      c.on('error', () => undefined)
      c.pipe(c)
    })
    await new Promise<void>((r) => server.listen(0, LOOPBACK, r))
    port = (server.address() as net.AddressInfo).port
  })
  afterAll(() => new Promise<void>((r) => server.close(() => r())))

  const tapIn = (ctx: SceneContext) =>
    ctx.tcpTap({ name: 'tcp', preferredPort: 0, target: { host: LOOPBACK, port }, dissector: 'tcp', server: { node: 'server', label: 'Server' } })

  it('a stopped lesson’s client no longer names the port it had: the next one to connect from it is its own actor', async () => {
    // The engine's actors outlive lessons; the kernel hands a closed client's port out again, to
    // another lesson's client or a person's own. That connection must not be drawn as the old client.
    const session = new Session()
    const actors = new Actors()
    const first = new SceneContext(session, actors)
    const tap1 = await tapIn(first)
    const old = await first.connectTcp({ node: 'sub:living-room', label: 'Living room' }, tap1.port.port)
    const reused = old.localPort!
    expect(actors.claimed).toBe(1)
    // Closed with a reset: no TIME_WAIT, so the port can be bound again at once.
    old.resetAndDestroy()
    await closed(old)
    await first.stop()
    expect(actors.claimed).toBe(0)

    const second = new SceneContext(session, actors)
    const tap2 = await tapIn(second)
    // A person's own client that happens to get the same local port.
    const own = net.connect({ host: LOOPBACK, port: tap2.port.port, localAddress: LOOPBACK, localPort: reused })
    own.on('error', () => undefined)
    const opens = await waitForEvents(session, (ev) => ev.filter((e) => e.kind === 'conn.open').length === 2)
    const open = opens.filter((e): e is ConnOpenEvent => e.kind === 'conn.open')[1]
    expect(open.client.port).toBe(reused)
    expect(open.from).not.toBe('sub:living-room')
    expect(open.from).toMatch(/^ext/)
    own.destroy()
    await second.stop()
  })

  it('a claim taken back leaves a later claim of the same port in place', () => {
    const actors = new Actors()
    const a = { node: 'a', label: 'A' }
    const b = { node: 'b', label: 'B' }
    const ctx = new SceneContext(new Session(), actors)
    const releaseA = ctx.claim('tcp', 40100, a)
    ctx.claim('tcp', 40100, b)
    releaseA()
    expect(actors.claimed).toBe(1)
    return expect(actors.lookup('tcp', 40100)).resolves.toEqual(b)
  })
})
