// Public ports: the course's default when free, else the next free one, reported.
import net from 'node:net'
import dgram from 'node:dgram'
import { networkInterfaces } from 'node:os'

export const LOOPBACK = '127.0.0.1'

export function listenTcp(server: net.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => {
      server.off('listening', onListening)
      reject(err)
    }
    const onListening = (): void => {
      server.off('error', onError)
      resolve((server.address() as net.AddressInfo).port)
    }
    server.once('error', onError)
    server.once('listening', onListening)
    server.listen({ port, host, exclusive: true })
  })
}

export function bindUdp(socket: dgram.Socket, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => {
      socket.off('listening', onListening)
      reject(err)
    }
    const onListening = (): void => {
      socket.off('error', onError)
      resolve(socket.address().port)
    }
    socket.once('error', onError)
    socket.once('listening', onListening)
    socket.bind({ port, address: host, exclusive: true })
  })
}

const isTaken = (err: unknown): boolean =>
  typeof err === 'object' && err !== null && ['EADDRINUSE', 'EACCES'].includes((err as NodeJS.ErrnoException).code ?? '')

/**
 * Tries `preferred`, then the next ports up to `preferred + tries`, then any free port.
 * `preferred` 0 means any free port.
 */
export async function listenWithFallback(
  listen: (port: number) => Promise<number>,
  preferred: number,
  tries = 10
): Promise<{ port: number; fellBack: boolean }> {
  if (preferred === 0) return { port: await listen(0), fellBack: false }
  for (let i = 0; i <= tries; i++) {
    const candidate = preferred + i
    if (candidate > 65535) break
    try {
      const port = await listen(candidate)
      return { port, fellBack: i > 0 }
    } catch (err) {
      if (!isTaken(err)) throw err
    }
  }
  return { port: await listen(0), fellBack: true }
}

/** This machine's IPv4 addresses on its local networks (what students type in classroom mode). */
export function lanAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((a): a is NonNullable<typeof a> => !!a && a.family === 'IPv4' && !a.internal)
    .map((a) => a.address)
}
