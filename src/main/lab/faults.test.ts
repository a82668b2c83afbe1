// Fault tests with real sockets, for every public port of every lesson: garbage and truncated
// input, a client that connects and never sends (slowloris), a client process killed mid-stream,
// a public port already taken at start, and the browser-mode renderer dropping and reconnecting.
// Afterwards every server still serves a normal client and the session log is intact.
import net from 'node:net'
import dgram from 'node:dgram'
import { spawn } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import type { ConnOpenEvent, LabEvent, PortInfo } from '../../shared/events'
import { toWire } from '../../shared/wire'
import { Lab } from './lab'
import type { Session } from './session/session'
import { BridgeClient } from '../bridge-client'
import { startWebHost } from '../web'
import { formatEvent } from './session/format'
import { bindUdp, listenTcp, LOOPBACK } from './net/ports'
import { garbage } from './testing/events'

const SCENES = new Lab().scenes()

/**
 * What a normal client of each lesson does: its default script, unless that script only works on
 * data (the serialization lesson encodes at start; its socket is used by its "send" action).
 */
const LIGHT_ACTION: Record<string, string> = {
  serialization: 'send',
  // The full script runs every moment, a broker restart included: one short exchange is enough here.
  rabbitmq: 'nack-requeue'
}
const normalClient = async (lab: Lab, scene: string): Promise<void> => {
  const light = LIGHT_ACTION[scene]
  if (light) {
    const r = await lab.action(light, {})
    if (!r.ok) throw new Error(`${light} failed: ${JSON.stringify(r.message)}`)
  } else await lab.script()
}

/**
 * What a lesson needs to start besides its defaults: watch mode needs a program to watch (an echo
 * server of the test's own, as a student's tcp_server.py would be).
 */
async function sceneParams(scene: string): Promise<{ params: Record<string, unknown>; done(): void }> {
  if (scene !== 'watch') return { params: {}, done: () => undefined }
  const echo = net.createServer((c) => {
    c.on('error', () => undefined)
    c.pipe(c)
  })
  await new Promise<void>((r) => echo.listen(0, LOOPBACK, r))
  return { params: { target: `${LOOPBACK}:${(echo.address() as net.AddressInfo).port}` }, done: () => echo.close() }
}

/** Holds the course's ports of a lesson (those someone else holds are taken anyway). */
async function holdPorts(scene: (typeof SCENES)[number]): Promise<{ close(): void }[]> {
  const held: { close(): void }[] = []
  for (const p of scene.ports) {
    if (p.transport === 'tcp') {
      const s = net.createServer()
      await listenTcp(s, p.preferred, LOOPBACK).then(
        () => held.push(s),
        () => undefined
      )
    } else {
      const u = dgram.createSocket('udp4')
      await bindUdp(u, p.preferred, LOOPBACK).then(
        () => held.push(u),
        () => u.close()
      )
    }
  }
  return held
}

/** The lesson fell back from each course port it could not have, said so, and listens on 127.0.0.1. */
function expectFellBack(lab: Lab, ports: PortInfo[]): void {
  for (const p of ports) {
    expect(p.fellBack, p.name).toBe(true)
    expect(p.port).not.toBe(p.preferred)
    expect(p.host).toBe('127.0.0.1')
  }
  const notes = lab.session.events.filter((e) => e.kind === 'note' && e.key === 'port.fallback')
  expect(notes.length).toBe(ports.length)
  for (const [i, n] of notes.entries()) if (n.kind === 'note') expect(n.text.en).toContain(String(ports[i].port))
  expect(lab.status()?.ports.every((p) => p.fellBack)).toBe(true)
}

/** Resolves with the first event (already logged or future) that matches. */
function waitForEvent(
  session: Session,
  match: (e: LabEvent) => boolean,
  what: string,
  timeoutMs = 5000
): Promise<LabEvent> {
  const found = session.events.find(match)
  if (found) return Promise.resolve(found)
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off()
      reject(new Error(`timed out waiting for ${what}`))
    }, timeoutMs)
    const off = session.subscribe((e) => {
      if (match(e)) {
        clearTimeout(timer)
        off()
        resolve(e)
      }
    })
  })
}

const connOf = (
  session: Session,
  transport: 'tcp' | 'udp',
  clientPort: number,
  serverPort: number
): string | undefined =>
  session.events.find(
    (e): e is ConnOpenEvent =>
      e.kind === 'conn.open' &&
      e.transport === transport &&
      e.client.port === clientPort &&
      e.server.port === serverPort
  )?.conn

async function connOpened(
  session: Session,
  transport: 'tcp' | 'udp',
  clientPort: number,
  serverPort: number
): Promise<string> {
  await waitForEvent(
    session,
    (e) =>
      e.kind === 'conn.open' &&
      e.transport === transport &&
      e.client.port === clientPort &&
      e.server.port === serverPort,
    `conn.open from ${clientPort}`
  )
  return connOf(session, transport, clientPort, serverPort)!
}

const connClosed = (session: Session, conn: string): Promise<LabEvent> =>
  waitForEvent(
    session,
    (e) => e.kind === 'conn.close' && e.conn === conn,
    `conn.close of ${conn}`,
    10_000
  ).catch((err: Error) => {
    const trail = session.events
      .filter((e) => 'conn' in e && e.conn === conn)
      .map((e) => formatEvent(e))
      .slice(-12)
    throw new Error(`${err.message}; its last events:\n${trail.join('\n')}`)
  })

/** Bytes the tap recorded in one direction of a connection so far. */
const recorded = (session: Session, conn: string, dir: 'c2s' | 's2c'): number =>
  session.events.reduce(
    (n, e) => n + (e.kind === 'bytes' && e.conn === conn && e.dir === dir ? e.data.length : 0),
    0
  )

function bytesRecorded(session: Session, conn: string, dir: 'c2s' | 's2c', atLeast: number): Promise<void> {
  if (recorded(session, conn, dir) >= atLeast) return Promise.resolve()
  return waitForEvent(
    session,
    () => recorded(session, conn, dir) >= atLeast,
    `${atLeast} bytes on ${conn}`
  ).then(() => undefined)
}

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: LOOPBACK, port, allowHalfOpen: false })
    s.once('connect', () => resolve(s))
    s.once('error', reject)
  })
}

/** Sends `data` on a fresh connection, half-closes, and waits until the tap logs the connection closed. */
async function sendAndClose(session: Session, port: number, data: Uint8Array): Promise<string> {
  const s = await connect(port)
  s.on('error', () => undefined) // the server may reset a connection that sent junk
  const conn = await connOpened(session, 'tcp', s.localPort!, port)
  s.resume() // read (and drop) whatever the server answers
  s.end(data)
  await bytesRecorded(session, conn, 'c2s', data.length).catch(() => undefined)
  // The server may keep a half-open connection waiting; give it a moment, then drop ours.
  const closed = connClosed(session, conn)
  const timer = setTimeout(() => s.destroy(), 1500)
  await closed
  clearTimeout(timer)
  s.destroy()
  return conn
}

async function sendDatagram(session: Session, port: number, data: Uint8Array): Promise<void> {
  const sock = dgram.createSocket('udp4')
  await new Promise<void>((resolve) => sock.bind(0, LOOPBACK, resolve))
  const local = sock.address().port
  sock.send(data, port, LOOPBACK)
  const conn = await connOpened(session, 'udp', local, port)
  await bytesRecorded(session, conn, 'c2s', data.length)
  sock.close()
}

/** A separate process that connects, sends `data` and waits; killed with SIGKILL by the caller. */
function childClient(
  port: number,
  data: Uint8Array
): Promise<{ localPort: number; kill: () => Promise<void> }> {
  const code = `
    const net = require('node:net')
    const data = Buffer.from(process.argv[2], 'base64')
    const s = net.connect({ host: '127.0.0.1', port: Number(process.argv[1]) }, () => {
      process.stdout.write(String(s.localPort) + '\\n')
      s.write(data)
      setInterval(() => {}, 1000)
    })
    s.on('data', () => {})
    s.on('error', () => {})
  `
  const child = spawn(process.execPath, ['-e', code, String(port), Buffer.from(data).toString('base64')], {
    stdio: ['ignore', 'pipe', 'inherit']
  })
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.stdout.once('data', (line: Buffer) =>
      resolve({
        localPort: Number(String(line).trim()),
        kill: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done()
            child.once('exit', () => done())
            child.kill('SIGKILL')
          })
      })
    )
  })
}

/** The log is whole: seq 1..n without gaps, offsets contiguous per connection and direction. */
function expectIntactLog(events: readonly LabEvent[]): void {
  events.forEach((e, i) => expect(e.seq, `event ${i}`).toBe(i + 1))
  const next = new Map<string, number>()
  const open = new Set<string>()
  const closed = new Set<string>()
  for (const e of events) {
    if (e.kind === 'conn.open') {
      expect(open.has(e.conn), `${e.conn} opened twice`).toBe(false)
      open.add(e.conn)
    }
    if (e.kind === 'conn.close') {
      expect(open.has(e.conn), `${e.conn} closed but never opened`).toBe(true)
      expect(closed.has(e.conn), `${e.conn} closed twice`).toBe(false)
      closed.add(e.conn)
    }
    if (e.kind === 'bytes') {
      const key = `${e.conn}/${e.dir}`
      expect(closed.has(e.conn), `bytes on ${e.conn} after it closed`).toBe(false)
      expect(e.offset, `offset of bytes #${e.seq} on ${key}`).toBe(next.get(key) ?? 0)
      next.set(key, e.offset + e.data.length)
    }
    if (e.kind === 'pdu' && e.malformed)
      expect(e.malformed.reason, `PDU #${e.seq}`).not.toMatch(/^dissector error/)
  }
}

/** The first chunk a real client sent to this port during the baseline run. */
function firstRealChunk(events: readonly LabEvent[], p: PortInfo): Uint8Array | undefined {
  const conns = new Set(
    events
      .filter((e) => e.kind === 'conn.open' && e.server.port === p.port && e.transport === p.transport)
      .map((e) => (e as { conn: string }).conn)
  )
  const chunk = events.find((e) => e.kind === 'bytes' && e.dir === 'c2s' && conns.has(e.conn))
  return chunk?.kind === 'bytes' ? chunk.data : undefined
}

describe('faults on every public port of every lesson', () => {
  for (const scene of SCENES) {
    // A lesson on an installed server (RabbitMQ: seconds to start) starts it once here, with its
    // course ports held, so this run also covers "a public port already taken" below.
    const installed = scene.installedServer !== undefined
    it(`${scene.id}: garbage, truncation, slowloris and a killed client leave every server serving`, async () => {
      const held = installed ? await holdPorts(scene) : []
      const lab = new Lab({ ephemeralPorts: !installed })
      const session = lab.session
      const slow: net.Socket[] = []
      const setup = await sceneParams(scene.id)
      try {
        const status = await lab.start(scene.id, installed ? { ...setup.params, broker: 'installed' } : setup.params)
        if (installed) expectFellBack(lab, status.ports)
        await normalClient(lab, scene.id) // a normal run first: its bytes are the "real" input truncated below
        let seed = scene.id.length * 7919
        for (const p of status.ports) {
          const real =
            firstRealChunk(session.events, p) ?? new TextEncoder().encode('GET / HTTP/1.1\r\nHost: x\r\n\r\n')
          if (p.transport === 'udp') {
            await sendDatagram(session, p.port, garbage(++seed, 1200))
            await sendDatagram(session, p.port, real.subarray(0, Math.max(1, real.length >> 1)))
            await sendDatagram(session, p.port, new Uint8Array(0))
            continue
          }
          // Slowloris: connects and never sends; held open while everything else happens.
          const idle = await connect(p.port)
          idle.on('error', () => undefined)
          slow.push(idle)
          await connOpened(session, 'tcp', idle.localPort!, p.port)
          // Garbage, small and large, and a real message cut in half.
          await sendAndClose(session, p.port, garbage(++seed, 37))
          await sendAndClose(session, p.port, garbage(++seed, 64 * 1024))
          await sendAndClose(session, p.port, real.subarray(0, Math.max(1, real.length >> 1)))
          await sendAndClose(session, p.port, Uint8Array.of(0x16, 0x03, 0x01, 0xff, 0xff)) // a TLS record header that lies about its length
          // A client process killed (SIGKILL) in the middle of its second message.
          const doubled = new Uint8Array(real.length + (real.length >> 1))
          doubled.set(real, 0)
          doubled.set(real.subarray(0, real.length >> 1), real.length)
          const child = await childClient(p.port, doubled)
          const conn = await connOpened(session, 'tcp', child.localPort, p.port)
          await bytesRecorded(session, conn, 'c2s', 1)
          await child.kill()
          // The kernel ends the dead client's side with FIN or RST; the tap must log it. (After a FIN
          // the relay mirrors the half-open connection until the server closes its side.)
          await waitForEvent(
            session,
            (e) =>
              (e.kind === 'conn.close' && e.conn === conn) ||
              (e.kind === 'pdu' &&
                e.conn === conn &&
                e.dir === 'c2s' &&
                e.modeled === true &&
                /FIN|RST/.test(String(e.keys?.flags))),
            `FIN or RST from the killed client on ${conn}`
          )
        }
        // Every server still serves a normal client, with the slowloris connections still open.
        const before = session.size
        await normalClient(lab, scene.id)
        const after = session.events.slice(before)
        // (A lesson may reuse a keep-alive connection, so new traffic rather than a new connection.)
        expect(after.some((e) => e.kind === 'pdu' && !e.modeled && !e.malformed)).toBe(true)
        expect(after.filter((e) => e.kind === 'note' && e.level === 'error')).toEqual([])
        for (const s of slow) s.destroy()
        for (const s of slow) {
          const conn = connOf(session, 'tcp', s.localPort!, s.remotePort ?? 0)
          if (conn) await connClosed(session, conn)
        }
      } finally {
        for (const s of slow) s.destroy()
        await lab.stop()
        setup.done()
        for (const h of held) h.close()
      }
      expectIntactLog(session.events)
    }, installed ? 150_000 : 60_000)
  }
})

describe('a public port already taken at start', () => {
  // (Lessons on an installed server are checked in the faults test above, with their ports held.)
  for (const scene of SCENES.filter((s) => s.installedServer === undefined)) {
    it(`${scene.id}: falls back to another port, says so, and works there`, async () => {
      const held = await holdPorts(scene)
      const lab = new Lab()
      try {
        const status = await lab.start(scene.id, {})
        expectFellBack(lab, status.ports)
        await lab.script()
      } finally {
        await lab.stop()
        for (const h of held) h.close()
      }
      expectIntactLog(lab.session.events)
    }, 30_000)
  }
})

describe('browser mode: the renderer disconnects and reconnects', () => {
  it('gets the whole log streamed in chunks, then live events without a gap', async () => {
    // A small memory budget and small chunks: the reconnect is served from disk, in many packets.
    const lab = new Lab({ ephemeralPorts: true, session: { memoryBudget: 4096, chunkBytes: 1024 } })
    const host = await startWebHost({ port: 0, lab, root: __dirname })
    const until = (done: () => boolean): Promise<void> =>
      new Promise<void>((resolve) => {
        const check = (): void => (done() ? resolve() : void setTimeout(check, 10))
        check()
      })
    try {
      const a = await BridgeClient.open(host.port)
      await a.follow(1)
      await a.call('scene:start', { scene: 'tcp-udp-echo' })
      await a.call('scene:action', { action: 'send-both' })
      await until(() => a.events.length >= lab.session.size)
      expect(a.events.map((e) => e.seq)).toEqual(lab.session.events.map((e) => e.seq))
      // The renderer goes away abruptly (tab closed, laptop asleep)…
      a.terminate()
      await new Promise<void>((resolve) => (host.clients() === 0 ? resolve() : a.ws.once('close', () => resolve())))
      await waitForEvent(lab.session, () => host.clients() === 0, 'the host to notice', 2000).catch(() => undefined)
      // …while the lesson goes on.
      await lab.action('send-tcp', { message: 'while away' })
      const missed = lab.session.size
      expect(lab.session.stats().bytesOnDisk).toBeGreaterThan(0)
      const b = await BridgeClient.open(host.port)
      const r = await b.follow(1)
      expect(r.total).toBe(missed)
      await until(() => b.events.length >= missed)
      expect(lab.session.chunks.chunkCount).toBeGreaterThan(3)
      expect(b.gaps).toBe(0)
      expect(b.events.slice(0, missed).map(toWire)).toEqual(lab.session.events.slice(0, missed).map(toWire))
      expect(b.events.map((e) => e.seq)).toEqual(Array.from({ length: b.events.length }, (_, i) => i + 1))
      expect(
        b.events.some((e) => e.kind === 'bytes' && new TextDecoder().decode(e.data) === 'while away')
      ).toBe(true)
      // Live events continue where the stream was.
      await b.call('scene:action', { action: 'send-udp', args: { message: 'back again' } })
      const target = lab.session.size
      await until(() => b.events.some((e) => e.seq === target))
      expect(b.events.map((e) => e.seq)).toEqual(Array.from({ length: target }, (_, i) => i + 1))
      b.close()
    } finally {
      await host.close()
    }
    expectIntactLog(lab.session.events)
  }, 30_000)
})
