// The heuristic dissector watch mode puts on each connection: when it decides, what it replays,
// and what it falls back to. (Each protocol's own heuristic is tested in protocols/heuristics.test.ts
// on bytes real clients wrote.)
import { describe, expect, it } from 'vitest'
import '../protocols'
import { getDissector } from './registry'
import { heuristicDissector, type Recognition } from './heuristic'

const enc = (s: string): Uint8Array => new TextEncoder().encode(s)

function tcp(extra: Partial<Parameters<typeof heuristicDissector>[0]> = {}): { d: ReturnType<typeof heuristicDissector>; choices: Recognition[] } {
  const choices: Recognition[] = []
  const d = heuristicDissector({ transport: 'tcp', fallback: getDissector('tcp'), onChoice: (r) => choices.push(r), ...extra })
  return { d, choices }
}

describe('heuristic dissector', () => {
  it('replays the held bytes into the protocol it picks, with their offsets', () => {
    const { d, choices } = tcp()
    const req = enc('GET /items/1 HTTP/1.1\r\nHost: x\r\n\r\n')
    // Cut inside the request line: not conclusive yet.
    expect(d.push('c2s', req.subarray(0, 10), 0)).toEqual([])
    const out = d.push('c2s', req.subarray(10), 10)
    expect(choices).toEqual([{ protocol: 'http', score: 0.9, dir: 'c2s', by: 'heuristic' }])
    expect(out.map((p) => [p.protocol, p.offset, p.data.length])).toEqual([['http', 0, req.length]])
  })

  it('shows bytes no protocol claims at once, as raw payload (nothing waits for an answer that may never come)', () => {
    const { d, choices } = tcp()
    expect(d.push('c2s', enc('Ola, mundo'), 0).map((p) => p.protocol)).toEqual(['tcp'])
    expect(choices[0]).toMatchObject({ protocol: 'tcp', by: 'fallback' })
    expect(d.push('s2c', enc('Ola, mundo'), 0).map((p) => p.dir)).toEqual(['s2c'])
  })

  it('decides a request line that stays cut when the other side speaks', () => {
    const { d, choices } = tcp()
    expect(d.push('c2s', enc('GET /ite'), 0)).toEqual([])
    d.push('s2c', enc('HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n'), 0)
    expect(choices[0]).toMatchObject({ protocol: 'http', by: 'heuristic' })
  })

  it('with inconclusive bytes, the well-known port decides', () => {
    const { d, choices } = tcp({ port: 1883 })
    d.push('c2s', Uint8Array.of(0x10), 0) // half an MQTT fixed header
    d.end?.('c2s')
    expect(choices[0]).toMatchObject({ protocol: 'mqtt' })
  })

  it('decode-as skips the heuristics', () => {
    const { d, choices } = tcp({ forced: getDissector('tcp') })
    expect(choices).toEqual([{ protocol: 'tcp', score: 1, dir: 'c2s', by: 'forced' }])
    expect(d.push('c2s', enc('GET / HTTP/1.1\r\n\r\n'), 0).map((p) => p.protocol)).toEqual(['tcp'])
  })

  it('UDP decides on the first datagram', () => {
    const choices: Recognition[] = []
    const d = heuristicDissector({ transport: 'udp', fallback: getDissector('udp'), decideAtOnce: true, onChoice: (r) => choices.push(r) })
    expect(d.push('c2s', enc('Ola, UDP!'), 0).map((p) => p.protocol)).toEqual(['udp'])
    expect(choices).toHaveLength(1)
  })
})
