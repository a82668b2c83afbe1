// gRPC calls as lanes, computed from the log: one lane per call (= one HTTP/2 stream) of one
// connection, its events in wire order (the call's HEADERS, each message both ways, the client's
// half-close, the trailers or a reset), its call type and its final status.
import type { ConnOpenEvent, LabEvent, NodeEvent, PduEvent } from '@shared/events'
import { grpcStatusName, type CallType, type GrpcEventKind } from '@shared/protocols/grpc'

export interface LaneItem {
  seq: number
  /**
   * Column on the connection's wire axis: events in wire order, both directions; a call that starts
   * while no other call is open starts again at column 0, so calls made one after another stay
   * compact and calls that overlap show their real interleaving.
   */
  at: number
  dir: 'c2s' | 's2c'
  kind: GrpcEventKind
  index?: number
  messageType?: string
  summary: string
  malformed: boolean
  /** DATA frames the message spans. */
  frames?: number
}

export interface CallLane {
  streamId: number
  path: string
  method: string
  callType?: CallType
  unknown: boolean
  items: LaneItem[]
  requests: number
  responses: number
  halfClosed: boolean
  status?: number
  statusName?: string
  grpcMessage?: string
  reset?: string
  timeoutMs?: number
}

export interface GrpcConnection {
  conn: string
  label: string
  external: boolean
  calls: number
}

export interface CallsModel {
  conn: string | null
  connections: GrpcConnection[]
  lanes: CallLane[]
  total: number
}

export function grpcConnections(events: readonly LabEvent[]): GrpcConnection[] {
  const nodes = new Map<string, NodeEvent>()
  const opens = new Map<string, ConnOpenEvent>()
  const calls = new Map<string, number>()
  for (const e of events) {
    if (e.kind === 'node') nodes.set(e.node, e)
    else if (e.kind === 'conn.open') opens.set(e.conn, e)
    else if (e.kind === 'pdu' && e.protocol === 'grpc' && e.keys?.grpc === 'call')
      calls.set(e.conn, (calls.get(e.conn) ?? 0) + 1)
  }
  return [...calls].map(([conn, n]) => {
    const o = opens.get(conn)
    const node = o ? nodes.get(o.from) : undefined
    return {
      conn,
      calls: n,
      label: `${node?.label ?? o?.from ?? conn} :${o?.client.port ?? '?'}`,
      external: !!node?.external
    }
  })
}

export function buildCalls(events: readonly LabEvent[], want: string | null): CallsModel {
  const connections = grpcConnections(events)
  const conn = want && connections.some((c) => c.conn === want) ? want : (connections.at(-1)?.conn ?? null)
  const lanes = new Map<number, CallLane>()
  const open = new Set<number>()
  let at = 0
  let total = 0
  for (const e of events) {
    if (e.kind !== 'pdu' || e.conn !== conn || e.protocol !== 'grpc') continue
    const p = e as PduEvent
    const k = p.keys ?? {}
    const sid = Number(k.streamId ?? 0)
    const kind = String(k.grpc ?? 'message') as GrpcEventKind
    let lane = lanes.get(sid)
    if (!lane && open.size === 0) at = 0
    if (!lane) {
      open.add(sid)
      lane = {
        streamId: sid,
        path: String(k.path ?? ''),
        method: String(k.method ?? k.path ?? '?'),
        unknown: k.unknownMethod === true,
        items: [],
        requests: 0,
        responses: 0,
        halfClosed: false
      }
      if (typeof k.callType === 'string') lane.callType = k.callType as CallType
      lanes.set(sid, lane)
    }
    const item: LaneItem = {
      seq: p.seq,
      at: at++,
      dir: p.dir,
      kind,
      summary: p.summary,
      malformed: !!p.malformed
    }
    total = Math.max(total, at)
    if (kind === 'status' || kind === 'reset') open.delete(sid)
    if (typeof k.index === 'number') item.index = k.index
    if (typeof k.messageType === 'string') item.messageType = k.messageType
    if (typeof k.frames === 'number') item.frames = k.frames
    lane.items.push(item)
    if (kind === 'message') {
      if (p.dir === 'c2s') lane.requests++
      else lane.responses++
    } else if (kind === 'half-close') lane.halfClosed = true
    else if (kind === 'status' && typeof k.status === 'number') {
      lane.status = k.status
      lane.statusName = grpcStatusName(k.status)
      if (typeof k.grpcMessage === 'string' && k.grpcMessage !== lane.statusName)
        lane.grpcMessage = k.grpcMessage
    } else if (kind === 'reset') lane.reset = String(k.error ?? 'RST_STREAM')
    else if (kind === 'call' && typeof k.timeoutMs === 'number') lane.timeoutMs = k.timeoutMs
  }
  return { conn, connections, lanes: [...lanes.values()].sort((a, b) => a.streamId - b.streamId), total }
}

/** How the call type reads in the course's table: "1 → 1", "1 → N"… */
export const CALL_SHAPE: Record<CallType, string> = {
  unary: '1 → 1',
  'server-streaming': '1 → N',
  'client-streaming': 'N → 1',
  bidi: 'N ↔ N'
}
