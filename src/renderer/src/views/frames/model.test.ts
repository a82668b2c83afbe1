// The WebSocket view's model from a real chat: the Upgrade (key, expected and received accept),
// the frames, the one laid out, and a client frame's header bit by bit.
import { beforeAll, describe, expect, it } from 'vitest'
import type { PduEvent } from '@shared/events'
import { pdusOf, recordLesson } from '../lesson-test-support'
import { frameBits, webSocketModel } from './model'

let pdus: PduEvent[] = []
beforeAll(async () => {
  pdus = pdusOf(await recordLesson('websocket', ['chat']))
})

describe('WebSocket model', () => {
  it('finds the Upgrade of the connection shown, with a matching Sec-WebSocket-Accept', () => {
    const m = webSocketModel(pdus, null)
    expect(m.shown).toBe(m.frames.at(-1))
    expect(m.conn).toBe(m.shown?.conn)
    expect(m.request?.summary).toContain('Upgrade: websocket')
    expect(m.response?.keys?.status).toBe(101)
    expect(m.key).toMatch(/^[A-Za-z0-9+/]{22}==$/)
    expect(m.accept).toMatch(/^[A-Za-z0-9+/]{27}=$/)
    expect(m.accept).toBe(m.expectedAccept)
    expect(m.frames.every((f) => f.protocol === 'websocket' && !f.malformed)).toBe(true)
  })

  it('lays out the selected frame', () => {
    const first = webSocketModel(pdus, null).frames[0]
    expect(webSocketModel(pdus, first.seq).shown).toBe(first)
  })

  it('takes a masked client text frame apart', () => {
    const frame = webSocketModel(pdus, null).frames.find((f) => f.dir === 'c2s' && f.keys?.opcode === 1)!
    const bits = frameBits(frame)
    const len = frame.data[1] & 0x7f
    expect(bits.map((b) => [b.label, b.value])).toEqual([
      ['FIN', '1'],
      ['RSV1-3', '000'],
      ['opcode', '1 Text'],
      ['MASK', '1'],
      ['len (7 bits)', String(len)],
      ['masking key', expect.stringMatching(/^[0-9a-f]{8}$/)]
    ])
    expect(len).toBeLessThan(126)
  })
})
