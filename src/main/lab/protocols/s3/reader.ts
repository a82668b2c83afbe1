// Reads a Parquet table from S3 the way Spark's S3 connector (S3A) does, with the AWS SDK against
// a real S3-compatible server: the driver asks whether the path is an object (HEAD → 404) and lists
// the prefix (partition discovery); one task per file runs on an executor, each executor with its
// own HTTP connection: open() with a HEAD, the footer read with an explicit Range at the end of the
// file (never a suffix range), then one ranged GET per column chunk of the chosen columns. The
// fetched bytes are then decoded (hyparquet) to answer the query; a byte that was not fetched
// cannot be read, so column pruning is checked, not assumed.
import type net from 'node:net'
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3'
import { parquetMetadata, parquetReadObjects } from 'hyparquet'
import type { ParquetLayout } from '../../../../shared/protocols/s3'
import { ConnectionAgent } from '../../net/agent'
import { decodeFooter } from './parquet-footer'

export const REGION = 'us-east-1'
/** Bytes read from the end of a file to get its footer in one request. */
export const FOOTER_TAIL = 8 * 1024
export const CREDENTIALS = { accessKeyId: 'wirelab', secretAccessKey: 'wirelab-secret' }

/** An S3 client whose requests go over connections made by `connect`: one, unless `connections` says more. */
export function s3Client(endpoint: string, connect: () => Promise<net.Socket>, connections = 1): S3Client {
  return new S3Client({
    region: REGION,
    endpoint,
    forcePathStyle: true,
    credentials: CREDENTIALS,
    maxAttempts: 3,
    // Plain bodies on the wire (no aws-chunked trailers): checksums only where S3 requires them.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: { httpAgent: new ConnectionAgent(connect, connections), connectionTimeout: 5000, requestTimeout: 15_000 }
  })
}

export interface ReadOptions {
  bucket: string
  /** The table's path, e.g. `vendas` (read as `s3a://bucket/vendas`). */
  prefix: string
  columns: string[]
  driver: S3Client
  executors: S3Client[]
  /** Bytes read from the end of each file to get its footer (S3A's readahead / parquet-mr's footer read). */
  footerTail?: number
  onStage?(stage: 'listing' | 'reading' | 'done', detail: string): void
}

export interface FileRead {
  key: string
  size: number
  executor: number
  layout: ParquetLayout
  /** Object byte ranges fetched [start, end), footer first. */
  ranges: [number, number][]
}

export interface ReadResult {
  files: FileRead[]
  /** Bytes of object data received (footers and chunks). */
  fetched: number
  total: number
  /** The query's answer: one row per group. */
  rows: Record<string, unknown>[]
}

const bodyBytes = async (body: unknown): Promise<Uint8Array> => {
  const b = body as { transformToByteArray(): Promise<Uint8Array> }
  return b.transformToByteArray()
}

/** Runs `task` for each item on `n` workers, worker `w` taking items w, w + n, … in order. */
async function roundRobin<T, R>(items: T[], n: number, task: (item: T, worker: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length)
  await Promise.all(
    Array.from({ length: n }, async (_, w) => {
      for (let i = w; i < items.length; i += n) out[i] = await task(items[i], w)
    })
  )
  return out
}

export async function sparkRead(o: ReadOptions): Promise<ReadResult> {
  const footerTail = o.footerTail ?? FOOTER_TAIL
  // Driver: is `vendas` an object? (S3 has no directories: a 404 here, then a listing.)
  o.onStage?.('listing', o.prefix)
  await o.driver.send(new HeadObjectCommand({ Bucket: o.bucket, Key: o.prefix })).catch((err: { $metadata?: { httpStatusCode?: number } }) => {
    if (err.$metadata?.httpStatusCode !== 404) throw err
  })
  const objects: { key: string; size: number }[] = []
  let token: string | undefined
  do {
    const page = await o.driver.send(new ListObjectsV2Command({ Bucket: o.bucket, Prefix: `${o.prefix}/`, ContinuationToken: token }))
    for (const c of page.Contents ?? []) if (c.Key?.endsWith('.parquet')) objects.push({ key: c.Key, size: Number(c.Size ?? 0) })
    token = page.IsTruncated ? page.NextContinuationToken : undefined
  } while (token)

  o.onStage?.('reading', `${objects.length} files`)
  const files = await roundRobin(objects, o.executors.length, async (obj, w): Promise<FileRead & { chunks: Map<number, Uint8Array> }> => {
    const s3 = o.executors[w]
    // open(): S3A learns the file's length (and that it exists) with a HEAD.
    const head = await s3.send(new HeadObjectCommand({ Bucket: o.bucket, Key: obj.key }))
    const size = Number(head.ContentLength ?? obj.size)
    const chunks = new Map<number, Uint8Array>()
    const ranges: [number, number][] = []
    const get = async (start: number, end: number): Promise<Uint8Array> => {
      const r = await s3.send(new GetObjectCommand({ Bucket: o.bucket, Key: obj.key, Range: `bytes=${start}-${end - 1}` }))
      const bytes = await bodyBytes(r.Body)
      chunks.set(start, bytes)
      ranges.push([start, end])
      return bytes
    }
    // The footer: the last bytes of the file, asked for with an explicit first-last range.
    const tailStart = Math.max(0, size - footerTail)
    let tail = await get(tailStart, size)
    let footer = decodeFooter(tail, size, 0)
    if (!footer) {
      // A footer longer than the first read: one more read for the rest of it.
      const len = new DataView(tail.buffer, tail.byteOffset + tail.length - 8, 4).getUint32(0, true)
      const start = Math.max(0, size - 8 - len)
      const more = await get(start, tailStart)
      tail = Buffer.concat([more, tail])
      footer = decodeFooter(tail, size, 0)
      if (!footer) throw new Error(`${obj.key}: no Parquet footer`)
    }
    const layout = footer.layout
    for (const rg of layout.rowGroups)
      for (const c of rg.columns) if (o.columns.includes(c.name)) await get(c.start, c.end)
    return { key: obj.key, size, executor: w, layout, ranges, chunks }
  })

  // Decode only what was fetched: hyparquet asks for byte ranges, served from the fetched chunks.
  const rows: Record<string, unknown>[] = []
  for (const f of files) {
    const starts = [...f.chunks.keys()].sort((a, b) => a - b)
    const file = {
      byteLength: f.size,
      slice(start: number, end = f.size): ArrayBuffer {
        for (const s of starts) {
          const c = f.chunks.get(s)!
          if (start >= s && end <= s + c.length) return c.slice(start - s, end - s).buffer as ArrayBuffer
        }
        throw new Error(`bytes ${start}–${end - 1} of ${f.key} were not fetched`)
      }
    }
    const tail = f.chunks.get(Math.max(0, f.size - footerTail)) ?? new Uint8Array(0)
    const metadata = parquetMetadata(tail.slice().buffer as ArrayBuffer)
    rows.push(...((await parquetReadObjects({ file, metadata, columns: o.columns })) as Record<string, unknown>[]))
  }
  const fetched = files.reduce((n, f) => n + f.ranges.reduce((m, [s, e]) => m + e - s, 0), 0)
  const total = files.reduce((n, f) => n + f.size, 0)
  o.onStage?.('done', `${rows.length} rows`)
  return { files: files.map(({ chunks: _chunks, ...f }) => f), fetched, total, rows }
}

/** The query the chosen columns answer: totals of `valor` (or counts) grouped by the other column. */
export function aggregate(rows: Record<string, unknown>[], columns: string[]): { group: string; value: number; count: number }[] {
  const by = columns.find((c) => c !== 'valor')
  const out = new Map<string, { value: number; count: number }>()
  for (const r of rows) {
    const g = by ? String(r[by]) : 'total'
    const e = out.get(g) ?? { value: 0, count: 0 }
    e.value += typeof r.valor === 'number' ? r.valor : 0
    e.count++
    out.set(g, e)
  }
  return [...out.entries()].map(([group, v]) => ({ group, value: Math.round(v.value * 100) / 100, count: v.count })).sort((a, b) => b.value - a.value || b.count - a.count)
}
