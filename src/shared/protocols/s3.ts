// S3 over HTTP/1.1 (requests and responses stay `http` PDUs; these keys add what S3 and Parquet
// make of them), and the layout of a Parquet object, which the footer states and the views paint
// each ranged GET onto. Pure TypeScript, shared by the engine and the views.

/** Where a Parquet object's parts lie, in object offsets (end exclusive). */
export interface ParquetLayout {
  size: number
  rows: number
  columns: string[]
  rowGroups: { rows: number; columns: { name: string; start: number; end: number }[] }[]
  /** The Thrift FileMetaData. */
  metadata: [number, number]
  /** FileMetaData + 4-byte length + "PAR1". */
  footer: [number, number]
  createdBy?: string
}

/** Keys the S3 dissector adds to HTTP PDUs. */
export interface S3Keys {
  /** The S3 operation: ListObjectsV2, HeadObject, GetObject, PutObject, CreateMultipartUpload, UploadPart, CompleteMultipartUpload… */
  s3: string
  bucket?: string
  key?: string
  /** Request: the Range header's first and last byte (inclusive, as HTTP writes them). */
  rangeFirst?: number
  rangeLast?: number
  /** Response: Content-Range, and the object's size. */
  contentFirst?: number
  contentLast?: number
  objectSize?: number
  /** Multipart: part number and upload id. */
  partNumber?: number
  uploadId?: string
  etag?: string
  /** The S3 error code (`SlowDown`, `NoSuchKey`…). */
  s3Error?: string
  /** The answer came from Wirelab's tap (throttling), not from the server. */
  injected?: boolean
  /** A response that carries a Parquet footer: its layout, as JSON (`ParquetLayout`). */
  parquet?: string
}

export const S3_PORT = 9000

/** The part of a Parquet object a byte belongs to. */
export type ParquetPart =
  | { kind: 'magic'; start: number; end: number }
  | { kind: 'chunk'; rowGroup: number; column: string; start: number; end: number }
  | { kind: 'footer'; start: number; end: number }
  | { kind: 'other'; start: number; end: number }

/** The object cut into its parts, in order, covering [0, size). */
export function partsOf(layout: ParquetLayout): ParquetPart[] {
  const parts: ParquetPart[] = [{ kind: 'magic', start: 0, end: Math.min(4, layout.size) }]
  let at = 4
  const chunks = layout.rowGroups
    .flatMap((rg, i) => rg.columns.map((c) => ({ kind: 'chunk' as const, rowGroup: i, column: c.name, start: c.start, end: c.end })))
    .sort((a, b) => a.start - b.start)
  for (const c of chunks) {
    if (c.start > at) parts.push({ kind: 'other', start: at, end: c.start })
    parts.push(c)
    at = Math.max(at, c.end)
  }
  if (layout.footer[0] > at) parts.push({ kind: 'other', start: at, end: layout.footer[0] })
  parts.push({ kind: 'footer', start: layout.footer[0], end: layout.footer[1] })
  return parts
}

/** The parts a byte range [start, end) touches, with how many of their bytes it covers. */
export function partsCovered(layout: ParquetLayout, start: number, end: number): { part: ParquetPart; bytes: number }[] {
  return partsOf(layout)
    .map((part) => ({ part, bytes: Math.max(0, Math.min(end, part.end) - Math.max(start, part.start)) }))
    .filter((x) => x.bytes > 0)
}

export function parseLayout(json: unknown): ParquetLayout | undefined {
  if (typeof json !== 'string') return undefined
  try {
    const l = JSON.parse(json) as ParquetLayout
    return typeof l.size === 'number' && Array.isArray(l.rowGroups) ? l : undefined
  } catch {
    return undefined
  }
}

/** Human sizes: 1.2 KB, 310 KB, 10.5 MB (decimal units, as S3 consoles show them). */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)} KB`
  return `${(n / 1_000_000).toFixed(1)} MB`
}
