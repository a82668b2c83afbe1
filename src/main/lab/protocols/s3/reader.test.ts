// The S3A-style read against the real S3 server (fauxqs) through a tap running the S3 dissector:
// the request pattern Spark's connector makes, ranges that match the Parquet metadata, column
// pruning (less than half of the bytes), the answer checked against a full local read, and the
// tap's injected 503 SlowDown retried by the SDK with its attempt counter on the wire.
import { createHash } from 'node:crypto'
import net from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3'
import { parquetMetadata, parquetReadObjects } from 'hyparquet'
import type { PduEvent } from '../../../../shared/events'
import { rangeProblems } from '../../dissect/fields'
import { LOOPBACK } from '../../net/ports'
import { Session } from '../../session/session'
import { Actors } from '../../tap/actors'
import { TcpTap } from '../../tap/tcp-tap'
import { rankDissectors } from '../../dissect/registry'
import { writeVendas, type ParquetObject } from './parquet-dataset'
import { bigParquet, MIN_PART, multipartUpload } from './multipart'
import { aggregate, FOOTER_TAIL, s3Client, sparkRead } from './reader'
import { startS3Server, type S3Server } from './server'
import { newThrottlePolicy, throttleInterceptor } from './throttle'

let server: S3Server
let tap: TcpTap
let dataset: ParquetObject[]
const session = new Session()
const actors = new Actors()
const policy = newThrottlePolicy('/datalake/vendas/')
const counter = { n: 0, seen: new Map<string, number>() }

const connect = (node: string) => (): Promise<net.Socket> =>
  new Promise((resolve, reject) => {
    const done = actors.expect()
    const s = net.connect({ host: LOOPBACK, port: tap.port.port }, () => {
      actors.claim('tcp', s.localPort!, { node, label: node })
      done()
      resolve(s)
    })
    s.once('error', (err) => {
      done()
      reject(err)
    })
  })

beforeAll(async () => {
  server = await startS3Server()
  dataset = writeVendas()
  const direct = s3Client(`http://${LOOPBACK}:${server.port}`, () => new Promise((r) => { const s = net.connect(server.port, LOOPBACK, () => r(s)) }))
  await direct.send(new CreateBucketCommand({ Bucket: 'datalake' }))
  for (const f of dataset) await direct.send(new PutObjectCommand({ Bucket: 'datalake', Key: f.key, Body: f.bytes }))
  direct.destroy()
  tap = new TcpTap({ session, actors, name: 's3', host: LOOPBACK, preferredPort: 0, target: { host: LOOPBACK, port: server.port }, dissector: 's3', server: { node: 's3', label: 'S3' }, intercept: () => throttleInterceptor(policy, counter) })
  await tap.start()
}, 60_000)

afterAll(async () => {
  await tap?.close()
  await new Promise<void>((r) => server?.close(() => r()))
})

const endpoint = (): string => `http://${LOOPBACK}:${tap.port.port}`
const pdus = (from: number): PduEvent[] => session.events.slice(from).filter((e): e is PduEvent => e.kind === 'pdu' && !e.modeled)

describe('reading Parquet from S3 the way S3A does', () => {
  it('watch mode recognises S3 from the first bytes the SDK and the server wrote (plain HTTP does not score)', async () => {
    const from = session.size
    const driver = s3Client(endpoint(), connect('driver'))
    await sparkRead({ bucket: 'datalake', prefix: 'vendas', columns: ['valor'], driver, executors: [driver] })
    driver.destroy()
    const first = (dir: 'c2s' | 's2c'): Uint8Array => pdus(from).find((p) => p.dir === dir && p.offset === 0)!.data
    expect(rankDissectors(first('c2s'), 'c2s', 'tcp')[0].def.id).toBe('s3')
    expect(rankDissectors(first('s2c'), 's2c', 'tcp')[0].def.id).toBe('s3')
    const plain = new TextEncoder().encode('GET /items/1 HTTP/1.1\r\nHost: 127.0.0.1:8000\r\n\r\n')
    expect(rankDissectors(plain, 'c2s', 'tcp', 9000)[0].def.id).toBe('http')
  })

  it('LIST, one explicit footer range per file, then exactly the chosen columns’ chunks, answered 206', async () => {
    const from = session.size
    const driver = s3Client(endpoint(), connect('driver'))
    const executors = [0, 1].map((i) => s3Client(endpoint(), connect(`executor-${i + 1}`)))
    const res = await sparkRead({ bucket: 'datalake', prefix: 'vendas', columns: ['loja', 'valor'], driver, executors })
    for (const c of [driver, ...executors]) c.destroy()
    const ps = pdus(from)
    const reqs = ps.filter((p) => p.dir === 'c2s' && p.protocol === 'http')
    expect(reqs.map((p) => p.keys?.s3).slice(0, 2)).toEqual(['HeadObject', 'ListObjectsV2'])
    expect(reqs.filter((p) => p.keys?.s3 === 'HeadObject')).toHaveLength(1 + dataset.length)
    for (const p of ps) expect(rangeProblems(p.fields, p.data.length), p.summary).toEqual([])
    const gets = reqs.filter((p) => p.keys?.s3 === 'GetObject')
    expect(gets.every((p) => typeof p.keys?.rangeFirst === 'number' && typeof p.keys?.rangeLast === 'number')).toBe(true) // never a suffix range
    let expectedChunks = 0
    for (const f of dataset) {
      const mine = gets.filter((p) => p.keys?.key === f.key)
      const footer = mine[0]
      expect(footer.keys).toMatchObject({ rangeLast: f.bytes.length - 1, rangeFirst: f.bytes.length - FOOTER_TAIL })
      const meta = parquetMetadata(f.bytes.slice().buffer as ArrayBuffer)
      const want = meta.row_groups.flatMap((rg) =>
        rg.columns
          .filter((c) => ['loja', 'valor'].includes(c.meta_data!.path_in_schema[0]))
          .map((c) => {
            const m = c.meta_data!
            const start = Number(m.dictionary_page_offset ?? m.data_page_offset)
            return `${start}-${start + Number(m.total_compressed_size) - 1}`
          })
      )
      expect(mine.slice(1).map((p) => `${p.keys?.rangeFirst}-${p.keys?.rangeLast}`)).toEqual(want)
      expectedChunks += want.length
    }
    expect(gets).toHaveLength(dataset.length + expectedChunks)
    const answers = ps.filter((p) => p.dir === 's2c' && p.keys?.s3 === 'GetObject')
    expect(answers.map((p) => p.keys?.status)).toEqual(gets.map(() => 206))
    // Each footer response carries the decoded layout.
    expect(answers.filter((p) => p.keys?.parquet)).toHaveLength(dataset.length)
    // Column pruning: less than half of the objects' bytes crossed the wire.
    expect(res.fetched).toBeLessThan(res.total / 2)
    // Each executor used one connection.
    const conns = new Set(ps.filter((p) => p.keys?.s3 === 'GetObject').map((p) => p.conn))
    expect(conns.size).toBe(2)
    // The answer is the one a full local read gives.
    const full: Record<string, unknown>[] = []
    for (const f of dataset) full.push(...((await parquetReadObjects({ file: f.bytes.slice().buffer as ArrayBuffer, columns: ['loja', 'valor'] })) as Record<string, unknown>[]))
    expect(aggregate(res.rows, ['loja', 'valor'])).toEqual(aggregate(full, ['loja', 'valor']))
  }, 60_000)

  it('a throttled GET gets S3’s 503 SlowDown from the tap, and the SDK retries it (attempt=2)', async () => {
    const from = session.size
    policy.on = true
    policy.every = 2
    const driver = s3Client(endpoint(), connect('driver'))
    const executors = [s3Client(endpoint(), connect('executor-1'))]
    try {
      const res = await sparkRead({ bucket: 'datalake', prefix: 'vendas', columns: ['produto'], driver, executors })
      expect(res.rows.length).toBe(dataset.reduce((n, f) => n + f.rows, 0))
    } finally {
      policy.on = false
      for (const c of [driver, ...executors]) c.destroy()
    }
    const ps = pdus(from)
    const slow = ps.filter((p) => p.dir === 's2c' && p.keys?.status === 503)
    expect(slow.length).toBeGreaterThan(0)
    for (const s of slow) expect(s.keys).toMatchObject({ injected: true, ...(s.keys?.s3 === 'GetObject' ? { s3Error: 'SlowDown' } : {}) })
    expect(slow.some((s) => s.keys?.s3Error === 'SlowDown')).toBe(true)
    const retries = ps.filter((p) => p.dir === 'c2s' && Number(p.keys?.attempt) === 2)
    expect(retries.length).toBe(slow.length)
    // Every retry repeats a throttled request (same invocation id) and is answered by the server.
    for (const r of retries) expect(ps.filter((p) => p.dir === 'c2s' && p.keys?.invocation === r.keys?.invocation)).toHaveLength(2)
  }, 60_000)

  it('a multipart upload: initiate, three parts in parallel, complete; the ETag is MD5-of-MD5s with -3', async () => {
    const from = session.size
    const body = bigParquet()
    const writer = s3Client(endpoint(), connect('writer'), 3)
    const res = await multipartUpload(writer, 'datalake', 'vendas_historico/part-00000.parquet', body)
    writer.destroy()
    const ps = pdus(from)
    const reqs = ps.filter((p) => p.dir === 'c2s' && p.keys?.s3)
    expect(reqs[0].keys?.s3).toBe('CreateMultipartUpload')
    const parts = reqs.filter((p) => p.keys?.s3 === 'UploadPart')
    expect(parts.map((p) => p.keys?.partNumber).sort()).toEqual([1, 2, 3])
    expect(new Set(parts.map((p) => p.conn)).size).toBeGreaterThan(1) // in parallel, on several connections
    expect(reqs.at(-1)?.keys?.s3).toBe('CompleteMultipartUpload')
    const md5 = (b: Uint8Array): Buffer => createHash('md5').update(b).digest()
    const partMd5s = [0, 1, 2].map((i) => md5(body.subarray(i * MIN_PART, Math.min(body.length, (i + 1) * MIN_PART))))
    const expected = `"${createHash('md5').update(Buffer.concat(partMd5s)).digest('hex')}-3"`
    expect(res.etag).toBe(expected)
    const done = ps.find((p) => p.dir === 's2c' && p.keys?.s3 === 'CompleteMultipartUpload')!
    expect(Buffer.from(done.data).toString('latin1')).toContain(expected.replace(/"/g, '&quot;'))
  }, 120_000)
})
