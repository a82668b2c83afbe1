// "One request, one timeline": each GET /api/metricas as a waterfall on a shared time scale — the
// request arriving at the API, the RESP command to Redis and its reply, the SQL to Postgres until
// ReadyForQuery, the RESP SET, the JSON going back — so the cached request is visibly shorter, with
// the time it saved; then the SSE updates pushed on the stream.
import { useMemo, type JSX } from 'react'
import { scaleLinear } from 'd3'
import { useLocalized } from '../../i18n'
import { useLab } from '../../store'
import type { ViewProps } from '../view-props'
import { useRunEvents } from '../run-events'
import { EmptyView } from '../EmptyView'
import S from './strings.json'
import { buildTrace, type TraceRequest } from './model'
import './trace.css'


const ms = (n: number): string => `${n < 10 ? n.toFixed(1) : Math.round(n)} ms`
const select = (seq: number | undefined): void => {
  if (seq !== undefined) useLab.getState().select(seq)
}

function Request({ r, span }: { r: TraceRequest; span: number }): JSX.Element {
  const loc = useLocalized()
  const x = scaleLinear().domain([0, span]).range([0, 100])
  const total = r.t1 !== undefined ? r.t1 - r.t0 : undefined
  const rows = [
    { key: 'in', cls: 'http', label: loc(S.httpIn), detail: `GET ${r.path}`, a: 0, b: 0, seq: r.reqSeq },
    ...r.legs.map((l, i) => ({
      key: `l${i}`,
      cls: l.protocol + (l.nil ? ' nil' : ''),
      label: `${l.protocol === 'resp' ? 'RESP' : 'SQL'} · ${l.protocol === 'resp' ? loc(S.toRedis) : loc(S.toPg)}`,
      detail: `${l.label.length > 70 ? l.label.slice(0, 70) + '…' : l.label} → ${l.result}`,
      a: l.t0 - r.t0,
      b: (l.t1 ?? l.t0) - r.t0,
      seq: l.rowSeq ?? l.lastSeq ?? l.firstSeq
    })),
    ...(total !== undefined
      ? [
          {
            key: 'out',
            cls: 'http',
            label: loc(S.jsonOut),
            detail: `${r.status} · X-Cache: ${r.cache ?? '—'}${r.bytes ? ` · ${r.bytes} B` : ''}`,
            a: total,
            b: total,
            seq: r.resSeq
          }
        ]
      : [])
  ]
  return (
    <div
      className="tr-req"
      data-testid="trace-request"
      data-cache={r.cache ?? ''}
      data-ms={total?.toFixed(1) ?? ''}
      data-legs={r.legs.map((l) => l.protocol).join(',')}
    >
      <div className="tr-head">
        <b className="mono">GET {r.path}</b>
        <span className={`tr-cache ${r.cache === 'HIT' ? 'hit' : r.cache === 'MISS' ? 'miss' : ''}`}>
          {r.cache ?? '…'}
        </span>
        <span className="tr-total">{total !== undefined ? ms(total) : '…'}</span>
      </div>
      <div className="tr-rows">
        {rows.map((row) => (
          <div
            key={row.key}
            className={`tr-row ${row.cls}`}
            data-testid="trace-leg"
            data-kind={row.cls.split(' ')[0]}
            onClick={() => select(row.seq)}
          >
            <span className="tr-label">{row.label}</span>
            <span className="tr-track">
              <span
                className="tr-bar"
                style={{ left: `${x(row.a)}%`, width: `${Math.max(0.8, x(row.b) - x(row.a))}%` }}
              />
              <span
                className="tr-detail"
                title={row.detail}
                style={x(row.b) > 55 ? { left: 0, right: `${100 - x(row.a) + 1}%`, textAlign: 'right' } : { left: `${x(row.b) + 1}%`, right: 0 }}
              >
                {row.detail}
              </span>
            </span>
          </div>
        ))}
      </div>
    </div>
  )
}

export function TraceView(_props: ViewProps): JSX.Element {
  const loc = useLocalized()
  const run = useRunEvents()
  const m = useMemo(() => buildTrace(run.events), [run])
  if (m.requests.length === 0)
    return <EmptyView view="trace" text={S.empty} />
  const span = Math.max(1, ...m.requests.map((r) => (r.t1 ?? r.t0) - r.t0)) * 1.05
  const recent = m.requests.slice(-3)
  return (
    <div className="trace" data-testid="view-trace">
      {m.saved ? (
        <div
          className="tr-saved"
          data-testid="trace-saved"
          data-saved={(m.saved.miss - m.saved.hit).toFixed(1)}
        >
          <span className="tr-saved-big">{ms(m.saved.miss - m.saved.hit)}</span> {loc(S.saved)}
          <span className="muted">
            {' '}
            ({ms(m.saved.miss)} {loc(S.through)} · {ms(m.saved.hit)} {loc(S.cached)})
          </span>
        </div>
      ) : null}
      {recent.map((r) => (
        <Request key={r.reqSeq} r={r} span={span} />
      ))}
      {m.updates.length ? (
        <div className="tr-updates" data-testid="trace-updates" data-count={m.updates.length}>
          <b>
            {m.updates.length} {loc(S.updates)}
          </b>
          <span className="mono">
            {m.updates
              .slice(-3)
              .map((u) => u.data)
              .join('  ·  ')}
          </span>
        </div>
      ) : null}
    </div>
  )
}
