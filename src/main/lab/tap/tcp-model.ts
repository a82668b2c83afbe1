// TCP segments on loopback cannot be seen from user space, so Wirelab models them from what the
// sockets report (connect, data, FIN, reset) and labels them as modeled. Sequence numbers are
// relative (the initial sequence number is 0), as Wireshark shows them; data advances them by the
// payload length, exactly as the kernel does.
import type { Direction } from '../../../shared/events'
import { TCP_FLAGS, flagNames, tcpHeader, tcpHeaderFields, type SegmentSpec } from '../../../shared/tcp-header'
import type { PduDraft } from '../dissect/types'
import { allocate } from '../session/byte-pool'

/** A modeled segment as a PDU. */
export function modeledSegment(dir: Direction, s: SegmentSpec, payloadLength = 0): PduDraft {
  const flags = flagNames(s.flags)
  const ackPart = s.flags & TCP_FLAGS.ACK ? ` Ack=${s.ack}` : ''
  return {
    dir,
    protocol: 'tcp',
    summary: `[${flags}] Seq=${s.seq}${ackPart} Len=${payloadLength}`,
    fields: tcpHeaderFields(s),
    data: tcpHeader(s, allocate(20)),
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
