// The receiving server: decodes each frame with the real library and answers with a JSON frame.
import net from 'node:net'
import { LOOPBACK } from '../../net/ports'
import { FrameReader, frame } from './frame'
import { decodeWithLibrary } from './library-decode'

const jsonSafe = (v: unknown): unknown =>
  JSON.parse(
    JSON.stringify(v, (_k, x: unknown) =>
      typeof x === 'bigint' ? x.toString() : x instanceof Uint8Array ? Array.from(x) : x
    )
  )

/** The receiving server: decodes each frame with the real library and answers with a JSON frame. */
export function startReceiver(): Promise<{ server: net.Server; port: number }> {
  const server = net.createServer((socket) => {
    const reader = new FrameReader()
    socket.on('error', () => undefined)
    socket.on('data', (chunk) => {
      const { frames, error } = reader.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength))
      for (const f of frames) {
        let reply: unknown
        try {
          reply = {
            ok: true,
            format: f.format,
            decoded: jsonSafe(decodeWithLibrary(f.format, f.message, f.schema))
          }
        } catch (err) {
          reply = { ok: false, format: f.format, error: err instanceof Error ? err.message : String(err) }
        }
        socket.write(frame('json', {}, new TextEncoder().encode(JSON.stringify(reply))))
      }
      if (error) {
        socket.end(frame('json', {}, new TextEncoder().encode(JSON.stringify({ ok: false, error }))))
      }
    })
    socket.on('end', () => socket.end())
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, LOOPBACK, () => {
      server.off('error', reject)
      resolve({ server, port: (server.address() as net.AddressInfo).port })
    })
  })
}
