// The "real capture" source of the TCP handshake lesson: where dumpcap (Wireshark's capture
// tool) may capture on the loopback interface, the kernel's actual segments on the public port
// are read from it (classic pcap on a pipe) and shown next to the modeled ones, labelled
// "captured". Where it may not, the lesson says why and how to enable it.
import { spawn, type ChildProcess } from 'node:child_process'
import type { Direction } from '../../../../shared/events'
import type { PduDraft } from '../../dissect/types'
import { TCP_FLAGS, flagNames, tcpHeaderFields } from '../../../../shared/tcp-header'

export interface CaptureProbe {
  ok: boolean
  tool?: string
  reason?: string
}

/** Whether dumpcap exists and may capture on `lo` (it lists the interface only if it may open it). */
export function probeCapture(timeoutMs = 4000): Promise<CaptureProbe> {
  return new Promise((resolve) => {
    let out = ''
    let err = ''
    let child: ChildProcess
    try {
      child = spawn('dumpcap', ['-D'], { stdio: ['ignore', 'pipe', 'pipe'] })
    } catch (e) {
      resolve({ ok: false, reason: e instanceof Error ? e.message : String(e) })
      return
    }
    const timer = setTimeout(() => {
      child.kill()
      resolve({ ok: false, reason: 'dumpcap -D did not answer' })
    }, timeoutMs)
    child.stdout?.on('data', (c: Buffer) => (out += c.toString()))
    child.stderr?.on('data', (c: Buffer) => (err += c.toString()))
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer)
      resolve({ ok: false, reason: e.code === 'ENOENT' ? 'dumpcap is not installed' : e.message })
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      if (code === 0 && /\blo\b/.test(out)) resolve({ ok: true, tool: 'dumpcap' })
      else
        resolve({
          ok: false,
          reason: (
            err.trim().split('\n')[0] || `dumpcap cannot open the loopback interface (exit ${code})`
          ).slice(0, 200)
        })
    })
  })
}

export interface CapturedSegment {
  t: number
  srcPort: number
  dstPort: number
  seq: number
  ack: number
  flags: number
  window: number
  payload: number
  /** The TCP header bytes as captured. */
  header: Uint8Array
}

/** Incremental reader of a classic pcap stream; calls `onSegment` for each IPv4 TCP segment. */
export class PcapStream {
  private buf = new Uint8Array(0)
  private le = true
  private nano = false
  private link = -1

  constructor(private readonly onSegment: (s: CapturedSegment) => void) {}

  push(chunk: Uint8Array): void {
    const joined = new Uint8Array(this.buf.length + chunk.length)
    joined.set(this.buf)
    joined.set(chunk, this.buf.length)
    this.buf = joined
    let at = 0
    const v = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength)
    if (this.link < 0) {
      if (this.buf.length < 24) return
      const magic = v.getUint32(0, true)
      if (magic === 0xa1b2c3d4 || magic === 0xa1b23c4d) this.le = true
      else if (magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1) this.le = false
      else throw new Error('not a classic pcap stream')
      this.nano = magic === 0xa1b23c4d || magic === 0x4d3cb2a1
      this.link = v.getUint32(20, this.le)
      at = 24
    }
    while (this.buf.length - at >= 16) {
      const sec = v.getUint32(at, this.le)
      const frac = v.getUint32(at + 4, this.le)
      const incl = v.getUint32(at + 8, this.le)
      if (this.buf.length - at - 16 < incl) break
      const pkt = this.buf.subarray(at + 16, at + 16 + incl)
      const seg = this.segment(pkt, sec * 1000 + (this.nano ? frac / 1e6 : frac / 1e3))
      if (seg) this.onSegment(seg)
      at += 16 + incl
    }
    this.buf = this.buf.slice(at)
  }

  private segment(pkt: Uint8Array, t: number): CapturedSegment | null {
    let ip = -1
    if (this.link === 1 && pkt.length >= 14 && pkt[12] === 0x08 && pkt[13] === 0x00) ip = 14
    else if (this.link === 113 && pkt.length >= 16 && pkt[14] === 0x08 && pkt[15] === 0x00) ip = 16
    else if (this.link === 276 && pkt.length >= 20 && pkt[0] === 0x08 && pkt[1] === 0x00) ip = 20
    else if (this.link === 0 && pkt.length >= 4 && (pkt[0] === 2 || pkt[3] === 2)) ip = 4
    else if ((this.link === 101 || this.link === 228) && pkt[0] >> 4 === 4) ip = 0
    if (ip < 0 || pkt.length < ip + 20 || pkt[ip] >> 4 !== 4 || pkt[ip + 9] !== 6) return null
    const ihl = (pkt[ip] & 0x0f) * 4
    const total = (pkt[ip + 2] << 8) | pkt[ip + 3]
    const tcp = ip + ihl
    if (pkt.length < tcp + 20) return null
    const v = new DataView(pkt.buffer, pkt.byteOffset, pkt.byteLength)
    const off = (pkt[tcp + 12] >> 4) * 4
    return {
      t,
      srcPort: v.getUint16(tcp),
      dstPort: v.getUint16(tcp + 2),
      seq: v.getUint32(tcp + 4),
      ack: v.getUint32(tcp + 8),
      flags: pkt[tcp + 13],
      window: v.getUint16(tcp + 14),
      payload: Math.max(0, total - ihl - off),
      header: pkt.slice(tcp, Math.min(pkt.length, tcp + off))
    }
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
    { header: s.header, rawSeq: s.seq, rawAck: s.ack }
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

export interface LiveCapture {
  /** Resolves once dumpcap is capturing (or rejects with the reason it cannot). */
  ready: Promise<void>
  stop(): void
}

/**
 * Captures TCP on `lo` for `port` (and `probePort`, used to know when the capture has caught up),
 * calling `onSegment` for each segment.
 */
export function captureLoopback(
  port: number,
  probePort: number,
  onSegment: (s: CapturedSegment) => void,
  onError: (reason: string) => void
): LiveCapture {
  const filter = `tcp port ${port} or tcp port ${probePort}`
  const child = spawn('dumpcap', ['-i', 'lo', '-P', '-q', '-w', '-', '-f', filter], {
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const stream = new PcapStream(onSegment)
  let started = false
  let err = ''
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('dumpcap did not start within 5 s')), 5000)
    child.stderr?.on('data', (c: Buffer) => {
      err += c.toString()
      if (!started && /Capturing on/.test(err)) {
        started = true
        clearTimeout(timer)
        resolve()
      }
    })
    child.on('error', (e) => {
      clearTimeout(timer)
      reject(e)
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      if (!started) reject(new Error(err.trim().split('\n')[0] || `dumpcap exited with ${code}`))
    })
  })
  child.stdout?.on('data', (c: Buffer) => {
    try {
      stream.push(new Uint8Array(c))
    } catch (e) {
      onError(e instanceof Error ? e.message : String(e))
      child.kill()
    }
  })
  return {
    ready,
    stop() {
      child.kill('SIGTERM')
    }
  }
}
