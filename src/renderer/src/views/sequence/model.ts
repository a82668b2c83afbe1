// The sequence diagram as data: actors (lifelines) and rows (connection bands, arrows, closes),
// built incrementally from the log so a long session costs only its new events per frame.
import type { ConnOpenEvent, FaultEvent, LabEvent, Localized, NodeEvent, PduEvent, Role } from '@shared/events'
import { format } from '../../i18n/text'
import S from './strings.json'

export interface Actor {
  id: string
  label: string
  /** The label in both languages, when the lesson gives them. */
  text?: Localized
  role: Role
  external: boolean
  /** Index of the event that introduced the actor. */
  first: number
  /** Ports this actor used, newest last (a client gets a fresh ephemeral port per connection). */
  ports: number[]
  host?: string
  /** For clients: the server they talked to first (used to place them beside it). */
  peer?: string
}

export type Row =
  | { kind: 'conn'; idx: number; t: number; conn: ConnOpenEvent }
  | { kind: 'close'; idx: number; t: number; conn: string; from: string; to: string; by: string; how: string }
  | {
      kind: 'arrow'
      idx: number
      t: number
      seq: number
      conn: string
      dir: 'c2s' | 's2c'
      from: string
      to: string
      protocol: string
      label: string
      detail: string
      modeled: boolean
      rst: boolean
      echo: boolean
      malformed: boolean
      /** The PDU's place in its direction's stream, to match the tap's fault marks to it. */
      offset: number
      length: number
      /** A network condition the tap imposed on these bytes (watch mode, "network conditions"). */
      fault?: { kind: FaultEvent['fault']; ms?: number }
    }

export const ROW_H = { conn: 34, close: 34, arrow: 58 } as const

const FLAGS = /^\[([^\]]+)\]\s*(.*)$/

/**
 * An arrow row. Its label and detail are text made from the PDU when drawn (only rows on screen
 * are), so a long session keeps one small object per PDU instead of its strings.
 */
class ArrowRow {
  readonly kind = 'arrow' as const
  readonly idx: number
  readonly from: string
  readonly to: string
  readonly rst: boolean
  readonly echo: boolean
  /** A network condition the tap imposed on these bytes (set by the fault that follows them). */
  fault?: { kind: FaultEvent['fault']; ms?: number }
  /** TCP payload: the other side's next sequence number (the Ack shown), else -1. */
  readonly #ack: number
  readonly #e: PduEvent

  constructor(e: PduEvent, idx: number, from: string, to: string, rst: boolean, echo: boolean, ack: number) {
    this.idx = idx
    this.from = from
    this.to = to
    this.rst = rst
    this.echo = echo
    this.#ack = ack
    this.#e = e
  }

  get t(): number {
    return this.#e.t
  }

  get seq(): number {
    return this.#e.seq
  }

  get conn(): string {
    return this.#e.conn
  }

  get dir(): 'c2s' | 's2c' {
    return this.#e.dir
  }

  get protocol(): string {
    return this.#e.protocol
  }

  get modeled(): boolean {
    return !!this.#e.modeled
  }

  get malformed(): boolean {
    return !!this.#e.malformed
  }

  get offset(): number {
    return this.#e.offset
  }

  get length(): number {
    return this.#e.data.length
  }

  get label(): string {
    const e = this.#e
    const flags = e.protocol === 'tcp' ? FLAGS.exec(e.summary) : null
    if (flags) return flags[1]
    if (e.protocol === 'tcp' && e.summary.startsWith('[')) return e.summary
    if (e.protocol === 'tcp' || e.protocol === 'udp') return preview(e.data)
    return e.summary
  }

  get detail(): string {
    const e = this.#e
    const flags = e.protocol === 'tcp' ? FLAGS.exec(e.summary) : null
    if (flags) return flags[2]
    if (e.protocol === 'tcp' && e.summary.startsWith('[')) return e.summary
    if (e.protocol === 'tcp' || e.protocol === 'udp') {
      const seq = e.keys?.seq
      return e.protocol === 'tcp' && typeof seq === 'number' ? `Seq=${seq} Ack=${this.#ack} Len=${e.data.length}` : `UDP Len=${e.data.length}`
    }
    return `${e.protocol.toUpperCase()} · ${e.data.length} B`
  }
}

interface ConnState {
  open: ConnOpenEvent
  next: { c2s: number; s2c: number }
  lastC2S?: Uint8Array
}

/** Holds the current model; rebuilt when the log is replaced, the run changes or the cursor goes back. */
export class SequenceModelCache {
  private model: SequenceModel | null = null

  get(
    events: LabEvent[],
    epoch: number,
    from: number,
    cursor: number,
    nodes: Map<string, NodeEvent>
  ): SequenceModel {
    const m = this.model
    if (!m || m.epoch !== epoch || m.from !== from || m.done > cursor)
      this.model = new SequenceModel(epoch, from)
    this.model!.advance(events, cursor, nodes)
    return this.model!
  }
}

export class SequenceModel {
  actors = new Map<string, Actor>()
  rows: Row[] = []
  /** rowTop[i] = y of row i; rowTop[rows.length] = total height. */
  rowTop: number[] = [0]
  done: number
  private conns = new Map<string, ConnState>()

  constructor(
    readonly epoch: number,
    readonly from: number
  ) {
    this.done = from
  }

  /** Every actor of the session (some appear before the run starts, e.g. servers). */
  private nodes: Map<string, NodeEvent> = new Map()

  /** Processes events[done .. upTo). */
  advance(events: LabEvent[], upTo: number, nodes: Map<string, NodeEvent>): void {
    this.nodes = nodes
    for (let i = this.done; i < upTo; i++) this.add(events[i], i)
    this.done = Math.max(this.done, upTo)
  }

  /** Actors in lifeline order: each server with its clients on its left; lone clients first. */
  orderedActors(): Actor[] {
    const all = [...this.actors.values()].sort((a, b) => a.first - b.first)
    const servers = all.filter((a) => a.role === 'server' || a.role === 'broker')
    const clients = all.filter((a) => a.role !== 'server' && a.role !== 'broker')
    const out: Actor[] = clients.filter((c) => !c.peer || !this.actors.has(c.peer))
    for (const s of servers) {
      out.push(...clients.filter((c) => c.peer === s.id))
      out.push(s)
    }
    for (const a of all) if (!out.includes(a)) out.push(a)
    return out
  }

  private push(row: Row): void {
    this.rows.push(row)
    this.rowTop.push(this.rowTop[this.rowTop.length - 1] + ROW_H[row.kind])
  }

  private actor(node: NodeEvent | undefined, id: string, idx: number, role: Role = 'client'): Actor {
    let a = this.actors.get(id)
    if (!a) {
      a = {
        id,
        label: node?.label ?? id,
        ...(node?.text ? { text: node.text } : {}),
        role: node?.role ?? role,
        external: node?.external ?? node?.role === 'external',
        first: idx,
        ports: [],
        host: node?.endpoint?.host
      }
      if (node?.endpoint) a.ports.push(node.endpoint.port)
      this.actors.set(id, a)
    }
    return a
  }

  private add(e: LabEvent, idx: number): void {
    switch (e.kind) {
      case 'node':
        this.actor(e, e.node, idx)
        return
      case 'conn.open': {
        const from = this.actor(this.nodes.get(e.from), e.from, idx)
        const to = this.actor(this.nodes.get(e.to), e.to, idx, 'server')
        from.host = e.client.host
        if (from.ports[from.ports.length - 1] !== e.client.port) from.ports.push(e.client.port)
        if (!to.ports.includes(e.server.port)) to.ports.push(e.server.port)
        to.host ??= e.server.host
        from.peer ??= e.to
        this.conns.set(e.conn, { open: e, next: { c2s: 0, s2c: 0 } })
        this.push({ kind: 'conn', idx, t: e.t, conn: e })
        return
      }
      case 'conn.close': {
        const c = this.conns.get(e.conn)
        if (!c) return
        this.push({
          kind: 'close',
          idx,
          t: e.t,
          conn: e.conn,
          from: c.open.from,
          to: c.open.to,
          by: e.by,
          how: e.how
        })
        return
      }
      case 'pdu':
        this.addPdu(e, idx)
        return
      case 'fault':
        this.markFault(e)
        return
      default:
        return
    }
  }

  /**
   * The tap logs a fault right after the bytes it affected: mark the (recent) application arrows
   * of that connection and direction whose bytes lie in the affected range.
   */
  private markFault(e: FaultEvent): void {
    if (e.fault === 'cut') return // drawn by the close row (how "cut")
    let marked = false
    for (let r = this.rows.length - 1, seen = 0; r >= 0 && seen < 64; r--, seen++) {
      const row = this.rows[r]
      if (row.kind === 'arrow' && applyFault(row, e)) marked = true
    }
    // A dissector may still hold those bytes (waiting for the rest of a PDU, or to recognise the
    // protocol): the mark waits for the arrow that carries them.
    if (!marked) {
      this.pendingFaults.push(e)
      if (this.pendingFaults.length > 256) this.pendingFaults.shift()
    }
  }

  private pendingFaults: FaultEvent[] = []

  private addPdu(e: PduEvent, idx: number): void {
    const c = this.conns.get(e.conn)
    // Captured frames repeat the connection's segments and messages: the layers view shows them.
    if (!c || e.protocol === 'frame') return
    const from = e.dir === 'c2s' ? c.open.from : c.open.to
    const to = e.dir === 'c2s' ? c.open.to : c.open.from
    const other = e.dir === 'c2s' ? 's2c' : 'c2s'
    const keys = e.keys ?? {}
    let rst = false
    let echo = false
    let ack = -1
    const flagsMatch = e.protocol === 'tcp' ? FLAGS.exec(e.summary) : null
    if (flagsMatch) {
      const label = flagsMatch[1]
      rst = /\bRST\b/.test(label)
      if (typeof keys.seq === 'number') {
        const syn = /\bSYN\b/.test(label) || /\bFIN\b/.test(label) ? 1 : 0
        c.next[e.dir] = keys.seq + (typeof keys.len === 'number' ? keys.len : 0) + syn
      }
    } else if (e.protocol === 'tcp' && e.summary.startsWith('[')) {
      // A TCP summary in brackets without flags: shown as it is.
    } else if (e.protocol === 'tcp' || e.protocol === 'udp') {
      const data = e.data
      if (e.dir === 'c2s') c.lastC2S = data
      else echo = !!c.lastC2S && sameBytes(c.lastC2S, data)
      if (e.protocol === 'tcp' && typeof keys.seq === 'number') {
        ack = c.next[other]
        c.next[e.dir] = keys.seq + data.length
      }
    }
    this.push(new ArrowRow(e, idx, from, to, rst, echo, ack) as unknown as Row)
    if (this.pendingFaults.length) {
      const row = this.rows[this.rows.length - 1] as Extract<Row, { kind: 'arrow' }>
      this.pendingFaults = this.pendingFaults.filter((f) => !applyFault(row, f))
    }
  }
}

/** Marks an application arrow with a fault on bytes it carries; false when they are not its bytes. */
function applyFault(row: Extract<Row, { kind: 'arrow' }>, e: FaultEvent): boolean {
  if (row.conn !== e.conn || row.dir !== e.dir || row.modeled) return false
  const overlaps = row.offset < e.offset + Math.max(1, e.length) && e.offset < row.offset + Math.max(1, row.length)
  if (!overlaps) return false
  // A drop outranks a delay on the same bytes; the first mark of equal rank stays.
  if (!row.fault || (e.fault === 'drop' && row.fault.kind !== 'drop')) row.fault = { kind: e.fault, ...(e.ms !== undefined ? { ms: e.ms } : {}) }
  return true
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

let previewCodes = new Uint16Array(64)

/** A short, quoted text preview of a payload (non-printable bytes as ·, newlines as ↵). */
export function preview(data: Uint8Array, max = 32): string {
  const n = Math.min(data.length, max + 4)
  let ascii = true
  for (let i = 0; i < n; i++)
    if (data[i] >= 0x80) {
      ascii = false
      break
    }
  let text: string
  if (ascii) {
    // One character per byte, built in one call (this runs for every payload of a long session).
    const codes = previewCodes.length >= n ? previewCodes : (previewCodes = new Uint16Array(n))
    for (let i = 0; i < n; i++) {
      const c = data[i]
      codes[i] = c === 0x0a ? 0x21b5 : c < 0x20 || c === 0x7f ? 0xb7 : c
    }
    text = String.fromCharCode.apply(null, codes.subarray(0, n) as unknown as number[])
  } else {
    const head = data.subarray(0, n)
    try {
      text = utf8.decode(head)
    } catch {
      text = Array.from(head, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '·')).join('')
    }
    text = Array.from(text, (ch) => {
      const c = ch.charCodeAt(0)
      return ch === '\n' ? '↵' : c < 0x20 || c === 0x7f ? '·' : ch
    }).join('')
  }
  if (text.length > max || data.length > n) text = text.slice(0, max) + '…'
  return `"${text}"`
}

/** Time since the first row, as the diagram's gutter shows it: "+0.125 ms", "+1.2500 s". */
export function relTime(t: number, t0: number): string {
  const ms = t - t0
  return ms < 1000 ? `+${ms.toFixed(3)} ms` : `+${(ms / 1000).toFixed(4)} s`
}

/** What the network conditions did to an arrow's bytes, as its label says it. */
export function faultText(f: NonNullable<Extract<Row, { kind: 'arrow' }>['fault']>): Localized {
  return f.kind === 'delay' ? format(S.fault.delay, { ms: Math.round(f.ms ?? 0) }) : S.fault[f.kind]
}
