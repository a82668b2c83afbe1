// Encapsulation of one PDU as a frame: the application bytes inside a TCP segment or UDP datagram,
// inside an IPv4 packet, inside an Ethernet frame — every header field byte-ranged. Either the
// frame dumpcap captured (a `frame` PDU in the log), or one rebuilt from what the sockets reported
// (the connection's addresses and ports, the stream offset, the modeled sequence numbers): then
// every header field is labelled modeled. The layers view and its tests both use this; pure TS.
import type { ConnOpenEvent, Field, LabEvent, PduEvent } from './events'
import {
  ETHERNET_HEADER,
  ETHERTYPE_IPV4,
  EXAMPLE_MAC,
  IPV4_HEADER,
  IP_PROTO,
  LOOPBACK_MAC,
  UDP_HEADER,
  buildFrame,
  ethernetFields,
  ipv4Bytes,
  ipv4Fields,
  shiftFields,
  udpFields
} from './frames'
import { TCP_FLAGS, tcpHeader, tcpHeaderFields } from './tcp-header'

export type LayerId = 'link' | 'ip' | 'tcp' | 'udp' | 'app'
export type LayerSource = 'captured' | 'reconstructed' | 'real'

export interface Layer {
  id: LayerId
  name: string
  /** The layer's header (for `app`: its bytes) in the frame. */
  start: number
  end: number
  fields: Field[]
  source: LayerSource
}

/** `loopback`: as Linux's `lo` carries it (all-zero MACs, 65,536-byte MTU); `ethernet`: a 1,500-byte Ethernet. */
export type LinkKind = 'loopback' | 'ethernet'

export interface LayerStack {
  frame: Uint8Array
  /** Outermost first. */
  layers: Layer[]
  source: 'captured' | 'reconstructed'
  link: LinkKind
  transport: 'tcp' | 'udp'
  /** Application bytes of this PDU carried (the rest of the frame is headers). */
  payload: number
  /** Largest TCP payload per segment on this link (MSS), and the segments this PDU needs. */
  mss: number
  segments: number
}

/** Loopback's MTU is 65,536: MSS = 65,536 − 20 (IPv4) − 20 (TCP) − 1, as Linux announces it. */
export const LOOPBACK_MSS = 65_495
export const ETHERNET_MSS = 1_460

/** What a PDU can be laid open as: the reason when it cannot. */
export type StackResult = { ok: true; stack: LayerStack } | { ok: false; why: 'no-connection' | 'not-on-the-wire' }

const segmentsFor = (payload: number, mss: number): number => Math.max(1, Math.ceil(payload / mss))

/** The modeled sequence and acknowledgement numbers of the segment that carried stream byte `offset`. */
export function tcpNumbersAt(events: readonly LabEvent[], pdu: PduEvent): { seq: number; ack: number } {
  let ack = 1
  for (const e of events) {
    if (e.seq >= pdu.seq) break
    if (e.kind === 'bytes' && e.conn === pdu.conn && e.dir === pdu.dir && e.offset <= pdu.offset && e.tcpAck !== undefined) ack = e.tcpAck
  }
  return { seq: pdu.offset + 1, ack }
}

/**
 * The frame rebuilt around `pdu`: an application PDU (its bytes as one segment), or a modeled or
 * captured TCP segment (its header, no payload). Headers are modeled; the payload is real.
 */
export function reconstructStack(o: {
  open: ConnOpenEvent
  pdu: PduEvent
  link: LinkKind
  numbers?: { seq: number; ack: number }
  ipId?: number
}): StackResult {
  const { open, pdu, link } = o
  const c2s = pdu.dir === 'c2s'
  const src = c2s ? open.client : open.server
  const dst = c2s ? open.server : open.client
  const macs = link === 'loopback' ? { src: LOOPBACK_MAC, dst: LOOPBACK_MAC } : c2s ? { src: EXAMPLE_MAC.client, dst: EXAMPLE_MAC.server } : { src: EXAMPLE_MAC.server, dst: EXAMPLE_MAC.client }
  const udp = open.transport === 'udp'
  const segmentOnly = !udp && pdu.protocol === 'tcp' && (pdu.modeled || pdu.keys?.captured === true) && pdu.offset < 0
  if (!segmentOnly && pdu.offset < 0) return { ok: false, why: 'not-on-the-wire' }
  const mss = link === 'loopback' ? LOOPBACK_MSS : ETHERNET_MSS
  let l4: Uint8Array
  let tcpFields: Field[] = []
  let payload = 0
  if (udp) {
    l4 = pdu.data
    payload = pdu.data.length
  } else if (segmentOnly) {
    l4 = pdu.data
    tcpFields = pdu.fields.filter((f) => f.id === 'tcp.hdr')
  } else {
    const n = o.numbers ?? { seq: pdu.offset + 1, ack: 1 }
    const spec = { srcPort: src.port, dstPort: dst.port, seq: n.seq, ack: n.ack, flags: TCP_FLAGS.PSH | TCP_FLAGS.ACK }
    const header = tcpHeader(spec)
    l4 = new Uint8Array(header.length + pdu.data.length)
    l4.set(header)
    l4.set(pdu.data, header.length)
    tcpFields = tcpHeaderFields(spec)
    payload = pdu.data.length
  }
  const frame = buildFrame({ src, dst, protocol: udp ? IP_PROTO.UDP : IP_PROTO.TCP, l4, ipId: o.ipId ?? 0, macs })
  const l4At = ETHERNET_HEADER + IPV4_HEADER
  const ipLen = frame.length - ETHERNET_HEADER
  const ipSpec = {
    src: ipv4Bytes(src.host),
    dst: ipv4Bytes(dst.host),
    protocol: udp ? IP_PROTO.UDP : IP_PROTO.TCP,
    totalLength: ipLen,
    id: o.ipId ?? 0,
    flags: 0b010,
    fragmentOffset: 0,
    ttl: 64,
    tos: 0,
    ihl: 5,
    checksum: (frame[ETHERNET_HEADER + 10] << 8) | frame[ETHERNET_HEADER + 11]
  }
  const linkName = link === 'loopback' ? 'Ethernet II (loopback, reconstructed)' : 'Ethernet II (a 1,500-byte Ethernet, reconstructed)'
  const layers: Layer[] = [
    { id: 'link', name: 'Ethernet II', start: 0, end: ETHERNET_HEADER, fields: [ethernetFields({ dst: macs.dst, src: macs.src, type: ETHERTYPE_IPV4 }, 0, true, linkName)], source: 'reconstructed' },
    { id: 'ip', name: 'IPv4', start: ETHERNET_HEADER, end: l4At, fields: [ipv4Fields(ipSpec, ETHERNET_HEADER, true, 'IPv4 (reconstructed)')], source: 'reconstructed' }
  ]
  const appAt = udp ? l4At + UDP_HEADER : l4At + (segmentOnly ? l4.length : 20)
  if (udp)
    layers.push({ id: 'udp', name: 'UDP', start: l4At, end: appAt, fields: [udpFields({ srcPort: src.port, dstPort: dst.port, length: UDP_HEADER + payload }, l4At, true, 'UDP (reconstructed)')], source: 'reconstructed' })
  else layers.push({ id: 'tcp', name: 'TCP', start: l4At, end: appAt, fields: shiftFields(tcpFields, l4At), source: segmentOnly && pdu.keys?.captured === true ? 'captured' : 'reconstructed' })
  if (payload > 0) layers.push({ id: 'app', name: pdu.protocol.toUpperCase(), start: appAt, end: appAt + payload, fields: shiftFields(pdu.fields, appAt), source: 'real' })
  return { ok: true, stack: { frame, layers, source: 'reconstructed', link, transport: udp ? 'udp' : 'tcp', payload, mss, segments: segmentsFor(payload, mss) } }
}

/** The captured frame that carried the first byte of `pdu` (a `frame` PDU of the same connection and direction). */
export function capturedFrameFor(events: readonly LabEvent[], pdu: PduEvent): PduEvent | null {
  if (pdu.protocol === 'frame') return pdu
  if (pdu.offset < 0) return null
  let udpOffset = 0
  for (const e of events) {
    if (e.kind !== 'pdu' || e.protocol !== 'frame' || e.conn !== pdu.conn || e.dir !== pdu.dir) continue
    const len = Number(e.keys?.len ?? 0)
    if (len === 0) continue
    if (e.fields.some((f) => f.id === 'udp')) {
      if (udpOffset === pdu.offset) return e
      udpOffset += len
      continue
    }
    const seq = e.keys?.seq
    if (typeof seq === 'number' && seq <= pdu.offset + 1 && pdu.offset + 1 < seq + len) return e
  }
  return null
}

/** The captured frame laid open, with `pdu`'s fields placed where its bytes sit in the frame's payload. */
export function capturedStack(frame: PduEvent, pdu: PduEvent): LayerStack {
  const top = frame.fields
  const find = (id: string): Field | undefined => top.find((f) => f.id === id)
  const link = find('eth') ?? find('frame.link')
  const ip = find('ip')
  const tcp = find('tcp.hdr')
  const udp = find('udp')
  const payloadAt = Number(frame.keys?.payloadAt ?? (tcp ?? udp)?.end ?? frame.data.length)
  const len = Number(frame.keys?.len ?? 0)
  const layers: Layer[] = []
  if (link) layers.push({ id: 'link', name: link.id === 'eth' ? 'Ethernet II' : 'Link', start: link.start, end: link.end, fields: [link], source: 'captured' })
  if (ip) layers.push({ id: 'ip', name: 'IPv4', start: ip.start, end: ip.end, fields: [ip], source: 'captured' })
  if (tcp) layers.push({ id: 'tcp', name: 'TCP', start: tcp.start, end: tcp.end, fields: [tcp], source: 'captured' })
  if (udp) layers.push({ id: 'udp', name: 'UDP', start: udp.start, end: udp.end, fields: [udp], source: 'captured' })
  if (pdu !== frame && len > 0) {
    // Where this PDU's first byte sits in the segment's payload.
    const into = tcp && typeof frame.keys?.seq === 'number' ? pdu.offset + 1 - frame.keys.seq : 0
    const at = payloadAt + Math.max(0, into)
    const kept = (fs: Field[]): Field[] => fs.filter((f) => f.end <= frame.data.length).map((f) => (f.children ? { ...f, children: kept(f.children) } : f))
    layers.push({ id: 'app', name: pdu.protocol.toUpperCase(), start: at, end: Math.min(frame.data.length, at + pdu.data.length), fields: kept(shiftFields(pdu.fields, at)), source: 'real' })
  }
  const mss = Number(frame.keys?.mss ?? LOOPBACK_MSS)
  const zeroMacs = link?.children?.every((c) => c.id === 'eth.type' || /^(00:){5}00$/.test(c.value ?? '')) ?? false
  return {
    frame: frame.data,
    layers,
    source: 'captured',
    link: zeroMacs ? 'loopback' : 'ethernet',
    transport: udp ? 'udp' : 'tcp',
    payload: len,
    mss,
    segments: segmentsFor(pdu.data.length, LOOPBACK_MSS)
  }
}
