// Session files: a real recording from `wirelab run --out` parses to exactly its events and
// round-trips; damaged or foreign files give a reason in both languages and never throw.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { fromWire } from '@shared/wire'
import { parseSessionText, sessionFileName, sessionFileOf, sessionScene } from './session-file'
import { recordEchoSession } from './recording-test-support'

const { text, file } = recordEchoSession()

describe('parseSessionText', () => {
  it('reads a recording made by `wirelab run --out`: every event, bytes decoded', () => {
    const parsed = parseSessionText(text)
    expect(parsed.ok).toBe(true)
    if (!parsed.ok) return
    expect(parsed.events).toEqual(file.events.map(fromWire))
    expect(
      parsed.events.some((e) => e.kind === 'bytes' && e.data instanceof Uint8Array && e.data.length > 0)
    ).toBe(true)
    expect(sessionScene(parsed.file, parsed.events)).toBe('tcp-udp-echo')
    expect(sessionScene({}, parsed.events)).toBe('tcp-udp-echo') // from the `scene started` event
  })

  it('round-trips: the events saved again are the events read', () => {
    const parsed = parseSessionText(text)
    if (!parsed.ok) throw new Error('unreadable')
    const again = sessionFileOf(parsed.events, 'tcp-udp-echo', new Date(file.created))
    expect(again).toEqual(file)
    const reparsed = parseSessionText(JSON.stringify(again))
    expect(reparsed.ok && reparsed.events).toEqual(parsed.events)
  })

  it.each([
    ['not JSON', 'hello', /not JSON/],
    ['another JSON file', '{"name":"package"}', /not a Wirelab session/],
    ['a newer version', JSON.stringify({ ...file, version: 2 }), /not a Wirelab session/],
    ['an event without kind', JSON.stringify({ ...file, events: [{ seq: 1, t: 1 }] }), /Event 1 .*damaged/],
    ['events out of order', JSON.stringify({ ...file, events: [...file.events].reverse() }), /out of order/],
    [
      'bytes that are not base64',
      JSON.stringify({
        ...file,
        events: [{ kind: 'bytes', seq: 1, t: 1, conn: 'c1', dir: 'c2s', offset: 0, data: '%%' }]
      }),
      /not valid base64/
    ]
  ])('refuses %s with a reason in English and Portuguese', (_what, input, reason) => {
    const parsed = parseSessionText(input)
    expect(parsed.ok).toBe(false)
    if (parsed.ok) return
    expect(parsed.error.en).toMatch(reason)
    expect(parsed.error.pt.length).toBeGreaterThan(10)
  })

  it('never throws, whatever the text (random and mutated files)', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(typeof parseSessionText(s).ok).toBe('boolean')
      }),
      { numRuns: 300 }
    )
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: text.length - 1 }),
        fc.integer({ min: 1, max: 64 }),
        fc.string({ maxLength: 8 }),
        (at, cut, insert) => {
          const mutated = text.slice(0, at) + insert + text.slice(at + cut)
          const parsed = parseSessionText(mutated)
          if (parsed.ok) expect(parsed.events.length).toBe(parsed.file.events.length)
        }
      ),
      { numRuns: 300 }
    )
  })
})

describe('sessionFileName', () => {
  it('names files by lesson and time, without characters file systems refuse', () => {
    const when = new Date('2026-11-22T19:40:03.123Z')
    expect(sessionFileName('mqtt', '.wirelab', when)).toBe('mqtt-2026-11-22T19-40-03.wirelab')
    expect(sessionFileName(null, '.pcap', when)).toBe('session-2026-11-22T19-40-03.pcap')
  })
})
