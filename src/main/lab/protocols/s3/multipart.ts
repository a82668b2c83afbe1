// Writing a big file to S3 the way Spark's S3 connector does: a multipart upload. Initiate
// (POST ?uploads → an UploadId), upload the parts in parallel (PUT ?partNumber=N&uploadId=…, each
// answered with the part's ETag), complete (POST ?uploadId=… with the list of parts). S3 answers
// with an ETag that is not the MD5 of the object but of the parts' MD5s, followed by `-N`, the
// number of parts. S3 wants every part but the last to be at least 5 MiB, so the file is ~11 MB.
import type { S3Client } from '@aws-sdk/client-s3'
import { Upload } from '@aws-sdk/lib-storage'
import { parquetWriteBuffer } from 'hyparquet-writer'

export const MIN_PART = 5 * 1024 * 1024

/** A real Parquet file of about `bytes` bytes: ids and sale values that barely compress. */
export function bigParquet(bytes = 2 * MIN_PART + 800 * 1024): Uint8Array {
  // About 12.7 bytes per row once written (snappy finds a little to squeeze).
  const n = Math.ceil(bytes / 12.5)
  const ids = new BigInt64Array(n)
  const valores = new Float64Array(n)
  let x = 0x1234567
  for (let i = 0; i < n; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    // Order ids scattered over the whole range (a hash of the row number): they barely compress.
    ids[i] = BigInt(x >>> 0) * 4096n + BigInt(i & 4095)
    valores[i] = Math.round(((x >>> 0) / 2 ** 32) * 500_00) / 100
  }
  const buf = parquetWriteBuffer({
    columnData: [
      { name: 'id_venda', data: ids, type: 'INT64', nullable: false },
      { name: 'valor', data: valores, type: 'DOUBLE', nullable: false }
    ],
    rowGroupSize: 256 * 1024,
    createdBy: 'Wirelab (hyparquet-writer)'
  })
  return new Uint8Array(buf)
}

export interface MultipartResult {
  etag: string
  parts: number
  size: number
}

/** Uploads `body` in parts of `partSize`, `parallel` at a time, through `client`. */
export async function multipartUpload(client: S3Client, bucket: string, key: string, body: Uint8Array, partSize = MIN_PART, parallel = 3): Promise<MultipartResult> {
  const upload = new Upload({ client, params: { Bucket: bucket, Key: key, Body: body }, partSize, queueSize: parallel, leavePartsOnError: false })
  const out = await upload.done()
  const etag = String(out.ETag ?? '')
  return { etag, parts: Math.ceil(body.length / partSize), size: body.length }
}
