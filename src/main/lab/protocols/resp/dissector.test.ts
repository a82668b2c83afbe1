// The RESP dissector on real traffic (ioredis in RESP3 and RESP2, redis-cli, redis-py and inline
// commands talking to redis-server, recorded by record-fixtures.ts): every RESP2 and RESP3 type,
// commands paired with replies, checked against tshark's resp dissector (RESP2 only in tshark
// 4.0), split at every offset, and fed garbage.
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Field } from '../../../../shared/events'
import { loadConversations, replay, splitMismatches, streamOf } from '../../dissect/conversation'
import { rangeProblems } from '../../dissect/fields'
import type { PduDraft } from '../../dissect/types'
import { tsharkLayers } from '../../testing/tshark-oracle'
import { has } from '../../testing/events'
import { createRespDissector, looksLike } from './dissector'

const CONVS = loadConversations(path.join(__dirname, 'fixtures', 'conversations.json'))
const conv = (prefix: string) => CONVS.find((c) => c.name.startsWith(prefix))!
const enc = (s: string) => new TextEncoder().encode(s)

const find = (fields: Field[], pred: (f: Field) => boolean): Field[] =>
  fields.flatMap((f) => [...(pred(f) ? [f] : []), ...find(f.children ?? [], pred)])

function feed(chunks: { dir: 'c2s' | 's2c'; data: Uint8Array }[]): PduDraft[] {
  const d = createRespDissector()
  const off = { c2s: 0, s2c: 0 }
  const out: PduDraft[] = []
  for (const c of chunks) {
    out.push(...d.push(c.dir, c.data, off[c.dir]))
    off[c.dir] += c.data.length
  }
  return [...out, ...(d.end?.('c2s') ?? []), ...(d.end?.('s2c') ?? [])]
}

describe('resp dissector on recorded conversations', () => {
  for (const c of CONVS) {
    it(`${c.name}: sound ranges over the real bytes`, () => {
      const pdus = replay(createRespDissector, c)
      for (const dir of ['c2s', 's2c'] as const) {
        const stream = streamOf(c, dir)
        let at = 0
        for (const p of pdus.filter((x) => x.dir === dir)) {
          expect(p.offset).toBe(at)
          expect(Buffer.from(p.data).equals(Buffer.from(stream.subarray(at, at + p.data.length)))).toBe(true)
          expect(rangeProblems(p.fields, p.data.length), p.summary).toEqual([])
          at += p.data.length
        }
        expect(at).toBe(stream.length)
      }
      // Only the cross-protocol request is malformed (and what follows it).
      if (!c.name.startsWith("curl's")) expect(pdus.filter((p) => p.malformed).map((p) => p.summary)).toEqual([])
    })

    it(`${c.name}: the same PDUs whatever the chunking`, () => {
      expect(splitMismatches(createRespDissector, c, 512)).toEqual([])
    }, 60_000)
  }

  it('pairs every reply with its command, pipelined or not', () => {
    for (const c of CONVS.filter((x) => !x.name.startsWith("curl's"))) {
      const pdus = replay(createRespDissector, c)
      const cmds = pdus.filter((p) => p.keys?.kind === 'command' && p.keys.index)
      const replies = pdus.filter((p) => p.keys?.kind === 'reply')
      expect(replies.map((r) => r.keys?.index), c.name).toEqual(cmds.map((x) => x.keys?.index))
      for (const r of replies) expect(r.keys?.cmd).toBe(cmds.find((x) => x.keys?.index === r.keys?.index)?.keys?.cmd)
    }
  })

  it('ioredis 6 speaks RESP3 by default: HELLO 3 answered with a map, then RESP3 types', () => {
    const pdus = replay(createRespDissector, conv('ioredis 6 (default RESP3)'))
    expect(pdus[0].keys).toMatchObject({ kind: 'command', cmd: 'HELLO', resp: 2 })
    const hello = pdus.find((p) => p.keys?.kind === 'reply' && p.keys.cmd === 'HELLO')!
    expect(hello.keys?.type).toBe('map')
    const miss = pdus.find((p) => p.keys?.kind === 'reply' && p.keys.cmd === 'GET')!
    expect(miss.keys).toMatchObject({ type: 'null', nil: true, resp: 3 })
    expect(pdus.find((p) => p.keys?.cmd === 'HGETALL' && p.keys.kind === 'reply')?.keys?.type).toBe('map')
    expect(pdus.find((p) => p.keys?.cmd === 'SMEMBERS' && p.keys.kind === 'reply')?.keys?.type).toBe('set')
    expect(pdus.find((p) => p.keys?.cmd === 'INFO' && p.keys.kind === 'reply')?.keys?.type).toBe('verbatim string')
    // Redis 7.0 does not know CLIENT SETINFO (7.2+): a real error, shown as such.
    expect(pdus.filter((p) => p.keys?.cmd === 'CLIENT' && p.keys.kind === 'reply').map((p) => p.keys?.error)).toEqual([
      "ERR unknown subcommand 'SETINFO'. Try CLIENT HELP.",
      "ERR unknown subcommand 'SETINFO'. Try CLIENT HELP."
    ])
  })

  it('RESP2 configured on purpose: the same GET miss is $-1, HGETALL a flat array', () => {
    const pdus = replay(createRespDissector, conv('ioredis 6 (protocol: 2)'))
    expect(pdus.find((p) => p.keys?.cmd === 'HELLO')).toBeUndefined()
    const miss = pdus.find((p) => p.keys?.kind === 'reply' && p.keys.cmd === 'GET' && p.keys.nil)!
    expect(Buffer.from(miss.data).toString()).toBe('$-1\r\n')
    expect(miss.summary).toBe('GET → $-1 (nil): not in the cache')
    expect(pdus.find((p) => p.keys?.cmd === 'HGETALL' && p.keys.kind === 'reply')?.keys?.type).toBe('array')
  })

  it('decodes every RESP3 type Redis sends (DEBUG PROTOCOL), with byte ranges on each part', () => {
    const pdus = replay(createRespDissector, conv('inline commands'))
    const types = pdus.filter((p) => p.dir === 's2c').map((p) => p.keys?.type)
    for (const t of ['map', 'set', 'double', 'big number', 'null', 'boolean', 'verbatim string', 'push', 'bulk string', 'simple string'])
      expect(types, t).toContain(t)
    const attr = pdus.find((p) => p.summary.includes('(with an attribute)'))!
    expect(find(attr.fields, (f) => f.name.startsWith('Attribute'))[0].start).toBe(0)
    const verbatim = pdus.find((p) => p.keys?.type === 'verbatim string')!
    const fmt = find(verbatim.fields, (f) => f.id === 'resp.verbatim.format')[0]
    expect(Buffer.from(verbatim.data.subarray(fmt.start, fmt.end)).toString()).toBe('txt')
    // The push arrives out of band, before the reply to the command that caused it.
    const push = pdus.find((p) => p.keys?.kind === 'push')!
    expect(push.keys?.index).toBeUndefined()
  })

  it("curl's HTTP request: Redis refuses the Host: line as a cross-protocol attack and closes", () => {
    const c = conv("curl's")
    const pdus = replay(createRespDissector, c)
    expect(pdus.filter((p) => p.dir === 's2c')).toEqual([]) // Redis answered nothing
    const refused = pdus.find((p) => p.malformed && p.keys?.cmd === 'HOST:')!
    expect(refused.malformed?.reason).toMatch(/Possible SECURITY ATTACK detected/)
    expect(refused.malformed).toMatchObject({ start: 0, end: refused.data.length })
    expect(pdus.at(-1)?.malformed?.reason).toMatch(/never processes/)
  })

  it.skipIf(!has('tshark'))("tshark's resp dissector finds the same RESP2 messages in each direction", async () => {
    const TOP: Record<string, string> = { 'resp.array': '*', 'resp.bulk_string': '$', 'resp.string': '+', 'resp.error': '-', 'resp.integer': ':' }
    for (const c of CONVS.filter((x) => /RESP2|protocol: 2/.test(x.name))) {
      const frames = await tsharkLayers(c, 'resp', 'resp', 6379)
      const ours = replay(createRespDissector, c)
      for (const dir of ['c2s', 's2c'] as const) {
        const theirs = frames
          .filter((f) => f.dir === dir)
          .flatMap((f) => Object.entries(f.fields).flatMap(([k, v]) => (TOP[k] ? Array(Array.isArray(v) ? v.length : 1).fill(TOP[k]) : [])))
        const mine = ours.filter((p) => p.dir === dir).map((p) => String.fromCharCode(p.data[0]))
        expect(mine.sort(), `${c.name} ${dir}`).toEqual(theirs.sort())
      }
    }
  })
})

describe('resp dissector on bad input', () => {
  it('a bad multibulk length is the error Redis gives, flagged on the bytes', () => {
    const pdus = feed([{ dir: 'c2s', data: enc('*abc\r\n$3\r\nGET\r\n') }])
    expect(pdus[0].malformed?.reason).toMatch(/^Protocol error: invalid multibulk length/)
    expect(pdus[0].malformed).toMatchObject({ start: 0 })
  })

  it("a command array must hold bulk strings: Redis' \"expected '$'\"", () => {
    const [p] = feed([{ dir: 'c2s', data: enc('*1\r\n+PING\r\n') }])
    expect(p.malformed?.reason).toMatch(/expected '\$', got '\+'/)
  })

  it('unbalanced quotes in an inline command', () => {
    const [p] = feed([{ dir: 'c2s', data: enc('SET k "oops\r\n') }])
    expect(p.malformed?.reason).toMatch(/unbalanced quotes/)
  })

  it('a reply with an unknown type byte or a lying bulk length', () => {
    expect(feed([{ dir: 's2c', data: enc('?what\r\n') }])[0].malformed?.reason).toMatch(/unknown type byte '\?'/)
    const [p] = feed([{ dir: 's2c', data: enc('$3\r\nabcdef\r\n') }])
    expect(p.malformed?.reason).toMatch(/followed by CRLF/)
  })

  it('a value cut short is truncated, not invented', () => {
    const [p] = feed([{ dir: 's2c', data: enc('$10\r\nabc') }])
    expect(p.malformed?.reason).toMatch(/truncated/)
  })
})

describe('resp looksLike', () => {
  it('recognises real openings and says no to other protocols', () => {
    for (const c of CONVS.filter((x) => !x.name.startsWith("curl's") && !x.name.startsWith('inline'))) {
      expect(looksLike(c.pieces.find((p) => p.dir === 'c2s')!.data, 'c2s'), c.name).toBe(1)
      expect(looksLike(c.pieces.find((p) => p.dir === 's2c')!.data, 's2c'), c.name).toBeGreaterThan(0.5)
    }
    expect(looksLike(enc('GET / HTTP/1.1\r\n'), 'c2s')).toBe(0)
    expect(looksLike(Uint8Array.of(0, 0, 0, 8, 4, 0xd2, 0x16, 0x2f), 'c2s')).toBe(0)
    expect(looksLike(enc('HTTP/1.1 200 OK\r\n'), 's2c')).toBe(0)
  })
})
