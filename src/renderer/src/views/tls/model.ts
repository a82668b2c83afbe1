// The TLS view as data: the connections that carried TLS, and each record of one of them paired
// with its decrypted content (the PDU the dissector logged from the session's key log).
import type { PduEvent } from '@shared/events'

export interface RecordPair {
  record: PduEvent
  plain: PduEvent | null
}

/** Connections with TLS records, in order of first appearance. */
export function tlsConnections(pdus: readonly PduEvent[]): string[] {
  return [...new Set(pdus.filter((p) => p.protocol === 'tls').map((p) => p.conn))]
}

/** The connection shown: the one chosen if it still exists, else the newest. */
export function shownConnection(conns: readonly string[], chosen: string | null): string | null {
  return chosen && conns.includes(chosen) ? chosen : (conns.at(-1) ?? null)
}

/** The records of `conn` as they crossed the wire, each with its decrypted PDU if there is one. */
export function recordPairs(pdus: readonly PduEvent[], conn: string | null): RecordPair[] {
  const out: RecordPair[] = []
  for (const p of pdus) {
    if (p.conn !== conn || p.modeled || p.offset < 0) continue
    if (p.protocol !== 'tls') continue
    // The decrypted PDU names its record's offset (it may come later, when the secret was logged late).
    const plain = p.keys?.encrypted
      ? pdus.find(
          (q) => q.offset === -1 && q.conn === p.conn && q.dir === p.dir && q.keys?.recordOffset === p.offset
        )
      : undefined
    out.push({ record: p, plain: plain ?? null })
  }
  return out
}

/** A record's one-line summary without the parts the view shows elsewhere (SNI, version). */
export function recordTitle(record: PduEvent): string {
  return record.summary.split(' SNI=')[0].replace(/ TLS 1\.\d.*$/, '')
}
