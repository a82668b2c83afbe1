// The serialization view's model: which PDUs it shows, who owns each byte, and the tag explainer.
import { describe, expect, it } from 'vitest'
import type { Field, LabEvent, PduEvent } from '@shared/events'
import { buildModel, colourSlot, decodeTag, rowOf, tagOnPath } from './model'

let seq = 0
function pdu(format: string, batch: number, data: number[], fields: Field[], offset = -1): PduEvent {
  return {
    kind: 'pdu',
    seq: ++seq,
    t: seq,
    conn: offset === -1 ? 'encoder' : 'c1',
    dir: 'c2s',
    protocol: format.startsWith('thrift') ? 'thrift' : format,
    summary: format,
    fields,
    data: Uint8Array.from(data),
    offset,
    keys: { format, batch, source: 'encoder' }
  }
}

// 0x12 0x02 'A' '1': sensor = "A1" as Protobuf field 2.
const sensorField: Field = {
  id: 'protobuf.sensor',
  name: 'sensor (string = 2)',
  start: 0,
  end: 4,
  value: '"A1"',
  children: [
    {
      id: 'protobuf.sensor.tag',
      name: 'Tag',
      start: 0,
      end: 1,
      children: [{ id: 'protobuf.sensor.tag.field_number', name: 'Field number', start: 0, end: 1 }]
    },
    { id: 'protobuf.sensor.length', name: 'Length', start: 1, end: 2 },
    { id: 'protobuf.sensor.value', name: 'Value', start: 2, end: 4 }
  ]
}

describe('serialization view model', () => {
  it('shows the latest encoder batch only, never tapped PDUs', () => {
    const events: LabEvent[] = [
      pdu('json', 1, [0x7b, 0x7d], [{ id: 'json.syntax', name: '{', start: 0, end: 2 }]),
      pdu('json', 2, [0x7b, 0x7d], [{ id: 'json.syntax', name: '{', start: 0, end: 2 }]),
      pdu('protobuf', 2, [0x12, 0x02, 0x41, 0x31], [sensorField]),
      pdu('protobuf', 3, [0x12, 0x02, 0x41, 0x31], [sensorField], 0)
    ]
    const m = buildModel(events)
    expect(m.batch).toBe(2)
    expect(m.rows.map((r) => r.format)).toEqual(['json', 'protobuf'])
  })

  it('gives every byte to its top-level field and colours fields by logical key', () => {
    const row = rowOf(pdu('protobuf', 1, [0x12, 0x02, 0x41, 0x31, 0x00], [sensorField]))
    expect(Array.from(row.owner)).toEqual([0, 0, 0, 0, -1])
    expect(row.keys).toEqual(['sensor'])
    expect(colourSlot('sensor')).toBe(1)
    expect(colourSlot(null)).toBe(-1)
  })

  it('finds the tag on the selection path and takes it apart', () => {
    const p = pdu('protobuf', 1, [0x12, 0x02, 0x41, 0x31], [sensorField])
    expect(tagOnPath(p, [0, 0, 0])?.id).toBe('protobuf.sensor.tag')
    expect(tagOnPath(p, [0])?.id).toBe('protobuf.sensor.tag')
    expect(tagOnPath(p, [0, 2])).toBeNull()
    expect(decodeTag(Uint8Array.of(0x12))).toEqual({ value: 18, field: 2, wire: 2 })
    // Field 300, wire type 2: (300 << 3) | 2 = 2402 = varint e2 12.
    expect(decodeTag(Uint8Array.of(0xe2, 0x12))).toEqual({ value: 2402, field: 300, wire: 2 })
  })
})
