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
    const old = { node: 'sub:living-room', label: 'Living room' }
    // Ports the lesson's clients held (claimed, as a library's own socket claims its port).
    const held = [await first.localPortFor(old), await first.localPortFor(old), await first.localPortFor(old)]
    expect(actors.claimed).toBe(3)
    await first.stop()
    expect(actors.claimed).toBe(0)

    const second = new SceneContext(session, actors)
    const tap2 = await tapIn(second)
    // A person's own client that gets one of those ports (the first one free: another process may
    // have taken one meanwhile).
    let own: net.Socket | null = null
    for (const localPort of held) {
      const s = net.connect({ host: LOOPBACK, port: tap2.port.port, localAddress: LOOPBACK, localPort })
      const ok = await new Promise<boolean>((r) => {
        s.once('connect', () => r(true))
        s.once('error', () => r(false))
      })
      if (ok) {
        own = s
        break
      }
    }
    expect(own).not.toBeNull()
    own!.on('error', () => undefined)
    const opens = await waitForEvents(session, (ev) => ev.some((e) => e.kind === 'conn.open'))
    const open = opens.find((e): e is ConnOpenEvent => e.kind === 'conn.open')!
    expect(held).toContain(open.client.port)
    expect(open.client.port).toBe(own!.localPort)
    expect(open.from).not.toBe('sub:living-room')
    expect(open.from).toMatch(/^ext/)
    own!.destroy()
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
