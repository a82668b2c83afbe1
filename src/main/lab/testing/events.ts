// Helpers for tests that drive the engine with real sockets.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, readdirSync, readlinkSync } from 'node:fs'
import type { LabEvent } from '../../../shared/events'
import type { Session } from '../session/session'

/** Resolves when `predicate` holds for the session's events (checked on every new event). */
export function waitForEvents(
  session: Session,
  predicate: (events: readonly LabEvent[]) => boolean,
  timeoutMs = 5000
): Promise<readonly LabEvent[]> {
  return new Promise((resolve, reject) => {
    if (predicate(session.events)) return resolve(session.events)
    const timer = setTimeout(() => {
      unsubscribe()
      reject(new Error(`timed out after ${timeoutMs} ms waiting for events (have ${session.size})`))
    }, timeoutMs)
    const unsubscribe = session.subscribe(() => {
      if (predicate(session.events)) {
        clearTimeout(timer)
        unsubscribe()
        resolve(session.events)
      }
    })
  })
}

export function has(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

export const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes)

export interface SocketInfo {
  proto: string
  local: string
  port: number
  /** /proc/net state: `0A` is LISTEN. */
  state: string
}

export const LISTEN = '0A'
export const isLoopback = (a: string): boolean => a.startsWith('127.') || a === '::1' || a === '::ffff:127.0.0.1'

/** Local IPv4/IPv6 address and state of every TCP/UDP socket a process (`self` or a PID) holds, from /proc. */
export function socketsOf(pid: number | 'self'): SocketInfo[] {
  const inodes = new Set<string>()
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))
      if (m) inodes.add(m[1])
    } catch {
      // fd closed meanwhile
    }
  }
  const out: SocketInfo[] = []
  for (const proto of ['tcp', 'tcp6', 'udp', 'udp6']) {
    const file = `/proc/net/${proto}`
    if (!existsSync(file)) continue
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/)
      if (cols.length < 10 || !inodes.has(cols[9])) continue
      const [addrHex, portHex] = cols[1].split(':')
      let local: string
      if (addrHex.length === 8) local = [3, 2, 1, 0].map((i) => parseInt(addrHex.slice(i * 2, i * 2 + 2), 16)).join('.')
      else
        local =
          addrHex === '00000000000000000000000000000000'
            ? '::'
            : addrHex === '0000000000000000FFFF00000100007F'
              ? '::ffff:127.0.0.1'
              : addrHex === '00000000000000000000000001000000'
                ? '::1'
                : addrHex
      out.push({ proto, local, port: parseInt(portHex, 16), state: cols[3] })
    }
  }
  return out
}

/** Deterministic pseudo-random bytes (xorshift32). */
export function garbage(seed: number, n: number): Uint8Array {
  let x = seed | 1
  const out = new Uint8Array(n)
  for (let i = 0; i < n; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    out[i] = x & 0xff
  }
  return out
}
