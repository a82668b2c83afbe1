// What the kernel says about this machine's TCP sockets, where the OS exposes it: Linux's
// /proc/net/tcp (read by proc-net.ts: every socket's send and receive queues; for a listening
// socket, rx_queue is the accept queue), /proc/net/netstat (ListenOverflows: connection attempts dropped because an accept queue
// was full) and `ss` from iproute2 (a listening socket's backlog; a connection's peer window).
// Elsewhere (macOS, Windows) these readers return null and say so.
import { readFileSync } from 'node:fs'
import { execFile } from 'node:child_process'
import { socketTable, TCP_LISTEN, type SocketEntry } from './proc-net'

/** This machine's TCP sockets (/proc/net/tcp and tcp6), or null where the kernel does not show them. */
export function tcpTable(): SocketEntry[] | null {
  return socketTable('tcp') ?? null
}

/** Connections waiting in the accept queue of the socket listening on `port` (null: not readable here). */
export function acceptQueue(rows: SocketEntry[] | null, port: number): number | null {
  if (!rows) return null
  const row = rows.find((r) => r.state === TCP_LISTEN && r.local.port === port)
  return row ? row.rxQueue : null
}

/** The send and receive queues of the connection from `localPort` to `remotePort`. */
export function connectionQueues(rows: SocketEntry[] | null, localPort: number, remotePort: number): { tx: number; rx: number } | null {
  const row = rows?.find((r) => r.local.port === localPort && r.remote.port === remotePort && r.state !== TCP_LISTEN)
  return row ? { tx: row.txQueue, rx: row.rxQueue } : null
}

/** Kernel-wide TcpExt counters from /proc/net/netstat (ListenOverflows, ListenDrops…), or null. */
export function tcpExtCounters(path = '/proc/net/netstat'): Record<string, number> | null {
  try {
    const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l.startsWith('TcpExt:'))
    if (lines.length < 2) return null
    const names = lines[0].split(/\s+/).slice(1)
    const values = lines[1].split(/\s+/).slice(1).map(Number)
    return Object.fromEntries(names.map((n, i) => [n, values[i]]))
  } catch {
    return null
  }
}

function ss(args: string[], timeoutMs = 2000): Promise<string | null> {
  return new Promise((resolve) => {
    try {
      execFile('ss', args, { timeout: timeoutMs }, (err, stdout) => resolve(err ? null : stdout))
    } catch {
      resolve(null)
    }
  })
}

/**
 * A listening socket's accept queue and backlog from `ss -ltn` (on a listening socket Recv-Q is
 * the accept queue and Send-Q the backlog), or null when ss is not installed.
 */
export async function ssListen(port: number): Promise<{ queue: number; backlog: number } | null> {
  const out = await ss(['-ltnH', `sport = :${port}`])
  const m = out?.match(/^\S+\s+(\d+)\s+(\d+)\s/m)
  return m ? { queue: Number(m[1]), backlog: Number(m[2]) } : null
}

export interface SsConnection {
  recvQ: number
  sendQ: number
  /** The peer's advertised receive window, as this socket last saw it (kernel ≥ 6.2; ss omits it when 0). */
  sndWnd?: number
  /** How long sending was limited by the peer's window (ms). */
  rwndLimitedMs?: number
  /** The window scale each side announced. */
  wscale?: [number, number]
  rcvSpace?: number
}

/** Per-connection details from `ss -tni` for the connection from `localPort` to `remotePort`. */
export async function ssConnection(localPort: number, remotePort: number): Promise<SsConnection | null> {
  const out = await ss(['-tniH', `( sport = :${localPort} and dport = :${remotePort} )`])
  if (!out) return null
  const m = out.match(/^\S*\s*(\d+)\s+(\d+)\s+\S+:\d+\s+\S+:\d+/m)
  if (!m) return null
  const num = (re: RegExp): number | undefined => {
    const x = out.match(re)
    return x ? Number(x[1]) : undefined
  }
  const ws = out.match(/wscale:(\d+),(\d+)/)
  return {
    recvQ: Number(m[1]),
    sendQ: Number(m[2]),
    ...(num(/snd_wnd:(\d+)/) !== undefined ? { sndWnd: num(/snd_wnd:(\d+)/) } : {}),
    ...(ws ? { wscale: [Number(ws[1]), Number(ws[2])] as [number, number] } : {}),
    ...(num(/rwnd_limited:(\d+)ms/) !== undefined ? { rwndLimitedMs: num(/rwnd_limited:(\d+)ms/) } : {}),
    ...(num(/rcv_space:(\d+)/) !== undefined ? { rcvSpace: num(/rcv_space:(\d+)/) } : {})
  }
}

/** `net.core.somaxconn`: the kernel's cap on any backlog (null where not readable). */
export function somaxconn(path = '/proc/sys/net/core/somaxconn'): number | null {
  try {
    const n = Number(readFileSync(path, 'utf8').trim())
    return Number.isInteger(n) ? n : null
  } catch {
    return null
  }
}
