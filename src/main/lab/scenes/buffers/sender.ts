// The two senders: both write `total` bytes in 64 KB chunks as fast as they may. The blocking one
// waits for 'drain' each time write() returns false (what a blocking send() does in the kernel);
// the non-blocking one keeps calling write(), and Node keeps the bytes in its own memory.
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import type net from 'node:net'
import { now } from '../../session/session'
import type { ConnRecorder } from '../../tap/recorder'

export interface SenderStats {
  /** Bytes handed to write(). */
  written: number
  /** Times write() returned false. */
  writeFalse: number
  /** 'drain' events (the blocking sender waits for each). */
  drains: number
  /** The blocking sender is waiting for 'drain'. */
  waiting: boolean
  maxUserBuffer: number
  /** ms after the start when the first write() returned false, and when the last write() returned. */
  firstFalseAt: number | undefined
  doneAt: number | undefined
}

export const CHUNK = 64 * 1024
const FIRST = 1024

/** 64 KB of readable lines ("mensagem 000001 …"), so the bytes view shows text. */
function chunkBytes(): Buffer {
  const lines: string[] = []
  let size = 0
  for (let i = 1; size < CHUNK; i++) {
    const line = `mensagem ${String(i).padStart(6, '0')} ${'.'.repeat(47)}\n`
    lines.push(line)
    size += line.length
  }
  return Buffer.from(lines.join('')).subarray(0, CHUNK)
}

export async function sendAll(
  socket: net.Socket,
  total: number,
  waitForDrain: boolean,
  st: SenderStats,
  t0: number,
  recorder: ConnRecorder,
  on: (what: 'false' | 'done') => void
): Promise<void> {
  const chunk = chunkBytes()
  if (!waitForDrain) socket.on('drain', () => st.drains++)
  let first = true
  while (st.written < total && !socket.destroyed) {
    // The first write is a small one, logged byte for byte; the rest is counted in the samples.
    const part = chunk.subarray(0, Math.min(first ? FIRST : CHUNK, total - st.written))
    const accepted = socket.write(part)
    if (first) recorder.data('c2s', part)
    first = false
    st.written += part.length
    if (!accepted) {
      st.writeFalse++
      if (st.firstFalseAt === undefined) {
        st.firstFalseAt = Math.round(now() - t0)
        on('false')
      }
      if (waitForDrain) {
        st.waiting = true
        await once(socket, 'drain')
        st.waiting = false
        st.drains++
      }
    }
    // Keep the event loop turning (samples, the receiver) between batches.
    if ((st.written - FIRST) % (4 * CHUNK) === 0) await new Promise<void>((r) => setImmediate(r))
  }
  st.doneAt = Math.round(now() - t0)
  on('done')
}

/** The receive buffer a new connection starts with (tcp_rmem's default), for the modeled window. */
export function rcvbufDefault(path = '/proc/sys/net/ipv4/tcp_rmem'): number {
  try {
    const n = Number(readFileSync(path, 'utf8').trim().split(/\s+/)[1])
    return Number.isInteger(n) && n > 0 ? n : 131072
  } catch {
    return 131072
  }
}
