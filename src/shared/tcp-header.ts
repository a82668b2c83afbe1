// The TCP header (RFC 9293 §3.1), as bytes and as a field tree: one builder for the segments Wirelab
// models on loopback (labelled modeled), the segments a capture saw (dumpcap), and the headers the
// pcap export writes around real payloads. Pure: no node, electron or DOM imports.
import type { Field } from './events'
import { memo } from './memo'

export const TCP_FLAGS = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10, URG: 0x20 } as const
export type TcpFlag = keyof typeof TCP_FLAGS
export const TCP_WINDOW = 65535

export function flagNames(flags: number): string {
  return (Object.keys(TCP_FLAGS) as TcpFlag[]).filter((f) => flags & TCP_FLAGS[f]).join(', ')
}

export interface SegmentSpec {
  srcPort: number
  dstPort: number
  seq: number
  ack: number
  flags: number
  window?: number
}

/**
 * The 20-byte TCP header (no options), written into `out` (20 zero bytes by default). The checksum
 * is left 0: exporters compute it.
 */
export function tcpHeader(s: SegmentSpec, out: Uint8Array = new Uint8Array(20)): Uint8Array {
  const v = new DataView(out.buffer, out.byteOffset, out.byteLength)
  v.setUint16(0, s.srcPort)
  v.setUint16(2, s.dstPort)
  v.setUint32(4, s.seq >>> 0)
  v.setUint32(8, s.flags & TCP_FLAGS.ACK ? s.ack >>> 0 : 0)
  out[12] = 5 << 4
  out[13] = s.flags
  v.setUint16(14, s.window ?? TCP_WINDOW)
  return out
}

/** One TCP option as a capture's parser read it (`start`/`end` in the header). */
export interface TcpOption {
  /** Wireshark's field id: `tcp.options.mss_val`, `tcp.options.wscale.shift`, `tcp.options.sack_perm`… */
  id: string
  name: string
  value: string
  start: number
  end: number
}

/** What a capture adds to a segment: the header bytes as seen, and the absolute sequence numbers. */
export interface CapturedHeader {
  header: Uint8Array
  rawSeq: number
  rawAck: number
  /** The options, when the parser read them (else they are shown as bytes). */
  options?: TcpOption[]
}

// Parts of a modeled header's field tree that repeat from segment to segment (ports, flags, the
// constant fields) are built once and shared: a session holds one modeled segment per data chunk,
// so this keeps the engine's memory per PDU small. Field trees are never mutated after creation.
const M = { modeled: true } as const
const CONSTANT_FIELDS: readonly Field[] = Object.freeze([
  Object.freeze({
    id: 'tcp.hdr_len',
    name: 'Header length',
    value: '20 bytes (5 words)',
    start: 12,
    end: 13,
    mask: 0xf0,
    ...M
  })
])
const tailFields = (window: number, checksum: string, urgent: string, m: boolean): Field[] => [
  { id: 'tcp.window', name: 'Window', value: String(window), start: 14, end: 16, ...(m ? M : {}) },
  { id: 'tcp.checksum', name: 'Checksum', value: checksum, start: 16, end: 18, ...(m ? M : {}) },
  { id: 'tcp.urgent_pointer', name: 'Urgent pointer', value: urgent, start: 18, end: 20, ...(m ? M : {}) }
]
const DEFAULT_TAIL: readonly Field[] = Object.freeze(
  tailFields(TCP_WINDOW, 'not modeled (0)', '0', true).map((f) => Object.freeze(f))
)

const portField = (id: 'tcp.srcport' | 'tcp.dstport', port: number, m: boolean): Field =>
  Object.freeze({
    id,
    name: id === 'tcp.srcport' ? 'Source port' : 'Destination port',
    value: String(port),
    start: id === 'tcp.srcport' ? 0 : 2,
    end: id === 'tcp.srcport' ? 2 : 4,
    ...(m ? M : {})
  })
const modeledSrc = memo((port: number) => portField('tcp.srcport', port, true))
const modeledDst = memo((port: number) => portField('tcp.dstport', port, true))

const flagsTree = (flags: number, m: boolean): Field => {
  const bits: Field[] = (Object.keys(TCP_FLAGS) as TcpFlag[]).map((name) =>
    Object.freeze({
      id: `tcp.flags.${name.toLowerCase()}`,
      name,
      value: flags & TCP_FLAGS[name] ? 'Set' : 'Not set',
      start: 13,
      end: 14,
      mask: TCP_FLAGS[name],
      ...(m ? M : {})
    })
  )
  return Object.freeze({
    id: 'tcp.flags',
    name: 'Flags',
    value: `0x${flags.toString(16).padStart(3, '0')} (${flagNames(flags)})`,
    start: 13,
    end: 14,
    ...(m ? M : {}),
    children: Object.freeze(bits) as Field[]
  })
}
const modeledFlags = memo((flags: number) => flagsTree(flags, true))

const portPairs = memo((key: number): string => `${Math.floor(key / 65536)} → ${key % 65536}`)
const portPair = (src: number, dst: number): string => portPairs(src * 65536 + dst)

const hex = (b: Uint8Array, sep: string): string =>
  Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(sep)

/**
 * The header's field tree: `tcp.hdr` with ports, relative sequence and acknowledgement numbers,
 * header length, each flag bit, window, checksum and urgent pointer. Without `captured` the
 * segment is modeled (every field says so); with it, the fields read the captured header bytes.
 */
export function tcpHeaderFields(s: SegmentSpec, captured?: CapturedHeader): Field[] {
  const m = !captured
  const hasAck = (s.flags & TCP_FLAGS.ACK) !== 0
  const h = captured?.header
  const seq = h ? `${s.seq} (raw ${captured.rawSeq})` : String(s.seq)
  const ack = hasAck ? (h ? `${s.ack} (raw ${captured.rawAck})` : String(s.ack)) : '0 (ACK not set)'
  const children: Field[] = [
    m ? modeledSrc(s.srcPort) : portField('tcp.srcport', s.srcPort, false),
    m ? modeledDst(s.dstPort) : portField('tcp.dstport', s.dstPort, false),
    { id: 'tcp.seq', name: 'Sequence number (relative)', value: seq, start: 4, end: 8, ...(m ? M : {}) },
    {
      id: 'tcp.ack',
      name: 'Acknowledgment number (relative)',
      value: ack,
      start: 8,
      end: 12,
      ...(m ? M : {})
    },
    ...(h
      ? [
          {
            id: 'tcp.hdr_len',
            name: 'Header length',
            value: `${h.length} bytes`,
            start: 12,
            end: 13,
            mask: 0xf0
          }
        ]
      : CONSTANT_FIELDS),
    m ? modeledFlags(s.flags) : flagsTree(s.flags, false)
  ]
  if (h) {
    children.push(
      ...tailFields(
        s.window ?? TCP_WINDOW,
        `0x${hex(h.subarray(16, 18), '')}`,
        String((h[18] << 8) | h[19]),
        false
      )
    )
    if (h.length > 20)
      children.push({
        id: 'tcp.options',
        name: 'Options',
        value: captured.options?.length ? captured.options.map((o) => o.name).join(', ') : hex(h.subarray(20), ' '),
        start: 20,
        end: h.length,
        ...(captured.options?.length ? { children: captured.options.map((o) => ({ ...o })) } : {})
      })
  } else {
    children.push(
      ...(s.window === undefined || s.window === TCP_WINDOW
        ? DEFAULT_TAIL
        : tailFields(s.window, 'not modeled (0)', '0', true))
    )
  }
  return [
    {
      id: 'tcp.hdr',
      name: h ? 'TCP header (captured by dumpcap)' : 'TCP header (modeled)',
      value: portPair(s.srcPort, s.dstPort),
      start: 0,
      end: h ? h.length : 20,
      ...(m ? M : {}),
      children
    }
  ]
}
