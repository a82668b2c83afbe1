// The dissector contract. A dissector turns a byte stream (one per direction of a connection,
// or one datagram at a time) into PDUs whose fields carry byte ranges. It never throws: bad
// input yields a PDU marked malformed with the offending range.
import type { Direction, PduEvent } from '../../../shared/events'

/** A PDU before the session gives it seq, time and connection. */
export type PduDraft = Omit<PduEvent, 'kind' | 'seq' | 't' | 'conn'>

/** Per-connection state (reassembly buffers, HPACK tables, protocol version…) lives here. */
export interface StreamDissector {
  /** Feed one chunk read from the socket. `offset` is the chunk's position in that direction's stream. */
  push(dir: Direction, chunk: Uint8Array, offset: number): PduDraft[]
  /** The direction ended (FIN): emit whatever is left, e.g. a truncated PDU marked malformed. */
  end?(dir: Direction): PduDraft[]
}

export interface DissectorDef {
  /** Protocol id as Wireshark abbreviates it: tcp, udp, http, http2, mqtt… */
  id: string
  name: string
  transport: 'tcp' | 'udp'
  /** A fresh dissector for one connection (or one UDP flow). */
  create(): StreamDissector
}
