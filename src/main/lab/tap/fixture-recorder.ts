// Records real traffic for dissector fixtures: a tap in front of a real server, a real client
// run through it, and each connection's chunks kept in order (direction and bytes, as read from
// the sockets). Fixture files are JSON with base64 chunks, written by scripts kept in the repo
// and read by the dissectors' tests and the fuzz harness.
import { readFileSync, writeFileSync } from 'node:fs'
import type { Direction } from '../../../shared/events'
import { Session } from '../session/session'
import { Actors } from './actors'
import { TcpTap } from './tcp-tap'
import { LOOPBACK } from '../net/ports'
import '../protocols'

export interface RecordedPiece {
  dir: Direction
  data: Uint8Array
}

export interface RecordedConnection {
  /** The scenario that made it (`amqplib: publish and consume`), numbered when it made several. */
  name: string
  pieces: RecordedPiece[]
}

export interface FixtureFile {
  format: 'wirelab-fixtures'
  /** Library and server versions the bytes came from. */
  recordedWith: Record<string, string>
  /** The command that regenerates the file. */
  recordedBy: string
  connections: { name: string; pieces: { dir: Direction; base64: string }[] }[]
}

/**
 * Runs `client` against a tap in front of `target` and returns the connections it made, in the
 * order they opened, once they have all closed (or `settleMs` after the client finished).
 */
export async function recordThrough(
  scenario: string,
  target: { host?: string; port: number },
  client: (port: number) => Promise<void>,
  settleMs = 3000
): Promise<RecordedConnection[]> {
  const session = new Session()
  const tap = new TcpTap({
    session,
    actors: new Actors(),
    name: 'record',
    host: LOOPBACK,
    preferredPort: 0,
    target: { host: target.host ?? LOOPBACK, port: target.port },
    dissector: 'tcp',
    server: { node: 'server', label: 'server' }
  })
  const { port } = await tap.start()
  try {
    await client(port)
    const deadline = Date.now() + settleMs
    const open = (): number => {
      const opened = session.events.filter((e) => e.kind === 'conn.open').length
      const closed = session.events.filter((e) => e.kind === 'conn.close').length
      return opened - closed
    }
    while (open() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
  } finally {
    await tap.close()
  }
  const byConn = new Map<string, RecordedConnection>()
  for (const e of session.events) {
    if (e.kind === 'conn.open') byConn.set(e.conn, { name: scenario, pieces: [] })
    else if (e.kind === 'bytes') byConn.get(e.conn)?.pieces.push({ dir: e.dir, data: Uint8Array.from(e.data) })
  }
  const conns = [...byConn.values()].filter((c) => c.pieces.length > 0)
  if (conns.length > 1) conns.forEach((c, i) => (c.name = `${scenario} #${i + 1}`))
  return conns
}

export function writeFixtures(file: string, recordedWith: Record<string, string>, recordedBy: string, connections: RecordedConnection[]): void {
  const out: FixtureFile = {
    format: 'wirelab-fixtures',
    recordedWith,
    recordedBy,
    connections: connections.map((c) => ({ name: c.name, pieces: c.pieces.map((p) => ({ dir: p.dir, base64: Buffer.from(p.data).toString('base64') })) }))
  }
  writeFileSync(file, JSON.stringify(out, null, 1) + '\n')
}

export function readFixtures(file: string): RecordedConnection[] & { recordedWith?: Record<string, string> } {
  const f = JSON.parse(readFileSync(file, 'utf8')) as FixtureFile
  if (f.format !== 'wirelab-fixtures') throw new Error(`${file} is not a Wirelab fixture file`)
  const conns: RecordedConnection[] & { recordedWith?: Record<string, string> } = f.connections.map((c) => ({
    name: c.name,
    pieces: c.pieces.map((p) => ({ dir: p.dir, data: new Uint8Array(Buffer.from(p.base64, 'base64')) }))
  }))
  conns.recordedWith = f.recordedWith
  return conns
}
