import { describe, expect, it } from 'vitest'
import type { LabEvent, PduEvent } from '@shared/events'
import { buildStreams, selectedConnection, shownHeaders } from './model'

let seq = 0
const pdu = (conn: string, dir: 'c2s' | 's2c', keys: Record<string, string | number | boolean>): LabEvent => ({
  kind: 'pdu',
  seq: ++seq,
  t: seq,
  conn,
  dir,
  protocol: 'http2',
  summary: String(keys.type),
  fields: [],
  data: new Uint8Array(9),
  offset: 0,
  keys
})

describe('stream lanes model', () => {
  it('puts frames on lanes by stream id in wire order and counts interleaving', () => {
    const events: LabEvent[] = [
      { kind: 'conn.open', seq: ++seq, t: 0, conn: 'c1', transport: 'tcp', from: 'a', to: 'b', client: { host: '127.0.0.1', port: 5 }, server: { host: '127.0.0.1', port: 6 } },
      pdu('c1', 'c2s', { type: 'PREFACE', streamId: 0 }),
      pdu('c1', 'c2s', { type: 'HEADERS', streamId: 1, method: 'GET', path: '/a', endStream: true }),
      pdu('c1', 'c2s', { type: 'HEADERS', streamId: 3, method: 'GET', path: '/b', endStream: true }),
      pdu('c1', 's2c', { type: 'DATA', streamId: 1, length: 10, connWindow: 65525, streamWindow: 65525, windowDir: 's2c' }),
      pdu('c1', 's2c', { type: 'DATA', streamId: 3, length: 10, connWindow: 65515, streamWindow: 65525, windowDir: 's2c' }),
      pdu('c1', 's2c', { type: 'DATA', streamId: 1, length: 10, connWindow: 65505, streamWindow: 65515, windowDir: 's2c', endStream: true }),
      pdu('c1', 'c2s', { type: 'WINDOW_UPDATE', streamId: 0, increment: 30, connWindow: 65535, windowDir: 's2c' }),
      pdu('c2', 'c2s', { type: 'PREFACE', streamId: 0 })
    ]
    const m = buildStreams(events, 'c1')
    expect(m.lanes.map((l) => l.streamId)).toEqual([0, 1, 3])
    expect(m.lanes[1].frames.map((f) => f.at)).toEqual([1, 3, 5])
    expect(m.lanes[1]).toMatchObject({ path: '/a', window: 65515, ended: true })
    expect(m.interleaved).toBe(2)
    expect(m.connWindow.map((p) => p.window)).toEqual([65525, 65515, 65505, 65535])
    expect(m.connections.map((c) => c.conn)).toEqual(['c1', 'c2'])
    expect(buildStreams(events, null).conn).toBe('c2')
  })

  it('follows the selected frame’s connection and explains the selected HEADERS, else the newest request', () => {
    const req1 = pdu('c1', 'c2s', { type: 'HEADERS', streamId: 1 }) as PduEvent
    const resp1 = pdu('c1', 's2c', { type: 'HEADERS', streamId: 1 }) as PduEvent
    const req3 = pdu('c1', 'c2s', { type: 'HEADERS', streamId: 3 }) as PduEvent
    const data = pdu('c1', 's2c', { type: 'DATA', streamId: 3 }) as PduEvent
    const tcp = { ...(pdu('c2', 'c2s', { type: 'x' }) as PduEvent), protocol: 'tcp' }
    const pdus = [req1, resp1, req3, data, tcp]
    expect(selectedConnection(pdus, data.seq)).toBe('c1')
    expect(selectedConnection(pdus, tcp.seq)).toBeNull()
    expect(selectedConnection(pdus, null)).toBeNull()
    expect(shownHeaders(pdus, 'c1', resp1.seq)).toBe(resp1)
    expect(shownHeaders(pdus, 'c1', data.seq)).toBe(req3)
    expect(shownHeaders(pdus, 'c2', null)).toBeNull()
  })
})
