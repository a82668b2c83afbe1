import { afterEach, describe, expect, it } from 'vitest'
import net from 'node:net'
import { Session } from '../session/session'
import { Actors } from './actors'
import { TcpTap } from './tcp-tap'
import { listenTcp, LOOPBACK } from '../net/ports'
import { waitForEvents } from '../testing/events'
import '../protocols/tcp/dissector'

const cleanup: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn()
})

describe('TCP tap: half-open connections', () => {
  it('closes a connection whose server never answers the client’s FIN, after the idle time, and says so', async () => {
    // A server that keeps its side open forever after the client's FIN.
    const held: net.Socket[] = []
    const server = net.createServer({ allowHalfOpen: true }, (s) => {
      held.push(s)
      s.on('error', () => undefined)
    })
    const port = await listenTcp(server, 0, LOOPBACK)
    cleanup.push(() => new Promise<void>((r) => server.close(() => r())))
    cleanup.push(() => held.forEach((s) => s.destroy()))
    const session = new Session()
    const tap = new TcpTap({
      session,
      actors: new Actors(),
      name: 'tcp',
      host: LOOPBACK,
      preferredPort: 0,
      target: { host: LOOPBACK, port },
      dissector: 'tcp',
      server: { node: 'srv', label: 'Silent server' },
      halfCloseIdleMs: 150
    })
    await tap.start()
    cleanup.push(() => tap.close())
    const client = net.connect({ port: tap.port.port, host: LOOPBACK, allowHalfOpen: true })
    client.on('error', () => undefined)
    await new Promise<void>((r) => client.once('connect', () => r()))
    client.end('bye')
    const events = await waitForEvents(session, (ev) => ev.some((e) => e.kind === 'conn.close'), 3000)
    const close = events.find((e) => e.kind === 'conn.close')
    expect(close).toMatchObject({ by: 'wirelab', how: 'idle' })
    expect(tap.openConnections).toBe(0)
    // The client's FIN was modeled before the tap gave up.
    expect(events.some((e) => e.kind === 'pdu' && e.modeled && e.dir === 'c2s' && String(e.keys?.flags).includes('FIN'))).toBe(true)
  })
})
