// The REST vs gRPC vs GraphQL lesson with real servers and clients: the same screen fetched three
// ways with measured bytes and round trips, HPACK shrinking gRPC's repeat call, N+1, the
// GraphQL-over-HTTP status codes and media types, streaming vs polling, the query box; and the
// headless run printing the three byte counts and round trips.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import type { CheckpointEvent, LabEvent, PduEvent } from '../../../../shared/events'
import { STEP } from '../../../../shared/lessons/api-compare'
import { jsonBody, measureStep, printableShare } from '../../../../shared/lessons/api-compare-measure'
import { Lab } from '../../lab'

const run = promisify(execFile)
const root = path.resolve(__dirname, '../../../../..')

const answer = (events: readonly LabEvent[], id: string): string[] | undefined =>
  events
    .filter((e): e is CheckpointEvent => e.kind === 'checkpoint' && e.id === id && e.state === 'answer')
    .at(-1)?.answer

const keysOf = (p: PduEvent): string[] => {
  const body = jsonBody(p)
  const out: string[] = []
  const walk = (fields: { id?: string; name: string; children?: unknown[] }[], at: string): void => {
    for (const f of fields)
      if (f.id === 'json.member') {
        out.push(at + f.name)
        walk(
          ((f.children as { id?: string; children?: unknown[] }[])[1]?.children ?? []) as {
            id?: string
            name: string
            children?: unknown[]
          }[],
          `${at}${f.name}.`
        )
      } else if (f.children) walk(f.children as { id?: string; name: string; children?: unknown[] }[], at)
  }
  walk(body?.children ?? [], '')
  return out
}

describe('REST vs gRPC vs GraphQL (in process)', () => {
  const lab = new Lab({ ephemeralPorts: true })
  beforeAll(() => lab.start('api-compare', {}))
  afterAll(() => lab.stop())

  it('fetches the same screen three ways, each on a new connection, and measures them', async () => {
    expect((await lab.action('fetch', {})).ok).toBe(true)
    const f = measureStep(lab.session.events, STEP.fetch)
    for (const api of ['rest', 'graphql', 'grpc'] as const) {
      expect(f[api].newConnections).toBe(1)
      expect(f[api].requests).toBe(1)
      expect(f[api].sent).toBeGreaterThan(0)
      expect(f[api].received).toBeGreaterThan(0)
    }
    expect([f.rest.transport, f.graphql.transport, f.grpc.transport]).toEqual([
      'HTTP/1.1',
      'HTTP/1.1',
      'HTTP/2'
    ])
    // HTTP/1.1: the TCP handshake and one exchange; gRPC waits for the server's SETTINGS first.
    expect([f.rest.roundTrips, f.graphql.roundTrips, f.grpc.roundTrips]).toEqual([2, 2, 3])
    // GraphQL's request carries the query, so it is bigger than REST's GET; its answer is smaller.
    expect(f.graphql.sent).toBeGreaterThan(f.rest.sent)
    expect(f.graphql.received).toBeLessThan(f.rest.received)
    // REST over-fetches: the response has every field; GraphQL's only the ones asked for.
    expect(keysOf(f.rest.responses[0])).toEqual(
      expect.arrayContaining(['id', 'local', 'modelo', 'bateria', 'leituras', 'firmware'])
    )
    expect(new Set(keysOf(f.graphql.responses[0]))).toEqual(
      new Set([
        'data',
        'data.sensor',
        'data.sensor.local',
        'data.sensor.leituras',
        'data.sensor.leituras.valor'
      ])
    )
    expect(printableShare(f.rest.responses[0].data)).toBe(1)
    expect(printableShare(f.grpc.responses[0].data)).toBeLessThan(1)
    const smallest = Math.min(f.rest.received, f.graphql.received, f.grpc.received)
    expect(answer(lab.session.events, 'compare-smallest')).toEqual(
      (['rest', 'graphql', 'grpc'] as const).filter((a) => f[a].received === smallest)
    )
  })

  it('repeat: no new connections; gRPC’s second request is much smaller (HPACK), HTTP/1.1’s is not', async () => {
    const first = measureStep(lab.session.events, STEP.fetch)
    expect((await lab.action('repeat', {})).ok).toBe(true)
    const again = measureStep(lab.session.events, STEP.repeat)
    for (const api of ['rest', 'graphql', 'grpc'] as const) {
      expect(again[api].newConnections).toBe(0)
      expect(again[api].roundTrips).toBe(1)
    }
    expect(again.rest.sent).toBe(first.rest.sent)
    expect(again.grpc.sent).toBeLessThan(first.grpc.sent / 2)
  })

  it('N+1: REST needs the list and one request per sensor; GraphQL one query', async () => {
    expect((await lab.action('n-plus-1', {})).ok).toBe(true)
    const f = measureStep(lab.session.events, STEP.nPlusOne)
    expect(f.rest.requests).toBe(4)
    expect(f.graphql.requests).toBe(1)
    expect(answer(lab.session.events, 'compare-n-plus-1')).toEqual(['4'])
  })

  it('errors: the GraphQL-over-HTTP statuses and media types, REST codes, gRPC trailers', async () => {
    expect((await lab.action('errors', {})).ok).toBe(true)
    const f = measureStep(lab.session.events, STEP.errors)
    expect(f.graphql.statuses).toEqual([200, 200, 200, 400])
    expect(f.graphql.mediaTypes.map((m) => m.split(';')[0])).toEqual([
      'application/json',
      'application/graphql-response+json',
      'application/json',
      'application/graphql-response+json'
    ])
    expect(f.rest.statuses).toEqual([404, 400])
    expect(f.grpc.statuses).toEqual([200])
    expect(f.grpc.grpcStatuses).toEqual([5])
    expect(answer(lab.session.events, 'compare-errors-200')).toEqual(['200'])
  })

  it('streaming: one gRPC request, three messages; REST three polls; no GraphQL subscription over HTTP', async () => {
    expect((await lab.action('streaming', {})).ok).toBe(true)
    const f = measureStep(lab.session.events, STEP.streaming)
    expect([f.grpc.requests, f.grpc.bodies.length]).toEqual([1, 3])
    expect([f.rest.requests, f.rest.bodies.length]).toEqual([3, 3])
    expect(f.graphql.statuses).toEqual([400])
  })

  it('the query box sends the query typed and gets exactly those fields', async () => {
    const r = await lab.action('query', { query: '{ sensor(id: "B2") { modelo bateria } }' })
    expect(r.ok).toBe(true)
    expect(JSON.parse((r.data as { body: string }).body)).toEqual({
      data: { sensor: { modelo: 'BME280', bateria: 64 } }
    })
  })
})

describe('REST vs gRPC vs GraphQL headless', () => {
  it('wirelab run api-compare prints the three byte counts and round trips', async () => {
    const { stdout } = await run(
      process.execPath,
      [path.join(root, 'bin/wirelab.js'), 'run', 'api-compare', '--ephemeral'],
      { cwd: root, timeout: 60_000 }
    )
    const lines = stdout
      .split('\n')
      .filter((l) => /REST: \d+ B sent, \d+ B received, \d+ round trips?/.test(l))
    expect(lines).toHaveLength(2)
    expect(lines[0]).toMatch(
      /GraphQL: \d+ B sent, \d+ B received, 2 round trips.* gRPC: \d+ B sent, \d+ B received, 3 round trips/
    )
    expect(lines[1]).toMatch(/gRPC: \d+ B sent, \d+ B received, 1 round trip/)
  })
})
