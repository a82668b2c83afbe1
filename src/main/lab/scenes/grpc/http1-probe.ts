// What plain `curl http://127.0.0.1:50051/` really gets: an HTTP/1.1 request reaches an HTTP/2-only
// server, which answers with binary HTTP/2 frames (SETTINGS, GOAWAY) and no HTTP/1.1 status line.
import { ByteReader } from '../../protocols/common/reader'
import { errorName, frameTypeName } from '../../protocols/http2/frames'
import type { SceneContext } from '../context'

export const HTTP1_REQUEST = (port: number): string =>
  `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n`

export interface ProbeResult {
  bytes: number
  /** The frames the server sent, e.g. "SETTINGS, GOAWAY PROTOCOL_ERROR". */
  frames: string
}

/** Names the HTTP/2 frames in `buf` (the server's answer). */
export function frameList(buf: Uint8Array): string {
  const r = new ByteReader(buf)
  const names: string[] = []
  try {
    while (r.left >= 9) {
      const length = r.u24('frame length')
      const type = r.u8('frame type')
      r.skip(5, 'flags and stream id')
      const payload = r.sub(Math.min(length, r.left), 'payload')
      names.push(
        type === 7 && length >= 8
          ? `GOAWAY ${errorName(new ByteReader(buf, payload.pos + 4, payload.limit).u32('error code'))}`
          : frameTypeName(type)
      )
      if (payload.limit - payload.pos < length) break
    }
  } catch {
    // the answer ended mid-frame: name what came before
  }
  return names.join(', ') || 'no frames'
}

export async function http1Probe(ctx: SceneContext, port: number, idleMs = 300): Promise<ProbeResult> {
  const socket = await ctx.connectTcp(
    { node: 'http1-client', label: 'HTTP/1.1 client (like plain curl)' },
    port
  )
  const chunks: Buffer[] = []
  await new Promise<void>((resolve) => {
    let timer = setTimeout(finish, 2000)
    function finish(): void {
      clearTimeout(timer)
      socket.destroy()
      resolve()
    }
    socket.on('data', (d: Buffer) => {
      chunks.push(d)
      clearTimeout(timer)
      timer = setTimeout(finish, idleMs)
    })
    socket.on('close', finish)
    socket.on('error', finish)
    socket.write(HTTP1_REQUEST(port))
  })
  const answer = new Uint8Array(Buffer.concat(chunks))
  return { bytes: answer.length, frames: frameList(answer) }
}
