// HTTP/1.1 vs HTTP/2, side by side on the same time axis: every resource is a row, its bar runs
// from the request to the end of its response as the tap saw them (real times). HTTP/1.1 rows
// are coloured by connection — six connections, requests waiting their turn; HTTP/2 rows all
// share one connection and start together.
import { useMemo, type JSX } from 'react'
import { scaleLinear } from 'd3'
import { useLocalized } from '../../i18n'
import type { ViewProps } from '../view-props'
import { useRunEvents } from '../run-events'
import { buildRace, drawnRows, raceSpan, raceWinner, type RaceSide } from './model'
import { EmptyView } from '../EmptyView'
import S from './strings.json'
import './race.css'
import { Trophy } from 'lucide-react'

const PALETTE = ['#5cb3ff', '#ffb25c', '#4cd98a', '#d88cff', '#ff7b9c', '#e6d35c', '#6be0d6', '#b0b8ff']

function Side({ side, t0, span, now, title, subtitle, winner }: { side: RaceSide; t0: number; span: number; now: number; title: string; subtitle: string; winner: boolean }): JSX.Element {
  const loc = useLocalized()
  const rows = drawnRows(side)
  const rowH = Math.max(8, Math.min(22, 520 / Math.max(1, rows.length)))
  const x = scaleLinear().domain([0, span]).range([3, 91])
  return (
    <div className={`race-side${winner ? ' winner' : ''}`} data-testid="race-side" data-protocol={side.protocol} data-done={String(side.done)} data-ms={side.ms === null ? '' : side.ms.toFixed(1)} data-connections={side.connections}>
      <div className="race-title">
        <span className="race-name">{title}</span>
        <span className="race-time" data-testid={`race-time-${side.protocol === 'h2' ? 'h2' : 'h1'}`}>
          {side.ms === null ? loc(S.running) : `${side.ms.toFixed(0)} ms`}
        </span>
      </div>
      <div className="race-sub">
        {side.connections} {side.connections === 1 ? loc(S.conn) : loc(S.conns)} · {rows.length} {loc(S.resources)} · {subtitle}
        {winner ? <span className="race-win">
            {' '}
            <Trophy /> {loc(S.faster)}
          </span> : null}
      </div>
      <svg className="race-svg" width="100%" height={rows.length * rowH + 28} data-testid="race-rows">
        {rows.map((r, i) => {
          const x0 = x(r.start - t0)
          const x1 = x((r.end ?? now) - t0)
          const color = side.protocol === 'h2' ? PALETTE[0] : PALETTE[(r.lane - 1) % PALETTE.length]
          return (
            <g key={i} data-testid="race-row" data-lane={r.lane} data-failed={String(r.failed)}>
              <rect x={`${x0}%`} y={i * rowH + 2} width={`${Math.max(0.3, x1 - x0)}%`} height={rowH - 3} fill={r.failed ? 'var(--danger)' : color} opacity={r.end === null ? 0.45 : 0.9} rx={2}>
                <title>{`${r.path} · ${side.protocol === 'h2' ? `stream ${r.lane}` : `${loc(S.conn)} ${r.lane}`} · ${r.end === null ? '…' : `${(r.end - r.start).toFixed(1)} ms`}${r.failed ? ` (${loc(S.lost)})` : ''}`}</title>
              </rect>
              {rowH >= 16 ? (
                <text x={`${Math.min(x1 + 0.6, 88)}%`} y={i * rowH + rowH - 5} className="race-label">
                  {r.path.replace('/tiles/', '#')}
                </text>
              ) : null}
            </g>
          )
        })}
        <g className="race-axis">
          {x.ticks(5).map((t, i) => (
            <g key={t}>
              <line x1={`${x(t)}%`} x2={`${x(t)}%`} y1={0} y2={rows.length * rowH + 6} />
              <text x={`${x(t)}%`} y={rows.length * rowH + 22} textAnchor={i === 0 ? 'start' : 'middle'}>
                {t} ms
              </text>
            </g>
          ))}
        </g>
      </svg>
    </div>
  )
}

export function RaceView(_props: ViewProps): JSX.Element {
  const loc = useLocalized()
  const run = useRunEvents()
  const model = useMemo(() => buildRace(run.events), [run])
  if (model.started === null) return <EmptyView view="race" text={S.empty} />
  const winner = raceWinner(model)
  const common = { t0: model.started, span: raceSpan(model), now: model.now }
  return (
    <div className="race-view" data-testid="view-race" data-finished={String(model.finished)}>
      <Side side={model.h1} {...common} title="HTTP/1.1" subtitle={loc(S.h1)} winner={winner === 'h1'} />
      <Side side={model.h2} {...common} title="HTTP/2" subtitle={loc(S.h2)} winner={winner === 'h2'} />
    </div>
  )
}
