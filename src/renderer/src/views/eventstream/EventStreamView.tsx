// Server-Sent Events: the LLM answer growing token by token, the metric stream with its ids, the
// cut and the reconnection with Last-Event-ID (and where the server resumed), and the seed's
// "SSE vs WebSocket" comparison.
import { useMemo, type JSX } from 'react'
import type { PduEvent } from '@shared/events'
import { useLocalized } from '../../i18n'
import { useLab } from '../../store'
import type { ViewProps } from '../view-props'
import { pathOf } from '../fields'
import { useRunEvents } from '../run-events'
import { eventStreamModel, sideBySide } from './model'
import S from './strings.json'
import { HTTP_FIELDS, httpHeaderPath } from '@shared/protocols/http'
import '../handshakes/handshakes.css'
import { RefreshCw, Scissors } from 'lucide-react'

export function EventStreamView(_props: ViewProps): JSX.Element {
  const loc = useLocalized()
  const run = useRunEvents()
  const selectedSeq = useLab((s) => s.selectedSeq)
  const model = useMemo(() => eventStreamModel(run.events), [run])
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
                    {it.by === 'server' ? (
                      <>
                        <Scissors /> {loc(S.cut)}
                      </>
                    ) : (
                      loc(S.closed)
                    )}{' '}
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
                    <RefreshCw /> {loc(S.reconnect)} <b className="mono">Last-Event-ID: {it.lastEventId}</b>
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
            {S.table.map(([a, b, c]) => (
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
