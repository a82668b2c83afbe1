// The session as a classic pcap (LINKTYPE_ETHERNET) that Wireshark and tshark open: Ethernet,
// IPv4 and TCP/UDP headers around the real payloads. TCP segments follow the same model as the
// session's modeled segments (relative sequence numbers from 0), so reassembly works.
import type { LabEvent, ConnOpenEvent } from './events'
import { TCP_FLAGS, tcpHeader } from './tcp-header'
import { EXAMPLE_MAC, buildFrame } from './frames'

interface Packet {
  t: number
  bytes: Uint8Array
}

function frame(c2s: boolean, open: ConnOpenEvent, proto: 6 | 17, l4: Uint8Array, ipId: number): Uint8Array {
  return buildFrame({
    src: c2s ? open.client : open.server,
    dst: c2s ? open.server : open.client,
    protocol: proto,
    l4,
    ipId,
    macs: c2s ? { src: EXAMPLE_MAC.client, dst: EXAMPLE_MAC.server } : { src: EXAMPLE_MAC.server, dst: EXAMPLE_MAC.client }
  })
}

/** Packets of the session: modeled TCP segments and real payloads, in log order. */
export function sessionPackets(events: Iterable<LabEvent>): Packet[] {
  return [...packetsOf(events)]
}

/**
 * Sequence numbers start from 0 in every connection. When the kernel gives a later connection the
 * same addresses and ports as an earlier one (short connections in a burst do that), that
 * connection's numbers start elsewhere, as a new connection's initial sequence number would: a
 * reader sees a new session on reused ports instead of retransmissions of the first one.
 */
const REUSE_SEQ_STEP = 0x1000_0000

/**
 * A modeled 20-byte TCP header with the connection's ports (as the frame's addresses come from its
 * conn.open) and `base` added to its sequence and (when ACK is set) ack numbers.
 */
function modeledHeader(header: Uint8Array, open: ConnOpenEvent, c2s: boolean, base: number): Uint8Array {
  const out = header.slice()
  const v = new DataView(out.buffer)
  v.setUint16(0, c2s ? open.client.port : open.server.port)
  v.setUint16(2, c2s ? open.server.port : open.client.port)
  v.setUint32(4, (v.getUint32(4) + base) >>> 0)
  if (out[13] & TCP_FLAGS.ACK) v.setUint32(8, (v.getUint32(8) + base) >>> 0)
  return out
}

/** The same packets, one at a time (a session of any length streams through this). */
export function* packetsOf(events: Iterable<LabEvent>): Generator<Packet> {
  const opens = new Map<string, ConnOpenEvent>()
  const bases = new Map<string, number>()
  const tupleUses = new Map<string, number>()
  let ipId = 1
  for (const e of events) {
    if (e.kind === 'conn.open') {
      opens.set(e.conn, e)
      if (e.transport === 'tcp') {
        const tuple = `${e.client.host}:${e.client.port}>${e.server.host}:${e.server.port}`
        const uses = tupleUses.get(tuple) ?? 0
        tupleUses.set(tuple, uses + 1)
        bases.set(e.conn, (uses * REUSE_SEQ_STEP) >>> 0)
      }
      continue
    }
    const open = 'conn' in e && e.conn !== undefined ? opens.get(e.conn) : undefined
    if (!open) continue
    if (open.transport === 'tcp') {
      const base = bases.get(open.conn) ?? 0
      if (e.kind === 'pdu' && e.modeled && e.protocol === 'tcp' && e.data.length === 20) {
        yield { t: e.t, bytes: frame(e.dir === 'c2s', open, 6, modeledHeader(e.data, open, e.dir === 'c2s', base), ipId++) }
      } else if (e.kind === 'bytes') {
        const c2s = e.dir === 'c2s'
        const seq = ((e.tcpSeq ?? e.offset + 1) + base) >>> 0
        const header = tcpHeader({
          srcPort: c2s ? open.client.port : open.server.port,
          dstPort: c2s ? open.server.port : open.client.port,
          seq,
          ack: ((e.tcpAck ?? 1) + base) >>> 0,
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
      yield { t: e.t, bytes: frame(c2s, open, 17, e.data.subarray(0, 65_000), ipId++) }
    }
  }
}

/** The 24-byte libpcap file header (microsecond timestamps, Ethernet link type). */
export function pcapHeader(link = 1): Uint8Array {
  const out = new Uint8Array(24)
  const v = new DataView(out.buffer)
  v.setUint32(0, 0xa1b2c3d4, true)
  v.setUint16(4, 2, true)
  v.setUint16(6, 4, true)
  v.setUint32(16, 262144, true)
  v.setUint32(20, link, true)
  return out
}

function writeRecord(v: DataView, out: Uint8Array, at: number, p: Packet, origLen = p.bytes.length): number {
  const sec = Math.floor(p.t / 1000)
  const usec = Math.floor((p.t - sec * 1000) * 1000)
  v.setUint32(at, sec, true)
  v.setUint32(at + 4, Math.min(999_999, usec), true)
  v.setUint32(at + 8, p.bytes.length, true)
  v.setUint32(at + 12, origLen, true)
  out.set(p.bytes, at + 16)
  return at + 16 + p.bytes.length
}

/** A classic libpcap file (microsecond timestamps) of frames with one link type (1 = Ethernet). */
export function writePcap(records: readonly { t: number; data: Uint8Array; origLen?: number }[], link = 1): Uint8Array {
  const out = new Uint8Array(24 + records.reduce((n, r) => n + 16 + r.data.length, 0))
  out.set(pcapHeader(link))
  const v = new DataView(out.buffer)
  let at = 24
  for (const r of records) at = writeRecord(v, out, at, { t: r.t, bytes: r.data }, r.origLen)
  return out
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
