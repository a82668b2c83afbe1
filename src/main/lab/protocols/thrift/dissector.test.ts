import net from 'node:net'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Field } from '../../../../shared/events'
import type { ThriftProtocolName, ThriftTransportName } from '../../../../shared/protocols/thrift'
import { rangeProblems, tilingProblems } from '../../dissect/fields'
import { createDissector } from '..'
import type { PduDraft } from '../../dissect/types'
import { LOOPBACK } from '../../net/ports'
import { recordConnection, streamOf, type Piece } from '../../testing/relay'
import { ThriftRpcClient } from './client'
import { hmsIdl, parseIdl } from './idl'
import { hmsHandler } from './hms'
import { startThriftServer } from './server'
import { looksLike, METHOD_NAME_LIMIT } from './dissector'

type Chunk = Piece

/** Real traffic of one protocol/transport pair: three calls (one throws NoSuchObjectException). */
async function record(protocol: ThriftProtocolName, transport: ThriftTransportName): Promise<Chunk[]> {
  const { server, port } = await startThriftServer({ idl: hmsIdl(), handler: hmsHandler(), protocol, transport })
  try {
    return await recordConnection(port, async (relayPort) => {
      const socket = net.connect(relayPort, LOOPBACK)
      await new Promise((r) => socket.once('connect', r))
      const client = new ThriftRpcClient(socket, hmsIdl(), protocol, transport)
      expect(await client.call('get_all_databases')).toEqual({ ok: true, value: ['default', 'vendas', 'sensores'] })
      const table = await client.call('get_table', { dbname: 'vendas', tbl_name: 'pedidos' })
      expect(table.ok).toBe(true)
      expect(await client.call('get_table', { dbname: 'vendas', tbl_name: 'clientes' })).toEqual({
        ok: false,
        exception: 'NoSuchObjectException',
        fields: { message: 'vendas.clientes table not found' }
      })
      socket.end()
    })
  } finally {
    server.close()
  }
}

function dissect(chunks: Chunk[]): PduDraft[] {
  const d = createDissector('thrift')
  const offsets = { c2s: 0, s2c: 0 }
  const out: PduDraft[] = []
  for (const c of chunks) {
    out.push(...d.push(c.dir, c.data, offsets[c.dir]))
    offsets[c.dir] += c.data.length
  }
  return out
}

const find = (fields: Field[], id: string): Field | undefined => {
  for (const f of fields) {
    if (f.id === id) return f
    const c = f.children && find(f.children, id)
    if (c) return c
  }
  return undefined
}

const COMBOS: [ThriftProtocolName, ThriftTransportName][] = [
  ['binary', 'buffered'],
  ['binary', 'framed'],
  ['compact', 'buffered'],
  ['compact', 'framed']
]

describe('Thrift RPC dissector on bytes from npm thrift', () => {
  const recorded = new Map<string, Chunk[]>()
  beforeAll(async () => {
    for (const [p, t] of COMBOS) recorded.set(`${p}/${t}`, await record(p, t))
  })

  for (const [protocol, transport] of COMBOS) {
    it(`${protocol} protocol, ${transport} transport: header, IDL field names, byte ranges`, () => {
      const chunks = recorded.get(`${protocol}/${transport}`)!
      const pdus = dissect(chunks)
      expect(pdus.map((p) => [p.dir, p.keys?.mtype, p.keys?.method, p.keys?.seqid])).toEqual([
        ['c2s', 'CALL', 'get_all_databases', 1],
        ['s2c', 'REPLY', 'get_all_databases', 1],
        ['c2s', 'CALL', 'get_table', 2],
        ['s2c', 'REPLY', 'get_table', 2],
        ['c2s', 'CALL', 'get_table', 3],
        ['s2c', 'REPLY', 'get_table', 3]
      ])
      for (const p of pdus) {
        expect(p.malformed).toBeUndefined()
        expect(p.keys?.protocol).toBe(protocol)
        expect(p.keys?.transport).toBe(transport)
        expect(rangeProblems(p.fields, p.data.length)).toEqual([])
        expect(tilingProblems(p.fields, p.data.length)).toEqual([])
      }
      // The PDUs are the streams, byte for byte.
      for (const dir of ['c2s', 's2c'] as const)
        expect(Buffer.concat(pdus.filter((p) => p.dir === dir).map((p) => p.data))).toEqual(Buffer.from(streamOf(chunks, dir)))
      const [, dbs, call, table, , missing] = pdus
      expect(find(dbs.fields, 'thrift.result.success')?.value).toBe('["default", "vendas", "sensores"]')
      const dbname = find(call.fields, 'thrift.args.dbname')!
      expect(dbname.value).toBe('"vendas"')
      expect(new TextDecoder().decode(call.data.subarray(dbname.end - 6, dbname.end))).toBe('vendas')
      expect(find(call.fields, 'thrift.args.tbl_name')?.value).toBe('"pedidos"')
      // Names nested two structs deep, from the IDL (Table.sd → StorageDescriptor.location).
      const location = find(table.fields, 'thrift.result.success.value.sd.value.location')
      expect(location?.value).toBe('"s3a://meu-bucket/vendas/pedidos"')
      expect(find(table.fields, 'thrift.result.success.value.tableType')?.value).toBe('"EXTERNAL_TABLE"')
      expect(missing.summary).toContain('o2')
      expect(find(missing.fields, 'thrift.result.o2.value.message')?.value).toBe('"vendas.clientes table not found"')
      expect(find(call.fields, 'thrift.method')?.value).toBe('"get_table"')
      if (transport === 'framed') expect(call.fields[0].id).toBe('thrift.frame_len')
      expect(call.summary).toBe('CALL get_table(dbname="vendas", tbl_name="pedidos") seqid=2')
    })

    it(`${protocol}/${transport}: the same PDUs whatever the chunking`, () => {
      const chunks = recorded.get(`${protocol}/${transport}`)!
      const whole = dissect(chunks).map((p) => ({ ...p, data: Array.from(p.data) }))
      const c2s = streamOf(chunks, 'c2s')
      for (let cut = 1; cut < c2s.length; cut += 3) {
        const split: Chunk[] = [
          { dir: 'c2s', data: c2s.subarray(0, cut) },
          { dir: 'c2s', data: c2s.subarray(cut) },
          { dir: 's2c', data: streamOf(chunks, 's2c') }
        ]
        const got = dissect(split).map((p) => ({ ...p, data: Array.from(p.data) }))
        expect(got.filter((p) => p.dir === 'c2s')).toEqual(whole.filter((p) => p.dir === 'c2s'))
      }
    })
  }

  it('recognises each framing from the first bytes, and never throws on anything else', () => {
    for (const [p, t] of COMBOS) {
      const c2s = streamOf(recorded.get(`${p}/${t}`)!, 'c2s')
      expect(looksLike(c2s)).toBeGreaterThan(0.5)
    }
    expect(looksLike(new TextEncoder().encode('GET / HTTP/1.1\r\n'))).toBe(0)
    expect(looksLike(new Uint8Array(0))).toBe(0)
    expect(looksLike(Uint8Array.of(0x16, 0x03, 0x01, 0x02, 0x00))).toBe(0)
  })
})

describe('Thrift dissector on bytes that are not Thrift', () => {
  it("curl's request: `GET ` read as a 1,195,725,856-byte length, flagged at once, then nothing decoded", () => {
    const d = createDissector('thrift')
    const req = new TextEncoder().encode('GET / HTTP/1.1\r\nHost: 127.0.0.1:9083\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n')
    const [p, ...rest] = d.push('c2s', req, 0)
    expect(rest).toEqual([])
    expect(p.malformed?.reason).toContain('1,195,725,856')
    expect(p.keys).toMatchObject({ rejected: true, asLength: 1_195_725_856, text: 'GET / HTTP/1.1' })
    expect(find(p.fields, 'thrift.not_thrift.word')).toMatchObject({ start: 0, end: 4 })
    expect(rangeProblems(p.fields, p.data.length)).toEqual([])
    const [later] = d.push('c2s', new TextEncoder().encode('more'), req.length)
    expect(later.malformed?.reason).toMatch(/^not decoded/)
  })

  it('bounded reads: a huge method name, frame or string is malformed at once, without waiting for it', () => {
    const name = Buffer.from([0x80, 0x01, 0x00, 0x01, 0x7f, 0xff, 0xff, 0xff, 0x61])
    const [p1] = createDissector('thrift').push('c2s', name, 0)
    expect(p1.malformed?.reason).toContain(`exceeds ${METHOD_NAME_LIMIT.toLocaleString('en')}`)
    const frame = Buffer.from([0x00, 0x00, 0x00, 0x10, 0x80, 0x01, 0x00, 0x01])
    const d2 = createDissector('thrift')
    expect(d2.push('c2s', frame, 0)).toEqual([]) // a 16-byte frame, 4 of them here: waits for 12 more
    const bigFrame = Buffer.from([0x40, 0x00, 0x00, 0x00, 0x80, 0x01, 0x00, 0x01])
    const [p3] = createDissector('thrift').push('c2s', bigFrame, 0)
    expect(p3.malformed).toBeDefined()
    // A CALL whose string argument claims 1 GiB.
    const call = Buffer.concat([
      Buffer.from([0x80, 0x01, 0x00, 0x01, 0, 0, 0, 9]),
      Buffer.from('get_table'),
      Buffer.from([0, 0, 0, 1, 0x0b, 0x00, 0x01, 0x40, 0x00, 0x00, 0x00, 0x61])
    ])
    const [p4] = createDissector('thrift').push('c2s', call, 0)
    expect(p4.malformed?.reason).toMatch(/exceeds the 16,384,000-byte limit/)
  })

  it('an empty or one-byte stream waits, and its end flags what was left', () => {
    const d = createDissector('thrift')
    expect(d.push('c2s', Uint8Array.of(0x80), 0)).toEqual([])
    const [p] = d.end!('c2s')
    expect(p.malformed?.reason).toMatch(/truncated/)
  })
})

describe('the IDL', () => {
  it('reads methods, params, results and nested struct names', () => {
    const idl = hmsIdl()
    expect([...idl.methods.keys()]).toEqual(['get_all_databases', 'get_table'])
    expect(idl.signature('get_table')).toBe('Table get_table(1: string dbname, 2: string tbl_name)')
    expect(idl.resultFields(idl.methods.get('get_table')!).map((f) => `${f.id}:${f.name}`)).toEqual(['0:success', '1:o1', '2:o2'])
    expect(idl.bodyNames('get_table', true)[0]).toMatchObject({ name: 'success', struct: { 1: 'tableName' } })
  })

  it('says where an invalid IDL is wrong', () => {
    expect(() => parseIdl('service S { void f(1: string a, 1: string b) }')).toThrow(/repeats field id 1/)
    expect(() => parseIdl('struct {')).toThrow(/invalid Thrift IDL: .*line 1/)
  })
})

