// A payload no protocol claims (raw TCP or UDP): its bytes as one field, with their text below.
import type { Field } from '../../../../shared/events'
import { field, printable } from '../../dissect/fields'

export function payloadFields(prefix: 'tcp' | 'udp', data: Uint8Array): Field[] {
  return [
    field(
      `${prefix === 'tcp' ? 'TCP' : 'UDP'} payload`,
      0,
      data.length,
      `${data.length} byte${data.length === 1 ? '' : 's'}`,
      {
        id: `${prefix}.payload`,
        children: [
          field('Text (UTF-8)', 0, data.length, JSON.stringify(printable(data, 400)), {
            id: `${prefix}.payload.text`
          })
        ]
      }
    )
  ]
}

/** Raw payload accepts anything, barely: a real protocol's heuristic always wins over it. */
export const rawScore = (first: Uint8Array): number => (first.length > 0 ? 0.05 : 0)
