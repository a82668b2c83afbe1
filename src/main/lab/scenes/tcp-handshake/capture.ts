// The "real capture" source of the TCP handshake lesson: where dumpcap (Wireshark's capture
// tool) may capture on the loopback interface (lab/capture), the kernel's actual segments on the
// public port are shown next to the modeled ones, labelled "captured". Where it may not, the
// lesson says why and how to enable it.
import type { Direction } from '../../../../shared/events'
import type { PduDraft } from '../../dissect/types'
import { TCP_FLAGS, flagNames, tcpHeaderFields, type TcpOption } from '../../../../shared/tcp-header'
import type { CapturedFrame } from '../../capture/loopback'

export { probeCapture, type CaptureProbe } from '../../capture/loopback'

export interface CapturedSegment {
  t: number
  srcPort: number
  dstPort: number
  seq: number
  ack: number
  flags: number
  window: number
  payload: number
  /** The TCP header bytes as captured, and its options as read. */
  header: Uint8Array
  options: TcpOption[]
}

/** The TCP segment a captured frame carries, or null for anything else. */
export function segmentOf(f: CapturedFrame): CapturedSegment | null {
  const t = f.parsed.tcp
  if (!t) return null
  return {
    t: f.t,
    srcPort: t.srcPort,
    dstPort: t.dstPort,
    seq: t.seq,
    ack: t.ack,
    flags: t.flags,
    window: t.window,
    payload: f.parsed.payloadLength,
    header: t.header.slice(),
    options: t.options
  }
}

/** A captured segment as a PDU, with sequence numbers relative to each side's ISN. */
export function capturedPdu(
  s: CapturedSegment,
  dir: Direction,
  isn: Record<Direction, number | undefined>
): PduDraft {
  const other: Direction = dir === 'c2s' ? 's2c' : 'c2s'
  const rel = (n: number, base: number | undefined): number => (base === undefined ? n : (n - base) >>> 0)
  const seq = rel(s.seq, isn[dir])
  const hasAck = (s.flags & TCP_FLAGS.ACK) !== 0
  const ack = hasAck ? rel(s.ack, isn[other]) : 0
  const names = flagNames(s.flags)
  const fields = tcpHeaderFields(
    { srcPort: s.srcPort, dstPort: s.dstPort, seq, ack, flags: s.flags, window: s.window },
    { header: s.header, rawSeq: s.seq, rawAck: s.ack, options: s.options }
  )
  return {
    dir,
    protocol: 'tcp',
    summary: `[${names}] Seq=${seq}${hasAck ? ` Ack=${ack}` : ''} Len=${s.payload} Win=${s.window} (captured)`,
    fields,
    data: s.header,
    offset: -1,
    keys: { seq, ack, len: s.payload, flags: names, captured: true, rawSeq: s.seq }
  }
}
