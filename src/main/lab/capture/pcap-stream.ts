// A classic pcap stream read incrementally (what `dumpcap -P -w -` writes on a pipe): the 24-byte
// global header (byte order, time resolution, link type), then 16-byte record headers each
// followed by the captured bytes. Parsed by hand: no native capture library.

export interface PcapRecord {
  /** Capture time, ms since the epoch. */
  t: number
  /** LINKTYPE of the capture (1 = Ethernet, 113 = Linux cooked, 0 = BSD loopback…). */
  link: number
  /** The bytes captured (at most the snapshot length). */
  data: Uint8Array
  /** The frame's length on the wire. */
  origLen: number
}

export class PcapStream {
  private buf = new Uint8Array(0)
  private le = true
  private nano = false
  private link = -1

  constructor(private readonly onRecord: (r: PcapRecord) => void) {}

  /** Feeds bytes; throws when the stream does not start with a classic pcap header. */
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
      const orig = v.getUint32(at + 12, this.le)
      if (this.buf.length - at - 16 < incl) break
      const data = this.buf.slice(at + 16, at + 16 + incl)
      this.onRecord({ t: sec * 1000 + (this.nano ? frac / 1e6 : frac / 1e3), link: this.link, data, origLen: orig })
      at += 16 + incl
    }
    this.buf = this.buf.slice(at)
  }
}
