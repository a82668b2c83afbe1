// Real frames into the session: while on, every frame dumpcap sees on a lesson's public ports is
// parsed and logged as a `frame` PDU on its connection (matched by the client's port), with
// Ethernet, IPv4 and TCP/UDP headers as captured and sequence numbers relative to the SYNs. The
// layers view shows these instead of the headers Wirelab reconstructs. Frames of connections the
// log never saw open (the capture started later) keep their raw sequence numbers.
import type { ConnOpenEvent, Direction, Localized, PortInfo } from '../../../shared/events'
import { flagNames, TCP_FLAGS } from '../../../shared/tcp-header'
import type { Session } from '../session/session'
import { captureLoopback, probeCapture, type CapturedFrame, type LiveCapture } from './loopback'
import { frameFields, frameSummary } from './frame'

export const CAPTURE_HOWTO: Localized = {
  en: "install Wireshark's dumpcap and allow capturing (Debian/Ubuntu: sudo dpkg-reconfigure wireshark-common, then sudo usermod -aG wireshark $USER and log in again)",
  pt: 'instale o dumpcap do Wireshark e permita a captura (Debian/Ubuntu: sudo dpkg-reconfigure wireshark-common, depois sudo usermod -aG wireshark $USER e faça login novamente)'
}

const PENDING_MS = 3000

export class FrameLog {
  private capture: LiveCapture | null = null
  private unsubscribe: (() => void) | null = null
  private readonly conns = new Map<string, ConnOpenEvent>()
  private readonly isn = new Map<string, Partial<Record<Direction, number>>>()
  private pending: { key: string; frame: CapturedFrame; at: number }[] = []
  unmatched = 0
  logged = 0

  constructor(
    private readonly session: Session,
    private readonly ports: readonly PortInfo[]
  ) {}

  private key(transport: string, clientPort: number, serverPort: number): string {
    return `${transport}/${clientPort}/${serverPort}`
  }

  /** Starts capturing; resolves with why it cannot where it cannot. */
  async start(): Promise<{ ok: true } | { ok: false; reason: string }> {
    const probe = await probeCapture()
    if (!probe.ok) return { ok: false, reason: probe.reason ?? 'dumpcap is not available' }
    for (const e of this.session.events) if (e.kind === 'conn.open') this.conns.set(this.key(e.transport, e.client.port, e.server.port), e)
    this.unsubscribe = this.session.subscribe((e) => {
      if (e.kind !== 'conn.open') return
      const k = this.key(e.transport, e.client.port, e.server.port)
      this.conns.set(k, e)
      const mine = this.pending.filter((p) => p.key === k)
      this.pending = this.pending.filter((p) => p.key !== k)
      for (const p of mine) this.log(e, p.frame)
    })
    try {
      this.capture = await captureLoopback(
        { tcp: this.ports.filter((p) => p.transport === 'tcp').map((p) => p.port), udp: this.ports.filter((p) => p.transport === 'udp').map((p) => p.port) },
        (f) => this.onFrame(f),
        () => this.unmatched++
      )
      await this.capture.ready
      return { ok: true }
    } catch (err) {
      this.stop()
      return { ok: false, reason: err instanceof Error ? err.message : String(err) }
    }
  }

  /** Resolves once what was sent so far has been captured (false after 3 s). */
  settle(): Promise<boolean> {
    return this.capture?.settle() ?? Promise.resolve(false)
  }

  private onFrame(f: CapturedFrame): void {
    const p = f.parsed
    const l4 = p.tcp ?? p.udp
    if (!l4) return
    const transport = p.tcp ? 'tcp' : 'udp'
    const server = this.ports.find((x) => x.transport === transport && (x.port === l4.dstPort || x.port === l4.srcPort))
    if (!server) return
    const clientPort = l4.dstPort === server.port ? l4.srcPort : l4.dstPort
    const k = this.key(transport, clientPort, server.port)
    const open = this.conns.get(k)
    if (open) return this.log(open, f)
    const now = f.t
    const stale = this.pending.filter((x) => now - x.at > PENDING_MS)
    this.unmatched += stale.length
    this.pending = this.pending.filter((x) => now - x.at <= PENDING_MS)
    this.pending.push({ key: k, frame: f, at: now })
  }

  private log(open: ConnOpenEvent, f: CapturedFrame): void {
    const p = f.parsed
    const l4 = (p.tcp ?? p.udp)!
    const dir: Direction = l4.srcPort === open.client.port ? 'c2s' : 's2c'
    const other: Direction = dir === 'c2s' ? 's2c' : 'c2s'
    const bases = this.isn.get(open.conn) ?? {}
    if (p.tcp && p.tcp.flags & TCP_FLAGS.SYN) bases[dir] = p.tcp.seq
    this.isn.set(open.conn, bases)
    const rel = { seq: bases[dir], ack: bases[other] }
    const t = p.tcp
    this.session.append({
      kind: 'pdu',
      conn: open.conn,
      dir,
      protocol: 'frame',
      summary: frameSummary(p, rel),
      fields: frameFields(p, rel),
      data: f.data,
      offset: -1,
      keys: {
        frame: true,
        captured: true,
        link: p.link,
        origLen: f.origLen,
        len: p.payloadLength,
        payloadAt: p.payloadAt,
        ttl: p.ip.ttl,
        ...(t
          ? {
              flags: flagNames(t.flags),
              rawSeq: t.seq,
              ...(rel.seq !== undefined ? { seq: (t.seq - rel.seq) >>> 0 } : {}),
              ...(t.mss !== undefined ? { mss: t.mss } : {}),
              ...(t.wscale !== undefined ? { wscale: t.wscale } : {}),
              window: t.window
            }
          : {})
      }
    })
    this.logged++
  }

  stop(): void {
    this.capture?.stop()
    this.capture = null
    this.unsubscribe?.()
    this.unsubscribe = null
    this.unmatched += this.pending.length
    this.pending = []
  }
}
