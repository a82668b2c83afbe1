// The sending client: writes frames on an open socket and collects the receiver's JSON replies.
import type net from 'node:net'
import { FrameReader } from './frame'

/** Sends frames on an open socket, waits for one reply frame per message, then closes. */
export function exchange(socket: net.Socket, frames: Uint8Array[]): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const reader = new FrameReader()
    const replies: unknown[] = []
    const timer = setTimeout(() => {
      socket.destroy()
      reject(new Error(`no reply from the receiver after 5 s (${replies.length}/${frames.length})`))
    }, 5000)
    socket.on('data', (chunk) => {
      const { frames: got } = reader.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength))
      for (const f of got) replies.push(JSON.parse(new TextDecoder().decode(f.message)))
      if (replies.length >= frames.length) {
        clearTimeout(timer)
        socket.end()
      }
    })
    socket.once('close', () => {
      clearTimeout(timer)
      resolve(replies)
    })
    socket.once('error', (err) => {
      clearTimeout(timer)
      reject(err)
    })
    for (const f of frames) socket.write(f)
  })
}
