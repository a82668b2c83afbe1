// Every server of every lesson binds loopback only (unless classroom mode asks otherwise): read
// from the kernel's socket tables while each lesson runs.
import net from 'node:net'
import { afterAll, describe, expect, it } from 'vitest'
import { Lab } from './lab'
import { isLoopback, LISTEN, socketsOf, type SocketInfo } from './testing/events'

const ownSockets = (): SocketInfo[] => socketsOf('self')

describe.runIf(process.platform === 'linux')('every lesson binds loopback only', () => {
  const labs: Lab[] = []
  afterAll(async () => {
    for (const l of labs) await l.stop()
  })

  it('the check sees a server bound to every interface', async () => {
    const server = net.createServer()
    await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve))
    const port = (server.address() as net.AddressInfo).port
    try {
      expect(ownSockets().find((s) => s.port === port && s.state === LISTEN)).toMatchObject({
        local: '0.0.0.0'
      })
    } finally {
      server.close()
    }
  })

  // (A lesson on an installed server runs it as another process: its own test checks that process's sockets.)
  for (const scene of new Lab().scenes().filter((s) => s.installedServer === undefined)) {
    it(`${scene.id}: public ports and hidden servers listen on 127.0.0.1`, async () => {
      const lab = new Lab({ ephemeralPorts: true })
      labs.push(lab)
      const status = await lab.start(scene.id, {})
      expect(status.ports.length).toBe(scene.ports.length)
      for (const p of status.ports) {
        expect(p.host).toBe('127.0.0.1')
        expect(p.port).toBeGreaterThan(0)
      }
      const sockets = ownSockets()
      const listening = sockets.filter(
        (s) => (s.proto.startsWith('tcp') && s.state === LISTEN) || s.proto.startsWith('udp')
      )
      const exposed = listening.filter((s) => !isLoopback(s.local))
      expect(exposed, 'sockets bound to a non-loopback address').toEqual([])
      for (const p of status.ports)
        expect(
          listening.some((s) => s.proto.startsWith(p.transport) && s.port === p.port && isLoopback(s.local)),
          `${p.name} ${p.transport}/${p.port}`
        ).toBe(true)
      await lab.stop()
    })
  }
})
