import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFile } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import http2 from 'node:http2'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import fc from 'fast-check'
import hpack from 'hpack.js'
import type { Field, NodeEvent, PduEvent } from '../../../../shared/events'
import { createDissector } from '..'
import { toPcap } from '../../../../shared/pcap'
import { Session } from '../../session/session'
import { Actors } from '../../tap/actors'
import { TcpTap } from '../../tap/tcp-tap'
import { has, waitForEvents } from '../../testing/events'
import { LOOPBACK, listenTcp } from '../../net/ports'
import { bytesOf, connections, essence, feed, pdusOf, problemsOf, recordedParts, runScene, splitAt, type Capture } from '../../testing/capture'
import { createHttp2Dissector } from './dissector'
import { HpackDecoder } from './hpack'

const run = promisify(execFile)

/** The decoded header list of a HEADERS PDU, from its field tree. */
function headersOf(p: PduEvent): [string, string][] {
  const block = p.fields.find((f) => f.id === 'http2.payload')?.children?.find((f) => f.id === 'http2.header_block')
  return (block?.children ?? [])
    .filter((f) => f.id === 'http2.header')
    .map((f) => {
      const at = f.name.indexOf(': ', 1)
      return [f.name.slice(0, at), f.name.slice(at + 2)]
    })
}

function kindsOf(p: PduEvent): string[] {
  const block = p.fields.find((f) => f.id === 'http2.payload')?.children?.find((f) => f.id === 'http2.header_block')
  return (block?.children ?? []).filter((f) => f.id === 'http2.header').map((f: Field) => f.value ?? '')
}

describe('http2 dissector on bytes node:http2 produced (multiplexing lesson, 8 streams)', () => {
  let cap: Capture
  let conn: string
  beforeAll(async () => {
    cap = await runScene('http2', { streams: 8 })
    conn = connections(cap.events)[0].conn
  })
  afterAll(() => cap.lab.stop())

  it('puts 8 streams on ONE connection with interleaved DATA frames', () => {
    expect(connections(cap.events)).toHaveLength(1)
    const frames = pdusOf(cap.events, conn, 'http2')
    expect(frames.every((p) => !p.malformed)).toBe(true)
    expect(frames.find((p) => p.dir === 'c2s')?.keys?.type).toBe('PREFACE')
    const requests = frames.filter((p) => p.dir === 'c2s' && p.keys?.type === 'HEADERS')
    expect(requests.map((p) => p.keys?.streamId)).toEqual([1, 3, 5, 7, 9, 11, 13, 15])
    expect(requests.map((p) => p.keys?.path)).toEqual(Array.from({ length: 8 }, (_, i) => `/tiles/${i + 1}`))
    const data = frames.filter((p) => p.keys?.type === 'DATA' && Number(p.keys.dataLength) > 0)
    const switches = data.filter((p, i) => i > 0 && p.keys?.streamId !== data[i - 1].keys?.streamId).length
    // Not one stream after another (7 switches): frames of different streams alternate.
    expect(switches).toBeGreaterThan(16)
    for (const sid of [1, 3, 5, 7, 9, 11, 13, 15]) {
      const bytes = data.filter((p) => p.keys?.streamId === sid).reduce((n, p) => n + Number(p.keys?.dataLength), 0)
      expect(bytes).toBe(6000)
    }
    expect(frames.some((p) => p.keys?.type === 'PING')).toBe(true)
    expect(frames.some((p) => p.keys?.type === 'GOAWAY')).toBe(true)
    expect(frames.filter((p) => p.keys?.type === 'SETTINGS')).toHaveLength(4)
  })

  it('follows flow control: DATA lowers the windows, WINDOW_UPDATE raises them', () => {
    const frames = pdusOf(cap.events, conn, 'http2')
    const data = frames.filter((p) => p.keys?.type === 'DATA')
    const last = data.at(-1)!
    const sent = data.reduce((n, p) => n + Number(p.keys?.length), 0)
    const updates = frames.filter((p) => p.keys?.type === 'WINDOW_UPDATE' && p.dir === 'c2s' && p.keys.streamId === 0)
    const before = updates.filter((u) => u.seq < last.seq).reduce((n, u) => n + Number(u.keys?.increment), 0)
    expect(last.keys?.connWindow).toBe(65_535 - sent + before)
    expect(data.find((p) => p.keys?.streamId === 1)?.keys?.streamWindow).toBe(65_535 - 1500)
  })

  it('every field lies inside its parent and the frame', () => {
    expect(problemsOf(pdusOf(cap.events, conn, 'http2'))).toEqual([])
  })

  it('re-fed in recorded order gives the recorded frames; random cuts give the same frames', () => {
    const recorded = pdusOf(cap.events, conn, 'http2').map(essence)
    expect(feed(createHttp2Dissector(), recordedParts(cap.events, conn), true).map(essence)).toEqual(recorded)
    const c2s = bytesOf(cap.events, conn, 'c2s')
    const s2c = bytesOf(cap.events, conn, 's2c')
    const whole = feed(createHttp2Dissector(), [{ dir: 'c2s', bytes: c2s, offset: 0 }, { dir: 's2c', bytes: s2c, offset: 0 }], true).map(essence)
    fc.assert(
      fc.property(fc.array(fc.nat({ max: s2c.length }), { maxLength: 40 }), fc.array(fc.nat({ max: c2s.length }), { maxLength: 10 }), (sc, cc) => {
        const parts = [
          ...splitAt(c2s, [...new Set(cc)].sort((a, b) => a - b)).map((p) => ({ dir: 'c2s' as const, ...p })),
          ...splitAt(s2c, [...new Set(sc)].sort((a, b) => a - b)).map((p) => ({ dir: 's2c' as const, ...p }))
        ]
        expect(feed(createHttp2Dissector(), parts, true).map(essence)).toEqual(whole)
      }),
      { numRuns: 40 }
    )
  })

  it.skipIf(!has('tshark'))('tshark counts the same frames per type and stream in the exported pcap', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wirelab-http2-'))
    const file = path.join(dir, 'http2.pcap')
    writeFileSync(file, toPcap(cap.events).bytes)
    const port = connections(cap.events)[0].server.port
    const { stdout } = await run('tshark', ['-r', file, '-o', 'tcp.desegment_tcp_streams:TRUE', '-d', `tcp.port==${port},http2`, '-Y', 'http2', '-T', 'fields', '-e', 'http2.type', '-e', 'http2.streamid'], { maxBuffer: 64 << 20 })
    const names = ['DATA', 'HEADERS', 'PRIORITY', 'RST_STREAM', 'SETTINGS', 'PUSH_PROMISE', 'PING', 'GOAWAY', 'WINDOW_UPDATE', 'CONTINUATION']
    const theirs = new Map<string, number>()
    for (const line of stdout.trim().split('\n')) {
      const [types, streams] = line.split('\t')
      const t = types.split(',')
      const s = streams.split(',')
      // Frames come as parallel lists; the magic has no type.
      const offset = s.length - t.length
      t.forEach((type, i) => {
        const key = `${names[Number(type)]}@${s[i + offset]}`
        theirs.set(key, (theirs.get(key) ?? 0) + 1)
      })
    }
    const ours = new Map<string, number>()
    for (const p of pdusOf(cap.events, conn, 'http2')) {
      if (p.keys?.type === 'PREFACE') continue
      const key = `${p.keys?.type}@${p.keys?.streamId}`
      ours.set(key, (ours.get(key) ?? 0) + 1)
    }
    expect(Object.fromEntries([...theirs].sort())).toEqual(Object.fromEntries([...ours].sort()))
    expect(ours.get('DATA@15')).toBeGreaterThan(1)
  })
})

describe('http2 split at every offset (3 small streams)', () => {
  it('gives the same frames whichever direction is cut wherever', async () => {
    const cap = await runScene('http2', { streams: 3, size: 300, piece: 100 })
    try {
      const conn = connections(cap.events)[0].conn
      const c2s = bytesOf(cap.events, conn, 'c2s')
      const s2c = bytesOf(cap.events, conn, 's2c')
      const whole = feed(createHttp2Dissector(), [{ dir: 'c2s', bytes: c2s, offset: 0 }, { dir: 's2c', bytes: s2c, offset: 0 }], true).map(essence)
      expect(whole.length).toBeGreaterThan(15)
      for (let k = 1; k < c2s.length; k++) {
        const got = feed(createHttp2Dissector(), [...splitAt(c2s, [k]).map((p) => ({ dir: 'c2s' as const, ...p })), { dir: 's2c', bytes: s2c, offset: 0 }], true).map(essence)
        if (JSON.stringify(got) !== JSON.stringify(whole)) throw new Error(`c2s cut at ${k} differs`)
      }
      for (let k = 1; k < s2c.length; k++) {
        const got = feed(createHttp2Dissector(), [{ dir: 'c2s', bytes: c2s, offset: 0 }, ...splitAt(s2c, [k]).map((p) => ({ dir: 's2c' as const, ...p }))], true).map(essence)
        if (JSON.stringify(got) !== JSON.stringify(whole)) throw new Error(`s2c cut at ${k} differs`)
      }
    } finally {
      await cap.lab.stop()
    }
  }, 60_000)
})

describe('HPACK: the headers the server actually received and sent', () => {
  it('decodes every header block, indexed vs literal, and the dynamic table grows', async () => {
    const received: Record<string, string | string[] | undefined>[] = []
    const server = http2.createServer()
    server.on('stream', (stream, headers) => {
      received.push({ ...headers })
      stream.respond({ ':status': 200, 'content-type': 'application/json', 'x-servido-por': 'wirelab', 'x-pedido': String(received.length) })
      stream.end('{"ok":true}')
    })
    const hidden = await listenTcp(server, 0, LOOPBACK)
    const session = new Session()
    const tap = new TcpTap({ session, actors: new Actors(), name: 'h2c', host: LOOPBACK, preferredPort: 0, target: { host: LOOPBACK, port: hidden }, dissector: 'http2', server: { node: 's', label: 'server' } })
    await tap.start()
    const client = http2.connect(`http://127.0.0.1:${tap.port.port}`)
    const responses: Record<string, string | string[] | undefined>[] = []
    try {
      for (let i = 1; i <= 3; i++) {
        await new Promise<void>((resolve, reject) => {
          const req = client.request({ ':method': 'GET', ':path': `/sensor/${i}`, 'x-sensor': 'A1', 'x-temperatura': String(20 + i) })
          req.on('response', (h) => responses.push({ ...h }))
          req.on('error', reject)
          req.resume()
          req.on('end', () => resolve())
          req.end()
        })
      }
      await new Promise<void>((resolve) => client.close(() => resolve()))
      await waitForEvents(session, (ev) => ev.some((e) => e.kind === 'conn.close'))
    } finally {
      client.destroy()
      await tap.close()
      server.close()
    }
    const frames = session.events.filter((e): e is PduEvent => e.kind === 'pdu' && e.protocol === 'http2')
    const reqs = frames.filter((p) => p.dir === 'c2s' && p.keys?.type === 'HEADERS')
    const resps = frames.filter((p) => p.dir === 's2c' && p.keys?.type === 'HEADERS')
    expect(reqs).toHaveLength(3)
    expect(resps).toHaveLength(3)
    const asObject = (list: [string, string][]): Record<string, string> => Object.fromEntries(list)
    const strip = (h: Record<string, string | string[] | undefined>): Record<string, string> =>
      Object.fromEntries(Object.entries(h).filter(([, v]) => typeof v === 'string' || typeof v === 'number').map(([k, v]) => [k, String(v)]))
    reqs.forEach((p, i) => expect(asObject(headersOf(p))).toEqual(strip(received[i])))
    resps.forEach((p, i) => {
      const { ':status': status, ...rest } = strip(responses[i])
      expect(asObject(headersOf(p))).toEqual({ ':status': String(status), ...rest })
    })
    // First request: x-sensor goes out as a literal added to the table; later ones index it.
    expect(kindsOf(reqs[0]).some((k) => k.startsWith('Literal with incremental indexing'))).toBe(true)
    expect(Number(reqs[1].keys?.indexed)).toBeGreaterThan(Number(reqs[0].keys?.indexed))
    expect(Number(reqs[0].keys?.hpackTableEntries)).toBeGreaterThan(0)
    expect(Number(reqs[2].keys?.hpackTableSize)).toBeGreaterThanOrEqual(Number(reqs[0].keys?.hpackTableSize))
  })

  it('agrees with hpack.js compressor output, block after block, with Huffman and eviction', () => {
    const header = fc.record({
      name: fc.stringMatching(/^[a-z][a-z0-9-]{0,14}$/),
      value: fc.string({ maxLength: 40 }).map((s) => s.replace(/[^\x20-\x7e]/g, 'x'))
    })
    fc.assert(
      fc.property(fc.array(fc.array(header, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 6 }), fc.integer({ min: 64, max: 4096 }), (blocks, size) => {
        // hpack.js reads `maxSize` (its README's `size` leaves the table without a limit).
        const comp = hpack.compressor.create({ table: { maxSize: size } })
        // Both ends agree on the table size (as SETTINGS_HEADER_TABLE_SIZE would), so small sizes evict.
        const dec = new HpackDecoder(size)
        for (const block of blocks) {
          comp.write(block)
          const chunks: Uint8Array[] = []
          for (let c = comp.read(); c; c = comp.read()) chunks.push(c)
          const bytes = Buffer.concat(chunks)
          const r = dec.decode(bytes)
          expect(r.error).toBeUndefined()
          expect(r.headers.map((h) => [h.name, h.value])).toEqual(block.map((h) => [h.name, h.value]))
          expect(r.tableSize).toBeLessThanOrEqual(size)
        }
      }),
      { numRuns: 150 }
    )
  })
})

describe('http2 dissector with garbage', () => {
  it('flags a client that does not send the preface, and keeps going on random frames', () => {
    const d = createDissector('http2')
    const out = d.push('c2s', new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n'), 0)
    expect(out[0].malformed?.reason).toMatch(/preface/)
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.array(fc.nat(), { maxLength: 6 }), fc.boolean(), (bytes, cuts, preface) => {
        const d = createDissector('http2')
        const pre = new TextEncoder().encode('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n')
        const all = preface ? Buffer.concat([pre, bytes]) : bytes
        const parts = splitAt(all, [...new Set(cuts.map((c) => c % (all.length + 1)))].sort((a, b) => a - b))
        const got = feed(d, [...parts.map((p) => ({ dir: 'c2s' as const, ...p })), ...parts.map((p) => ({ dir: 's2c' as const, ...p }))], true)
        expect(problemsOf(got)).toEqual([])
        expect(got.reduce((n, p) => n + p.data.length, 0)).toBe(all.length * 2)
      }),
      { numRuns: 500 }
    )
  })
})

describe.skipIf(!has('curl') || !has('nghttp'))('outside clients on the h2c port', () => {
  it('curl --http2-prior-knowledge and nghttp appear as their own actors with their streams', async () => {
    const { lab } = await runScene('http2', { streams: 1 })
    try {
      const port = lab.status()!.ports[0].port
      const { stdout } = await run('curl', ['-s', '--http2-prior-knowledge', `http://127.0.0.1:${port}/items/1`])
      expect(JSON.parse(stdout)).toEqual({ name: 'Laptop', price: 1200 })
      await run('nghttp', ['-n', `http://127.0.0.1:${port}/tiles/1`, `http://127.0.0.1:${port}/tiles/2`, `http://127.0.0.1:${port}/tiles/3`])
      const events = await waitForEvents(lab.session, (ev) => ev.filter((e) => e.kind === 'conn.close').length >= 3)
      const ext = events.filter((e): e is NodeEvent => e.kind === 'node' && !!e.external)
      expect(ext).toHaveLength(2)
      const [curlConn, nghttpConn] = ext.map((n) => connections(events).find((c) => c.from === n.node)!.conn)
      const curlFrames = pdusOf(events, curlConn, 'http2')
      expect(curlFrames.find((p) => p.dir === 'c2s')?.keys?.type).toBe('PREFACE')
      const curlReq = curlFrames.find((p) => p.dir === 'c2s' && p.keys?.type === 'HEADERS')
      expect(curlReq?.keys).toMatchObject({ streamId: 1, method: 'GET', path: '/items/1' })
      expect(headersOf(curlReq!).find(([n]) => n === 'user-agent')?.[1]).toMatch(/^curl\//)
      const ngReqs = pdusOf(events, nghttpConn, 'http2', 'c2s').filter((p) => p.keys?.type === 'HEADERS')
      expect(ngReqs.map((p) => p.keys?.path)).toEqual(['/tiles/1', '/tiles/2', '/tiles/3'])
      expect(new Set(ngReqs.map((p) => p.keys?.streamId)).size).toBe(3)
      expect(problemsOf([...curlFrames, ...pdusOf(events, nghttpConn, 'http2')])).toEqual([])
      expect([...curlFrames, ...pdusOf(events, nghttpConn, 'http2')].every((p) => !p.malformed)).toBe(true)
    } finally {
      await lab.stop()
    }
  })
})
