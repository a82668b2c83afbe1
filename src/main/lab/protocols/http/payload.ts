// HTTP/1.x as an inner protocol: a message carried inside another protocol's PDU (a TLS record's
// decrypted content), reached through `chain()`. Each payload is read on its own: a head, then
// whatever body bytes came with it.
import type { HttpKeys } from '../../../../shared/protocols/http'
import { DissectError } from '../../dissect/error'
import type { PayloadDef } from '../../dissect/types'
import { headEnd, http1Score, parseHead } from '../common/http1'
import { bodyOf } from './message'

export const httpPayload: PayloadDef = {
  id: 'http',
  name: 'HTTP/1.1',
  accepts: (payload, ctx) =>
    ctx.outer === 'tls' && http1Score(payload, ctx.dir) >= 0.9 && headEnd(payload) > 0 ? 0.9 : 0,
  decode(payload) {
    const end = headEnd(payload)
    if (end < 0) throw new DissectError('no complete HTTP head', 0, payload.length)
    const head = parseHead(payload.subarray(0, end))
    // A chunked body may continue in later records: then its bytes are shown as they are.
    const body = bodyOf(payload, head, { partial: true })
    const keys: HttpKeys = { httpStart: head.startLine }
    if (head.method) keys.method = head.method
    if (head.status !== undefined) keys.status = head.status
    return {
      summary: `${head.startLine}${end < payload.length ? ` + ${payload.length - end} bytes body` : ''}`,
      fields: [...head.fields, ...body.fields],
      keys,
      ...(head.malformed ? { malformed: head.malformed } : {})
    }
  }
}
