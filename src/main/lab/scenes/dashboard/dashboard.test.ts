// The dashboard lesson through `wirelab serve`, with the outside clients a student would use: psql
// through the Postgres port and redis-cli through the Redis port (their Query/RowDescription/
// DataRow and RESP command/reply PDUs in the event stream, tshark agreeing on the message counts),
// curl on the API, and the lesson's Python clients (psycopg, redis-py).
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LabEvent, PduEvent } from '../../../../shared/events'
import type { Conversation } from '../../dissect/conversation'
import { tsharkFields, tsharkLayers } from '../../testing/tshark-oracle'
import { has } from '../../testing/events'
import { serve, type Served } from '../../testing/serve'
import { fillClient } from '../client-files'

const run = promisify(execFile)
const root = path.join(__dirname, '..', '..', '..', '..', '..')
const PY = '/usr/bin/python3'
const pdus = (events: LabEvent[]): PduEvent[] => events.filter((e): e is PduEvent => e.kind === 'pdu' && !e.modeled)

/** Connections opened by outside clients (not the lesson's own actors) on the tap named `tap`. */
function outsideConns(events: LabEvent[], tap: string): string[] {
  const ext = new Set(events.filter((e) => e.kind === 'node' && e.external).map((e) => (e as { node: string }).node))
  return events.filter((e) => e.kind === 'conn.open' && e.tap === tap && ext.has(e.from)).map((e) => (e as { conn: string }).conn)
}

function conversation(events: LabEvent[], conn: string): Conversation {
  return { name: conn, pieces: events.flatMap((e) => (e.kind === 'bytes' && e.conn === conn ? [{ dir: e.dir, data: e.data }] : [])) }
}

const closed = (conn: string) => (ev: LabEvent[]) => ev.some((e) => e.kind === 'conn.close' && e.conn === conn)

describe.skipIf(!has('psql'))('wirelab serve dashboard with outside clients', () => {
  let s: Served
  beforeAll(async () => {
    // PostgreSQL (PGlite) may need to prepare its data folder on a machine's first run.
    s = await serve('dashboard', ['--ephemeral'], 150_000)
  }, 160_000)
  afterAll(async () => {
    expect(await s?.stop()).toBe(0)
  })

  it('psql -c through the Postgres port: SSLRequest/N, Query, RowDescription, DataRows; tshark counts the same messages', async () => {
    const out = await run('psql', ['-h', '127.0.0.1', '-p', String(s.ports.pgsql), '-U', 'postgres', '-d', 'postgres', '-At', '-c', "select loja, count(*) from vendas where data = '2024-03-01' group by loja order by loja"], { timeout: 60_000, env: { ...process.env, PGCONNECT_TIMEOUT: '20' } })
    const rows = out.stdout.trim().split('\n')
    expect(rows).toHaveLength(5)
    expect(rows[0]).toMatch(/^Barreiro\|\d+$/)
    const [conn] = outsideConns(s.events, 'pgsql')
    await s.until(() => closed(conn)(s.events), 15_000)
    const mine = pdus(s.events).filter((p) => p.conn === conn)
    const types = mine.map((p) => String(p.keys?.type))
    expect(types.slice(0, 3)).toEqual(['SSLRequest', 'SSLResponse', 'StartupMessage'])
    expect(types).toEqual(expect.arrayContaining(['Query', 'RowDescription', 'CommandComplete', 'ReadyForQuery', 'Terminate']))
    expect(types.filter((t) => t === 'DataRow')).toHaveLength(5)
    expect(mine.find((p) => p.keys?.type === 'RowDescription')?.summary).toBe('RowDescription: loja text, count int8')
    expect(JSON.parse(String(mine.find((p) => p.keys?.type === 'DataRow')?.keys?.row))).toMatchObject({ loja: 'Barreiro', count: expect.any(Number) })
    if (has('tshark')) {
      const frames = await tsharkFields(conversation(s.events, conn), 'pgsql', ['pgsql.type'], 5432)
      const theirs = frames.flatMap((f) => (f.values[0] ? f.values[0].split(',') : []))
      expect(theirs.length).toBe(mine.filter((p) => p.keys?.type !== 'SSLResponse').length)
      expect(theirs.filter((t) => t === 'Data row')).toHaveLength(5)
    }
  }, 120_000)

  it.skipIf(!has('redis-cli') || !has('redis-server'))('redis-cli PING and GET through the Redis port, paired command/reply PDUs; tshark agrees', async () => {
    const port = String(s.ports.redis)
    expect((await run('redis-cli', ['-h', '127.0.0.1', '-p', port, 'PING'])).stdout.trim()).toBe('PONG')
    // The API caches the answer of a dashboard request; redis-cli then reads it.
    await run('curl', ['-s', `http://127.0.0.1:${s.ports.http}/api/metricas?data=2024-03-02`], { timeout: 60_000 })
    const got = (await run('redis-cli', ['-h', '127.0.0.1', '-p', port, 'GET', 'metricas:2024-03-02'])).stdout
    expect(JSON.parse(got)).toMatchObject({ data: '2024-03-02', lojas: expect.any(Array) })
    const conns = outsideConns(s.events, 'redis')
    expect(conns).toHaveLength(2)
    for (const c of conns) await s.until(() => closed(c)(s.events), 15_000)
    const [ping, get] = conns.map((c) => pdus(s.events).filter((p) => p.conn === c))
    expect(ping.map((p) => [p.keys?.kind, p.keys?.cmd, p.keys?.index])).toEqual([
      ['command', 'PING', 1],
      ['reply', 'PING', 1]
    ])
    expect(get.map((p) => p.summary)).toEqual([expect.stringMatching(/^GET metricas:2024-03-02$/), expect.stringMatching(/^GET → \$\d+ "/)])
    if (has('tshark')) {
      for (const c of conns) {
        const frames = await tsharkLayers(conversation(s.events, c), 'resp', 'resp', 6379)
        const top = frames.reduce((n, f) => n + Object.entries(f.fields).filter(([k]) => ['resp.array', 'resp.bulk_string', 'resp.string', 'resp.error', 'resp.integer'].includes(k)).reduce((m, [, v]) => m + (Array.isArray(v) ? v.length : 1), 0), 0)
        expect(top).toBe(pdus(s.events).filter((p) => p.conn === c).length)
      }
    }
  }, 120_000)

  it.skipIf(!has(PY))('the lesson’s Python clients: psycopg runs the query with a parameter, redis-py does cache-aside', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wirelab-dash-py-'))
    const write = (name: string, values: Record<string, string | number>): string => {
      const file = path.join(dir, name)
      writeFileSync(file, fillClient(readFileSync(path.join(root, 'resources', 'clients', name), 'utf8'), values))
      return file
    }
    const pg = await run(PY, [write('postgres_query.py', { HOST: '127.0.0.1', PORT: s.ports.pgsql })], { timeout: 60_000 })
    expect(pg.stdout.trim().split('\n')).toHaveLength(5)
    if (s.ports.redis) {
      const rc = await run(PY, [write('redis_cache.py', { HOST: '127.0.0.1', PORT: s.ports.redis, API_PORT: s.ports.http })], { timeout: 60_000 })
      expect(rc.stdout).toMatch(/2024-03-02: total R\$/)
    }
    rmSync(dir, { recursive: true, force: true })
    // psycopg's query went over the extended protocol: its Bind carried the parameter.
    const conn = outsideConns(s.events, 'pgsql').at(-1)!
    await s.until(() => pdus(s.events).some((p) => p.conn === conn && p.keys?.type === 'Bind' && String(p.keys.params).includes('2024-03-01')), 15_000)
  }, 120_000)
})
