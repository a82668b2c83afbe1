// The dissector contract, Wireshark-style. A dissector turns a byte stream (one per direction of a
// connection, or one datagram at a time) into PDUs whose fields carry byte ranges. It never throws:
// bad input yields a PDU marked malformed with the offending range. Each protocol declares its
// field ids and `keys` type once in `src/shared/protocols/<id>.ts`, is listed once in
// `protocols/index.ts`, and offers a heuristic (`looksLike`) and its well-known ports for watch
// mode. Inner protocols (TLS → HTTP, HTTP/2 DATA → gRPC → protobuf) are reached through
// `dissect/chain.ts`. See `src/main/lab/EXTENDING.md`.
import type { Direction, Field, PduEvent } from '../../../shared/events'

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
  /** The ports the course (and the world) use for this protocol: watch mode tries it first there. */
  ports: readonly number[]
  /**
   * Heuristic, like Wireshark's heuristic dissectors: how sure it is (0 = not this protocol, 1 =
   * certainly) that `first`, the first bytes seen in direction `dir` of a connection (or one
   * datagram), start this protocol. Cheap, and never throws (the registry guards it anyway).
   */
  looksLike(first: Uint8Array, dir: Direction): number
  /** A fresh dissector for one connection (or one UDP flow). */
  create(): StreamDissector
}

/** What a protocol decodes from one whole PDU (`framed()`) or one payload (`chain()`). */
export interface Decoded {
  summary: string
  fields: Field[]
  keys?: PduDraft['keys']
  malformed?: PduDraft['malformed']
  /** The protocol of this PDU when it is not the dissector's own (e.g. `http` before a WebSocket switch). */
  protocol?: string
  /** More PDUs to emit right after this one (e.g. a TLS record's decrypted content, offset -1). */
  extra?: PduDraft[]
}

/** What an outer protocol tells an inner one about a payload it hands over (see `chain()`). */
export interface ChainContext {
  dir: Direction
  /** The outer protocol's id (`tls`, `http2`, `grpc`…). */
  outer: string
  /** Where the payload starts in the outer PDU's `data`: the inner ranges are shifted by it. */
  offset: number
  /** HTTP/2 stream the payload travels on. */
  streamId?: number
  /** The outer PDU's offset in its direction's TCP stream (-1 when not from one): payload byte i is at streamOffset + offset + i. */
  streamOffset?: number
  /** The request path (HTTP `:path`, e.g. a gRPC method `/pkg.Service/Method`). */
  path?: string
  /** The content type of the message the payload belongs to (e.g. `application/grpc`). */
  contentType?: string
  /** A schema the outer protocol knows for the payload (a protobufjs `Type` for protobuf). */
  schema?: unknown
  /**
   * State the outer protocol keeps for the inner one per conversation (per connection, stream and
   * direction), e.g. a gRPC message split across DATA frames. Absent when there is none.
   */
  state?: Record<string, unknown>
}

/** An inner protocol: decodes a payload an outer PDU carries. */
export interface PayloadDef {
  id: string
  name: string
  /** How well this protocol fits the payload in its context (0 … 1). Cheap; never throws. */
  accepts(payload: Uint8Array, ctx: ChainContext): number
  /**
   * Decodes the payload; ranges are into `payload`. May throw (a `DissectError` keeps its range).
   * The field tree returned is the decode's own (no node shared with another tree or kept for
   * later): `chain()` shifts its ranges into the outer PDU in place.
   */
  decode(payload: Uint8Array, ctx: ChainContext): Decoded
}
