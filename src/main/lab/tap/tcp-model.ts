// TCP segments on loopback cannot be seen from user space, so Wirelab models them from what the
// sockets report (connect, data, FIN, reset) and labels them as modeled. Sequence numbers are
// relative (the initial sequence number is 0), as Wireshark shows them; data advances them by the
// payload length, exactly as the kernel does.
import type { Direction, Field } from '../../../shared/events'
import type { PduDraft } from '../dissect/types'
import { allocate } from '../session/byte-pool'

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

/** The 20-byte TCP header (no options). The checksum is left 0: it is computed by exporters. */
export function tcpHeader(s: SegmentSpec): Uint8Array {
  const h = allocate(20)
  const v = new DataView(h.buffer, h.byteOffset, h.byteLength)
  v.setUint16(0, s.srcPort)
  v.setUint16(2, s.dstPort)
  v.setUint32(4, s.seq >>> 0)
  v.setUint32(8, s.flags & TCP_FLAGS.ACK ? s.ack >>> 0 : 0)
  h[12] = 5 << 4
  h[13] = s.flags
  v.setUint16(14, s.window ?? TCP_WINDOW)
  return h
}

// Parts of a modeled header's field tree that repeat from segment to segment (ports, flags, the
// constant fields) are built once and shared: a session holds one modeled segment per data chunk,
// so this keeps the engine's memory per PDU small. Field trees are never mutated after creation.
const M = { modeled: true } as const
const CONSTANT_FIELDS: readonly Field[] = Object.freeze([
  Object.freeze({ id: 'tcp.hdr_len', name: 'Header length', value: '20 bytes (5 words)', start: 12, end: 13, mask: 0xf0, ...M })
])
const TAIL_FIELDS = (window: number): Field[] => [
  { id: 'tcp.window', name: 'Window', value: String(window), start: 14, end: 16, ...M },
  { id: 'tcp.checksum', name: 'Checksum', value: 'not modeled (0)', start: 16, end: 18, ...M },
  { id: 'tcp.urgent_pointer', name: 'Urgent pointer', value: '0', start: 18, end: 20, ...M }
]
const DEFAULT_TAIL: readonly Field[] = Object.freeze(TAIL_FIELDS(TCP_WINDOW).map((f) => Object.freeze(f)))

function memo<K, V>(make: (k: K) => V): (k: K) => V {
  const cache = new Map<K, V>()
  return (k) => {
    let v = cache.get(k)
    if (v === undefined) {
      v = make(k)
      if (cache.size < 4096) cache.set(k, v)
    }
    return v
  }
}

const srcPortField = memo((port: number): Field =>
  Object.freeze({ id: 'tcp.srcport', name: 'Source port', value: String(port), start: 0, end: 2, ...M })
)
const dstPortField = memo((port: number): Field =>
  Object.freeze({ id: 'tcp.dstport', name: 'Destination port', value: String(port), start: 2, end: 4, ...M })
)
const flagsField = memo((flags: number): Field => {
  const bits: Field[] = (Object.keys(TCP_FLAGS) as TcpFlag[]).map((name) =>
    Object.freeze({
      id: `tcp.flags.${name.toLowerCase()}`,
      name,
      value: flags & TCP_FLAGS[name] ? 'Set' : 'Not set',
      start: 13,
      end: 14,
      mask: TCP_FLAGS[name],
      ...M
    })
  )
  return Object.freeze({
    id: 'tcp.flags',
    name: 'Flags',
    value: `0x${flags.toString(16).padStart(3, '0')} (${flagNames(flags)})`,
    start: 13,
    end: 14,
    ...M,
    children: Object.freeze(bits) as Field[]
  })
})

const portPairs = memo((key: number): string => `${Math.floor(key / 65536)} → ${key % 65536}`)
const portPair = (src: number, dst: number): string => portPairs(src * 65536 + dst)

export function tcpHeaderFields(s: SegmentSpec): Field[] {
  const hasAck = (s.flags & TCP_FLAGS.ACK) !== 0
  return [
    {
      id: 'tcp.hdr',
      name: 'TCP header (modeled)',
      value: portPair(s.srcPort, s.dstPort),
      start: 0,
      end: 20,
      ...M,
      children: [
        srcPortField(s.srcPort),
        dstPortField(s.dstPort),
        { id: 'tcp.seq', name: 'Sequence number (relative)', value: String(s.seq), start: 4, end: 8, ...M },
        {
          id: 'tcp.ack',
          name: 'Acknowledgment number (relative)',
          value: hasAck ? String(s.ack) : '0 (ACK not set)',
          start: 8,
          end: 12,
          ...M
        },
        ...CONSTANT_FIELDS,
        flagsField(s.flags),
        ...(s.window === undefined || s.window === TCP_WINDOW ? DEFAULT_TAIL : TAIL_FIELDS(s.window))
      ]
    }
  ]
}

/** A modeled segment as a PDU. */
export function modeledSegment(dir: Direction, s: SegmentSpec, payloadLength = 0): PduDraft {
  const flags = flagNames(s.flags)
  const ackPart = s.flags & TCP_FLAGS.ACK ? ` Ack=${s.ack}` : ''
  return {
    dir,
    protocol: 'tcp',
    summary: `[${flags}] Seq=${s.seq}${ackPart} Len=${payloadLength}`,
    fields: tcpHeaderFields(s),
    data: tcpHeader(s),
    offset: -1,
    modeled: true,
    keys: { seq: s.seq, ack: s.ack, len: payloadLength, flags }
  }
}

/**
 * The per-connection model: tracks the next sequence number of each side. `client` is the side
 * that sent the SYN.
 */
export class TcpModel {
  /** Next sequence number each side will send. */
  private next: Record<Direction, number> = { c2s: 0, s2c: 0 }
  private finSent: Record<Direction, boolean> = { c2s: false, s2c: false }

  constructor(
    private readonly clientPort: number,
    private readonly serverPort: number
  ) {}

  private spec(dir: Direction, flags: number): SegmentSpec {
    const other: Direction = dir === 'c2s' ? 's2c' : 'c2s'
    return {
      srcPort: dir === 'c2s' ? this.clientPort : this.serverPort,
      dstPort: dir === 'c2s' ? this.serverPort : this.clientPort,
      seq: this.next[dir],
      ack: this.next[other],
      flags
    }
  }

  /** SYN, SYN-ACK, ACK. */
  handshake(): PduDraft[] {
    const syn = modeledSegment('c2s', this.spec('c2s', TCP_FLAGS.SYN))
    this.next.c2s = 1
    const synAck = modeledSegment('s2c', this.spec('s2c', TCP_FLAGS.SYN | TCP_FLAGS.ACK))
    this.next.s2c = 1
    const ack = modeledSegment('c2s', this.spec('c2s', TCP_FLAGS.ACK))
    return [syn, synAck, ack]
  }

  /** Sequence/ack numbers of a data segment carrying `length` bytes, then the peer's ACK. */
  data(dir: Direction, length: number): { seq: number; ack: number; ackSegment: PduDraft } {
    const s = this.spec(dir, TCP_FLAGS.PSH | TCP_FLAGS.ACK)
    this.next[dir] += length
    const other: Direction = dir === 'c2s' ? 's2c' : 'c2s'
    const ackSegment = modeledSegment(other, this.spec(other, TCP_FLAGS.ACK))
    return { seq: s.seq, ack: s.ack, ackSegment }
  }

  /** `dir` sends FIN (its side closed), the peer ACKs it. */
  fin(dir: Direction): PduDraft[] {
    if (this.finSent[dir]) return []
    this.finSent[dir] = true
    const fin = modeledSegment(dir, this.spec(dir, TCP_FLAGS.FIN | TCP_FLAGS.ACK))
    this.next[dir] += 1
    const other: Direction = dir === 'c2s' ? 's2c' : 'c2s'
    const ack = modeledSegment(other, this.spec(other, TCP_FLAGS.ACK))
    return [fin, ack]
  }

  /** `dir` aborts the connection. */
  rst(dir: Direction): PduDraft[] {
    return [modeledSegment(dir, this.spec(dir, TCP_FLAGS.RST | TCP_FLAGS.ACK))]
  }
}
