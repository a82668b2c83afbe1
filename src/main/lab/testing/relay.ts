// Records one real connection's bytes for a test: a relay on an ephemeral loopback port in front of
// `target`, keeping every chunk with its direction, in arrival order. The bytes are what the real
// client and server libraries wrote; tests feed them to dissectors.
import net from 'node:net'
import type { Direction } from '../../../shared/events'
import { LOOPBACK } from '../net/ports'
import { concatBytes } from '../../../shared/bytes'

export interface Piece {
  dir: Direction
  data: Uint8Array
}

/**
 * Starts the relay in front of `targetPort`, runs `talk(relayPort)` (a client talking to the relay),
 * and resolves with the pieces once `talk` is done and the connection has closed (or after `waitMs`).
 */
export async function recordConnection(
  targetPort: number,
  talk: (port: number) => Promise<void>,
  waitMs = 2000
): Promise<Piece[]> {
  const pieces: Piece[] = []
  let closed: () => void = () => undefined
  const allClosed = new Promise<void>((resolve) => (closed = resolve))
  const sockets = new Set<net.Socket>()
  const relay = net.createServer({ allowHalfOpen: true }, (client) => {
    const upstream = net.connect({ host: LOOPBACK, port: targetPort, allowHalfOpen: true })
    sockets.add(client).add(upstream)
    client.on('data', (c: Buffer) => {
      pieces.push({ dir: 'c2s', data: new Uint8Array(c) })
      upstream.write(c)
    })
    upstream.on('data', (c: Buffer) => {
      pieces.push({ dir: 's2c', data: new Uint8Array(c) })
      client.write(c)
    })
    client.on('end', () => upstream.end())
    upstream.on('end', () => client.end())
    client.on('error', () => upstream.destroy())
    upstream.on('error', () => client.destroy())
    client.on('close', () => {
      upstream.destroy()
      closed()
    })
  })
  await new Promise<void>((resolve) => relay.listen(0, LOOPBACK, resolve))
  try {
    await talk((relay.address() as net.AddressInfo).port)
    await Promise.race([allClosed, new Promise((r) => setTimeout(r, waitMs))])
  } finally {
    for (const s of sockets) s.destroy()
    await new Promise<void>((resolve) => relay.close(() => resolve()))
  }
  return pieces
}

/** One direction's bytes, joined. */
export function streamOf(pieces: Piece[], dir: Direction): Uint8Array {
  return concatBytes(pieces.filter((p) => p.dir === dir).map((p) => p.data))
}
