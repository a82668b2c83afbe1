// The chaining API, shown with a tiny inner protocol built the way gRPC is: a 5-byte prefix (a flag
// byte and a 4-byte big-endian length) before each message, here UTF-8 text, carried in HTTP/2 DATA
// frames of requests whose content-type says so. Real node:http2 client and server write the bytes.
import http2 from 'node:http2'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Field } from '../../../shared/events'
import { LOOPBACK, listenTcp } from '../net/ports'
import { ByteReader } from '../protocols/common/reader'
import { createDissector } from '../protocols'
import { recordConnection, type Piece } from '../testing/relay'
import { chain } from './chain'
import { DissectError } from './error'
import { field, rangeProblems } from './fields'
import { registerPayload } from './registry'
import type { PayloadDef, PduDraft } from './types'

/** The example inner protocol: what EXTENDING.md walks through. */
const lengthPrefixed: PayloadDef = {
  id: 'lpm',
  name: 'Length-prefixed message (example)',
  accepts: (_payload, ctx) => (ctx.contentType === 'application/x-lpm' ? 1 : 0),
  decode(payload, ctx) {
    const r = new ByteReader(payload)
    const flag = r.u8('compressed flag')
    const length = r.u32('message length')
    const text = r.utf8(length, 'message', true)
    return {
      summary: `${ctx.path ?? '?'}: "${text}"`,
      fields: [
        field('Message', 0, r.pos, `${length} bytes`, {
          id: 'lpm.message',
          children: [
            field('Compressed flag', 0, 1, String(flag), { id: 'lpm.flag' }),
            field('Length', 1, 5, String(length), { id: 'lpm.length' }),
            field('Text', 5, r.pos, JSON.stringify(text), { id: 'lpm.text' })
          ]
        })
      ],
      keys: { message: text }
    }
  }
}
registerPayload(lengthPrefixed)

const message = (text: string): Buffer => {
  const body = Buffer.from(text)
  const out = Buffer.alloc(5 + body.length)
  out.writeUInt32BE(body.length, 1)
  body.copy(out, 5)
  return out
}

function find(fields: Field[] | undefined, id: string): Field | undefined {
  for (const f of fields ?? []) {
    if (f.id === id) return f
    const d = find(f.children, id)
    if (d) return d
  }
  return undefined
}

let pieces: Piece[]
let server: http2.Http2Server

beforeAll(async () => {
  server = http2.createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/x-lpm' })
      res.end(message('pong'))
    })
  })
  const port = await listenTcp(server, 0, LOOPBACK)
  pieces = await recordConnection(port, async (relay) => {
    const session = http2.connect(`http://${LOOPBACK}:${relay}`)
    await new Promise<void>((resolve, reject) => {
      const stream = session.request({
        ':method': 'POST',
        ':path': '/demo.Echo/Say',
        'content-type': 'application/x-lpm'
      })
      stream.on('response', () => undefined)
      stream.resume()
      stream.on('end', () => resolve())
      stream.on('error', reject)
      stream.end(message('Olá, mundo'))
    })
    await new Promise<void>((resolve) => session.close(() => resolve()))
  })
})

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

describe('chain(): an inner protocol inside HTTP/2 DATA frames', () => {
  it('decodes each DATA payload with the protocol its content-type names, ranges in the frame', () => {
    const d = createDissector('http2')
    const offsets = { c2s: 0, s2c: 0 }
    const pdus: PduDraft[] = []
    for (const p of pieces) {
      pdus.push(...d.push(p.dir, p.data, offsets[p.dir]))
      offsets[p.dir] += p.data.length
    }
    const data = pdus.filter((p) => p.keys?.type === 'DATA' && p.keys.inner === 'lpm')
    expect(data.map((p) => `${p.dir} ${String(p.keys?.message)}`)).toEqual(['c2s Olá, mundo', 's2c pong'])
    for (const p of data) {
      expect(rangeProblems(p.fields, p.data.length)).toEqual([])
      const text = find(p.fields, 'lpm.text')
      // The inner field's range points at the message's bytes inside the HTTP/2 frame.
      expect(new TextDecoder().decode(p.data.subarray(text?.start, text?.end))).toBe(String(p.keys?.message))
      expect(find(p.fields, 'http2.data.data')?.children?.[0].id).toBe('lpm.message')
      expect(p.summary).toContain('/demo.Echo/Say')
    }
  })

  it('leaves payloads no inner protocol accepts alone, and flags a broken one with its range', () => {
    const ctx = { dir: 'c2s' as const, outer: 'http2', offset: 9 }
    expect(chain(Uint8Array.of(1, 2, 3), ctx)).toBeNull()
    const cut = chain(Uint8Array.of(0, 0, 0, 0, 9, 0x41), { ...ctx, contentType: 'application/x-lpm' })
    expect(cut?.protocol).toBe('lpm')
    expect(cut?.malformed?.reason).toMatch(/message: needs 9 bytes/)
    expect(cut?.malformed).toMatchObject({ start: 9 + 5, end: 9 + 6 })
    const thrower: PayloadDef = {
      id: 'thrower',
      name: 'Thrower',
      accepts: () => {
        throw new Error('heuristics must not throw, and chain() survives those that do')
      },
      decode: () => {
        throw new DissectError('bad', 1, 2)
      }
    }
    registerPayload(thrower)
    expect(chain(Uint8Array.of(1, 2, 3), ctx)).toBeNull()
    expect(chain(Uint8Array.of(1, 2, 3), ctx, 'thrower')?.fields[0]).toMatchObject({
      start: 10,
      end: 11,
      malformed: 'bad'
    })
  })
})
