// Raw TCP payload: no application protocol, so each chunk is shown as text and bytes.
import { printable } from '../../dissect/fields'
import type { DissectorDef } from '../../dissect/types'
import { payloadFields, rawScore } from '../common/payload'

export const tcpPayload: DissectorDef = {
  id: 'tcp',
  name: 'TCP payload',
  transport: 'tcp',
  ports: [65432],
  looksLike: rawScore,
  create: () => ({
    push(dir, chunk, offset) {
      if (chunk.length === 0) return []
      return [
        {
          dir,
          protocol: 'tcp',
          summary: `"${printable(chunk, 60)}" (${chunk.length} byte${chunk.length === 1 ? '' : 's'})`,
          fields: payloadFields('tcp', chunk),
          data: chunk,
          offset,
          keys: { seq: offset + 1, len: chunk.length }
        }
      ]
    }
  })
}
