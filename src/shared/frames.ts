// The headers around a TCP or UDP payload on the wire — Ethernet II, IPv4, UDP (TCP's is in
// tcp-header.ts) — as bytes and as field trees with byte ranges: one builder for the frames the
// pcap export writes, the frames the layers view reconstructs (labelled modeled) and the frames a
// capture saw (the engine parses them and passes the values read). Pure: no node or DOM imports.
import type { Field } from './events'

export const ETHERTYPE_IPV4 = 0x0800
export const IP_PROTO = { TCP: 6, UDP: 17 } as const
export const ETHERNET_HEADER = 14
export const IPV4_HEADER = 20
export const UDP_HEADER = 8

export type Mac = readonly number[]
/** Linux loopback frames carry all-zero addresses. */
export const LOOPBACK_MAC: Mac = [0, 0, 0, 0, 0, 0]
/** Locally administered example addresses (02:…) for frames that never had real ones. */
export const EXAMPLE_MAC = { client: [0x02, 0, 0, 0, 0, 0x01] as Mac, server: [0x02, 0, 0, 0, 0, 0x02] as Mac }

export const macText = (m: Mac): string => m.map((b) => b.toString(16).padStart(2, '0')).join(':')
export const ipText = (a: readonly number[]): string => a.join('.')

/** A dotted IPv4 address as 4 bytes (127.0.0.1 for anything else). */
export function ipv4Bytes(host: string): number[] {
  const parts = host.split('.').map(Number)
  return parts.length === 4 && parts.every((n) => Number.isInteger(n) && n >= 0 && n <= 255) ? parts : [127, 0, 0, 1]
}

/** The Internet checksum (RFC 1071) of `bytes`, starting from a partial sum. */
export function internetChecksum(bytes: Uint8Array, initial = 0): number {
  let sum = initial
  for (let i = 0; i + 1 < bytes.length; i += 2) sum += (bytes[i] << 8) | bytes[i + 1]
  if (bytes.length % 2) sum += bytes[bytes.length - 1] << 8
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16)
  return ~sum & 0xffff
}

/** The TCP/UDP pseudo-header's contribution to the checksum. */
export function pseudoHeaderSum(src: readonly number[], dst: readonly number[], proto: number, length: number): number {
  return ((src[0] << 8) | src[1]) + ((src[2] << 8) | src[3]) + ((dst[0] << 8) | dst[1]) + ((dst[2] << 8) | dst[3]) + proto + length
}

/** Shifts a field tree by `delta` bytes (a header placed further into a frame). */
export function shiftFields(fields: Field[], delta: number): Field[] {
  const out: Field[] = []
  for (const f of fields) {
    // A clone whose existing keys are then updated: the same keys in the same order as
    // `{ ...f, start, end, children }`, at a fraction of its cost in V8.
    const g = { ...f }
    g.start += delta
    g.end += delta
    if (g.children) g.children = shiftFields(g.children, delta)
    out.push(g)
  }
  return out
}

const f = (id: string, name: string, start: number, end: number, value: string, modeled: boolean, extra: Partial<Field> = {}): Field => ({
  id,
  name,
  start,
  end,
  value,
  ...(modeled ? { modeled: true } : {}),
  ...extra
})

// ── Ethernet II ────────────────────────────────────────────────────────────────────────────────

export interface EthernetSpec {
  dst: Mac
  src: Mac
  type: number
}

export function writeEthernet(out: Uint8Array, at: number, s: EthernetSpec): void {
  out.set(s.dst, at)
  out.set(s.src, at + 6)
  out[at + 12] = s.type >> 8
  out[at + 13] = s.type & 0xff
}

/** `eth` with destination, source and type; ranges from `at`. `modeled`: rebuilt by Wirelab. */
export function ethernetFields(s: EthernetSpec, at: number, modeled: boolean, title = 'Ethernet II'): Field {
  const type = `0x${s.type.toString(16).padStart(4, '0')}${s.type === ETHERTYPE_IPV4 ? ' (IPv4)' : ''}`
  return f('eth', title, at, at + ETHERNET_HEADER, `${macText(s.src)} → ${macText(s.dst)}`, modeled, {
    children: [
      f('eth.dst', 'Destination', at, at + 6, macText(s.dst), modeled),
      f('eth.src', 'Source', at + 6, at + 12, macText(s.src), modeled),
      f('eth.type', 'Type', at + 12, at + 14, type, modeled)
    ]
  })
}

// ── IPv4 ───────────────────────────────────────────────────────────────────────────────────────

export interface Ipv4Spec {
  src: readonly number[]
  dst: readonly number[]
  protocol: number
  /** Header + payload, in bytes. */
  totalLength: number
  id: number
  /** The 3 flag bits (0b010 = Don't Fragment). */
  flags: number
  fragmentOffset: number
  ttl: number
  /** DSCP and ECN byte. */
  tos: number
  /** Header length in 32-bit words (5 without options). */
  ihl: number
  /** As read from a capture; written frames compute it. */
  checksum?: number
}

/** The 20-byte IPv4 header (no options) at `at`, with its checksum; returns the checksum. */
export function writeIpv4(out: Uint8Array, at: number, s: Ipv4Spec): number {
  const v = new DataView(out.buffer, out.byteOffset + at, IPV4_HEADER)
  out[at] = 0x40 | 5
  out[at + 1] = s.tos
  v.setUint16(2, s.totalLength)
  v.setUint16(4, s.id & 0xffff)
  v.setUint16(6, ((s.flags & 7) << 13) | (s.fragmentOffset & 0x1fff))
  out[at + 8] = s.ttl
  out[at + 9] = s.protocol
  v.setUint16(10, 0)
  out.set(s.src, at + 12)
  out.set(s.dst, at + 16)
  const sum = internetChecksum(out.subarray(at, at + IPV4_HEADER))
  v.setUint16(10, sum)
  return sum
}

const PROTO_NAME: Record<number, string> = { 6: 'TCP', 17: 'UDP', 1: 'ICMP' }

/** `ip` with every header field; ranges from `at`. */
export function ipv4Fields(s: Ipv4Spec, at: number, modeled: boolean, title = 'Internet Protocol version 4'): Field {
  const hdr = s.ihl * 4
  const flagText = [s.flags & 2 ? "Don't fragment" : '', s.flags & 1 ? 'More fragments' : ''].filter(Boolean).join(', ') || 'none'
  const checksum = s.checksum === undefined ? 'computed' : `0x${s.checksum.toString(16).padStart(4, '0')}`
  return f('ip', title, at, at + hdr, `${ipText(s.src)} → ${ipText(s.dst)}`, modeled, {
    children: [
      f('ip.version', 'Version', at, at + 1, '4', modeled, { mask: 0xf0 }),
      f('ip.hdr_len', 'Header length', at, at + 1, `${hdr} bytes (${s.ihl} words)`, modeled, { mask: 0x0f }),
      f('ip.dsfield', 'Differentiated services', at + 1, at + 2, `0x${s.tos.toString(16).padStart(2, '0')}`, modeled),
      f('ip.len', 'Total length', at + 2, at + 4, `${s.totalLength} bytes`, modeled),
      f('ip.id', 'Identification', at + 4, at + 6, `0x${s.id.toString(16).padStart(4, '0')} (${s.id})`, modeled),
      f('ip.flags', 'Flags', at + 6, at + 7, `0b${s.flags.toString(2).padStart(3, '0')}: ${flagText}`, modeled, { mask: 0xe0 }),
      f('ip.frag_offset', 'Fragment offset', at + 6, at + 8, String(s.fragmentOffset), modeled),
      f('ip.ttl', 'Time to live', at + 8, at + 9, String(s.ttl), modeled),
      f('ip.proto', 'Protocol', at + 9, at + 10, `${s.protocol} (${PROTO_NAME[s.protocol] ?? '?'})`, modeled),
      f('ip.checksum', 'Header checksum', at + 10, at + 12, checksum, modeled),
      f('ip.src', 'Source address', at + 12, at + 16, ipText(s.src), modeled),
      f('ip.dst', 'Destination address', at + 16, at + 20, ipText(s.dst), modeled),
      ...(hdr > IPV4_HEADER ? [f('ip.options', 'Options', at + 20, at + hdr, `${hdr - IPV4_HEADER} bytes`, modeled)] : [])
    ]
  })
}

// ── UDP ────────────────────────────────────────────────────────────────────────────────────────

export interface UdpSpec {
  srcPort: number
  dstPort: number
  /** Header + payload. */
  length: number
  checksum?: number
}

export function writeUdp(out: Uint8Array, at: number, s: UdpSpec): void {
  const v = new DataView(out.buffer, out.byteOffset + at, UDP_HEADER)
  v.setUint16(0, s.srcPort)
  v.setUint16(2, s.dstPort)
  v.setUint16(4, s.length)
  v.setUint16(6, s.checksum ?? 0)
}

export function udpFields(s: UdpSpec, at: number, modeled: boolean, title = 'User Datagram Protocol'): Field {
  return f('udp', title, at, at + UDP_HEADER, `${s.srcPort} → ${s.dstPort}`, modeled, {
    children: [
      f('udp.srcport', 'Source port', at, at + 2, String(s.srcPort), modeled),
      f('udp.dstport', 'Destination port', at + 2, at + 4, String(s.dstPort), modeled),
      f('udp.length', 'Length', at + 4, at + 6, `${s.length} bytes`, modeled),
      f('udp.checksum', 'Checksum', at + 6, at + 8, s.checksum === undefined ? 'computed' : `0x${s.checksum.toString(16).padStart(4, '0')}`, modeled)
    ]
  })
}

// ── A whole frame ──────────────────────────────────────────────────────────────────────────────

export interface FrameSpec {
  src: { host: string; port: number }
  dst: { host: string; port: number }
  protocol: number
  /** The TCP segment (header + payload) or the UDP payload. */
  l4: Uint8Array
  ipId: number
  macs: { src: Mac; dst: Mac }
  ttl?: number
}

/**
 * Ethernet + IPv4 + the segment (TCP: `l4` is header and payload; UDP: `l4` is the payload and
 * the 8-byte header is added), with the IPv4 and TCP/UDP checksums computed.
 */
export function buildFrame(s: FrameSpec): Uint8Array {
  const udp = s.protocol === IP_PROTO.UDP
  const l4Length = s.l4.length + (udp ? UDP_HEADER : 0)
  const out = new Uint8Array(ETHERNET_HEADER + IPV4_HEADER + l4Length)
  const src = ipv4Bytes(s.src.host)
  const dst = ipv4Bytes(s.dst.host)
  writeEthernet(out, 0, { dst: s.macs.dst, src: s.macs.src, type: ETHERTYPE_IPV4 })
  writeIpv4(out, ETHERNET_HEADER, {
    src,
    dst,
    protocol: s.protocol,
    totalLength: IPV4_HEADER + l4Length,
    id: s.ipId,
    flags: 0b010,
    fragmentOffset: 0,
    ttl: s.ttl ?? 64,
    tos: 0,
    ihl: 5
  })
  const at = ETHERNET_HEADER + IPV4_HEADER
  if (udp) {
    writeUdp(out, at, { srcPort: s.src.port, dstPort: s.dst.port, length: l4Length })
    out.set(s.l4, at + UDP_HEADER)
  } else out.set(s.l4, at)
  const seg = out.subarray(at)
  const sumAt = udp ? 6 : 16
  seg[sumAt] = 0
  seg[sumAt + 1] = 0
  let sum = internetChecksum(seg, pseudoHeaderSum(src, dst, s.protocol, l4Length))
  if (udp && sum === 0) sum = 0xffff
  seg[sumAt] = sum >> 8
  seg[sumAt + 1] = sum & 0xff
  return out
}
