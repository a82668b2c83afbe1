// Every dissector's heuristic (`looksLike`), as watch mode will use it to pick a dissector for an
// outside program's connection: on the first bytes real clients and servers write, the right
// dissector ranks first; on other bytes it says no; it never throws.
import http from 'node:http'
import http2 from 'node:http2'
import tls from 'node:tls'
import fc from 'fast-check'
import mqttPacket from 'mqtt-packet'
import { WebSocket, WebSocketServer } from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Direction } from '../../../shared/events'
import { rankDissectors } from '../dissect/registry'
import { LOOPBACK, listenTcp } from '../net/ports'
import { recordConnection, streamOf, type Piece } from '../testing/relay'
import { credentials } from './common/credentials'
import { PROTOCOLS } from '.'
import { frame } from './serialization/frame'

const enc = (s: string): Uint8Array => new TextEncoder().encode(s)
const top = (first: Uint8Array, dir: Direction): string =>
  rankDissectors(first, dir, 'tcp')[0]?.def.id ?? 'none'
const scoreOf = (id: string, first: Uint8Array, dir: Direction): number =>
  PROTOCOLS.find((d) => d.id === id)?.looksLike(first, dir) ?? -1

const closers: (() => Promise<void> | void)[] = []
afterAll(async () => {
  for (const c of closers.reverse()) await c()
})

async function serve(server: http.Server | http2.Http2Server | tls.Server): Promise<number> {
  const port = await listenTcp(server, 0, LOOPBACK)
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return port
}

const recorded: Record<string, Piece[]> = {}

beforeAll(async () => {
  const web = http.createServer((req, res) => {
    if (req.headers.accept?.includes('text/event-stream')) {
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' })
      res.end('data: 21.5\n\n')
    } else {
      res.writeHead(200, { 'Content-Type': 'application/json' })
      res.end('{"ok":true}')
    }
  })
  const webPort = await serve(web)
  const get = (headers: Record<string, string>) => (port: number) =>
    new Promise<void>((resolve, reject) => {
      http
        .get({ host: LOOPBACK, port, path: '/', headers: { Connection: 'close', ...headers } }, (res) =>
          res.resume().on('end', resolve)
        )
        .on('error', reject)
    })
  recorded.http = await recordConnection(webPort, get({}))
  recorded.sse = await recordConnection(webPort, get({ Accept: 'text/event-stream' }))

  const wss = new WebSocketServer({ port: 0, host: LOOPBACK })
  closers.push(() => new Promise<void>((resolve) => wss.close(() => resolve())))
  await new Promise((resolve) => wss.once('listening', resolve))
  recorded.websocket = await recordConnection(
    (wss.address() as { port: number }).port,
    (port) =>
      new Promise<void>((resolve, reject) => {
        const ws = new WebSocket(`ws://${LOOPBACK}:${port}/chat`)
        ws.on('open', () => ws.close())
        ws.on('close', () => resolve())
        ws.on('error', reject)
      })
  )

  const h2 = http2.createServer((_req, res) => res.end('ok'))
  const h2Port = await serve(h2)
  recorded.http2 = await recordConnection(h2Port, async (port) => {
    const session = http2.connect(`http://${LOOPBACK}:${port}`)
    await new Promise<void>((resolve) => session.request({ ':path': '/' }).resume().on('end', resolve).end())
    await new Promise<void>((resolve) => session.close(() => resolve()))
  })

  const creds = await credentials()
  const tlsServer = tls.createServer(
    { key: creds.key, cert: creds.cert, ALPNProtocols: ['h2', 'http/1.1'] },
    (s) => s.end()
  )
  const tlsPort = await serve(tlsServer)
  for (const alpn of ['http/1.1', 'h2'])
    recorded[`tls ${alpn}`] = await recordConnection(
      tlsPort,
      (port) =>
        new Promise<void>((resolve) => {
          const s = tls.connect({
            host: LOOPBACK,
            port,
            servername: 'localhost',
            ca: creds.cert,
            ALPNProtocols: [alpn]
          })
          s.on('secureConnect', () => s.end())
          s.on('close', () => resolve())
          s.on('error', () => resolve())
        })
    )
})

describe('looksLike: the first bytes real programs write pick the right dissector', () => {
  it('HTTP/1.1, SSE and WebSocket requests and responses', () => {
    expect(top(streamOf(recorded.http, 'c2s'), 'c2s')).toBe('http')
    expect(top(streamOf(recorded.http, 's2c'), 's2c')).toBe('http')
    expect(top(streamOf(recorded.sse, 'c2s'), 'c2s')).toBe('sse')
    expect(top(streamOf(recorded.sse, 's2c'), 's2c')).toBe('sse')
    expect(top(streamOf(recorded.websocket, 'c2s'), 'c2s')).toBe('websocket')
    expect(top(streamOf(recorded.websocket, 's2c'), 's2c')).toBe('websocket')
  })

  it('HTTP/2: the client preface, and the server SETTINGS frame', () => {
    const c2s = streamOf(recorded.http2, 'c2s')
    expect(scoreOf('http2', c2s, 'c2s')).toBe(1)
    expect(top(c2s, 'c2s')).toBe('http2')
    expect(top(c2s.subarray(0, 10), 'c2s')).toBe('http2')
    expect(top(streamOf(recorded.http2, 's2c'), 's2c')).toBe('http2')
  })

  it('TLS: a ClientHello and ServerHello; ALPN "h2" picks HTTP/2 over TLS', () => {
    expect(top(recorded['tls http/1.1'][0].data, 'c2s')).toBe('tls')
    expect(top(streamOf(recorded['tls http/1.1'], 's2c'), 's2c')).toBe('tls')
    expect(top(recorded['tls h2'][0].data, 'c2s')).toBe('h2-tls')
    expect(scoreOf('h2-tls', recorded['tls http/1.1'][0].data, 'c2s')).toBe(0)
  })

  it('MQTT: CONNECT of each protocol level (mqtt-packet), and a CONNACK', () => {
    for (const protocolVersion of [3, 4, 5] as const) {
      const bytes = mqttPacket.generate(
        {
          cmd: 'connect',
          protocolId: protocolVersion === 3 ? 'MQIsdp' : 'MQTT',
          protocolVersion,
          clientId: 'sensor-a',
          clean: true,
          keepalive: 60
        },
        { protocolVersion }
      )
      expect(scoreOf('mqtt', new Uint8Array(bytes), 'c2s'), `level ${protocolVersion}`).toBe(1)
      expect(top(new Uint8Array(bytes), 'c2s')).toBe('mqtt')
    }
    const connack = new Uint8Array(
      mqttPacket.generate({ cmd: 'connack', returnCode: 0, sessionPresent: false })
    )
    expect(top(connack, 's2c')).toBe('mqtt')
  })

  it('the serialization lesson frame', () => {
    expect(top(frame('json', {}, enc('{"temperatura":21.5}')), 'c2s')).toBe('serialization-wire')
  })

  it('anything else is raw TCP (or UDP) payload, which every real protocol outranks', () => {
    expect(top(enc('Ola, mundo'), 'c2s')).toBe('tcp')
    expect(rankDissectors(enc('Ola, mundo'), 'c2s', 'udp')[0].def.id).toBe('udp')
    expect(rankDissectors(new Uint8Array(0), 'c2s', 'tcp')).toEqual([])
  })
})

describe('looksLike: a real heuristic for every dissector', () => {
  it('each declares its well-known ports', () => {
    for (const d of PROTOCOLS) {
      expect(d.ports.length, d.id).toBeGreaterThan(0)
      expect(
        d.ports.every((p) => Number.isInteger(p) && p > 0 && p < 65536),
        d.id
      ).toBe(true)
    }
  })

  it('never throws and answers between 0 and 1, on any bytes', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 200 }),
        fc.constantFrom<Direction>('c2s', 's2c'),
        (bytes, dir) => {
          for (const d of PROTOCOLS) {
            const s = d.looksLike(bytes, dir)
            if (!(s >= 0 && s <= 1)) throw new Error(`${d.id}: ${s}`)
          }
        }
      ),
      { numRuns: 2000, seed: 11 }
    )
  })
})
