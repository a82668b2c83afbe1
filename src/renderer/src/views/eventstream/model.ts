// The Server-Sent Events view as data: the LLM answer's tokens, the metric stream (events,
// heartbeats, retry, the cut and the reconnection with Last-Event-ID, where the server resumed),
// and the same metric feed over SSE and over WebSocket side by side, in bytes.
import type { LabEvent, PduEvent } from '@shared/events'
import { SSE_FIELDS } from '@shared/protocols/sse'

export interface EventStreamModel {
  tokens: PduEvent[]
  /** `data: [DONE]` was seen. */
  done: boolean
  items: StreamItem[]
}

export type StreamItem =
  | { kind: 'event'; pdu: PduEvent; id: string; type: string; data: string }
  | { kind: 'comment'; pdu: PduEvent; text: string }
  | { kind: 'retry'; pdu: PduEvent; ms: number }
  | { kind: 'reconnect'; pdu: PduEvent; lastEventId: string; resumedAt?: string }
  | { kind: 'cut'; conn: string; by: string }

export interface FeedSide {
  conn: string
  setup: number
  messages: { id: string; bytes: number; pdu: PduEvent }[]
}

/** The latest WebSocket metric feed and the SSE stream opened closest to it. */
export function sideBySide(pdus: readonly PduEvent[]): { sse: FeedSide; ws: FeedSide } | null {
  const wsReq = [...pdus]
    .reverse()
    .find((p) => p.protocol === 'http' && p.keys?.upgrade === true && p.keys?.target === '/ws/metricas')
  if (!wsReq) return null
  const sseReqs = pdus.filter(
    (p) => p.protocol === 'http' && p.keys?.method === 'GET' && p.keys?.acceptsEventStream === true
  )
  const sseReq = sseReqs.sort((a, b) => Math.abs(a.seq - wsReq.seq) - Math.abs(b.seq - wsReq.seq))[0]
  if (!sseReq) return null
  const side = (conn: string, isWs: boolean): FeedSide => {
    let setup = 0
    const messages: FeedSide['messages'] = []
    for (const p of pdus) {
      if (p.conn !== conn || p.modeled) continue
      if (
        p.protocol === 'http' &&
        p.offset >= 0 &&
        (p.keys?.method !== undefined || p.keys?.status !== undefined)
      )
        setup += p.data.length
      if (isWs && p.protocol === 'websocket' && p.dir === 's2c' && p.keys?.opcode === 1) {
        let id: string
        try {
          id = String((JSON.parse(String(p.keys?.text ?? '')) as { id?: unknown }).id ?? '')
        } catch {
          id = ''
        }
        messages.push({ id, bytes: p.data.length, pdu: p })
      }
      if (!isWs && p.protocol === 'sse' && p.keys?.id !== undefined)
        messages.push({ id: String(p.keys.id), bytes: p.data.length, pdu: p })
    }
    return { conn, setup, messages }
  }
  return { sse: side(sseReq.conn, false), ws: side(wsReq.conn, true) }
}

/** The token stream, and the metric stream's events, comments, retries, cuts and reconnections. */
export function eventStreamModel(events: readonly LabEvent[]): EventStreamModel {
  const tokens: PduEvent[] = []
  let done = false
  const items: StreamItem[] = []
  const streamConns = new Set<string>()
  let pendingReconnect: Extract<StreamItem, { kind: 'reconnect' }> | null = null
  for (const e of events) {
    if (e.kind === 'conn.close' && streamConns.has(e.conn))
      items.push({ kind: 'cut', conn: e.conn, by: e.by })
    if (e.kind !== 'pdu' || e.modeled) continue
    const k = e.keys ?? {}
    if (k.token !== undefined) tokens.push(e)
    if (k.done === true) done = true
    if (e.protocol === 'http' && k.method === 'GET' && k.acceptsEventStream === true) {
      streamConns.add(e.conn)
      if (k.lastEventId !== undefined) {
        pendingReconnect = { kind: 'reconnect', pdu: e, lastEventId: String(k.lastEventId) }
        items.push(pendingReconnect)
      }
    }
    if (e.protocol !== 'sse' || !streamConns.has(e.conn)) continue
    if (k.retry !== undefined) items.push({ kind: 'retry', pdu: e, ms: Number(k.retry) })
    const comments = e.fields.flatMap((f) => [f, ...(f.children ?? [])]).filter((f) => f.id === SSE_FIELDS.comment)
    for (const c of comments)
      items.push({ kind: 'comment', pdu: e, text: String(c.value ?? '').replace(/^"|"$/g, '') })
    if (k.id !== undefined || k.data !== undefined) {
      if (pendingReconnect && pendingReconnect.resumedAt === undefined && k.id !== undefined)
        pendingReconnect.resumedAt = String(k.id)
      if (Number(k.events ?? 0) > 0)
        items.push({
          kind: 'event',
          pdu: e,
          id: String(k.id ?? ''),
          type: String(k.eventType ?? 'message'),
          data: String(k.data ?? '')
        })
    }
  }
  return { tokens, done, items }
}
