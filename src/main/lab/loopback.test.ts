// Every server of every lesson binds loopback only (unless classroom mode asks otherwise): read
// from the kernel's socket tables while each lesson runs.
import { existsSync, readFileSync, readdirSync, readlinkSync } from 'node:fs'
import net from 'node:net'
import { afterAll, describe, expect, it } from 'vitest'
import { Lab } from './lab'

function ownSockets(): { proto: string; local: string; port: number; state: string }[] {
  const inodes = new Set<string>()
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`))
      if (m) inodes.add(m[1])
    } catch {
      // fd closed meanwhile
    }
  }
  const out: { proto: string; local: string; port: number; state: string }[] = []
  for (const proto of ['tcp', 'tcp6', 'udp', 'udp6']) {
    const file = `/proc/net/${proto}`
    if (!existsSync(file)) continue
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/)
      if (cols.length < 10 || !inodes.has(cols[9])) continue
      const [addrHex, portHex] = cols[1].split(':')
      let local: string
      if (addrHex.length === 8)
        local = [3, 2, 1, 0].map((i) => parseInt(addrHex.slice(i * 2, i * 2 + 2), 16)).join('.')
      else
        local =
          addrHex === '00000000000000000000000000000000'
            ? '::'
            : addrHex === '0000000000000000FFFF00000100007F'
              ? '::ffff:127.0.0.1'
              : addrHex === '00000000000000000000000001000000'
                ? '::1'
                : addrHex
      out.push({ proto, local, port: parseInt(portHex, 16), state: cols[3] })
    }
  }
  return out
}

const LISTEN = '0A'
const isLoopback = (a: string): boolean => a.startsWith('127.') || a === '::1' || a === '::ffff:127.0.0.1'

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

  for (const scene of new Lab().scenes()) {
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
