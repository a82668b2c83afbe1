// Server-Sent Events: the LLM answer growing token by token, the metric stream with its ids, the
// cut and the reconnection with Last-Event-ID (and where the server resumed), and the seed's
// "SSE vs WebSocket" comparison.
import { useMemo, type JSX } from 'react'
import type { Localized, PduEvent } from '@shared/events'
import { useLocalized } from '../../i18n'
import { useLab } from '../../store'
import type { ViewProps } from '../registry'
import { pathOf, useRunEvents } from '../handshakes/common'
import '../handshakes/handshakes.css'
import { HTTP_FIELDS, httpHeaderPath } from '@shared/protocols/http'
import { SSE_FIELDS } from '@shared/protocols/sse'

const S = {
  empty: {
    en: 'Run the lesson: events appear as the server writes them.',
    pt: 'Execute a lição: os eventos aparecem à medida que o servidor os escreve.'
  },
  tokens: { en: 'LLM answer, one SSE event per token', pt: 'Resposta do LLM, um evento SSE por token' },
  tokenCount: { en: 'tokens', pt: 'tokens' },
  done: { en: 'data: [DONE] — the stream ends', pt: 'data: [DONE] — o stream termina' },
  metrics: {
    en: 'GET /stream/metricas — one long response',
    pt: 'GET /stream/metricas — uma resposta longa'
  },
  cut: { en: 'connection cut by the server', pt: 'conexão cortada pelo servidor' },
  closed: { en: 'the client closed the stream', pt: 'o cliente fechou o stream' },
  reconnect: { en: 'reconnects with', pt: 'reconecta com' },
  resumes: { en: 'server resumes at id', pt: 'o servidor retoma no id' },
  retry: { en: 'retry', pt: 'retry' },
  heartbeat: { en: 'heartbeat (comment)', pt: 'heartbeat (comentário)' },
  compare: { en: 'SSE vs WebSocket', pt: 'SSE vs WebSocket' },
  same: { en: 'The same feed, both ways at once', pt: 'O mesmo feed, das duas formas ao mesmo tempo' },
  setup: { en: 'set-up (HTTP heads)', pt: 'estabelecer (cabeçalhos HTTP)' },
  message: { en: 'metric', pt: 'métrica' },
  total: { en: 'total bytes', pt: 'total de bytes' },
  sseWire: { en: 'SSE: chunk with id:/event:/data:', pt: 'SSE: chunk com id:/event:/data:' },
  wsWire: { en: 'WebSocket: one text frame', pt: 'WebSocket: uma frame de texto' },
  aspect: { en: 'Aspect', pt: 'Aspecto' }
} satisfies Record<string, Localized>

const TABLE: [Localized, Localized, Localized][] = [
  [
    { en: 'Direction', pt: 'Direção' },
    { en: 'Server → client', pt: 'Servidor → cliente' },
    { en: 'Both ways', pt: 'Bidirecional' }
  ],
  [
    { en: 'Protocol', pt: 'Protocolo' },
    { en: 'Plain HTTP', pt: 'HTTP padrão' },
    { en: 'Its own (ws://), after an Upgrade', pt: 'Próprio (ws://), depois de um Upgrade' }
  ],
  [
    { en: 'Reconnection', pt: 'Reconexão' },
    { en: 'Built in (Last-Event-ID)', pt: 'Automática (Last-Event-ID)' },
    { en: 'Write it yourself', pt: 'Tem de a implementar' }
  ],
  [
    { en: 'Use', pt: 'Uso' },
    { en: 'Dashboards, feeds, LLM tokens', pt: 'Dashboards, feeds, tokens de LLM' },
    { en: 'Chat, games, collaborative editing', pt: 'Chat, jogos, edição colaborativa' }
  ]
]

type Item =
  | { kind: 'event'; pdu: PduEvent; id: string; type: string; data: string }
  | { kind: 'comment'; pdu: PduEvent; text: string }
  | { kind: 'retry'; pdu: PduEvent; ms: number }
  | { kind: 'reconnect'; pdu: PduEvent; lastEventId: string; resumedAt?: string }
  | { kind: 'cut'; conn: string; by: string }

interface Side {
  conn: string
  setup: number
  messages: { id: string; bytes: number; pdu: PduEvent }[]
}

/** The latest WebSocket metric feed and the SSE stream opened closest to it. */
function sideBySide(pdus: PduEvent[]): { sse: Side; ws: Side } | null {
  const wsReq = [...pdus]
    .reverse()
    .find((p) => p.protocol === 'http' && p.keys?.upgrade === true && p.keys?.target === '/ws/metricas')
  if (!wsReq) return null
  const sseReqs = pdus.filter(
    (p) => p.protocol === 'http' && p.keys?.method === 'GET' && p.keys?.acceptsEventStream === true
  )
  const sseReq = sseReqs.sort((a, b) => Math.abs(a.seq - wsReq.seq) - Math.abs(b.seq - wsReq.seq))[0]
  if (!sseReq) return null
  const side = (conn: string, isWs: boolean): Side => {
    let setup = 0
    const messages: Side['messages'] = []
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

function build(run: ReturnType<typeof useRunEvents>): { tokens: PduEvent[]; done: boolean; items: Item[] } {
  const tokens: PduEvent[] = []
  let done = false
  const items: Item[] = []
  const streamConns = new Set<string>()
  let pendingReconnect: Extract<Item, { kind: 'reconnect' }> | null = null
  for (const e of run.events) {
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

export function EventStreamView(_props: ViewProps): JSX.Element {
  const loc = useLocalized()
  const run = useRunEvents()
  const selectedSeq = useLab((s) => s.selectedSeq)
  const model = useMemo(() => build(run), [run])
  const both = useMemo(() => sideBySide(run.pdus), [run])
  const select = (p: PduEvent): void =>
    useLab.getState().select(p.seq, pathOf(p.fields, HTTP_FIELDS.chunkData) ?? [0])
  const empty = !model.tokens.length && !model.items.length
  return (
    <div className="sse-view" data-testid="view-eventstream">
      {empty ? <div className="hs-empty">{loc(S.empty)}</div> : null}
      {model.tokens.length ? (
        <section className="sse-tokens" data-testid="sse-tokens" data-count={model.tokens.length}>
          <div className="sse-title">
            {loc(S.tokens)}{' '}
            <span className="muted">
              · {model.tokens.length} {loc(S.tokenCount)}
            </span>
          </div>
          <div className="sse-answer" data-testid="sse-answer">
            {model.tokens.map((t) => (
              <span
                key={t.seq}
                className={`sse-token${t.seq === selectedSeq ? ' selected' : ''}`}
                onClick={() => select(t)}
                data-testid="sse-token"
              >
                {String(t.keys?.token)}
              </span>
            ))}
            {model.done ? null : <span className="sse-caret">▍</span>}
          </div>
          {model.done ? (
            <div className="sse-done" data-testid="sse-done">
              {loc(S.done)}
            </div>
          ) : null}
        </section>
      ) : null}
      {model.items.length ? (
        <section className="sse-metrics">
          <div className="sse-title">{loc(S.metrics)}</div>
          <div className="sse-items">
            {model.items.map((it, i) => {
              if (it.kind === 'cut')
                return (
                  <div
                    key={`cut-${i}`}
                    className={`sse-cut by-${it.by}`}
                    data-testid="sse-cut"
                    data-by={it.by}
                  >
                    {it.by === 'server' ? `✂ ${loc(S.cut)}` : loc(S.closed)}{' '}
                    <span className="mono muted">({it.conn})</span>
                  </div>
                )
              if (it.kind === 'reconnect')
                return (
                  <div
                    key={it.pdu.seq}
                    className="sse-reconnect"
                    data-testid="sse-reconnect"
                    data-last-event-id={it.lastEventId}
                    data-resumed-at={it.resumedAt ?? ''}
                    onClick={() =>
                      useLab.getState().select(it.pdu.seq, httpHeaderPath(it.pdu.fields, 'last-event-id'))
                    }
                  >
                    ↻ {loc(S.reconnect)} <b className="mono">Last-Event-ID: {it.lastEventId}</b>
                    {it.resumedAt ? (
                      <>
                        {' '}
                        → {loc(S.resumes)} <b className="mono">{it.resumedAt}</b>
                      </>
                    ) : null}
                  </div>
                )
              if (it.kind === 'retry')
                return (
                  <span key={`r-${it.pdu.seq}`} className="sse-chip retry" onClick={() => select(it.pdu)}>
                    retry: {it.ms}
                  </span>
                )
              if (it.kind === 'comment')
                return (
                  <span
                    key={`c-${it.pdu.seq}-${i}`}
                    className="sse-chip comment"
                    title={loc(S.heartbeat)}
                    onClick={() => select(it.pdu)}
                  >
                    : {it.text}
                  </span>
                )
              return (
                <span
                  key={`e-${it.pdu.seq}`}
                  className={`sse-chip event type-${it.type}${it.pdu.seq === selectedSeq ? ' selected' : ''}`}
                  data-testid="sse-event"
                  data-id={it.id}
                  onClick={() => select(it.pdu)}
                >
                  {it.id ? <b className="mono">id {it.id}</b> : null}{' '}
                  {it.type !== 'message' ? <i>{it.type}</i> : null}{' '}
                  <span className="mono">{it.data.slice(0, 40)}</span>
                </span>
              )
            })}
          </div>
        </section>
      ) : null}
      {both ? (
        <section
          className="sse-both"
          data-testid="sse-vs-ws"
          data-sse-count={both.sse.messages.length}
          data-ws-count={both.ws.messages.length}
        >
          <div className="sse-title">{loc(S.same)}</div>
          <div className="sse-both-grid">
            {[
              { side: both.sse, title: loc(S.sseWire), cls: 'sse' },
              { side: both.ws, title: loc(S.wsWire), cls: 'ws' }
            ].map(({ side, title, cls }) => (
              <div key={cls} className={`sse-col ${cls}`} data-testid={`sse-col-${cls}`}>
                <div className="sse-col-title">
                  {title} <span className="mono muted">({side.conn})</span>
                </div>
                <div className="sse-col-row muted">
                  <span>{loc(S.setup)}</span>
                  <b className="mono">{side.setup} B</b>
                </div>
                {side.messages.map((m) => (
                  <div
                    key={m.pdu.seq}
                    className="sse-col-row"
                    onClick={() => useLab.getState().select(m.pdu.seq, [0])}
                  >
                    <span>
                      {loc(S.message)} id {m.id}
                    </span>
                    <b className="mono">{m.bytes} B</b>
                  </div>
                ))}
                <div className="sse-col-row total">
                  <span>{loc(S.total)}</span>
                  <b className="mono">{side.setup + side.messages.reduce((a, m) => a + m.bytes, 0)} B</b>
                </div>
              </div>
            ))}
          </div>
        </section>
      ) : null}
      <section className="sse-compare" data-testid="sse-compare">
        <div className="sse-title">{loc(S.compare)}</div>
        <table>
          <thead>
            <tr>
              <th>{loc(S.aspect)}</th>
              <th>SSE</th>
              <th>WebSocket</th>
            </tr>
          </thead>
          <tbody>
            {TABLE.map(([a, b, c]) => (
              <tr key={a.en}>
                <td>{loc(a)}</td>
                <td>{loc(b)}</td>
                <td>{loc(c)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  )
}
