import { describe, expect, it } from 'vitest'
import type { LabEvent } from '@shared/events'
import type { ParquetLayout } from '@shared/protocols/s3'
import { buildS3Model, isOp, kindOf, latestStep } from './model'

// One 1000-byte object, two row groups of three columns, footer at 900..1000.
const LAYOUT: ParquetLayout = {
  size: 1000,
  rows: 20,
  columns: ['data', 'loja', 'valor'],
  rowGroups: [
    { rows: 10, columns: [{ name: 'data', start: 4, end: 150 }, { name: 'loja', start: 150, end: 300 }, { name: 'valor', start: 300, end: 450 }] },
    { rows: 10, columns: [{ name: 'data', start: 450, end: 600 }, { name: 'loja', start: 600, end: 750 }, { name: 'valor', start: 750, end: 900 }] }
  ],
  metadata: [900, 992],
  footer: [900, 1000]
}

let seq = 0
const open = (conn: string, from: string): LabEvent => ({
  kind: 'conn.open', seq: ++seq, t: seq, conn, transport: 'tcp', from, to: 's3',
  client: { host: '127.0.0.1', port: 40000 + seq }, server: { host: '127.0.0.1', port: 9000 }
})
const http = (conn: string, dir: 'c2s' | 's2c', keys: Record<string, string | number | boolean>): LabEvent => ({
  kind: 'pdu', seq: ++seq, t: seq * 10, conn, dir, protocol: 'http', summary: String(keys.s3),
  fields: [], data: new Uint8Array(1), offset: 0, keys
})
const ask = (): LabEvent => ({
  kind: 'checkpoint', seq: ++seq, t: seq, id: 'pruning', run: String(seq), state: 'ask',
  question: { en: 'q', pt: 'q' }, choices: []
})

function read(): LabEvent[] {
  const key = 'vendas/data=2024-03-01/part-0.parquet'
  return [
    { kind: 'node', seq: ++seq, t: 0, node: 'exec-1', label: 'executor 1', role: 'client' },
    open('c1', 'driver'),
    http('c1', 'c2s', { s3: 'ListObjectsV2', index: 0 }),
    http('c1', 's2c', { s3: 'ListObjectsV2', index: 0, status: 200, objects: JSON.stringify([{ key, size: 1000 }]) }),
    http('c1', 'c2s', { s3: 'GetObject', key, index: 1, rangeFirst: 900, rangeLast: 999 }),
    http('c1', 's2c', { s3: 'GetObject', key, index: 1, status: 206, contentFirst: 900, contentLast: 999, objectSize: 1000, parquet: JSON.stringify(LAYOUT) }),
    open('c2', 'exec-1'),
    // Column "valor" of both row groups, one GET each; the first is throttled once.
    http('c2', 'c2s', { s3: 'GetObject', key, index: 0, rangeFirst: 300, rangeLast: 449 }),
    http('c2', 's2c', { s3: 'GetObject', key, index: 0, status: 503, s3Error: 'SlowDown', injected: true }),
    http('c2', 'c2s', { s3: 'GetObject', key, index: 1, rangeFirst: 300, rangeLast: 449, attempt: 2 }),
    http('c2', 's2c', { s3: 'GetObject', key, index: 1, status: 206, contentFirst: 300, contentLast: 449, objectSize: 1000 }),
    http('c2', 'c2s', { s3: 'GetObject', key, index: 2, rangeFirst: 750, rangeLast: 899 }),
    http('c2', 's2c', { s3: 'GetObject', key, index: 2, status: 206, contentFirst: 750, contentLast: 899, objectSize: 1000 })
  ]
}

describe('S3 byte map model', () => {
  it('names what a range covers once the layout is known', () => {
    expect(kindOf(undefined, 0, 10)).toBe('other')
    expect(kindOf(LAYOUT, 900, 999)).toBe('footer')
    expect(kindOf(LAYOUT, 300, 449)).toBe('valor')
    expect(kindOf(LAYOUT, 100, 200)).toBe('several')
  })

  it('paints each GET onto its object, counts fetched bytes, throttling and retries, and lanes per connection', () => {
    const m = buildS3Model(read())
    expect(m.objects).toHaveLength(1)
    const o = m.objects[0]
    expect(o.size).toBe(1000)
    expect(o.requests.map((r) => r.kind)).toEqual(['footer', 'valor', 'valor', 'valor'])
    // Footer 100 + two chunks of 150; the 503 carried no object bytes.
    expect(o.fetched).toBe(400)
    expect(m.fetched).toBe(400)
    expect(m.total).toBe(1000)
    expect(m.requests).toBe(4)
    expect(m.injected).toBe(1)
    expect(m.retries).toBe(1)
    expect(m.columns).toEqual(['data', 'loja', 'valor'])
    expect(m.columnsRead).toEqual(['valor'])
    expect(m.lanes.map((l) => [l.conn, l.label, l.requests.length])).toEqual([
      ['c1', 'driver', 2],
      ['c2', 'executor 1', 3]
    ])
    expect(m.lanes[1].requests[0]).toMatchObject({ status: 503, error: 'SlowDown', injected: true })
  })

  it('collects a multipart upload with its parts and final ETag', () => {
    const key = 'out/big.parquet'
    const m = buildS3Model([
      open('m1', 'driver'),
      http('m1', 'c2s', { s3: 'CreateMultipartUpload', key, index: 0 }),
      http('m1', 's2c', { s3: 'CreateMultipartUpload', key, index: 0, status: 200 }),
      http('m1', 'c2s', { s3: 'UploadPart', key, index: 1, partNumber: 1 }),
      http('m1', 's2c', { s3: 'UploadPart', key, index: 1, status: 200, etag: '"a"' }),
      http('m1', 'c2s', { s3: 'CompleteMultipartUpload', key, index: 2 }),
      http('m1', 's2c', { s3: 'CompleteMultipartUpload', key, index: 2, status: 200, etag: '"abc-1"' })
    ])
    expect(m.multipart).toHaveLength(1)
    expect(m.multipart[0].parts.map((p) => p.partNumber)).toEqual([1])
    expect(m.multipart[0].etag).toBe('"abc-1"')
  })

  it('shows only the latest step: from the last checkpoint question before the last matching event', () => {
    const first = read()
    const second = read()
    const events = [ask(), ...first, ask(), ...second]
    const step = latestStep(events, isOp('GetObject'))
    expect(step.length).toBe(second.length + 1)
    expect(buildS3Model(step).requests).toBe(4)
    expect(latestStep(first)).toBe(first)
  })
})
