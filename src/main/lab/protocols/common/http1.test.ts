// One HTTP/1.x parser for every lesson that speaks it: the same bytes (a request node:http wrote,
// the response a node:http server wrote) give the same field tree in the REST, WebSocket, SSE and
// TLS dissectors (TLS reaches HTTP through the chaining API, as it does with decrypted records).
import http from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Field } from '../../../../shared/events'
import { HTTP_FIELDS } from '../../../../shared/protocols/http'
import { chain } from '../../dissect/chain'
import { DissectError } from '../../dissect/error'
import { rangeProblems } from '../../dissect/fields'
import { LOOPBACK, listenTcp } from '../../net/ports'
import { recordConnection, streamOf } from '../../testing/relay'
import { createDissector } from '..'
import { couldBeHttp, headEnd, http1Score, parseHead, readChunk, walkChunks } from './http1'

const enc = (s: string): Uint8Array => new TextEncoder().encode(s)

let request: Uint8Array
let response: Uint8Array
let server: http.Server

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const body = JSON.stringify({ id: 1, name: 'Caderno', price: 12.5 })
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) })
    res.end(body)
  })
  const port = await listenTcp(server, 0, LOOPBACK)
  const pieces = await recordConnection(
    port,
    (relay) =>
      new Promise<void>((resolve, reject) => {
        const req = http.get(
          {
            host: LOOPBACK,
            port: relay,
            path: '/items/1',
            headers: { Connection: 'close', 'X-Lesson': 'Olá' }
          },
          (res) => {
            res.resume()
            res.on('end', () => resolve())
          }
        )
        req.on('error', reject)
      })
  )
  request = streamOf(pieces, 'c2s')
  response = streamOf(pieces, 's2c')
})

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

/** The first PDU each dissector gives for one direction's bytes. */
function firstPdu(id: string, dir: 'c2s' | 's2c', bytes: Uint8Array): { fields: Field[]; protocol: string } {
  const d = createDissector(id)
  if (dir === 's2c') d.push('c2s', request, 0)
  const pdus = d.push(dir, bytes, 0).filter((p) => p.protocol === 'http')
  return pdus[0]
}

/** The head's part of a tree: the start line and the headers. */
const headPart = (fields: Field[]): Field[] => fields.filter((f) => f.id !== HTTP_FIELDS.fileData)

describe('one HTTP/1.1 field tree for the same bytes', () => {
  it('the request: identical in the rest, websocket, sse and tls (chained) readings', () => {
    expect(request.length).toBeGreaterThan(0)
    const rest = firstPdu('http', 'c2s', request).fields
    expect(rest.map((f) => f.id)).toEqual([HTTP_FIELDS.requestLine, HTTP_FIELDS.headers])
    expect(rest[1].children?.map((f) => f.name)).toContain('X-Lesson')
    expect(rest[1].children?.at(-1)?.id).toBe(HTTP_FIELDS.headersEnd)
    expect(rangeProblems(rest, request.length)).toEqual([])
    for (const id of ['websocket', 'sse']) expect(firstPdu(id, 'c2s', request).fields, id).toEqual(rest)
    const tls = chain(request, { dir: 'c2s', outer: 'tls', offset: 0 })
    expect(tls?.protocol).toBe('http')
    expect(tls?.fields).toEqual(rest)
  })

  it('the response: the same head everywhere, and the same head and JSON body in rest and tls', () => {
    const rest = firstPdu('http', 's2c', response).fields
    expect(rest.map((f) => f.id)).toEqual([
      HTTP_FIELDS.responseLine,
      HTTP_FIELDS.headers,
      HTTP_FIELDS.fileData
    ])
    for (const id of ['websocket', 'sse'])
      expect(headPart(firstPdu(id, 's2c', response).fields), id).toEqual(headPart(rest))
    expect(chain(response, { dir: 's2c', outer: 'tls', offset: 0 })?.fields).toEqual(rest)
  })
})

describe('HTTP/1.x parsing', () => {
  it('reads a head: start line parts, each header with name and value ranges', () => {
    const bytes = enc('POST /items HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type:  application/json \r\n\r\n')
    const h = parseHead(bytes.subarray(0, headEnd(bytes)))
    expect(h).toMatchObject({
      kind: 'request',
      method: 'POST',
      target: '/items',
      version: 'HTTP/1.1',
      length: bytes.length
    })
    const ct = h.fields[1].children?.[1]
    expect(ct).toMatchObject({ id: HTTP_FIELDS.header, name: 'Content-Type', value: 'application/json' })
    const value = ct?.children?.find((f) => f.id === HTTP_FIELDS.headerValue)
    expect(new TextDecoder().decode(bytes.subarray(value?.start, value?.end)).trim()).toBe('application/json')
  })

  it('flags a header line without a colon and keeps the rest; rejects a start line with its range', () => {
    const bytes = enc('GET / HTTP/1.1\r\nbroken line\r\nHost: a\r\n\r\n')
    const h = parseHead(bytes)
    expect(h.malformed).toMatchObject({ start: 16, end: 29 })
    expect(h.headers.map((x) => x.name)).toEqual(['Host'])
    expect(() => parseHead(enc('Ola, mundo\r\n\r\n'))).toThrow(DissectError)
    expect(() => parseHead(enc('Ola, mundo\r\n\r\n'))).toThrow(/request line/)
  })

  it('reads a head with UTF-8 bytes: each string decoded from its bytes, ranges in bytes', () => {
    const text = 'GET /cidades/São HTTP/1.1\r\nX-Cidade:\tSão Paulo \r\nbroken\r\nHost: a\r\n\r\n'
    const bytes = enc(text)
    const h = parseHead(bytes)
    expect(h).toMatchObject({
      method: 'GET',
      target: '/cidades/São',
      version: 'HTTP/1.1',
      length: bytes.length
    })
    const buf = Buffer.from(bytes)
    const line = buf.indexOf('X-Cidade')
    expect(h.headers[0]).toEqual({
      name: 'X-Cidade',
      value: 'São Paulo',
      start: line,
      end: buf.indexOf('broken'),
      nameEnd: line + 8,
      valueStart: line + 10
    })
    expect(h.headers[1]).toMatchObject({ name: 'Host', value: 'a', start: buf.indexOf('Host') })
    expect(h.malformed).toEqual({
      reason: 'header line without "name:"',
      start: buf.indexOf('broken'),
      end: buf.indexOf('Host')
    })
    // The same head in ASCII (read from one decoded text): the same tree, less one byte per 'ã'.
    const ascii = parseHead(enc(text.replaceAll('ã', 'a')))
    const names = (fields: Field[]): unknown[] =>
      fields.map((f) => [f.name, f.children ? names(f.children) : []])
    expect(names(ascii.fields)).toEqual(names(h.fields))
    expect(ascii.headers.map((x) => x.value)).toEqual(['Sao Paulo', 'a'])
    expect(ascii.headers[0].start).toBe(line - 1)
  })

  it('walks chunked coding: sizes, data, the last chunk with trailers; incomplete is "more"', () => {
    const body = enc('5\r\nhello\r\n3;ext=1\r\nabc\r\n0\r\nX-Trailer: 1\r\n\r\n')
    const walked = walkChunks(body, 0)
    expect(walked).not.toBe('more')
    if (walked === 'more') return
    expect(walked.chunks.map((c) => c.size)).toEqual([5, 3, 0])
    expect(walked.end).toBe(body.length)
    expect(readChunk(body.subarray(0, 6), 0)).toBe('more')
    expect(() => readChunk(enc('zz\r\n'), 0)).toThrow(/chunk size/)
    expect(() => readChunk(enc('2\r\nabXY'), 0)).toThrow(/CRLF/)
  })

  it('recognises request and status lines from the first bytes, and nothing else', () => {
    expect(http1Score(request, 'c2s')).toBe(0.9)
    expect(http1Score(response, 's2c')).toBe(0.9)
    expect(http1Score(request, 's2c')).toBe(0)
    expect(http1Score(enc('GET /ite'), 'c2s')).toBe(0.5)
    expect(http1Score(enc('Ola, mundo\n'), 'c2s')).toBe(0)
    expect(http1Score(new Uint8Array(0), 'c2s')).toBe(0)
    expect(couldBeHttp(enc('HTTP/1.1 2'))).toBe(true)
    expect(couldBeHttp(Uint8Array.of(0x16, 0x03, 0x01))).toBe(false)
  })
})
