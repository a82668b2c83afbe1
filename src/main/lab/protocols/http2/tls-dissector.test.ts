import { describe, expect, it } from 'vitest'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import type { PduEvent } from '../../../../shared/events'
import { has, waitForEvents } from '../../testing/events'
import { connections, problemsOf, runScene } from '../../testing/capture'

const run = promisify(execFile)

describe('HTTP/2 over TLS (ALPN h2) on the lesson TLS port', () => {
  it('shows ALPN h2 in the ClientHello, then the HTTP/2 frames inside the decrypted records', async () => {
    const { lab, events } = await runScene('http2', { streams: 3, size: 3000 }, { id: 'fetch-tls' })
    try {
      const conn = connections(events).find((c) => c.tap === 'h2')!
      const pdus = events.filter((e): e is PduEvent => e.kind === 'pdu' && e.conn === conn.conn)
      const hello = pdus.find((p) => p.protocol === 'tls' && p.keys?.handshakeType === 1)
      expect(hello?.keys?.alpn).toBe('h2')
      const frames = pdus.filter((p) => p.protocol === 'http2')
      expect(frames.every((p) => !p.malformed && p.offset === -1)).toBe(true)
      expect(frames.find((p) => p.dir === 'c2s')?.keys?.type).toBe('PREFACE')
      const reqs = frames.filter((p) => p.dir === 'c2s' && p.keys?.type === 'HEADERS')
      expect(reqs.map((p) => [p.keys?.streamId, p.keys?.path])).toEqual([
        [1, '/tiles/1'],
        [3, '/tiles/2'],
        [5, '/tiles/3']
      ])
      const data = frames.filter((p) => p.dir === 's2c' && p.keys?.type === 'DATA')
      expect(data.reduce((n, p) => n + Number(p.keys?.dataLength), 0)).toBe(9000)
      expect(problemsOf(pdus)).toEqual([])
    } finally {
      await lab.stop()
    }
  })

  it.skipIf(!has('curl'))('curl --http2 over TLS negotiates h2 and its request appears as frames', async () => {
    const { lab } = await runScene('http2', { streams: 1 })
    try {
      const port = lab.status()!.ports.find((p) => p.name === 'h2')!.port
      const { stdout } = await run('curl', ['-s', '-k', '--http2', `https://127.0.0.1:${port}/items/2`])
      expect(JSON.parse(stdout)).toEqual({ name: 'Mouse', price: 50 })
      const events = await waitForEvents(lab.session, (ev) => ev.some((e) => e.kind === 'conn.close' && connections(ev).some((c) => c.conn === e.conn && c.tap === 'h2')))
      const conn = connections(events).find((c) => c.tap === 'h2')!
      const pdus = events.filter((e): e is PduEvent => e.kind === 'pdu' && e.conn === conn.conn)
      expect(String(pdus.find((p) => p.keys?.handshakeType === 1)?.keys?.alpn)).toMatch(/h2/)
      const resp = pdus.find((p) => p.protocol === 'http2' && p.dir === 's2c' && p.keys?.type === 'HEADERS')
      expect(resp?.keys?.status).toBe(200)
      expect(problemsOf(pdus)).toEqual([])
    } finally {
      await lab.stop()
    }
  })
})
