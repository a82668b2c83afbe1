import { describe, expect, it } from 'vitest'
import type { Field, LabEvent } from '@shared/events'
import { buildTrace } from './model'

let seq = 0
const t = 0
const open = (conn: string, tap: string): LabEvent => ({
  kind: 'conn.open', seq: ++seq, t, conn, transport: 'tcp', from: 'api', to: tap, tap,
  client: { host: '127.0.0.1', port: 40000 + seq }, server: { host: '127.0.0.1', port: 1 }
})
const pdu = (
  conn: string,
  dir: 'c2s' | 's2c',
  protocol: string,
  at: number,
  keys: Record<string, string | number | boolean>,
  summary = String(keys.type ?? keys.kind ?? ''),
  fields: Field[] = []
): LabEvent => ({ kind: 'pdu', seq: ++seq, t: at, conn, dir, protocol, summary, fields, data: new Uint8Array(1), offset: 0, keys })
const xcache = (v: string): Field[] => [
  { name: 'Headers', start: 0, end: 1, id: 'http.headers', children: [{ name: 'X-Cache', start: 0, end: 1, value: v, id: 'http.header' }] }
]

/** A miss (Redis GET nil, SQL, Redis SET) at 100…160 ms, then a hit (Redis GET) at 200…205 ms, then an SSE update. */
function dashboard(): LabEvent[] {
  return [
    open('h1', 'http'),
    open('r1', 'redis'),
    open('p1', 'pgsql'),
    pdu('h1', 'c2s', 'http', 100, { index: 0, path: '/api/metricas' }),
    pdu('r1', 'c2s', 'resp', 101, { index: 0, kind: 'command' }, 'GET metricas'),
    pdu('r1', 's2c', 'resp', 102, { index: 0, nil: true }, 'GET → nil'),
    pdu('p1', 'c2s', 'pgsql', 103, { type: 'Parse', sql: 'SELECT loja, sum(valor) FROM vendas GROUP BY loja' }),
    pdu('p1', 's2c', 'pgsql', 150, { type: 'RowDescription' }),
    pdu('p1', 's2c', 'pgsql', 151, { type: 'DataRow' }),
    pdu('p1', 's2c', 'pgsql', 152, { type: 'CommandComplete', command: 'SELECT 3' }),
    pdu('p1', 's2c', 'pgsql', 153, { type: 'ReadyForQuery' }),
    pdu('r1', 'c2s', 'resp', 155, { index: 1, kind: 'command' }, 'SET metricas'),
    pdu('r1', 's2c', 'resp', 156, { index: 1 }, 'SET → OK'),
    pdu('h1', 's2c', 'http', 160, { index: 0, status: 200, bodyLength: 120 }, 'HTTP 200', xcache('MISS')),
    pdu('h1', 'c2s', 'http', 200, { index: 1, path: '/api/metricas' }),
    pdu('r1', 'c2s', 'resp', 201, { index: 2, kind: 'command' }, 'GET metricas'),
    pdu('r1', 's2c', 'resp', 202, { index: 2 }, 'GET → "[…]"'),
    pdu('h1', 's2c', 'http', 205, { index: 1, status: 200, bodyLength: 120 }, 'HTTP 200', xcache('HIT')),
    pdu('h1', 's2c', 'sse', 300, { data: '{"loja":"Centro"}' })
  ]
}

describe('dashboard trace model', () => {
  it('puts each request’s RESP and SQL legs under it, in order, with their results', () => {
    const m = buildTrace(dashboard())
    expect(m.requests).toHaveLength(2)
    const [miss, hit] = m.requests
    expect(miss).toMatchObject({ path: '/api/metricas', status: 200, cache: 'MISS', bytes: 120 })
    expect(miss.legs.map((l) => [l.protocol, l.result])).toEqual([
      ['resp', 'nil'],
      ['pgsql', 'SELECT 3'],
      ['resp', 'OK']
    ])
    expect(miss.legs[0].nil).toBe(true)
    const sql = miss.legs[1]
    expect(sql).toMatchObject({ label: 'SELECT loja, sum(valor) FROM vendas GROUP BY loja', t0: 103, t1: 153, pdus: 5 })
    expect(sql.rowSeq).toBeDefined()
    expect(hit.cache).toBe('HIT')
    expect(hit.legs.map((l) => l.protocol)).toEqual(['resp'])
  })

  it('measures the time the cache saved and lists SSE updates', () => {
    const m = buildTrace(dashboard())
    expect(m.saved).toEqual({ miss: 60, hit: 5 })
    expect(m.updates.map((u) => u.data)).toEqual(['{"loja":"Centro"}'])
  })

  it('has nothing to say before the first request, and no saving without a hit', () => {
    expect(buildTrace([])).toEqual({ requests: [], updates: [], saved: null })
    const onlyMiss = dashboard().filter((e) => e.kind !== 'pdu' || e.t < 200)
    expect(buildTrace(onlyMiss).saved).toBeNull()
  })
})
