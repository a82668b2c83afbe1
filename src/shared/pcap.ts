// The session as a classic pcap (LINKTYPE_ETHERNET) that Wireshark and tshark open: Ethernet,
// IPv4 and TCP/UDP headers around the real payloads. TCP segments follow the same model as the
// session's modeled segments (relative sequence numbers from 0), so reassembly works.
import type { LabEvent, ConnOpenEvent } from './events'
import { TCP_FLAGS, tcpHeader } from './tcp-header'

const MAC_CLIENT = [0x02, 0x00, 0x00, 0x00, 0x00, 0x01]
const MAC_SERVER = [0x02, 0x00, 0x00, 0x00, 0x00, 0x02]

function ipv4(host: string): number[] {
  const parts = host.split('.').map(Number)
  return parts.length === 4 && parts.every((n) => n >= 0 && n <= 255) ? parts : [127, 0, 0, 1]
}

function checksum(bytes: Uint8Array, initial = 0): number {
  let sum = initial
  for (let i = 0; i + 1 < bytes.length; i += 2) sum += (bytes[i] << 8) | bytes[i + 1]
  if (bytes.length % 2) sum += bytes[bytes.length - 1] << 8
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16)
  return ~sum & 0xffff
}

function pseudoSum(src: number[], dst: number[], proto: number, length: number): number {
  return ((src[0] << 8) | src[1]) + ((src[2] << 8) | src[3]) + ((dst[0] << 8) | dst[1]) + ((dst[2] << 8) | dst[3]) + proto + length
}

interface Packet {
  t: number
  bytes: Uint8Array
}

function frame(c2s: boolean, open: ConnOpenEvent, proto: 6 | 17, l4: Uint8Array, ipId: number): Uint8Array {
  const src = ipv4(c2s ? open.client.host : open.server.host)
  const dst = ipv4(c2s ? open.server.host : open.client.host)
  const out = new Uint8Array(14 + 20 + l4.length)
  out.set(c2s ? MAC_SERVER : MAC_CLIENT, 0)
  out.set(c2s ? MAC_CLIENT : MAC_SERVER, 6)
  out[12] = 0x08
  out[13] = 0x00
  const ip = out.subarray(14, 34)
  const v = new DataView(out.buffer, 14)
  ip[0] = 0x45
  v.setUint16(2, 20 + l4.length)
  v.setUint16(4, ipId & 0xffff)
  v.setUint16(6, 0x4000) // don't fragment
  ip[8] = 64
  ip[9] = proto
  ip.set(src, 12)
  ip.set(dst, 16)
  v.setUint16(10, checksum(ip))
  const seg = out.subarray(34)
  seg.set(l4)
  const sumOffset = proto === 6 ? 16 : 6
  seg[sumOffset] = 0
  seg[sumOffset + 1] = 0
  let sum = checksum(seg, pseudoSum(src, dst, proto, l4.length))
  if (proto === 17 && sum === 0) sum = 0xffff
  new DataView(seg.buffer, seg.byteOffset).setUint16(sumOffset, sum)
  return out
}

function udpDatagram(srcPort: number, dstPort: number, payload: Uint8Array): Uint8Array {
  const d = new Uint8Array(8 + payload.length)
  const v = new DataView(d.buffer)
  v.setUint16(0, srcPort)
  v.setUint16(2, dstPort)
  v.setUint16(4, d.length)
  d.set(payload, 8)
  return d
}

/** Packets of the session: modeled TCP segments and real payloads, in log order. */
export function sessionPackets(events: Iterable<LabEvent>): Packet[] {
  return [...packetsOf(events)]
}

/** The same packets, one at a time (a session of any length streams through this). */
export function* packetsOf(events: Iterable<LabEvent>): Generator<Packet> {
  const opens = new Map<string, ConnOpenEvent>()
  let ipId = 1
  for (const e of events) {
    if (e.kind === 'conn.open') {
      opens.set(e.conn, e)
      continue
    }
    const open = 'conn' in e ? opens.get(e.conn) : undefined
    if (!open) continue
    if (open.transport === 'tcp') {
      if (e.kind === 'pdu' && e.modeled && e.protocol === 'tcp' && e.data.length === 20) {
        yield { t: e.t, bytes: frame(e.dir === 'c2s', open, 6, e.data, ipId++) }
      } else if (e.kind === 'bytes') {
        const c2s = e.dir === 'c2s'
        const seq = e.tcpSeq ?? e.offset + 1
        const header = tcpHeader({
          srcPort: c2s ? open.client.port : open.server.port,
          dstPort: c2s ? open.server.port : open.client.port,
          seq,
          ack: e.tcpAck ?? 1,
          flags: TCP_FLAGS.PSH | TCP_FLAGS.ACK
        })
        // Large chunks are split into segments that fit one IPv4 packet.
        const MSS = 65_000
        for (let at = 0; at < e.data.length || at === 0; at += MSS) {
          const part = e.data.subarray(at, at + MSS)
          const h = header.slice()
          new DataView(h.buffer).setUint32(4, (seq + at) >>> 0)
          const seg = new Uint8Array(20 + part.length)
          seg.set(h)
          seg.set(part, 20)
          yield { t: e.t, bytes: frame(c2s, open, 6, seg, ipId++) }
          if (e.data.length === 0) break
        }
      }
    } else if (e.kind === 'bytes') {
      const c2s = e.dir === 'c2s'
      const d = udpDatagram(c2s ? open.client.port : open.server.port, c2s ? open.server.port : open.client.port, e.data.subarray(0, 65_000))
      yield { t: e.t, bytes: frame(c2s, open, 17, d, ipId++) }
    }
  }
}

/** The 24-byte libpcap file header (microsecond timestamps, Ethernet link type). */
export function pcapHeader(): Uint8Array {
  const out = new Uint8Array(24)
  const v = new DataView(out.buffer)
  v.setUint32(0, 0xa1b2c3d4, true)
  v.setUint16(4, 2, true)
  v.setUint16(6, 4, true)
  v.setUint32(16, 262144, true)
  v.setUint32(20, 1, true)
  return out
}

function writeRecord(v: DataView, out: Uint8Array, at: number, p: Packet): number {
  const sec = Math.floor(p.t / 1000)
  const usec = Math.floor((p.t - sec * 1000) * 1000)
  v.setUint32(at, sec, true)
  v.setUint32(at + 4, Math.min(999_999, usec), true)
  v.setUint32(at + 8, p.bytes.length, true)
  v.setUint32(at + 12, p.bytes.length, true)
  out.set(p.bytes, at + 16)
  return at + 16 + p.bytes.length
}

/** A pcap file in pieces of about `size` bytes: the header, then records (for sessions of any length). */
export function* pcapPieces(events: Iterable<LabEvent>, size = 1 << 20): Generator<Uint8Array> {
  yield pcapHeader()
  let buf = new Uint8Array(size)
  let v = new DataView(buf.buffer)
  let at = 0
  for (const p of packetsOf(events)) {
    const need = 16 + p.bytes.length
    if (at + need > buf.length) {
      if (at > 0) yield buf.subarray(0, at)
      buf = new Uint8Array(Math.max(size, need))
      v = new DataView(buf.buffer)
      at = 0
    }
    at = writeRecord(v, buf, at, p)
  }
  if (at > 0) yield buf.subarray(0, at)
}

/** A classic libpcap file (microsecond timestamps, Ethernet link type). */
export function toPcap(events: Iterable<LabEvent>): { bytes: Uint8Array; packets: number } {
  const packets = sessionPackets(events)
  const size = 24 + packets.reduce((n, p) => n + 16 + p.bytes.length, 0)
  const out = new Uint8Array(size)
  out.set(pcapHeader())
  const v = new DataView(out.buffer)
  let at = 24
  for (const p of packets) at = writeRecord(v, out, at, p)
  return { bytes: out, packets: packets.length }
}
