// The gRPC lanes and the unwrap, computed from events the real dissector produced on a recording
// of grpc-js traffic (the dissector's own fixture).
import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { BytesEvent, LabEvent, PduEvent } from '@shared/events'
import { createGrpcDissector } from '../../../../main/lab/protocols/grpc/dissector'
import '../../../../main/lab/protocols'
import { buildCalls } from './model'
import { pickMessage, unwrap } from '../unwrap/model'

function eventsOf(fixture: string): LabEvent[] {
  const r = JSON.parse(
    readFileSync(
      path.join(__dirname, '../../../../main/lab/protocols/grpc/fixtures', `${fixture}.json`),
      'utf8'
    )
  ) as { chunks: { dir: 'c2s' | 's2c'; offset: number; hex: string }[] }
  const d = createGrpcDissector()
  const out: LabEvent[] = [
    {
      kind: 'conn.open',
      seq: 1,
      t: 0,
      conn: 'c1',
      transport: 'tcp',
      from: 'client',
      to: 'server',
      client: { host: '127.0.0.1', port: 40000 },
      server: { host: '127.0.0.1', port: 50051 }
    }
  ]
  for (const c of r.chunks) {
    const data = new Uint8Array(Buffer.from(c.hex, 'hex'))
    out.push({
      kind: 'bytes',
      seq: out.length + 1,
      t: out.length,
      conn: 'c1',
      dir: c.dir,
      offset: c.offset,
      data
    } as BytesEvent)
    for (const p of d.push(c.dir, data, c.offset))
      out.push({ ...p, kind: 'pdu', seq: out.length + 1, t: out.length, conn: 'c1' } as PduEvent)
  }
  return out
}

describe('gRPC lanes', () => {
  it('one lane per call with its type and status; calls made one after another restart at column 0', () => {
    const m = buildCalls(eventsOf('grpc-js-calls'), null)
    expect(m.conn).toBe('c1')
    expect(m.lanes.map((l) => [l.method, l.callType, l.statusName ?? l.reset])).toEqual([
      ['GetTemperatura', 'unary', 'OK'],
      ['StreamLeituras', 'server-streaming', 'OK'],
      ['EnviarLeituras', 'client-streaming', 'OK'],
      ['Conversar', 'bidi', 'OK'],
      ['GetTemperatura', 'unary', 'NOT_FOUND'],
      ['StreamLeituras', 'server-streaming', 'CANCEL'],
      ['StreamLeituras', 'server-streaming', 'CANCEL'],
      ['Apagar', undefined, 'UNIMPLEMENTED'],
      ['GetTemperatura', 'unary', 'OK']
    ])
    // Sequential calls start at the left; Apagar (stream 15) started while stream 13 was still open.
    expect(m.lanes.map((l) => l.items[0].at === 0)).toEqual([
      true,
      true,
      true,
      true,
      true,
      true,
      true,
      false,
      true
    ])
    const stream = m.lanes[1]
    expect([stream.requests, stream.responses, stream.halfClosed]).toEqual([1, 3, true])
    expect(m.lanes[5].timeoutMs).toBeGreaterThan(0)
    expect(m.lanes[7].unknown).toBe(true)
  })
})

describe('gRPC unwrap', () => {
  it('finds the DATA frame and the TCP chunk holding a message, with the ranges of each layer', () => {
    const events = eventsOf('grpc-js-four')
    const m = pickMessage(events, null)!
    const u = unwrap(events, m)
    expect(u.frames).toHaveLength(1)
    const f = u.frames[0]
    expect(Buffer.from(f.frame.data.subarray(f.start, f.end)).equals(Buffer.from(m.data))).toBe(true)
    expect(u.chunks.length).toBeGreaterThan(0)
    const c = u.chunks[0]
    expect(
      Buffer.from(c.chunk.data.subarray(c.start, c.end)).equals(
        Buffer.from(m.data.subarray(0, c.end - c.start))
      )
    ).toBe(true)
    expect(u.prefix.flag?.start).toBe(0)
    expect(u.protobuf.length).toBeGreaterThan(0)
  })

  it('a message spanning DATA frames unwraps into all of them', () => {
    const events = eventsOf('grpc-js-large')
    const big = events.find(
      (e): e is PduEvent => e.kind === 'pdu' && e.protocol === 'grpc' && e.keys?.grpc === 'message'
    )!
    const u = unwrap(events, big)
    expect(u.frames.length).toBeGreaterThanOrEqual(3)
    expect(u.frames.reduce((n, f) => n + f.end - f.start, 0)).toBe(big.data.length)
    // Selecting one of those DATA frames unwraps the message it carries.
    expect(pickMessage(events, u.frames[1].frame.seq)?.seq).toBe(big.seq)
  })
})
