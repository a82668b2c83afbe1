// The kernel's socket tables as Linux shows them in /proc/net/{tcp,tcp6,udp,udp6}: local and remote
// address, state and the send/receive queue sizes, without opening a connection. Absent (another
// OS, a restricted container): `undefined`, and callers say the figure is unavailable.
import { readFileSync } from 'node:fs'

export interface SocketEntry {
  local: { host: string; port: number }
  remote: { host: string; port: number }
  /** Kernel state number: TCP 0x0A = LISTEN, 0x01 = ESTABLISHED; UDP 0x07 = unconnected. */
  state: number
  /** Bytes in the send queue (TCP: not yet acknowledged; LISTEN sockets: the backlog). */
  txQueue: number
  /** Bytes in the receive queue (TCP: not yet read; LISTEN sockets: connections waiting for accept). */
  rxQueue: number
  inode: number
}

export const TCP_LISTEN = 0x0a
export const TCP_ESTABLISHED = 0x01

function ipv4(hex: string): string {
  // Little-endian on the machines Linux runs these tables on (x86, ARM).
  const n = parseInt(hex, 16)
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24].join('.')
}

function ipv6(hex: string): string {
  const words: string[] = []
  for (let i = 0; i < 32; i += 8) {
    const w = hex.slice(i, i + 8)
    // each 32-bit word is little-endian
    const b = w.match(/../g)?.reverse().join('') ?? w
    words.push(b.slice(0, 4), b.slice(4, 8))
  }
  const full = words.map((w) => w.replace(/^0{1,3}/, '')).join(':')
  if (full === '0:0:0:0:0:ffff:100:7f' || /^0:0:0:0:0:ffff:/.test(full)) {
    const v4 = words.slice(6).join('')
    return [0, 2, 4, 6].map((i) => parseInt(v4.slice(i, i + 2), 16)).join('.')
  }
  return full === '0:0:0:0:0:0:0:1' ? '::1' : full === '0:0:0:0:0:0:0:0' ? '::' : full
}

function endpoint(text: string): { host: string; port: number } {
  const [addr, port] = text.split(':')
  return { host: addr.length > 8 ? ipv6(addr) : ipv4(addr), port: parseInt(port, 16) }
}

/** Parses one /proc/net table's text. */
export function parseProcNet(text: string): SocketEntry[] {
  const out: SocketEntry[] = []
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/)
    if (f.length < 10) continue
    const [tx, rx] = f[4].split(':').map((h) => parseInt(h, 16))
    out.push({ local: endpoint(f[1]), remote: endpoint(f[2]), state: parseInt(f[3], 16), txQueue: tx, rxQueue: rx, inode: Number(f[9]) })
  }
  return out
}

/** The sockets of one protocol (IPv4 and IPv6 tables together), or undefined where /proc has none. */
export function socketTable(proto: 'tcp' | 'udp'): SocketEntry[] | undefined {
  const tables: SocketEntry[] = []
  let found = false
  for (const file of [`/proc/net/${proto}`, `/proc/net/${proto}6`]) {
    try {
      tables.push(...parseProcNet(readFileSync(file, 'utf8')))
      found = true
    } catch {
      // this table is not there (no IPv6, or not Linux)
    }
  }
  return found ? tables : undefined
}

/**
 * Whether something on this machine listens on `port` (TCP) or has it bound (UDP), without
 * connecting to it; undefined where the kernel tables cannot be read.
 */
export function isListening(port: number, proto: 'tcp' | 'udp' = 'tcp'): boolean | undefined {
  const table = socketTable(proto)
  if (!table) return undefined
  return table.some((e) => e.local.port === port && (proto === 'udp' || e.state === TCP_LISTEN))
}
