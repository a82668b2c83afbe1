// The Postgres dissector on real traffic (node-postgres, psql and psycopg talking to PGlite,
// recorded by record-fixtures.ts), checked against pg-protocol's parser and tshark's pgsql
// dissector, split at every offset, and fed garbage.
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { Parser } from 'pg-protocol/dist/parser'
import type { BackendMessage } from 'pg-protocol/dist/messages'
import type { Field } from '../../../../shared/events'
import { loadConversations, replay, splitMismatches, streamOf } from '../../dissect/conversation'
import { rangeProblems } from '../../dissect/fields'
import type { PduDraft } from '../../dissect/types'
import { tsharkFields } from '../../testing/tshark-oracle'
import { has } from '../../testing/events'
import { createPgsqlDissector, looksLike } from './dissector'

const CONVS = loadConversations(path.join(__dirname, 'fixtures', 'conversations.json'))
const byName = (prefix: string) => CONVS.find((c) => c.name.startsWith(prefix))!

const find = (fields: Field[], pred: (f: Field) => boolean): Field[] =>
  fields.flatMap((f) => [...(pred(f) ? [f] : []), ...find(f.children ?? [], pred)])

const names = (pdus: PduDraft[], dir: 'c2s' | 's2c'): string[] => pdus.filter((p) => p.dir === dir).map((p) => String(p.keys?.type))

describe('pgsql dissector on recorded conversations', () => {
  for (const c of CONVS) {
    it(`${c.name}: whole messages, sound ranges, real bytes, nothing malformed`, () => {
      const pdus = replay(createPgsqlDissector, c)
      expect(pdus.length).toBeGreaterThan(10)
      for (const dir of ['c2s', 's2c'] as const) {
        const stream = streamOf(c, dir)
        let at = 0
        for (const p of pdus.filter((x) => x.dir === dir)) {
          expect(p.malformed, p.summary).toBeUndefined()
          expect(p.offset).toBe(at)
          expect(Buffer.from(p.data).equals(Buffer.from(stream.subarray(at, at + p.data.length)))).toBe(true)
          expect(rangeProblems(p.fields, p.data.length), p.summary).toEqual([])
          at += p.data.length
        }
        expect(at).toBe(stream.length)
      }
    })

    it(`${c.name}: the same PDUs whatever the chunking`, () => {
      expect(splitMismatches(createPgsqlDissector, c)).toEqual([])
    }, 120_000)
  }

  it("agrees with pg-protocol's parser on every backend message and its values", () => {
    for (const c of CONVS) {
      const pdus = replay(createPgsqlDissector, c).filter((p) => p.dir === 's2c' && p.keys?.type !== 'SSLResponse')
      let stream = streamOf(c, 's2c')
      if (pdus.length && c.pieces.find((p) => p.dir === 's2c')?.data[0] === 0x4e) stream = stream.subarray(1)
      const ref: BackendMessage[] = []
      new Parser().parse(Buffer.from(stream), (m) => ref.push(m))
      expect(pdus.map((p) => p.data.length)).toEqual(ref.map((m) => m.length + 1))
      ref.forEach((m, i) => {
        const p = pdus[i]
        const kind = String(p.keys?.type)
        const expected: Record<string, string> = { parameterStatus: 'ParameterStatus', readyForQuery: 'ReadyForQuery', rowDescription: 'RowDescription', dataRow: 'DataRow', commandComplete: 'CommandComplete', error: 'ErrorResponse', parseComplete: 'ParseComplete', bindComplete: 'BindComplete', noData: 'NoData', backendKeyData: 'BackendKeyData', authenticationOk: 'AuthenticationOk' }
        expect(kind).toBe(expected[m.name] ?? kind)
        const any = m as unknown as Record<string, unknown>
        if (m.name === 'commandComplete') expect(p.keys?.command).toBe(any.text)
        if (m.name === 'parameterStatus') expect(p.keys?.parameter).toBe(any.parameterName)
        if (m.name === 'error') expect(p.keys?.sqlstate).toBe(any.code)
        if (m.name === 'rowDescription') expect(p.keys?.columns).toBe((any.fields as unknown[]).length)
        if (m.name === 'dataRow') {
          // Text-format values: each decoded field's data bytes are pg-protocol's string.
          const raw = any.fields as (string | null)[]
          const vals = find(p.fields, (f) => f.id === 'pgsql.val')
          expect(vals).toHaveLength(raw.length)
        }
      })
    }
  })

  it('decodes DataRow values by the OIDs in RowDescription: text and binary formats agree', () => {
    const rows = replay(createPgsqlDissector, byName('node-postgres')).filter((p) => p.keys?.type === 'DataRow')
    const typed = rows.filter((p) => String(p.keys?.row).includes('"i2"'))
    expect(typed).toHaveLength(2)
    const text = JSON.parse(String(typed[0].keys?.row)) as Record<string, unknown>
    const bin = JSON.parse(String(typed[1].keys?.row)) as Record<string, unknown>
    expect(text).toEqual({ i2: 1, i4: 42, i8: '9007199254740993', n: '12.50', f8: 2.5, b: true, t: 'Loja Centro', d: '2024-03-01', ts: '2024-03-01 12:30:00', j: { loja: 'Centro' }, u: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', bin: '\\x00ff', nada: null })
    expect(bin).toEqual({ ...text, ts: '2024-03-01 12:30:00.000', um: 1 })
    const binI4 = find(typed[1].fields, (f) => f.id === 'pgsql.val' && f.name.startsWith('i4'))[0]
    expect(binI4.name).toBe('i4: int4 (binary)')
    expect(binI4.value).toBe('42')
    expect(binI4.end - binI4.start).toBe(8) // Int32 length + 4 bytes
  })

  it('Bind parameters and CommandComplete tags', () => {
    const pdus = replay(createPgsqlDissector, byName('node-postgres'))
    const bind = pdus.find((p) => p.keys?.type === 'Bind')!
    expect(JSON.parse(String(bind.keys?.params))).toEqual(['2024-03-01'])
    expect(pdus.find((p) => p.keys?.type === 'CommandComplete')?.keys?.rows).toBe(2)
    const err = pdus.find((p) => p.keys?.type === 'ErrorResponse')!
    expect(err.keys).toMatchObject({ sqlstate: '22012', error: 'division by zero' })
  })

  it("psql's SSLRequest gets the one-byte 'N'", () => {
    const pdus = replay(createPgsqlDissector, byName('psql'))
    expect(names(pdus, 'c2s').slice(0, 2)).toEqual(['SSLRequest', 'StartupMessage'])
    const n = pdus.find((p) => p.dir === 's2c')!
    expect(n.keys).toMatchObject({ type: 'SSLResponse', tag: 'N' })
    expect(n.data).toEqual(Uint8Array.of(0x4e))
  })

  it.skipIf(!has('tshark'))("tshark's pgsql dissector finds the same messages in each direction", async () => {
    const map: Record<string, string> = { 'Startup message': 'StartupMessage', 'SSL request': 'SSLRequest', 'Authentication request': 'AuthenticationOk', 'Parameter status': 'ParameterStatus', 'Backend key data': 'BackendKeyData', 'Ready for query': 'ReadyForQuery', 'Simple query': 'Query', 'Parse completion': 'ParseComplete', 'Bind completion': 'BindComplete', 'Row description': 'RowDescription', 'Data row': 'DataRow', 'Command completion': 'CommandComplete', Error: 'ErrorResponse', Termination: 'Terminate', 'No data': 'NoData' }
    for (const c of CONVS) {
      const rows = await tsharkFields(c, 'pgsql', ['pgsql.type'])
      const ours = replay(createPgsqlDissector, c)
      for (const dir of ['c2s', 's2c'] as const) {
        const theirs = rows.filter((r) => r.dir === dir && r.values[0]).flatMap((r) => r.values[0].split(',')).map((n) => map[n] ?? n)
        expect(names(ours, dir).filter((n) => n !== 'SSLResponse'), `${c.name} ${dir}`).toEqual(theirs)
      }
    }
  })
})

describe('pgsql dissector on bad input', () => {
  const feed = (chunks: { dir: 'c2s' | 's2c'; data: Uint8Array }[]): PduDraft[] => {
    const d = createPgsqlDissector()
    const off = { c2s: 0, s2c: 0 }
    const out: PduDraft[] = []
    for (const c of chunks) {
      out.push(...d.push(c.dir, c.data, off[c.dir]))
      off[c.dir] += c.data.length
    }
    out.push(...(d.end?.('c2s') ?? []))
    return out
  }
  const enc = (s: string) => new TextEncoder().encode(s)

  it('an HTTP request on the Postgres port is an invalid startup packet length, as Postgres says', () => {
    const http = enc('GET / HTTP/1.1\r\nHost: 127.0.0.1:5432\r\n\r\n')
    const [p] = feed([{ dir: 'c2s', data: http }])
    expect(p.malformed?.reason).toMatch(/^invalid length of startup packet \(1195725856\)/)
    expect(p.malformed).toMatchObject({ start: 0, end: http.length })
  })

  it('an unknown message type after startup is flagged from its first byte', () => {
    const startup = streamOf(byName('psycopg'), 'c2s')
    const first = replay(createPgsqlDissector, byName('psycopg'))[0]
    const junk = enc('\x07garbage')
    const pdus = feed([{ dir: 'c2s', data: startup.subarray(0, first.data.length) }, { dir: 'c2s', data: junk }])
    expect(pdus[0].keys?.type).toBe('StartupMessage')
    expect(pdus[1].malformed?.reason).toMatch(/^invalid frontend message type 7/)
    expect(pdus[1].offset).toBe(first.data.length)
  })

  it('a message whose body lies about its contents is malformed on exactly the bad bytes', () => {
    // A RowDescription that says 2 columns but carries 1.
    const body = [...enc('total\0'), 0, 0, 0, 0, 0, 0, 0, 0, 6, 0xa4, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0]
    const msg = Uint8Array.from([0x54, 0, 0, 0, 4 + 2 + body.length, 0, 2, ...body])
    const d = createPgsqlDissector()
    d.push('c2s', streamOf(byName('psycopg'), 'c2s').subarray(0, replay(createPgsqlDissector, byName('psycopg'))[0].data.length), 0)
    const [p] = d.push('s2c', msg, 0)
    expect(p.malformed?.reason).toMatch(/no terminating NUL/)
    expect(p.malformed?.start).toBe(msg.length)
    expect(p.fields[0]).toMatchObject({ id: 'pgsql.type', start: 0, end: 1 })
    expect(rangeProblems(p.fields, p.data.length)).toEqual([])
  })
})

describe('pgsql looksLike', () => {
  it('is sure of real openings and says no to other protocols', () => {
    for (const c of CONVS) {
      const c2s = c.pieces.find((p) => p.dir === 'c2s')!.data
      const s2c = c.pieces.find((p) => p.dir === 's2c')!.data
      expect(looksLike(c2s, 'c2s')).toBe(1)
      expect(looksLike(s2c, 's2c')).toBeGreaterThan(0)
    }
    const enc = (s: string) => new TextEncoder().encode(s)
    expect(looksLike(enc('GET / HTTP/1.1\r\n\r\n'), 'c2s')).toBe(0)
    expect(looksLike(enc('*1\r\n$4\r\nPING\r\n'), 'c2s')).toBe(0)
    expect(looksLike(new Uint8Array(0), 'c2s')).toBe(0)
    expect(looksLike(enc('HTTP/1.1 200 OK\r\n'), 's2c')).toBe(0)
  })
})
