import { afterEach, describe, expect, it } from 'vitest'
import net from 'node:net'
import dgram from 'node:dgram'
import { bindUdp, listenTcp, listenWithFallback, LOOPBACK } from './ports'
import { Lab } from '../lab'

const open: { close(): unknown }[] = []
afterEach(() => {
  for (const s of open.splice(0)) s.close()
})

async function takenTcpPort(): Promise<number> {
  const blocker = net.createServer()
  open.push(blocker)
  return listenTcp(blocker, 0, LOOPBACK)
}

describe('port fallback', () => {
  it('uses the preferred port when free', async () => {
    const free = await takenTcpPort()
    open.pop()?.close()
    await new Promise((r) => setTimeout(r, 10))
    const server = net.createServer()
    open.push(server)
    const r = await listenWithFallback((p) => listenTcp(server, p, LOOPBACK), free)
    expect(r).toEqual({ port: free, fellBack: false })
  })

  it('falls back to another port when the preferred TCP port is taken, and says so', async () => {
    const taken = await takenTcpPort()
    const server = net.createServer()
    open.push(server)
    const r = await listenWithFallback((p) => listenTcp(server, p, LOOPBACK), taken)
    expect(r.fellBack).toBe(true)
    expect(r.port).not.toBe(taken)
  })

  it('falls back for UDP too', async () => {
    const blocker = dgram.createSocket('udp4')
    open.push(blocker)
    const taken = await bindUdp(blocker, 0, LOOPBACK)
    const sock = dgram.createSocket('udp4')
    open.push(sock)
    const r = await listenWithFallback((p) => bindUdp(sock, p, LOOPBACK), taken)
    expect(r.fellBack).toBe(true)
    expect(r.port).not.toBe(taken)
  })

  it('a lesson whose public port is taken still starts, on another port, with a visible note', async () => {
    // Take 65432 (if another program already holds it, the lesson must fall back all the same).
    const blocker = net.createServer()
    open.push(blocker)
    await listenTcp(blocker, 65432, LOOPBACK).catch(() => undefined)
    const lab = new Lab()
    try {
      const status = await lab.start('tcp-udp-echo')
      const tcp = status.ports.find((p) => p.name === 'tcp')
      expect(tcp?.preferred).toBe(65432)
      expect(tcp?.fellBack).toBe(true)
      expect(tcp?.port).not.toBe(65432)
      expect(tcp?.host).toBe('127.0.0.1')
      const note = lab.session.events.find((e) => e.kind === 'note' && e.key === 'port.fallback')
      expect(note && note.kind === 'note' && note.text.en).toContain('65432')
      // and it still works on the fallback port
      const r = await lab.action('send-tcp', { message: 'ainda funciona' })
      expect(r.ok).toBe(true)
    } finally {
      await lab.stop()
    }
  })
})
