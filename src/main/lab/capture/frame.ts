// A captured frame, parsed by hand with the common ByteReader: the link header (Ethernet II on
// Linux loopback; Linux cooked, BSD loopback or raw IP elsewhere), IPv4, then TCP with its options
// (MSS, window scale, SACK permitted, SACK, timestamps, NOP, EOL) or UDP, and where the payload
// starts. Field trees come from the shared header builders (the same ones the pcap export and the
// layers view use), fed with the values read here. A frame that is not IPv4 TCP/UDP is null; a
// truncated or inconsistent one throws a DissectError with the offending range.
import type { Field } from '../../../shared/events'
import {
  ETHERNET_HEADER,
  ETHERTYPE_IPV4,
  IP_PROTO,
  ethernetFields,
  ipv4Fields,
  shiftFields,
  udpFields,
  type EthernetSpec,
  type Ipv4Spec,
  type UdpSpec
} from '../../../shared/frames'
import { TCP_FLAGS, flagNames, tcpHeaderFields, type TcpOption } from '../../../shared/tcp-header'
import { ByteReader } from '../protocols/common/reader'

export interface ParsedTcp {
  at: number
  headerLength: number
  srcPort: number
  dstPort: number
  seq: number
  ack: number
  flags: number
  window: number
  checksum: number
  urgent: number
  options: TcpOption[]
  /** Values of the options Wireshark reports separately (for comparisons and narration). */
  mss?: number
  wscale?: number
  sackPermitted?: boolean
  tsval?: number
  tsecr?: number
  header: Uint8Array
}

export interface ParsedFrame {
  link: number
  data: Uint8Array
  origLen: number
  eth?: EthernetSpec
  /** Where the IPv4 header starts. */
  ipAt: number
  ip: Ipv4Spec
  tcp?: ParsedTcp
  udp?: UdpSpec & { at: number }
  payloadAt: number
  /** Payload length on the wire (from the IP total length). */
  payloadLength: number
  /** How many payload bytes the capture kept. */
  payloadCaptured: number
}

const LINK = { ETHERNET: 1, NULL: 0, RAW: 101, RAW_IPV4: 228, LINUX_SLL: 113, LINUX_SLL2: 276 } as const

/** Where IPv4 starts for this link type, or -1 when the frame does not carry IPv4. */
function ipStart(link: number, b: Uint8Array): number {
  if (link === LINK.ETHERNET) return b.length >= 14 && b[12] === 0x08 && b[13] === 0x00 ? ETHERNET_HEADER : -1
  if (link === LINK.LINUX_SLL) return b.length >= 16 && b[14] === 0x08 && b[15] === 0x00 ? 16 : -1
  if (link === LINK.LINUX_SLL2) return b.length >= 20 && b[0] === 0x08 && b[1] === 0x00 ? 20 : -1
  if (link === LINK.NULL) return b.length >= 4 && (b[0] === 2 || b[3] === 2) ? 4 : -1
  if (link === LINK.RAW || link === LINK.RAW_IPV4) return b.length >= 1 && b[0] >> 4 === 4 ? 0 : -1
  return -1
}

function tcpOptions(r: ByteReader, end: number, t: ParsedTcp): void {
  const base = t.at
  while (r.pos < end) {
    const start = r.pos
    const kind = r.u8('option kind')
    if (kind === 0) {
      t.options.push({ id: 'tcp.options.eol', name: 'End of options', value: '', start: start - base, end: end - base })
      r.pos = end
      break
    }
    if (kind === 1) {
      t.options.push({ id: 'tcp.options.nop', name: 'NOP', value: 'padding', start: start - base, end: r.pos - base })
      continue
    }
    const len = r.u8('option length')
    if (len < 2 || start + len > end) r.fail(`TCP option ${kind}: length ${len} does not fit the header`, start, end)
    const body = new ByteReader(r.buf, r.pos, start + len)
    const opt = (id: string, name: string, value: string): void => {
      t.options.push({ id, name, value, start: start - base, end: start + len - base })
    }
    switch (kind) {
      case 2:
        t.mss = body.u16('MSS')
        opt('tcp.options.mss_val', 'Maximum segment size', `${t.mss} bytes`)
        break
      case 3:
        t.wscale = body.u8('window scale')
        opt('tcp.options.wscale.shift', 'Window scale', `shift ${t.wscale} (× ${2 ** t.wscale})`)
        break
      case 4:
        t.sackPermitted = true
        opt('tcp.options.sack_perm', 'SACK permitted', 'yes')
        break
      case 5: {
        const blocks: string[] = []
        while (!body.done) blocks.push(`${body.u32('SACK left edge')}–${body.u32('SACK right edge')}`)
        opt('tcp.options.sack', 'SACK', blocks.join(', '))
        break
      }
      case 8:
        t.tsval = body.u32('TSval')
        t.tsecr = body.u32('TSecr')
        opt('tcp.options.timestamp', 'Timestamps', `TSval ${t.tsval}, TSecr ${t.tsecr}`)
        break
      default:
        opt(`tcp.options.type_${kind}`, `Option ${kind}`, `${len - 2} bytes`)
    }
    r.pos = start + len
  }
}

/** Parses one captured frame; null when it is not IPv4 carrying TCP or UDP. */
export function parseFrame(link: number, data: Uint8Array, origLen = data.length): ParsedFrame | null {
  const ipAt = ipStart(link, data)
  if (ipAt < 0) return null
  const r = new ByteReader(data, ipAt)
  const vihl = r.u8('IP version')
  if (vihl >> 4 !== 4) return null
  const ihl = vihl & 0x0f
  if (ihl < 5) r.fail(`IPv4 header length ${ihl * 4} is below 20`, ipAt, ipAt + 1)
  const tos = r.u8('DS field')
  const totalLength = r.u16('total length')
  const id = r.u16('identification')
  const ff = r.u16('flags and fragment offset')
  const ttl = r.u8('TTL')
  const protocol = r.u8('protocol')
  const checksum = r.u16('header checksum')
  const src = Array.from(r.bytes(4, 'source address'))
  const dst = Array.from(r.bytes(4, 'destination address'))
  r.skip(ihl * 4 - 20, 'IPv4 options')
  if (protocol !== IP_PROTO.TCP && protocol !== IP_PROTO.UDP) return null
  const ip: Ipv4Spec = { src, dst, protocol, totalLength, id, flags: ff >> 13, fragmentOffset: ff & 0x1fff, ttl, tos, ihl, checksum }
  const l4At = ipAt + ihl * 4
  const ipEnd = ipAt + totalLength
  const out: ParsedFrame = {
    link,
    data,
    origLen,
    ipAt,
    ip,
    payloadAt: l4At,
    payloadLength: 0,
    payloadCaptured: 0,
    ...(link === LINK.ETHERNET ? { eth: { dst: Array.from(data.subarray(0, 6)), src: Array.from(data.subarray(6, 12)), type: ETHERTYPE_IPV4 } } : {})
  }
  if (protocol === IP_PROTO.TCP) {
    const srcPort = r.u16('source port')
    const dstPort = r.u16('destination port')
    const seq = r.u32('sequence number')
    const ack = r.u32('acknowledgment number')
    const offFlags = r.u16('data offset and flags')
    const headerLength = (offFlags >> 12) * 4
    if (headerLength < 20) r.fail(`TCP header length ${headerLength} is below 20`, l4At + 12, l4At + 13)
    const t: ParsedTcp = {
      at: l4At,
      headerLength,
      srcPort,
      dstPort,
      seq,
      ack,
      flags: offFlags & 0x1ff,
      window: r.u16('window'),
      checksum: r.u16('checksum'),
      urgent: r.u16('urgent pointer'),
      options: [],
      header: data.subarray(l4At, l4At + headerLength)
    }
    r.need(headerLength - 20, 'TCP options')
    tcpOptions(r, l4At + headerLength, t)
    out.tcp = t
    out.payloadAt = l4At + headerLength
  } else {
    const u: UdpSpec & { at: number } = { at: l4At, srcPort: r.u16('source port'), dstPort: r.u16('destination port'), length: r.u16('length'), checksum: r.u16('checksum') }
    out.udp = u
    out.payloadAt = l4At + 8
  }
  out.payloadLength = Math.max(0, ipEnd - out.payloadAt)
  out.payloadCaptured = Math.max(0, Math.min(data.length, ipEnd) - out.payloadAt)
  return out
}

/**
 * The frame's field tree: link header, IPv4, TCP (sequence numbers relative to `isn`, as
 * Wireshark shows them) or UDP, and the payload as captured.
 */
export function frameFields(p: ParsedFrame, isn?: { seq?: number; ack?: number }): Field[] {
  const out: Field[] = []
  if (p.eth) out.push(ethernetFields(p.eth, 0, false, 'Ethernet II (captured)'))
  else if (p.ipAt > 0) out.push({ id: 'frame.link', name: `Link header (type ${p.link})`, start: 0, end: p.ipAt, value: `${p.ipAt} bytes` })
  out.push(ipv4Fields(p.ip, p.ipAt, false, 'IPv4 (captured)'))
  if (p.tcp) {
    const t = p.tcp
    const rel = (n: number, base: number | undefined): number => (base === undefined ? n : (n - base) >>> 0)
    out.push(
      ...shiftFields(
        tcpHeaderFields(
          { srcPort: t.srcPort, dstPort: t.dstPort, seq: rel(t.seq, isn?.seq), ack: rel(t.ack, isn?.ack), flags: t.flags, window: t.window },
          { header: t.header, rawSeq: t.seq, rawAck: t.ack, options: t.options }
        ),
        t.at
      )
    )
  } else if (p.udp) out.push(udpFields(p.udp, p.udp.at, false, 'UDP (captured)'))
  if (p.payloadLength > 0) {
    const kept = p.payloadCaptured < p.payloadLength ? ` (the capture kept ${p.payloadCaptured})` : ''
    out.push({ id: 'frame.payload', name: 'Payload', start: p.payloadAt, end: p.payloadAt + p.payloadCaptured, value: `${p.payloadLength} bytes${kept}` })
  }
  return out
}

/** One line, Wireshark-like: `Ethernet · IPv4 · TCP [SYN] 41234 → 65432 Seq=0 Len=0 MSS=65495`. */
export function frameSummary(p: ParsedFrame, isn?: { seq?: number; ack?: number }): string {
  const link = p.eth ? 'Ethernet' : `link ${p.link}`
  if (p.udp) return `${link} · IPv4 · UDP ${p.udp.srcPort} → ${p.udp.dstPort} Len=${p.payloadLength} (captured)`
  const t = p.tcp!
  const seq = isn?.seq === undefined ? t.seq : (t.seq - isn.seq) >>> 0
  const ack = t.flags & TCP_FLAGS.ACK ? ` Ack=${isn?.ack === undefined ? t.ack : (t.ack - isn.ack) >>> 0}` : ''
  const mss = t.mss !== undefined ? ` MSS=${t.mss}` : ''
  return `${link} · IPv4 · TCP [${flagNames(t.flags)}] ${t.srcPort} → ${t.dstPort} Seq=${seq}${ack} Len=${p.payloadLength} Win=${t.window}${mss} (captured)`
}
