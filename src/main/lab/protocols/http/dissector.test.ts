import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFile, execFileSync } from 'node:child_process'
import { promisify } from 'node:util'
import fc from 'fast-check'
import type { Field, NodeEvent, PduEvent } from '../../../../shared/events'
import { tilingProblems } from '../../dissect/fields'
import { createDissector } from '..'
import './dissector'
import { createHttpDissector } from './dissector'
import { jsonFields } from './json-tree'
import { bytesOf, connections, essence, feed, pdusOf, problemsOf, recordedParts, runScene, splitAt, type Capture } from '../../testing/capture'

const has = (tool: string): boolean => {
  try {
    execFileSync('which', [tool], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

const find = (fields: Field[], pred: (f: Field) => boolean): Field | undefined => {
  for (const f of fields) {
    if (pred(f)) return f
    const inner = f.children && find(f.children, pred)
    if (inner) return inner
  }
  return undefined
}

let cap: Capture
let conn: string

beforeAll(async () => {
  cap = await runScene('rest')
  conn = connections(cap.events)[0].conn
})
afterAll(() => cap.lab.stop())

describe('http dissector on bytes node:http produced (rest lesson tour)', () => {
  it('sees five requests and five responses on ONE keep-alive connection', () => {
    expect(connections(cap.events)).toHaveLength(1)
    const req = pdusOf(cap.events, conn, 'http', 'c2s')
    const res = pdusOf(cap.events, conn, 'http', 's2c')
    expect(req.map((p) => `${p.keys?.method} ${p.keys?.path}`)).toEqual(['GET /', 'GET /items/1', 'GET /items/3', 'POST /items', 'GET /items'])
    expect(res.map((p) => p.keys?.status)).toEqual([200, 200, 404, 201, 200])
    // Responses are paired with their request.
    expect(res.map((p) => p.keys?.index)).toEqual(req.map((p) => p.keys?.index))
    for (const p of [...req, ...res]) expect(p.malformed).toBeUndefined()
  })

  it('covers every byte with sound ranges', () => {
    const all = pdusOf(cap.events, conn, 'http')
    expect(problemsOf(all)).toEqual([])
    for (const p of all) expect(tilingProblems(p.fields, p.data.length)).toEqual([])
    const total = all.reduce((n, p) => n + p.data.length, 0)
    expect(total).toBe(bytesOf(cap.events, conn, 'c2s').length + bytesOf(cap.events, conn, 's2c').length)
  })

  it('shows the request line, each header and the JSON body with byte ranges', () => {
    const res = pdusOf(cap.events, conn, 'http', 's2c')[1] // GET /items/1 → 200
    const text = new TextDecoder().decode(res.data)
    const price = find(res.fields, (f) => f.id === 'json.member' && f.name === 'price')
    expect(price?.value).toBe('1200')
    expect(text.slice(price!.start, price!.end)).toBe('"price":1200')
    const ct = find(res.fields, (f) => f.id === 'http.header' && f.name.toLowerCase() === 'content-type')
    expect(text.slice(ct!.start, ct!.end)).toBe('content-type: application/json\r\n')
    const req = pdusOf(cap.events, conn, 'http', 'c2s')[3] // POST
    const reqText = new TextDecoder().decode(req.data)
    const method = find(req.fields, (f) => f.id === 'http.request.method')
    const uri = find(req.fields, (f) => f.id === 'http.request.uri')
    expect(reqText.slice(method!.start, method!.end)).toBe('POST')
    expect(reqText.slice(uri!.start, uri!.end)).toBe('/items')
    const name = find(req.fields, (f) => f.id === 'json.member' && f.name === 'name')
    expect(name?.value).toBe('"Teclado"')
    const notFound = pdusOf(cap.events, conn, 'http', 's2c')[2]
    expect(find(notFound.fields, (f) => f.id === 'json.member' && f.name === 'error')?.value).toBe('"Item not found"')
  })

  it('takes chunked transfer coding apart chunk by chunk', () => {
    const list = pdusOf(cap.events, conn, 'http', 's2c')[4]
    expect(list.keys?.chunked).toBe(true)
    const text = new TextDecoder().decode(list.data)
    const chunks = find(list.fields, (f) => f.id === 'http.chunked')!.children!.filter((f) => f.id === 'http.chunk')
    expect(chunks.length).toBeGreaterThan(2)
    const last = chunks.at(-1)!
    expect(text.slice(last.start, last.end)).toBe('0\r\n\r\n')
    const body = chunks.slice(0, -1).map((c) => {
      const data = c.children!.find((f) => f.id === 'http.chunk_data')!
      return text.slice(data.start, data.end)
    })
    expect(JSON.parse(body.join(''))).toHaveLength(3)
  })

  it('gives the same PDUs as recorded, and the same when each direction is split at every offset', () => {
    const recorded = pdusOf(cap.events, conn, 'http').map(essence)
    expect(feed(createHttpDissector(), recordedParts(cap.events, conn), true).map(essence)).toEqual(recorded)
    const c2s = bytesOf(cap.events, conn, 'c2s')
    const s2c = bytesOf(cap.events, conn, 's2c')
    const baseline = feed(createHttpDissector(), [{ dir: 'c2s', bytes: c2s, offset: 0 }, { dir: 's2c', bytes: s2c, offset: 0 }], true).map(essence)
    expect([...baseline].sort()).toEqual([...recorded].sort())
    for (const [dir, bytes] of [['c2s', c2s], ['s2c', s2c]] as const) {
      for (let k = 1; k < bytes.length; k++) {
        const parts = splitAt(bytes, [k]).map((p) => ({ dir, ...p }))
        const otherDir = dir === 'c2s' ? 's2c' : 'c2s'
        const rest = { dir: otherDir, bytes: otherDir === 'c2s' ? c2s : s2c, offset: 0 } as const
        const order = dir === 'c2s' ? [...parts, rest] : [rest, ...parts]
        const got = feed(createHttpDissector(), order, true).map(essence)
        if (JSON.stringify(got) !== JSON.stringify(baseline)) throw new Error(`${dir} split at ${k} differs`)
      }
    }
  }, 60_000)
})

describe('http dissector, edge cases', () => {
  const enc = (s: string): Uint8Array => new TextEncoder().encode(s)

  it('knows HEAD responses have no body and reads a body until the connection closes', () => {
    const d = createHttpDissector()
    const out = [
      ...d.push('c2s', enc('HEAD /items/1 HTTP/1.1\r\nHost: x\r\n\r\nGET /old HTTP/1.0\r\n\r\n'), 0),
      ...d.push('s2c', enc('HTTP/1.1 200 OK\r\nContent-Length: 30\r\n\r\nHTTP/1.0 200 OK\r\n\r\nhello'), 0),
      ...(d.end?.('s2c') ?? [])
    ]
    expect(out.map((p) => p.summary)).toEqual(['HEAD /items/1 HTTP/1.1', 'GET /old HTTP/1.0', 'HTTP/1.1 200 OK', 'HTTP/1.0 200 OK'])
    expect(out[3].data.length).toBe('HTTP/1.0 200 OK\r\n\r\nhello'.length)
  })

  it('flags a body cut short, a bad chunk size and a non-HTTP start', () => {
    const a = createHttpDissector()
    a.push('c2s', enc('POST /items HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc'), 0)
    expect(a.end?.('c2s')[0].malformed?.reason).toMatch(/cut short/)
    const b = createHttpDissector()
    expect(b.push('s2c', enc('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'), 0)[0].malformed?.reason).toMatch(/chunk size/)
    const c = createHttpDissector()
    expect(c.push('c2s', enc('Ola, mundo\r\n\r\n'), 0)[0].malformed?.reason).toMatch(/request line/)
  })

  it('parses JSON with byte ranges and rejects what is not JSON', () => {
    const bytes = enc(' {"a": [1, true, null, "x\\"y"], "b": {"c": -2.5e3}} ')
    const tree = jsonFields(bytes)
    expect(tree.children?.map((c) => c.name)).toEqual(['a', 'b'])
    const a = tree.children![0]
    expect(new TextDecoder().decode(bytes.subarray(a.start, a.end))).toBe('"a": [1, true, null, "x\\"y"]')
    expect(() => jsonFields(enc('{"a": }'))).toThrow(/byte 6/)
    expect(() => jsonFields(enc('[1, 2'))).toThrow()
  })

  it('survives random bytes split at random places: no exception, sound ranges', () => {
    const httpish = fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      fc
        .tuple(fc.constantFrom('GET / HTTP/1.1\r\n', 'HTTP/1.1 200 OK\r\n', 'POST /items HTTP/1.1\r\n'), fc.array(fc.constantFrom('Content-Length: 5\r\n', 'Transfer-Encoding: chunked\r\n', 'Content-Type: application/json\r\n', ':\r\n', '\r\n', '5\r\n{"a":\r\n', '0\r\n\r\n', '{"x":1}', '\x00\xff'), { maxLength: 8 }))
        .map(([a, b]) => enc(a + b.join('')))
    )
    fc.assert(
      fc.property(httpish, fc.array(fc.nat(), { maxLength: 5 }), fc.boolean(), (bytes, cuts, s2c) => {
        const d = createDissector('http')
        const dir = s2c ? 's2c' : 'c2s'
        const parts = splitAt(bytes, [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((x, y) => x - y)).map((p) => ({ dir, ...p }) as const)
        const out = feed(d, parts, true)
        expect(problemsOf(out)).toEqual([])
        expect(out.reduce((n, p) => n + p.data.length, 0)).toBe(bytes.length)
      }),
      { numRuns: 400 }
    )
  })
})

describe.skipIf(!has('curl'))('a student running curl against the REST port', () => {
  it('shows up as its own actor with its request and the response', async () => {
    const { lab } = await runScene('rest', {}, { id: 'request', args: { method: 'GET', path: '/' } })
    try {
      const port = lab.status()!.ports[0].port
      // Asynchronously: the tap runs in this process and must keep relaying while curl waits.
      const { stdout: out } = await promisify(execFile)('curl', ['-s', `http://127.0.0.1:${port}/items/1`], { encoding: 'utf8' })
      expect(JSON.parse(out)).toEqual({ name: 'Laptop', price: 1200 })
      await expect.poll(() => lab.session.events.filter((e) => e.kind === 'conn.close').length).toBeGreaterThan(0)
      const ext = lab.session.events.find((e): e is NodeEvent => e.kind === 'node' && !!e.external)
      expect(ext?.label).toMatch(/127\.0\.0\.1:\d+/)
      const c = connections(lab.session.events).find((o) => o.from === ext!.node)!
      const pdus = lab.session.events.filter((e): e is PduEvent => e.kind === 'pdu' && e.conn === c.conn && e.protocol === 'http')
      expect(pdus.map((p) => p.summary)).toEqual(['GET /items/1 HTTP/1.1', 'HTTP/1.1 200 OK'])
      expect(pdus[0].fields.find((f) => f.id === 'http.headers')?.children?.some((h) => h.name === 'User-Agent' && !!h.value?.startsWith('curl/'))).toBe(true)
    } finally {
      await lab.stop()
    }
  })
})
