// The segments table from a real run of the TCP handshake lesson: modeled SYN/SYN-ACK/ACK,
// data at the sequence numbers the payload lengths give, FIN, RST and a refused connection, each
// row with the arithmetic that explains it, in both languages.
import { beforeAll, describe, expect, it } from 'vitest'
import type { LabEvent } from '@shared/events'
import { recordLesson } from '../lesson-test-support'
import { filterRows, segmentRows, type SegmentRow } from './model'

let events: LabEvent[] = []
beforeAll(async () => {
  events = await recordLesson('tcp-handshake', ['client-closes', 'reset', 'refused'])
})

const brief = (r: SegmentRow): string =>
  `${r.dir} ${r.flags} seq=${r.seq} ack=${r.ack} len=${r.len} ${r.source}`

describe('segment rows', () => {
  it('open with the modeled handshake and advance Seq by each payload length', () => {
    const rows = segmentRows(events)
    const first = rows.filter((r) => r.conn === rows[0].conn)
    expect(first.slice(0, 5).map(brief)).toEqual([
      'c2s SYN seq=0 ack=null len=0 modeled',
      's2c SYN, ACK seq=0 ack=1 len=0 modeled',
      'c2s ACK seq=1 ack=1 len=0 modeled',
      'c2s PSH, ACK seq=1 ack=1 len=10 data',
      's2c ACK seq=1 ack=11 len=0 modeled'
    ])
    expect(first[0].why).toEqual({
      en: 'ISN 0 (relative); SYN takes one sequence number',
      pt: 'ISN 0 (relativo); o SYN ocupa um número de sequência'
    })
    expect(first[1].why.en).toBe("SYN takes one sequence number; ACK 1 = client's SYN + 1")
    expect(first[3].why).toEqual({
      en: 'Seq 1 + 10 bytes = 11 (next Seq)',
      pt: 'Seq 1 + 10 bytes = 11 (próximo Seq)'
    })
    expect(first[3].text).toBe('Ola, mundo')
    expect(first[4].why.en).toBe('acknowledges everything before byte 11')
    const fin = first.find((r) => r.flags === 'FIN, ACK')!
    expect(fin.why.en).toBe(`FIN takes one sequence number: next is ${fin.seq + 1}`)
  })

  it('explain a reset and a refused connection differently', () => {
    const rst = segmentRows(events).filter((r) => r.flags.includes('RST'))
    expect(rst.map((r) => r.why.en)).toEqual(['abort: no goodbye', 'nobody listens: the kernel answers RST'])
  })

  it('filter modeled and captured segments; data rows go with the modeled ones', () => {
    const rows = segmentRows(events)
    const captured: SegmentRow = { ...rows[0], key: -1, source: 'captured', modeled: false }
    const mixed = [...rows, captured]
    expect(filterRows(mixed, 'both')).toHaveLength(mixed.length)
    expect(filterRows(mixed, 'captured')).toEqual([captured])
    expect(filterRows(mixed, 'modeled')).toEqual(rows)
  })
})
