// The stream lanes of one HTTP/2 connection, computed from the log: one lane per stream id, the
// frames in the order they crossed the wire (both directions on one axis), and the flow-control
// windows the dissector followed.
import type { ConnOpenEvent, LabEvent, NodeEvent, PduEvent } from '@shared/events'
import { HTTP2_FIELDS } from '@shared/protocols/http2'

export interface LaneFrame {
  seq: number
  /** Position on the wire axis (0, 1, 2… over both directions). */
  at: number
  dir: 'c2s' | 's2c'
  type: string
  streamId: number
  summary: string
  endStream: boolean
  length: number
}

export interface Lane {
  streamId: number
  frames: LaneFrame[]
  method?: string
  path?: string
  status?: number
  /** Last known window of the data the server sends on this stream. */
  window?: number
  reset?: string
  ended: boolean
}

export interface WindowPoint {
  at: number
  window: number
  type: string
}

export interface ConnSummary {
  conn: string
  label: string
  frames: number
  external: boolean
}

export interface StreamsModel {
  conn: string | null
  connections: ConnSummary[]
  lanes: Lane[]
  total: number
  /** Connection window of server → client data, after each DATA / WINDOW_UPDATE that changed it. */
  connWindow: WindowPoint[]
  /** DATA frames whose predecessor on the wire (among DATA frames) belongs to another stream. */
  interleaved: number
  hpack: { c2s?: { entries: number; size: number }; s2c?: { entries: number; size: number } }
}

export function http2Connections(events: readonly LabEvent[]): ConnSummary[] {
  const nodes = new Map<string, NodeEvent>()
  const opens = new Map<string, ConnOpenEvent>()
  const counts = new Map<string, number>()
  for (const e of events) {
    if (e.kind === 'node') nodes.set(e.node, e)
    else if (e.kind === 'conn.open') opens.set(e.conn, e)
    else if (e.kind === 'pdu' && e.protocol === 'http2') counts.set(e.conn, (counts.get(e.conn) ?? 0) + 1)
  }
  return [...counts].map(([conn, frames]) => {
    const o = opens.get(conn)
    const n = o ? nodes.get(o.from) : undefined
    return { conn, frames, label: `${n?.label ?? o?.from ?? conn} :${o?.client.port ?? '?'}`, external: !!n?.external }
  })
}

export function buildStreams(events: readonly LabEvent[], want: string | null): StreamsModel {
  const connections = http2Connections(events)
  const conn = want && connections.some((c) => c.conn === want) ? want : (connections.at(-1)?.conn ?? null)
  const lanes = new Map<number, Lane>()
  const connWindow: WindowPoint[] = []
  const hpack: StreamsModel['hpack'] = {}
  let at = 0
  let interleaved = 0
  let lastData: number | null = null
  const lane = (id: number): Lane => {
    let l = lanes.get(id)
    if (!l) {
      l = { streamId: id, frames: [], ended: false }
      lanes.set(id, l)
    }
    return l
  }
  lane(0)
  for (const e of events) {
    if (e.kind !== 'pdu' || e.conn !== conn || e.protocol !== 'http2') continue
    const p = e as PduEvent
    const k = p.keys ?? {}
    const type = String(k.type ?? (p.malformed ? 'MALFORMED' : '?'))
    const sid = typeof k.streamId === 'number' ? k.streamId : 0
    const l = lane(sid)
    const f: LaneFrame = { seq: p.seq, at: at++, dir: p.dir, type, streamId: sid, summary: p.summary, endStream: k.endStream === true, length: Number(k.length ?? 0) }
    l.frames.push(f)
    if (type === 'HEADERS' && typeof k.method === 'string') l.method = k.method
    if (type === 'HEADERS' && typeof k.path === 'string') l.path = k.path
    if (type === 'HEADERS' && typeof k.status === 'number') l.status = k.status
    if (type === 'HEADERS' && typeof k.hpackTableEntries === 'number') hpack[p.dir] = { entries: k.hpackTableEntries, size: Number(k.hpackTableSize ?? 0) }
    if (type === 'RST_STREAM') l.reset = String(k.error ?? '')
    if (f.endStream && p.dir === 's2c') l.ended = true
    if (k.windowDir === 's2c' && typeof k.streamWindow === 'number' && sid) l.window = k.streamWindow
    if (k.windowDir === 's2c' && typeof k.connWindow === 'number') connWindow.push({ at: f.at, window: k.connWindow, type })
    if (type === 'DATA' && f.length > 0) {
      if (lastData !== null && lastData !== sid) interleaved++
      lastData = sid
    }
  }
  return { conn, connections, lanes: [...lanes.values()].sort((a, b) => a.streamId - b.streamId), total: at, connWindow, interleaved, hpack }
}

/** Short labels for frame types, drawn inside the frame marks. */
export const TYPE_ABBR: Record<string, string> = {
  PREFACE: 'PRI',
  DATA: 'D',
  HEADERS: 'H',
  PRIORITY: 'PRI',
  RST_STREAM: 'RST',
  SETTINGS: 'S',
  PUSH_PROMISE: 'PP',
  PING: 'P',
  GOAWAY: 'GA',
  WINDOW_UPDATE: 'WU',
  CONTINUATION: 'C'
}

export interface HeaderChip {
  name: string
  value: string
  kind: 'indexed' | 'literal-indexed' | 'literal' | 'size-update'
  /** Where the name or the whole field came from: "static 2", "dynamic 62"… */
  where: string
}

/** The representations of a HEADERS frame's HPACK block, from its field tree. */
export function headerChips(p: PduEvent): HeaderChip[] {
  const block = p.fields.find((f) => f.id === HTTP2_FIELDS.payload)?.children?.find((f) => f.id === HTTP2_FIELDS.headerBlock)
  const out: HeaderChip[] = []
  for (const f of block?.children ?? []) {
    if (f.id === HTTP2_FIELDS.headerTableSizeUpdate) {
      out.push({ name: 'table size', value: String(f.value ?? ''), kind: 'size-update', where: '' })
      continue
    }
    if (f.id !== HTTP2_FIELDS.header) continue
    const at = f.name.indexOf(': ', 1)
    const name = at > 0 ? f.name.slice(0, at) : f.name
    const value = at > 0 ? f.name.slice(at + 2) : ''
    const v = f.value ?? ''
    const index = f.children?.find((c) => c.id === HTTP2_FIELDS.headerIndex)?.value ?? ''
    const m = /(static|dynamic) table (\d+)/.exec(index) ?? /(static|dynamic) table (\d+)/.exec(v)
    const where = m ? `${m[1]} ${m[2]}` : 'new name'
    const kind = v.startsWith('Indexed') ? 'indexed' : v.startsWith('Literal with incremental indexing') ? 'literal-indexed' : 'literal'
    out.push({ name, value, kind, where })
  }
  return out
}

/** The HTTP/2 connection of the selected PDU, if it is an HTTP/2 frame. */
export function selectedConnection(pdus: readonly PduEvent[], selectedSeq: number | null): string | null {
  const p = pdus.find((x) => x.seq === selectedSeq)
  return p?.protocol === 'http2' ? p.conn : null
}

/** The HEADERS frame whose HPACK block is shown: the selected one, else the newest request's. */
export function shownHeaders(pdus: readonly PduEvent[], conn: string | null, selectedSeq: number | null): PduEvent | null {
  const onConn = pdus.filter((p) => p.conn === conn && p.protocol === 'http2' && p.keys?.type === 'HEADERS')
  return onConn.find((p) => p.seq === selectedSeq) ?? onConn.filter((p) => p.dir === 'c2s').at(-1) ?? null
}
