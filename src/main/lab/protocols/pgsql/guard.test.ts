// The guard in front of PGlite's socket server: real clients' streams pass unchanged; bytes a real
// Postgres refuses close the connection — and PGlite keeps serving, instead of the socket server
// spinning forever on a negative message length (which froze the whole process before the guard).
import net from 'node:net'
import path from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConversations, streamOf } from '../../dissect/conversation'
import { FrameCheck, type GuardRefusal } from './guard'
import { startPglite, type PgliteServer } from './server'

const CONVS = loadConversations(path.join(__dirname, 'fixtures', 'conversations.json'))
const enc = (s: string): Buffer => Buffer.from(s, 'latin1')

describe('FrameCheck', () => {
  it('passes every recorded client stream, whole or byte by byte', () => {
    for (const c of CONVS) {
      const stream = Buffer.from(streamOf(c, 'c2s'))
      expect(new FrameCheck().push(stream), c.name).toBeNull()
      const f = new FrameCheck()
      for (let i = 0; i < stream.length; i++) expect(f.push(stream.subarray(i, i + 1))).toBeNull()
    }
  })

  it('refuses what Postgres refuses', () => {
    expect(new FrameCheck().push(enc('GET / HTTP/1.1\r\nHost: x\r\n\r\n'))).toBe('invalid length of startup packet (1195725856)')
    expect(new FrameCheck().push(Buffer.from('ef85e619921142038a', 'hex'))).toMatch(/^invalid length of startup packet \(-/)
    expect(new FrameCheck().push(Buffer.from([0, 0, 0, 8, 0, 2, 0, 0]))).toMatch(/^unsupported frontend protocol 2\.0/)
    const startup = Buffer.from(streamOf(CONVS.find((c) => c.name.startsWith('psycopg'))!, 'c2s'))
    const len = startup.readInt32BE(0)
    const f = new FrameCheck()
    expect(f.push(startup.subarray(0, len))).toBeNull()
    expect(f.push(enc('\x07junk'))).toBe('invalid frontend message type 7')
  })
})

describe('the guard in front of PGlite', () => {
  let s: PgliteServer
  const refused: GuardRefusal[] = []
  beforeAll(async () => {
    s = await startPglite({ onRefuse: (r) => refused.push(r) })
    await s.exec('CREATE TABLE t (n int); INSERT INTO t VALUES (1), (2);')
  }, 120_000)
  afterAll(async () => {
    await s?.stop()
  })

  const query = async (): Promise<number> => {
    const c = new pg.Client({ host: '127.0.0.1', port: s.port, user: 'postgres', database: 'postgres' })
    await c.connect()
    const r = await c.query<{ n: string }>('select count(*) as n from t')
    await c.end()
    return Number(r.rows[0].n)
  }

  const send = (data: Buffer): Promise<string> =>
    new Promise((resolve) => {
      let got = ''
      const c = net.connect(s.port, '127.0.0.1', () => c.end(data))
      c.on('data', (d: Buffer) => (got += d.toString('latin1')))
      c.on('error', () => undefined)
      c.on('close', () => resolve(got))
    })

  it('closes garbage connections without a word, and Postgres keeps serving', async () => {
    expect(await query()).toBe(2)
    // The bytes that used to freeze the process: a negative length in the first packet.
    expect(await send(Buffer.from('ef85e619921142038a049d6f3827358704db90a468ac54f8aca02adb006e4463303c10aa10', 'hex'))).toBe('')
    expect(await send(enc('GET / HTTP/1.1\r\nHost: 127.0.0.1:5432\r\n\r\n'))).toBe('')
    expect(await query()).toBe(2)
    expect(refused.map((r) => r.reason)).toEqual([expect.stringMatching(/^invalid length of startup packet \(-\d+\)$/), 'invalid length of startup packet (1195725856)'])
  }, 60_000)
})
