// The framed serialized messages on the wire (frame.ts), dissected: the 6-byte frame header, then
// the message read as its format says (formats.ts), with ranges shifted into the frame.
import type { Direction } from '../../../../shared/events'
import { field, hexByte, shiftFields } from '../../dissect/fields'
import { framed } from '../../dissect/reassembly'
import type { DissectorDef } from '../../dissect/types'
import { dissectFormat } from './formats'
import { HEADER, MAX_FRAME, schemaFromByte } from './frame'
import { FORMATS, FORMAT_LABELS, protocolOf, type SchemaOptions } from './record'

function describeSchema(o: SchemaOptions): string {
  return [
    `temperatura ${o.temperaturaType ?? 'double'}`,
    o.addUnidade ? '+unidade (v2)' : '',
    o.renumber ? 'renumbered' : ''
  ]
    .filter(Boolean)
    .join(', ')
}

/** A frame header whose format and schema bytes are known and whose length fits what arrived. */
export function looksLikeFrame(first: Uint8Array, _dir: Direction): number {
  if (first.length < HEADER || first[0] >= FORMATS.length || first[1] > 15) return 0
  const n = new DataView(first.buffer, first.byteOffset, HEADER).getUint32(2)
  return n <= MAX_FRAME && first.length >= HEADER + n ? 0.5 : 0
}

export const serializationWire: DissectorDef = {
  id: 'serialization-wire',
  name: 'Framed serialized messages',
  transport: 'tcp',
  ports: [9091],
  looksLike: looksLikeFrame,
  create: () =>
    framed<null>({
      protocol: 'serialization-wire',
      maxPdu: MAX_FRAME + HEADER,
      state: () => null,
      pduLength(buf) {
        if (buf[0] >= FORMATS.length)
          return { malformed: `unknown format byte ${hexByte(buf[0])} (0–${FORMATS.length - 1})` }
        if (buf.length < HEADER) return 'more'
        const n = new DataView(buf.buffer, buf.byteOffset, HEADER).getUint32(2)
        if (n > MAX_FRAME) return { malformed: `frame of ${n} bytes exceeds ${MAX_FRAME}` }
        return HEADER + n
      },
      decode(pdu) {
        const format = FORMATS[pdu[0]]
        const o = schemaFromByte(pdu[1])
        const message = pdu.subarray(HEADER)
        const layout = dissectFormat(format, message, o)
        const header = field('Frame header', 0, HEADER, `${FORMAT_LABELS[format]}, ${message.length} bytes`, {
          id: 'frame.header',
          children: [
            field('Format', 0, 1, `${pdu[0]} = ${FORMAT_LABELS[format]}`, { id: 'frame.format' }),
            field('Schema variant', 1, 2, `${hexByte(pdu[1])}: ${describeSchema(o)}`, { id: 'frame.schema' }),
            field('Length (uint32, big-endian)', 2, HEADER, `${message.length}`, { id: 'frame.length' })
          ]
        })
        return {
          protocol: protocolOf(format),
          summary: `${FORMAT_LABELS[format]} in a frame: ${layout.summary}`,
          fields: [header, ...shiftFields(layout.fields, HEADER)],
          keys: {
            format,
            size: message.length,
            fields: 'temperatura,sensor,timestamp,historico,unidade',
            ...(format.startsWith('thrift') ? { variant: format.slice(7) } : {})
          },
          ...(layout.malformed
            ? {
                malformed: {
                  ...layout.malformed,
                  start: layout.malformed.start + HEADER,
                  end: layout.malformed.end + HEADER
                }
              }
            : {})
        }
      }
    })
}
