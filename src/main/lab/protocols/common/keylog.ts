// The session key log, as Wireshark reads it from SSLKEYLOGFILE (NSS key log format): one line
// per secret, "<LABEL> <client_random hex> <secret hex>". Node emits these lines as 'keylog'
// events on TLS sockets; Wirelab owns both ends, so it can record them and decrypt its own traffic.
// Lines are kept in memory only, bounded, and indexed by the ClientHello's random.

const MAX_CONNECTIONS = 4096

export class KeyLog {
  private readonly byRandom = new Map<string, Map<string, Uint8Array>>()
  /** Every line, in the order seen (what an SSLKEYLOGFILE would contain). */
  private readonly lines: string[] = []

  add(line: string | Uint8Array): void {
    const text = typeof line === 'string' ? line : new TextDecoder().decode(line)
    for (const raw of text.split('\n')) {
      const parts = raw.trim().split(/\s+/)
      if (parts.length !== 3 || !/^[0-9a-fA-F]{64}$/.test(parts[1]) || !/^[0-9a-fA-F]+$/.test(parts[2]))
        continue
      const [label, random, secret] = parts
      const key = random.toLowerCase()
      let m = this.byRandom.get(key)
      if (!m) {
        m = new Map()
        this.byRandom.set(key, m)
        if (this.byRandom.size > MAX_CONNECTIONS) {
          const oldest = this.byRandom.keys().next().value
          if (oldest !== undefined) this.byRandom.delete(oldest)
        }
      }
      m.set(label, Uint8Array.from(Buffer.from(secret, 'hex')))
      this.lines.push(raw.trim())
      if (this.lines.length > MAX_CONNECTIONS * 6)
        this.lines.splice(0, this.lines.length - MAX_CONNECTIONS * 6)
    }
  }

  secret(clientRandomHex: string, label: string): Uint8Array | undefined {
    return this.byRandom.get(clientRandomHex.toLowerCase())?.get(label)
  }

  labels(clientRandomHex: string): string[] {
    return [...(this.byRandom.get(clientRandomHex.toLowerCase())?.keys() ?? [])]
  }

  /** The NSS key log file text (for Wireshark's "(Pre)-Master-Secret log filename"). */
  text(): string {
    return this.lines.length ? this.lines.join('\n') + '\n' : ''
  }
}

/** The engine-wide key log every TLS server and client in Wirelab writes to. */
export const keyLog = new KeyLog()
