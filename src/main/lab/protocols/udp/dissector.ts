// A UDP datagram: the payload as text and bytes. The 8-byte UDP header is built by the kernel and
// not visible from user space; the layers view models it.
import { printable } from '../../dissect/fields'
import type { DissectorDef } from '../../dissect/types'
import { payloadFields, rawScore } from '../common/payload'

export const udpPayload: DissectorDef = {
  id: 'udp',
  name: 'UDP datagram',
  transport: 'udp',
  ports: [65432],
  looksLike: rawScore,
  create: () => {
    let index = 0
    return {
      push(dir, chunk, offset) {
        index++
        return [
          {
            dir,
            protocol: 'udp',
            summary: `Datagram #${index}: "${printable(chunk, 60)}" (${chunk.length} byte${chunk.length === 1 ? '' : 's'})`,
            fields: payloadFields('udp', chunk),
            data: chunk,
            offset,
            keys: { datagram: index, len: chunk.length }
          }
        ]
      }
    }
  }
}
