// One HTTP/1.x message (head and body) as fields: the head from protocols/common/http1.ts, then
// the body as the headers frame it (Content-Length, chunked, until the connection closes), with
// JSON bodies as a field tree. Used by the HTTP dissector (a message on a TCP stream) and by the
// payload dissector TLS chains to (a decrypted record).
import type { Field } from '../../../../shared/events'
import { HTTP_FIELDS as F } from '../../../../shared/protocols/http'
import { DissectError } from '../../dissect/error'
import { field, printable, utf8 } from '../../dissect/fields'
import { chunkParts, header, walkChunks, type Head } from '../common/http1'
import { isJsonType, jsonFields } from './json-tree'

/** A body as `http.file_data`, with its JSON tree (or its text) below it. */
export function bodyFields(
  body: Uint8Array,
  base: number,
  contentType: string | undefined,
  label: string
): Field {
  const children: Field[] = []
  const looksJson = isJsonType(contentType) || (!contentType && /^\s*[[{]/.test(utf8(body.subarray(0, 16))))
  if (looksJson && body.length > 0) {
    try {
      children.push(jsonFields(body, base, 'JSON'))
    } catch (err) {
      children.push(
        field('JSON', base, base + body.length, `not valid JSON: ${(err as Error).message}`, {
          id: 'json',
          malformed: (err as Error).message
        })
      )
    }
  } else if (body.length > 0) {
    children.push(
      field('Text', base, base + body.length, JSON.stringify(printable(body, 300)), { id: F.fileDataText })
    )
  }
  return field(
    label,
    base,
    base + body.length,
    `${body.length} byte${body.length === 1 ? '' : 's'}${contentType ? ` (${contentType})` : ''}`,
    {
      id: F.fileData,
      children
    }
  )
}

/** Whether the head says its body is chunked. */
export const isChunked = (h: Head): boolean => /chunked\s*$/i.test(header(h, 'transfer-encoding') ?? '')

/**
 * The fields of the body after `h` in `pdu`: the chunks of a chunked body, else the rest of the PDU
 * as one body (also when empty, with `withBody`). Incomplete chunks throw, unless `partial` (a
 * message whose body continues elsewhere): then the bytes are shown as one body.
 */
export function bodyOf(
  pdu: Uint8Array,
  h: Head,
  o: { withBody?: boolean; partial?: boolean } = {}
): { fields: Field[]; bodyLength?: number; chunked?: boolean } {
  const contentType = header(h, 'content-type')
  const walked = isChunked(h) && pdu.length > h.length ? walkChunksOrNot(pdu, h.length, o.partial) : null
  if (walked) {
    const parts: Uint8Array[] = []
    const chunkFields: Field[] = walked.chunks.map((c, n) => {
      if (c.size > 0) parts.push(pdu.subarray(c.sizeEnd, c.dataEnd))
      return field(
        c.size === 0 ? 'Last chunk' : `Chunk ${n + 1}`,
        c.start,
        c.end,
        c.size === 0 ? 'size 0: end of body' : `${c.size} bytes`,
        {
          id: F.chunk,
          children: chunkParts(pdu, c)
        }
      )
    })
    const total = parts.reduce((n, p) => n + p.length, 0)
    const bodyField = field(
      'Chunked body',
      h.length,
      walked.end,
      `${walked.chunks.length} chunk${walked.chunks.length === 1 ? '' : 's'}, ${total} bytes of data`,
      {
        id: F.chunked,
        children: chunkFields
      }
    )
    // The de-chunked data, decoded: its ranges are not contiguous in the stream, so only the
    // single-chunk case gets a JSON tree with byte ranges.
    if (parts.length === 1) {
      const only = walked.chunks.find((c) => c.size > 0)
      if (only) bodyField.children?.push(bodyFields(parts[0], only.sizeEnd, contentType, 'Body (de-chunked)'))
    } else if (total > 0) {
      const joined = new Uint8Array(total)
      let at = 0
      for (const p of parts) {
        joined.set(p, at)
        at += p.length
      }
      bodyField.children?.push(
        field('Body (de-chunked)', h.length, walked.end, JSON.stringify(printable(joined, 300)), {
          id: F.fileData
        })
      )
    }
    return { fields: [bodyField], chunked: true, bodyLength: total }
  }
  if (pdu.length > h.length || o.withBody) {
    return {
      fields: [bodyFields(pdu.subarray(h.length), h.length, contentType, 'Body')],
      bodyLength: pdu.length - h.length
    }
  }
  return { fields: [] }
}

function walkChunksOrNot(
  pdu: Uint8Array,
  start: number,
  partial = false
): Exclude<ReturnType<typeof walkChunks>, 'more'> | null {
  try {
    const walked = walkChunks(pdu, start)
    if (walked !== 'more') return walked
    if (partial) return null
    throw new DissectError('chunked body ended early', start, pdu.length)
  } catch (err) {
    if (partial) return null
    throw err
  }
}
