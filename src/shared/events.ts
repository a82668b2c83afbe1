// The session log's event types: the contract between the engine, the bridge, the renderer,
// the CLI and saved session files. Pure TypeScript: no node, electron or DOM imports.

export type Direction = 'c2s' | 's2c'
export type Transport = 'tcp' | 'udp'
export type Role = 'client' | 'server' | 'broker' | 'external'

/** Text shown to people, in the two languages of the course. */
export interface Localized {
  en: string
  pt: string
}

export interface Endpoint {
  host: string
  port: number
}

/**
 * A decoded field. `start`/`end` are byte offsets into the PDU's `data` (end exclusive).
 * Children lie inside their parent's range.
 */
export interface Field {
  /** Wireshark-style id, `<protocol>.<field>`, e.g. `mqtt.topic`. */
  id?: string
  name: string
  /** Human-readable value, e.g. `65432`, `"Ola, mundo"`, `SYN (0x02)`. */
  value?: string
  start: number
  end: number
  children?: Field[]
  /** Bits of the first byte(s) this field covers, for flag fields (e.g. `0x80`). */
  mask?: number
  /** The field is modeled by Wirelab, not captured (e.g. a TCP header on loopback). */
  modeled?: boolean
  /** Why this field is malformed, if it is. */
  malformed?: string
}

export interface Malformed {
  reason: string
  start: number
  end: number
}

interface EventBase {
  /** Position in the session log, from 1, without gaps. */
  seq: number
  /** Wall-clock time in milliseconds since the epoch, with sub-millisecond precision. */
  t: number
}

/** An actor appears: a server, a built-in client, a broker, or a person's own client. */
export interface NodeEvent extends EventBase {
  kind: 'node'
  node: string
  /** The label as text (English where the lesson gives both languages, for logs and exports). */
  label: string
  /** The label in both languages, when the lesson gives them (views show this one). */
  text?: Localized
  role: Role
  endpoint?: Endpoint
  /** True for clients that are not Wirelab's own (a student's script, curl…). */
  external?: boolean
}

export interface ConnOpenEvent extends EventBase {
  kind: 'conn.open'
  conn: string
  transport: Transport
  /** Node ids of the two actors. */
  from: string
  to: string
  client: Endpoint
  server: Endpoint
  /** The tap (public port) this connection came through. */
  tap?: string
}

export interface ConnCloseEvent extends EventBase {
  kind: 'conn.close'
  conn: string
  /** Who closed first. */
  by: 'client' | 'server' | 'wirelab'
  how: 'fin' | 'rst' | 'error' | 'idle' | 'stop' | 'cut'
  reason?: string
}

/** A chunk of real bytes, as read from a socket by a tap. */
export interface BytesEvent extends EventBase {
  kind: 'bytes'
  conn: string
  dir: Direction
  /** Offset of data[0] in this direction's byte stream (for UDP, bytes sent so far in that direction). */
  offset: number
  data: Uint8Array
  /** TCP only: modeled relative sequence and acknowledgement numbers of the segment that carried this chunk. */
  tcpSeq?: number
  tcpAck?: number
}

/** A dissected protocol unit, with its field tree. */
export interface PduEvent extends EventBase {
  kind: 'pdu'
  conn: string
  dir: Direction
  /** Wireshark-style protocol id: tcp, udp, http, http2, websocket, mqtt, tls, json, protobuf… */
  protocol: string
  summary: string
  fields: Field[]
  /** The PDU's bytes (real bytes, unless `modeled`). */
  data: Uint8Array
  /** Offset of data[0] in the direction's stream; -1 when the PDU does not come from a stream. */
  offset: number
  /** The bytes were built by Wirelab to show what the kernel does (TCP segments on loopback). */
  modeled?: boolean
  malformed?: Malformed
  /**
   * Protocol keys for grouping and pairing: streamId, packetId, seq, ack, flags… Each protocol
   * declares their type once in `src/shared/protocols/<id>.ts`.
   */
  keys?: PduKeys
}

/** A PDU key's value: plain JSON values, and lists (e.g. the topic filters of an MQTT SUBSCRIBE). */
export type KeyValue = string | number | boolean | string[] | number[]
export type PduKeys = Record<string, KeyValue>

/** Narration for the current step. */
export interface NoteEvent extends EventBase {
  kind: 'note'
  key: string
  text: Localized
  level?: 'info' | 'warn' | 'error'
}

export interface PortInfo {
  /** What listens there, e.g. `tcp`, `udp`, `mqtt`, `h2c`. */
  name: string
  transport: Transport
  host: string
  port: number
  /** The port the course notes use. */
  preferred: number
  /** True when `preferred` was taken and another port was chosen. */
  fellBack: boolean
}

export type ParamValue = string | number | boolean
export type ParamValues = Record<string, ParamValue>

export interface SceneEvent extends EventBase {
  kind: 'scene'
  scene: string
  /** `started` opens a lesson run; `ready` follows once its servers listen, with their ports. */
  state: 'started' | 'ready' | 'stopped'
  params?: ParamValues
  ports?: PortInfo[]
}

/**
 * A checkpoint: predict, then reveal (Packet Tracer's challenge mode, on real traffic). `ask` is
 * logged before the traffic it asks about, so playback pauses there while people answer; `answer`
 * is logged after that traffic, with the choice(s) read from the real events, so the reveal checks
 * the prediction against what actually happened. Both are in the log: replays pause and reveal too.
 */
export interface CheckpointEvent extends EventBase {
  kind: 'checkpoint'
  /** The checkpoint's id within its lesson (`CheckpointDef.id`); one run of it is `run`. */
  id: string
  run: string
  state: 'ask' | 'answer'
  question: Localized
  choices: { id: string; label: Localized }[]
  /** More than one choice may be right: people pick every one that applies. */
  multiple?: boolean
  /** Where the question comes from (e.g. the course notes' "Checkpoint: Teste seu Entendimento"). */
  source?: string
  /** `answer` only: the ids of the correct choices, computed from the events of the step. */
  answer?: string[]
  /** `answer` only: why, with the measured figures (sizes, counts, times) from this run. */
  explain?: Localized
}

/**
 * A network condition a tap imposed on real bytes it relayed (shared/faults.ts): held back
 * (`delay`), not forwarded (`drop`), forwarded twice (`duplicate`), delivered after a later unit
 * (`reorder`), or the connection cut on request (`cut`). The bytes themselves are in the `bytes`
 * event of the same connection, direction and offset.
 */
export interface FaultEvent extends EventBase {
  kind: 'fault'
  conn: string
  dir: Direction
  /** The affected bytes: their offset in the direction's stream and their length. */
  offset: number
  length: number
  fault: 'delay' | 'drop' | 'duplicate' | 'reorder' | 'cut'
  /** `delay`: how long the tap held the unit (ms), latency, jitter and bandwidth together. */
  ms?: number
}

/**
 * A measurement at one moment, read from the operating system or a runtime (a listening socket's
 * accept queue from `ss`, a connection's queues from /proc/net/tcp, a Node stream's buffered bytes),
 * or computed by Wirelab and then labelled `modeled`. Views draw their time series from the log.
 */
export interface SampleEvent extends EventBase {
  kind: 'sample'
  /** What is measured, e.g. `accept-queue`, `socket-queues`, `client-times`, `curl`. */
  series: string
  /** Which thing it is about: a server's node id, a client's, a port. */
  subject: string
  /** The connection it is about, when there is one. */
  conn?: string
  values: Record<string, number | string | boolean>
  /** Where the numbers come from, e.g. `ss -ltn`, `/proc/net/tcp`, `node`, `curl`. */
  source: string
  /** The values are computed by Wirelab from other measurements, not read from the system. */
  modeled?: boolean
}

/** Events the engine had to drop (bounded buffers), counted: never lost silently. */
export interface DropEvent extends EventBase {
  kind: 'drop'
  count: number
  reason: string
}

export type LabEvent =
  | NodeEvent
  | ConnOpenEvent
  | ConnCloseEvent
  | BytesEvent
  | PduEvent
  | NoteEvent
  | SceneEvent
  | CheckpointEvent
  | FaultEvent
  | SampleEvent
  | DropEvent

export type EventKind = LabEvent['kind']

/** An event before the session log gives it a `seq` (and, if absent, a `t`). */
export type EventDraft = LabEvent extends infer E
  ? E extends LabEvent
    ? Omit<E, 'seq' | 't'> & { t?: number }
    : never
  : never
