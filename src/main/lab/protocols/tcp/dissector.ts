// Raw TCP payload: no application protocol, so each chunk is shown as text and bytes.
import { field, printable } from '../../dissect/fields'
import { registerDissector } from '../../dissect/registry'
import type { DissectorDef } from '../../dissect/types'

export function payloadFields(prefix: 'tcp' | 'udp', data: Uint8Array): ReturnType<typeof field>[] {
  return [
    field(`${prefix === 'tcp' ? 'TCP' : 'UDP'} payload`, 0, data.length, `${data.length} byte${data.length === 1 ? '' : 's'}`, {
      id: `${prefix}.payload`,
      children: [field('Text (UTF-8)', 0, data.length, JSON.stringify(printable(data, 400)), { id: `${prefix}.payload.text` })]
    })
  ]
}

export const tcpPayload: DissectorDef = registerDissector({
  id: 'tcp',
  name: 'TCP payload',
  transport: 'tcp',
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
})
