// S3 on the wire is HTTP/1.1: this dissector hands each connection to the HTTP dissector (by id,
// through the registry) and adds what S3 and Parquet make of the messages. Requests get their S3
// operation, bucket, key, Range and the SDK's retry attempt (`amz-sdk-request`); responses get
// Content-Range, ETag, the S3 error code of error bodies (`SlowDown`), the objects a listing names,
// and, when a ranged GET returns the end of a Parquet file, the footer decoded field by field
// (FileMetaData, footer length, "PAR1") with the layout it states. A column chunk's bytes are
// walked page by page (each page header is a small Thrift struct).
import type { Direction, Field } from '../../../../shared/events'
import { S3_PORT, type ParquetLayout } from '../../../../shared/protocols/s3'
import { field } from '../../dissect/fields'
import { handOff } from '../../dissect/chain'
import type { DissectorDef, PduDraft, StreamDissector } from '../../dissect/types'
import { couldBeHttp, headText, http1Score } from '../common/http1'
import { ByteReader, DissectError } from '../common/reader'
import { decodeFooter, readStruct, type TNode } from './parquet-footer'

type Keys = Record<string, string | number | boolean>

interface Pending {
  op: string
  bucket?: string
  key?: string
  partNumber?: number
}

/** Header values of an HTTP PDU, from its field tree. */
function headersOf(p: PduDraft): Map<string, string> {
  const out = new Map<string, string>()
  const walk = (fs: Field[]): void => {
    for (const f of fs) {
      if (f.id === 'http.header') out.set(f.name.toLowerCase(), f.value ?? '')
      else if (f.children && f.id === 'http.headers') walk(f.children)
    }
  }
  walk(p.fields)
  return out
}

/** The S3 operation a request names (the subset an S3 client of a data lake uses). */
export function s3Operation(method: string, target: string): Pending {
  const url = new URL(target, 'http://s3.local')
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent)
  const bucket = parts[0]
  const key = parts.length > 1 ? parts.slice(1).join('/') : undefined
  const q = url.searchParams
  let op: string
  if (!bucket) op = method === 'GET' ? 'ListBuckets' : method
  else if (!key) {
    op = method === 'GET' ? (q.get('list-type') === '2' ? 'ListObjectsV2' : q.has('location') ? 'GetBucketLocation' : q.has('uploads') ? 'ListMultipartUploads' : 'ListObjects') : method === 'HEAD' ? 'HeadBucket' : method === 'PUT' ? 'CreateBucket' : method === 'DELETE' ? 'DeleteBucket' : method === 'POST' && q.has('delete') ? 'DeleteObjects' : method
  } else if (method === 'GET') op = q.has('uploadId') ? 'ListParts' : 'GetObject'
  else if (method === 'HEAD') op = 'HeadObject'
  else if (method === 'PUT') op = q.has('partNumber') ? 'UploadPart' : 'PutObject'
  else if (method === 'POST') op = q.has('uploads') ? 'CreateMultipartUpload' : q.has('uploadId') ? 'CompleteMultipartUpload' : 'PostObject'
  else if (method === 'DELETE') op = q.has('uploadId') ? 'AbortMultipartUpload' : 'DeleteObject'
  else op = method
  return { op, ...(bucket ? { bucket } : {}), ...(key ? { key } : {}) }
}

const latin1 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.length).toString('latin1')

/** The Body field of an HTTP PDU (Content-Length bodies), if any. */
function bodyField(p: PduDraft): Field | undefined {
  return p.fields.find((f) => f.id === 'http.file_data')
}

const PAGE_TYPES = ['Data page', 'Index page', 'Dictionary page', 'Data page v2']
const ENCODINGS = ['PLAIN', 'GROUP_VAR_INT', 'PLAIN_DICTIONARY', 'RLE', 'BIT_PACKED', 'DELTA_BINARY_PACKED', 'DELTA_LENGTH_BYTE_ARRAY', 'DELTA_BYTE_ARRAY', 'RLE_DICTIONARY', 'BYTE_STREAM_SPLIT']

/** Parquet pages from `start` to `end` of the PDU: header (Thrift compact PageHeader) + data. */
function pageFields(data: Uint8Array, start: number, end: number): Field[] | undefined {
  const out: Field[] = []
  let at = start
  try {
    while (at < end && out.length < 256) {
      const r = new ByteReader(data, at, end)
      const nodes = readStruct(r)
      const num = (fid: number, inner?: TNode[]): number | undefined => {
        const v = (inner ?? nodes).find((n) => n.fid === fid)?.value
        return v === undefined ? undefined : Number(v)
      }
      const type = num(1)
      const compressed = num(3)
      if (type === undefined || compressed === undefined || type < 0 || type > 3) return out.length ? out : undefined
      const dph = nodes.find((n) => n.fid === (type === 2 ? 7 : type === 3 ? 8 : 5))?.children
      const values = dph ? num(1, dph) : undefined
      const enc = dph ? num(type === 3 ? 4 : 2, dph) : undefined
      const dataEnd = Math.min(end, r.pos + compressed)
      out.push(
        field(`${PAGE_TYPES[type]}${values !== undefined ? `: ${values} values` : ''}${enc !== undefined ? `, ${ENCODINGS[enc] ?? enc}` : ''}`, at, dataEnd, `${dataEnd - at} bytes`, {
          id: 'parquet.page',
          children: [
            field('Page header (Thrift compact)', at, r.pos, `${r.pos - at} bytes`, { id: 'parquet.page_header' }),
            field(dataEnd < r.pos + compressed ? 'Page data (continues beyond this read)' : 'Page data (compressed)', r.pos, dataEnd, `${dataEnd - r.pos} bytes`, { id: 'parquet.page_data' })
          ]
        })
      )
      at = r.pos + compressed
    }
  } catch (err) {
    if (err instanceof DissectError) return out.length ? out : undefined
    throw err
  }
  return out
}

/** Which parts of the object `layout` the object bytes [first, first + length) are, as fields at `base`. */
function layoutFields(layout: ParquetLayout, first: number, length: number, base: number): Field[] {
  const out: Field[] = []
  const end = first + length
  if (first < 4) out.push(field('Magic "PAR1" (start of file)', base, base + Math.min(4, end) - first, 'PAR1', { id: 'parquet.magic' }))
  layout.rowGroups.forEach((rg, i) => {
    for (const c of rg.columns) {
      const s = Math.max(first, c.start)
      const e = Math.min(end, c.end)
      if (e > s) out.push(field(`Row group ${i} › column ${c.name}`, base + s - first, base + e - first, `object bytes ${s}–${e - 1}${e - s < c.end - c.start ? ` (part of ${c.end - c.start})` : ''}`, { id: 'parquet.column_chunk' }))
    }
  })
  return out
}

function decorateRequest(p: PduDraft, pending: Map<number, Pending>): PduDraft {
  const keys = (p.keys ?? {}) as Keys
  const method = String(keys.method ?? '')
  const target = String(keys.path ?? '')
  if (!method || !target) return p
  let op: Pending
  try {
    op = s3Operation(method, target)
  } catch {
    return p
  }
  pending.set(Number(keys.index), op)
  const h = headersOf(p)
  const extra: Keys = { s3: op.op }
  if (op.bucket) extra.bucket = op.bucket
  if (op.key) extra.key = op.key
  const range = /^bytes=(\d*)-(\d*)$/.exec(h.get('range') ?? '')
  if (range) {
    if (range[1]) extra.rangeFirst = Number(range[1])
    if (range[2]) extra.rangeLast = Number(range[2])
    if (!range[1]) extra.suffix = Number(range[2])
  }
  const attempt = /attempt=(\d+)(?:;\s*max=(\d+))?/.exec(h.get('amz-sdk-request') ?? '')
  if (attempt) {
    extra.attempt = Number(attempt[1])
    if (attempt[2]) extra.maxAttempts = Number(attempt[2])
  }
  const inv = h.get('amz-sdk-invocation-id')
  if (inv) extra.invocation = inv
  const url = new URL(target, 'http://s3.local')
  if (url.searchParams.has('partNumber')) op.partNumber = extra.partNumber = Number(url.searchParams.get('partNumber'))
  if (url.searchParams.has('uploadId')) extra.uploadId = String(url.searchParams.get('uploadId'))
  const line = p.fields[0]
  const what = `${op.op}${op.key ? ` ${op.key}` : op.bucket ? ` ${op.bucket}` : ''}${range ? ` (${h.get('range')})` : ''}`
  // The summary people read on an arrow: the HTTP method, the object, the Range, a retry.
  const path = `/${op.bucket ?? ''}${op.key ? `/${op.key}` : ''}`
  const shortPath = path.length > 44 ? `…/${path.split('/').pop()}` : path
  const listing = url.searchParams.get('prefix')
  const retry = attempt && Number(attempt[1]) > 1 ? ` (retry ${Number(attempt[1]) - 1})` : ''
  return {
    ...p,
    summary: `${method} ${shortPath}${listing !== null ? `?prefix=${listing}` : ''}${range ? ` Range: ${h.get('range')}` : ''}${retry} · ${op.op}`,
    keys: { ...keys, ...extra },
    fields: [field('S3 request', line.start, line.end, what, { id: 's3.operation' }), ...p.fields]
  }
}

function decorateResponse(p: PduDraft, pending: Map<number, Pending>): PduDraft {
  const keys = (p.keys ?? {}) as Keys
  const req = pending.get(Number(keys.index))
  pending.delete(Number(keys.index))
  const h = headersOf(p)
  const extra: Keys = {}
  if (req) {
    extra.s3 = req.op
    if (req.key) extra.key = req.key
    if (req.bucket) extra.bucket = req.bucket
    if (req.partNumber !== undefined) extra.partNumber = req.partNumber
  }
  const cr = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(h.get('content-range') ?? '')
  let summary = p.summary
  if (cr) {
    summary += ` · bytes ${cr[1]}-${cr[2]}/${cr[3]}`
    extra.contentFirst = Number(cr[1])
    extra.contentLast = Number(cr[2])
    extra.objectSize = Number(cr[3])
  } else if (req?.op === 'HeadObject' && h.has('content-length')) extra.objectSize = Number(h.get('content-length'))
  if (h.has('etag')) {
    extra.etag = String(h.get('etag'))
    if (req?.op === 'UploadPart' || req?.op === 'CompleteMultipartUpload' || req?.op === 'PutObject') summary += ` · ETag ${extra.etag}`
  }
  if (/wirelab tap/i.test(h.get('server') ?? '')) extra.injected = true
  const fields = [...p.fields]
  const body = bodyField(p)
  if (body && body.end > body.start) {
    const bytes = p.data.subarray(body.start, body.end)
    const text = /xml/i.test(h.get('content-type') ?? '') || bytes[0] === 0x3c ? latin1(bytes) : ''
    const code = /<Code>([^<]+)<\/Code>/.exec(text)
    if (code) {
      extra.s3Error = code[1]
      summary += ` · ${code[1]}${extra.injected ? ' (injected by the tap)' : ''}`
    }
    const xmlEtag = /<ETag>([^<]+)<\/ETag>/.exec(text)
    if (xmlEtag && req?.op === 'CompleteMultipartUpload') {
      extra.etag = xmlEtag[1].replace(/&quot;/g, '"')
      summary += ` · ETag ${extra.etag}`
    }
    if (req?.op === 'ListObjectsV2' && text) {
      const objects: { key: string; size: number }[] = []
      const children: Field[] = []
      for (const m of text.matchAll(/<Contents>[\s\S]*?<\/Contents>/g)) {
        const k = /<Key>([^<]*)<\/Key>/.exec(m[0])?.[1] ?? ''
        const size = Number(/<Size>(\d+)<\/Size>/.exec(m[0])?.[1] ?? 0)
        objects.push({ key: k, size })
        const at = body.start + (m.index ?? 0)
        children.push(field(k, at, at + m[0].length, `${size} bytes`, { id: 's3.object' }))
      }
      extra.objects = JSON.stringify(objects)
      fields.push(field('Objects listed', body.start, body.end, `${objects.length}`, { id: 's3.objects', children }))
      summary += ` · ${objects.length} objects`
    }
    if (cr && req?.key?.endsWith('.parquet')) {
      const first = Number(cr[1])
      const size = Number(cr[3])
      let children: Field[] | undefined
      if (Number(cr[2]) === size - 1) {
        let footer: ReturnType<typeof decodeFooter>
        try {
          footer = decodeFooter(bytes, size, body.start)
        } catch (err) {
          if (!(err instanceof DissectError)) throw err
          // The end of a .parquet object that is not a valid footer: flag exactly those bytes.
          const start = body.start + err.start
          const end = body.start + err.end
          return { ...p, summary, keys: { ...keys, ...extra }, fields: [...fields, field('Not a Parquet footer', start, end, err.reason, { malformed: err.reason })], malformed: { reason: err.reason, start, end } }
        }
        if (footer) {
          extra.parquet = JSON.stringify(footer.layout)
          const before = layoutFields(footer.layout, first, footer.layout.footer[0] - first, body.start)
          children = [...before, ...footer.fields]
          summary += ` · Parquet footer: ${footer.layout.rowGroups.length} row groups, ${footer.layout.columns.length} columns`
        }
      }
      children ??= pageFields(p.data, body.start, body.end)
      if (children?.length) fields[fields.indexOf(body)] = { ...body, children }
    }
  }
  return { ...p, summary, keys: { ...keys, ...extra }, fields }
}

export function createS3Dissector(): StreamDissector {
  const inner = handOff('http')
  const pending = new Map<number, Pending>()
  const decorate = (ps: PduDraft[]): PduDraft[] =>
    ps.map((p) => {
      if (p.malformed || p.protocol !== 'http') return p
      return p.dir === 'c2s' ? decorateRequest(p, pending) : decorateResponse(p, pending)
    })
  return {
    push: (dir: Direction, chunk: Uint8Array, offset: number) => decorate(inner.push(dir, chunk, offset)),
    end: (dir: Direction) => decorate(inner.end?.(dir) ?? [])
  }
}

/**
 * HTTP/1.1 that carries S3: a request signed with AWS Signature V4 or naming `x-amz-` headers, a
 * response with S3's request id. Plain HTTP scores 0 here (the HTTP dissector takes it). Never throws.
 */
export function looksLikeS3(first: Uint8Array, dir: Direction): number {
  if (!couldBeHttp(first) || http1Score(first, dir) === 0) return 0
  const head = headText(first)
  if (head === null) return 0
  if (dir === 'c2s') return /\r\nauthorization:[ \t]*aws4-hmac-sha256/.test(head) || /\r\nx-amz-[a-z0-9-]+:/.test(head) ? 0.95 : 0
  return /\r\nx-amz-(request-id|id-2):/.test(head) ? 0.95 : 0
}

export const s3Def: DissectorDef = {
  id: 's3',
  name: 'S3 (HTTP/1.1 with S3 operations, ranges and Parquet footers)',
  transport: 'tcp',
  ports: [S3_PORT],
  looksLike: looksLikeS3,
  create: createS3Dissector
}
