import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import fc from 'fast-check'
import { spawn, spawnSync } from 'node:child_process'
import type { LabEvent, PduEvent } from '../../../../shared/events'
import { Lab } from '../../lab'
import { rangeProblems } from '../../dissect/fields'
import { createDissector } from '..'
import { digest, feedBoth, streamsOf } from '../../testing/streams'
import { sseOrWebSocket } from './dissector'
import { SseAccumulator, splitLines } from './event-stream'
import { ANSWER } from './server'

const has = (tool: string): boolean => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0
const pdusOf = (events: readonly LabEvent[]): PduEvent[] =>
  events.filter((e): e is PduEvent => e.kind === 'pdu' && !e.modeled)
const FAST = { interval: 60, retry: 120, tokenMs: 10, before: 3 }

describe('event-stream parser', () => {
  it('follows the dispatch rules: data lines joined, event type, id, retry, comments', () => {
    const text =
      'retry: 2500\n: heartbeat\nevent: alerta\nid: 7\ndata: linha 1\ndata:linha 2\r\n\ndata: sem tipo\n\n'
    const { lines, consumed } = splitLines(new TextEncoder().encode(text + 'data: incomp'))
    expect(consumed).toBe(new TextEncoder().encode(text).length)
    const acc = new SseAccumulator()
    const events = lines.map((l) => acc.line(l)).filter((e) => e !== null)
    expect(acc.retry).toBe(2500)
    expect(events).toEqual([
      { type: 'alerta', data: 'linha 1\nlinha 2', lastEventId: '7', hasId: true },
      { type: 'message', data: 'sem tipo', lastEventId: '7', hasId: false }
    ])
    expect(lines.map((l) => l.kind)).toEqual([
      'retry',
      'comment',
      'event',
      'id',
      'data',
      'data',
      'blank',
      'data',
      'blank'
    ])
  })
})

describe('sse lesson, real HTTP traffic', () => {
  let lab: Lab
  let events: LabEvent[]
  let metrics: { ids: string[]; lastEventIdSent: string[]; connections: number }
  let chat: { tokens: string[]; text: string }
  beforeAll(async () => {
    lab = new Lab({ ephemeralPorts: true })
    await lab.start('sse', FAST)
    const m = await lab.action('metrics')
    expect(m.ok, JSON.stringify(m.message)).toBe(true)
    metrics = m.data as typeof metrics
    const c = await lab.action('chat')
    expect(c.ok, JSON.stringify(c.message)).toBe(true)
    chat = c.data as typeof chat
    events = [...lab.session.events]
  })
  afterAll(async () => {
    await lab.stop()
  })

  it('the client reconnects with Last-Event-ID and the stream resumes at the next id', () => {
    expect(metrics.connections).toBe(2)
    const ids = metrics.ids.map(Number)
    // No gap and no repeat across the cut.
    expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => i + 1))
    const pdus = pdusOf(events)
    const gets = pdus.filter((p) => p.protocol === 'http' && p.keys?.method === 'GET')
    expect(gets).toHaveLength(2)
    expect(gets[0].keys?.lastEventId).toBeUndefined()
    const firstConnIds = pdus
      .filter((p) => p.conn === gets[0].conn && p.protocol === 'sse' && p.keys?.id !== undefined)
      .map((p) => Number(p.keys?.id))
    const lastSeen = firstConnIds.at(-1)
    expect(gets[1].keys?.lastEventId).toBe(String(lastSeen))
    expect(metrics.lastEventIdSent).toEqual([String(lastSeen)])
    const resumed = pdus.find(
      (p) => p.conn === gets[1].conn && p.protocol === 'sse' && p.keys?.id !== undefined
    )
    expect(Number(resumed?.keys?.id)).toBe(Number(lastSeen) + 1)
    // The first connection was closed by the server (the cut).
    expect(events.find((e) => e.kind === 'conn.close' && e.conn === gets[0].conn)).toMatchObject({
      by: 'server'
    })
  })

  it('dissects retry:, comments and event/id/data lines with byte ranges', () => {
    const sse = pdusOf(events).filter((p) => p.protocol === 'sse')
    const retry = sse.find((p) => p.keys?.retry !== undefined) as PduEvent
    expect(retry.keys?.retry).toBe(FAST.retry)
    const metric = sse.find((p) => p.keys?.id === '2') as PduEvent
    const chunkData = metric.fields.find((f) => f.id === 'http.chunk_data')
    const lines = chunkData?.children ?? []
    expect(lines.map((l) => l.id)).toEqual(['sse.id', 'sse.event', 'sse.data', 'sse.dispatch'])
    const data = lines.find((l) => l.id === 'sse.data')
    const value = data?.children?.find((c) => c.name === 'Value')
    expect(new TextDecoder().decode(metric.data.subarray(value?.start, value?.end))).toBe(
      String(metric.keys?.data)
    )
    expect(sse.some((p) => p.fields.some((f) => f.children?.some((c) => c.id === 'sse.comment')))).toBe(true)
    for (const p of pdusOf(events)) expect(rangeProblems(p.fields, p.data.length), p.summary).toEqual([])
  })

  it('the LLM stream carries the answer one token per event, then [DONE]', () => {
    const pdus = pdusOf(events)
    const tokens = pdus.filter((p) => p.keys?.token !== undefined).map((p) => String(p.keys?.token))
    expect(tokens.length).toBeGreaterThan(10)
    expect(tokens).toEqual(chat.tokens)
    expect(tokens.join('')).toBe(ANSWER)
    expect(pdus.some((p) => p.keys?.done === true)).toBe(true)
    const post = pdus.find((p) => p.keys?.method === 'POST')
    expect(post?.keys?.target).toBe('/v1/chat/completions')
    expect(pdus.find((p) => p.keys?.stream === true)).toBeDefined()
  })

  it('gives the same PDUs when the streams are split at every offset', () => {
    for (const s of streamsOf(events)) {
      const whole = digest(feedBoth(sseOrWebSocket, s, [], []))
      expect(whole.some((d) => d.includes('MALFORMED'))).toBe(false)
      for (let i = 1; i < s.c2s.length; i++)
        expect(digest(feedBoth(sseOrWebSocket, s, [i], []))).toEqual(whole)
      for (let i = 1; i < s.s2c.length; i++)
        expect(digest(feedBoth(sseOrWebSocket, s, [], [i]))).toEqual(whole)
    }
  }, 60_000)
})

describe('the same feed over SSE and WebSocket', () => {
  it('carries the same metrics both ways; the port tells SSE and WebSocket apart', async () => {
    const lab = new Lab({ ephemeralPorts: true })
    await lab.start('sse', FAST)
    try {
      const r = await lab.action('compare')
      expect(r.ok, JSON.stringify(r.message)).toBe(true)
      const data = r.data as { sse: string[]; ws: string[] }
      expect(
        data.ws
          .map((w) => JSON.parse(w) as { cpu: number; ts: number })
          .map(({ cpu, ts }) => JSON.stringify({ cpu, ts }))
      ).toEqual(data.sse)
      const events = [...lab.session.events]
      const pdus = pdusOf(events)
      const frames = pdus.filter((p) => p.protocol === 'websocket' && p.dir === 's2c' && p.keys?.opcode === 1)
      expect(frames.map((f) => String(f.keys?.text))).toEqual(data.ws.slice(0, frames.length))
      expect(frames.length).toBeGreaterThanOrEqual(3)
      expect(
        pdus.filter((p) => p.protocol === 'sse' && p.keys?.id !== undefined).length
      ).toBeGreaterThanOrEqual(3)
      expect(pdus.some((p) => p.malformed)).toBe(false)
      for (const s of streamsOf(events)) {
        const whole = digest(feedBoth(sseOrWebSocket, s, [], []))
        for (let i = 1; i < s.c2s.length; i++)
          expect(digest(feedBoth(sseOrWebSocket, s, [i], []))).toEqual(whole)
        for (let i = 1; i < s.s2c.length; i++)
          expect(digest(feedBoth(sseOrWebSocket, s, [], [i]))).toEqual(whole)
      }
    } finally {
      await lab.stop()
    }
  })
})

describe('external clients', () => {
  it.skipIf(!has('curl'))('curl with Last-Event-ID resumes after that id', async () => {
    const lab = new Lab({ ephemeralPorts: true })
    const status = await lab.start('sse', FAST)
    try {
      const port = status.ports[0].port
      const curl = spawn(
        'curl',
        ['-sN', '-H', 'Last-Event-ID: 5', `http://127.0.0.1:${port}/stream/metricas`],
        { stdio: ['ignore', 'pipe', 'ignore'] }
      )
      let out = ''
      await new Promise<void>((resolve) => {
        curl.stdout.on('data', (c: Buffer) => {
          out += c.toString()
          if (/id: 6\n/.test(out)) resolve()
        })
      })
      curl.kill()
      expect(out).toMatch(/^retry: \d+\n: retomando depois do id 5\n\nid: 6\n/)
      const ext = lab.session.events.find((e) => e.kind === 'node' && e.external)
      expect(ext).toBeDefined()
      const get = pdusOf(lab.session.events).find((p) => p.keys?.method === 'GET')
      expect(get?.keys?.lastEventId).toBe('5')
    } finally {
      await lab.stop()
    }
  })
})

describe('sse dissector on garbage', () => {
  it('never throws and keeps ranges sound', () => {
    const head = fc.constantFrom(
      '',
      'HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n',
      'HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n',
      'POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\n'
    )
    fc.assert(
      fc.property(
        head,
        fc.uint8Array({ maxLength: 300 }),
        fc.array(fc.integer({ min: 1, max: 500 }), { maxLength: 6 }),
        (h, body, cuts) => {
          const d = createDissector('sse')
          const all = new Uint8Array([...new TextEncoder().encode(h), ...body])
          let at = 0
          for (const c of [...cuts.filter((c) => c < all.length).sort((a, b) => a - b), all.length]) {
            if (c <= at) continue
            for (const p of d.push('s2c', all.slice(at, c), at))
              expect(rangeProblems(p.fields, p.data.length)).toEqual([])
            at = c
          }
          for (const p of d.end?.('s2c') ?? []) expect(rangeProblems(p.fields, p.data.length)).toEqual([])
        }
      ),
      { numRuns: 400 }
    )
  })
})
