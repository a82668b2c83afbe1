// PGlite's socket server (@electric-sql/pglite-socket 0.2.17) trusts the byte stream: a message
// length it cannot use (a negative one, from garbage) sends its framing loop round forever and
// freezes the process, and whatever it does frame reaches the one backend every connection shares.
// A real Postgres checks each connection's framing first: the postmaster refuses a startup packet
// of the wrong length ("invalid length of startup packet"), a backend ends the session on a message
// type it does not know. This guard, in front of the socket server, applies those same checks and
// closes a connection that fails them; it sends no bytes of its own. Well-framed traffic streams
// through unchanged.
import net from 'node:net'
import { PG_FRONTEND, PG_MAX_STARTUP_PACKET } from '../../../../shared/protocols/pgsql'
import { LOOPBACK, listenTcp } from '../../net/ports'
import { CANCEL_REQUEST, GSSENC_REQUEST, SSL_REQUEST } from './frontend'

const MAX_MESSAGE = 64 * 1024 * 1024

export interface GuardRefusal {
  /** Why the connection was closed, in Postgres' words where it has them. */
  reason: string
  clientPort: number
}

/** Checks a client's byte stream frame by frame; returns a reason to refuse, or null. */
export class FrameCheck {
  private startup = true
  private header = Buffer.alloc(0)
  /** Bytes of the current frame's body still to pass. */
  private left = 0

  /** Feeds a chunk; returns null while every frame is sound, or why it is not. */
  push(chunk: Buffer): string | null {
    let at = 0
    while (at < chunk.length) {
      if (this.left > 0) {
        const n = Math.min(this.left, chunk.length - at)
        this.left -= n
        at += n
        continue
      }
      const need = this.startup ? 8 : 5
      const take = Math.min(need - this.header.length, chunk.length - at)
      this.header = Buffer.concat([this.header, chunk.subarray(at, at + take)])
      at += take
      if (this.header.length < need) return null
      const h = this.header
      this.header = Buffer.alloc(0)
      if (this.startup) {
        const len = h.readInt32BE(0)
        const code = h.readUInt32BE(4)
        if (len < 8 || len > PG_MAX_STARTUP_PACKET) return `invalid length of startup packet (${len})`
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
          if (len !== 8) return `invalid length of startup packet (${len})`
        } else if (code === CANCEL_REQUEST) {
          if (len !== 16) return `invalid length of cancel request packet (${len})`
        } else if (code >>> 16 === 3) this.startup = false
        else return `unsupported frontend protocol ${code >>> 16}.${code & 0xffff}: server supports 3.0 to 3.2`
        this.left = len - 8
      } else {
        const type = String.fromCharCode(h[0])
        if (!(type in PG_FRONTEND)) return `invalid frontend message type ${h[0]}`
        const len = h.readInt32BE(1)
        if (len < 4 || len > MAX_MESSAGE) return `invalid message length ${len}`
        this.left = len - 4
      }
    }
    return null
  }
}

export interface PgGuard {
  port: number
  close(cb?: () => void): void
}

/** A relay on 127.0.0.1 in front of `target` that closes connections whose framing is unsound. */
export async function startGuard(target: number, onRefuse?: (r: GuardRefusal) => void): Promise<PgGuard> {
  const sockets = new Set<net.Socket>()
  const server = net.createServer((client) => {
    const check = new FrameCheck()
    const upstream = net.connect({ host: LOOPBACK, port: target })
    sockets.add(client)
    sockets.add(upstream)
    const done = (): void => {
      client.destroy()
      upstream.destroy()
      sockets.delete(client)
      sockets.delete(upstream)
    }
    client.on('data', (chunk: Buffer) => {
      const bad = check.push(chunk)
      if (bad) {
        onRefuse?.({ reason: bad, clientPort: client.remotePort ?? 0 })
        // What the postmaster does with a bad startup packet: close, without a reply.
        done()
        return
      }
      if (!upstream.write(chunk)) client.pause()
    })
    upstream.on('drain', () => client.resume())
    upstream.on('data', (chunk: Buffer) => {
      if (!client.write(chunk)) upstream.pause()
    })
    client.on('drain', () => upstream.resume())
    client.on('end', () => upstream.end())
    upstream.on('end', () => client.end())
    client.on('error', done)
    upstream.on('error', done)
    client.on('close', done)
    upstream.on('close', done)
  })
  const port = await listenTcp(server, 0, LOOPBACK)
  return {
    port,
    close(cb) {
      for (const s of sockets) s.destroy()
      server.close(() => cb?.())
    }
  }
}
