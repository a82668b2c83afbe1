// Blocking vs thread per client vs event loop, side by side on one time axis: each client is a
// lane — connecting (a dropped SYN retried a second later), waiting in the kernel's accept queue,
// being served, its reply — and above the lanes each server's accept queue as the kernel reported
// it, as slots filling and emptying. Replies one work-time apart on the left, together on the right.
import { useMemo, type JSX } from 'react'
import { scaleLinear, type ScaleLinear } from 'd3'
import type { Localized } from '@shared/events'
import { useLocalized } from '../../i18n'
import { useLab } from '../../store'
import { usePresenter } from '../../presenter/presenter-store'
import { useSize } from '../common/flight'
import type { ViewProps } from '../view-props'
import { EmptyView } from '../EmptyView'
import { useRunEvents } from '../run-events'
import { buildServers, queueAt, type Column, type Lane } from './model'
import './servers.css'
import S from './strings.json'

const SUB: Record<Column['model'], Localized> = {
  blocking: S.blockingSub,
  threads: S.threadsSub,
  'event-loop': S.loopSub
}
const secs = (ms: number): string => `${(ms / 1000).toFixed(2)} s`

/**
 * Time → x in percent of a lane's width `w` px, leaving room on the left for the lane label
 * ("#12") and on the right for the reply time ("12.34 s") at the labels' font size, so both stay
 * inside the drawing at any width.
 */
function useTimeScale(span: number, w: number): ScaleLinear<number, number> {
  const projector = usePresenter((s) => s.projector)
  const charPx = (projector ? 20 : 14) * 0.62
  const left = Math.min(20, ((4 * charPx + 6) / Math.max(1, w)) * 100)
  const right = Math.max(left + 20, 100 - ((8 * charPx + 8) / Math.max(1, w)) * 100)
  return scaleLinear().domain([0, span]).range([left, right])
}

function QueueSlots({ col, now }: { col: Column; now: number }): JSX.Element {
  const loc = useLocalized()
  if (!col.queue.length) return <div className="srv-queue muted">{loc(S.noQueue)}</div>
  const q = queueAt(col, now)
  // Linux holds backlog + 1 connections in the accept queue.
  const slots = (col.backlog ?? 0) + 1
  const shown = Math.min(Math.max(slots, q), 12)
  return (
    <div
      className="srv-queue"
      data-testid="queue-gauge"
      data-queue={q}
      data-backlog={col.backlog ?? ''}
      title={col.queueSource}
    >
      <span className="srv-queue-label">{loc(S.queue)}</span>
      <span className="srv-slots">
        {Array.from({ length: shown }, (_, i) => (
          <span key={i} className={`srv-slot${i < q ? ' full' : ''}${i >= slots ? ' over' : ''}`} />
        ))}
      </span>
      <span className="srv-queue-num mono">
        {q} {loc(S.queueOf)} {slots}
      </span>
      <span className="srv-queue-src muted">{col.queueSource}</span>
    </div>
  )
}

function LaneRow({
  lane,
  x,
  y,
  h,
  now
}: {
  lane: Lane
  x: (ms: number) => number
  y: number
  h: number
  now: number
}): JSX.Element {
  const loc = useLocalized()
  const end = (v: number | undefined): number => (v === undefined ? now : v)
  const connect = lane.connect ?? now
  const accepted = lane.accepted
  const select = (): void => {
    if (!lane.conn) return
    const s = useLab.getState()
    const idx = s.pdus.find((i) => {
      const e = s.events[i]
      return e.kind === 'pdu' && e.conn === lane.conn && !e.modeled && i < s.cursor
    })
    if (idx !== undefined) s.select(s.events[idx].seq, [0])
  }
  return (
    <g
      className={`srv-lane${lane.external ? ' external' : ''}`}
      data-testid="servers-lane"
      data-conn={lane.conn ?? ''}
      data-reply-ms={lane.reply === undefined ? '' : lane.reply.toFixed(0)}
      data-syn-retried={String(lane.synRetried)}
      onClick={select}
    >
      <text x="0.3%" y={y + h * 0.72} className="srv-lane-label">
        {lane.external ? '★' : lane.label.replace(/^.*client /, '#')}
        <title>{lane.external ? `${loc(S.you)}: ${lane.label}` : lane.label}</title>
      </text>
      {/* connecting: from the start to connect() returning */}
      <line
        x1={`${x(0)}%`}
        x2={`${x(connect)}%`}
        y1={y + h / 2}
        y2={y + h / 2}
        className={`srv-connecting${lane.synRetried ? ' retried' : ''}`}
      >
        <title>{loc(S.connecting)}</title>
      </line>
      {/* waiting in the accept queue */}
      {lane.connect !== undefined ? (
        <rect
          x={`${x(connect)}%`}
          y={y + 3}
          width={`${Math.max(0.2, x(end(accepted)) - x(connect))}%`}
          height={h - 6}
          className="srv-queued"
          rx={2}
        >
          <title>{`${loc(S.queued)}: ${secs(end(accepted) - connect)}`}</title>
        </rect>
      ) : null}
      {/* being served: accepted until the reply */}
      {accepted !== undefined ? (
        <rect
          x={`${x(accepted)}%`}
          y={y + 3}
          width={`${Math.max(0.2, x(end(lane.reply)) - x(accepted))}%`}
          height={h - 6}
          className="srv-served"
          rx={2}
        >
          <title>{`${loc(S.served)}: ${secs(end(lane.reply) - accepted)}`}</title>
        </rect>
      ) : null}
      {lane.reply !== undefined ? (
        <g>
          <circle cx={`${x(lane.reply)}%`} cy={y + h / 2} r={h * 0.28} className="srv-reply" />
          <text x={`${x(lane.reply) + 1}%`} y={y + h * 0.72} className="srv-reply-label">
            {secs(lane.reply)}
          </text>
        </g>
      ) : null}
      {lane.synRetried ? (
        <text x={`${x(0) + 0.3}%`} y={y + h * 0.7} className="srv-drop-mark">
          ✕ {loc(S.synDropped)}
        </text>
      ) : null}
    </g>
  )
}

function Band({ col, span, now }: { col: Column; span: number; now: number }): JSX.Element {
  const loc = useLocalized()
  // Wirelab's clients in their order, then anyone else's.
  const lanes = [...col.lanes].sort(
    (a, b) =>
      Number(a.external) - Number(b.external) || a.node.localeCompare(b.node, undefined, { numeric: true })
  )
  const h = Math.max(20, Math.min(30, 190 / Math.max(1, lanes.length)))
  const [box, size] = useSize<HTMLDivElement>()
  const x = useTimeScale(span, size.w)
  const height = lanes.length * h + 4
  const lastThreads = col.threads.filter((t) => t.ms <= now).at(-1)
  const startMs = col.threads.filter((t) => t.startMs !== undefined).map((t) => t.startMs!)
  return (
    <section className={`srv-band srv-${col.model}`} data-testid="servers-column" data-model={col.model}>
      <header className="srv-head">
        <div className="srv-title">
          {loc(S[col.model])}
          <span className="srv-port mono">:{col.port}</span>
        </div>
        <div className="srv-sub">{loc(SUB[col.model])}</div>
        <QueueSlots col={col} now={now} />
        {col.model === 'threads' && lastThreads ? (
          <div className="srv-threads" data-testid="threads-live" data-live={lastThreads.live}>
            {lastThreads.live} {loc(S.threadsLive)} · {lastThreads.rssMB} MB RSS
            {startMs.length
              ? ` · ~${Math.round(startMs.reduce((a, b) => a + b, 0) / startMs.length)} ms ${loc(S.threadStart)}`
              : ''}
          </div>
        ) : (
          <div className="srv-impl muted">{col.label}</div>
        )}
      </header>
      <div ref={box} className="srv-lanes">
        <svg className="srv-svg" width="100%" height={height}>
          <g className="srv-grid">
            {x.ticks(6).map((t) => (
              <line key={t} x1={`${x(t)}%`} x2={`${x(t)}%`} y1={0} y2={height} />
            ))}
          </g>
          {lanes.map((l, i) => (
            <LaneRow key={l.conn ?? i} lane={l} x={x} y={i * h} h={h} now={now} />
          ))}
        </svg>
      </div>
    </section>
  )
}

function Axis({ span }: { span: number }): JSX.Element {
  const [box, size] = useSize<HTMLDivElement>()
  const x = useTimeScale(span, size.w)
  return (
    <div className="srv-axis-row">
      <div />
      <div ref={box}>
        <svg className="srv-axis" width="100%" height={22}>
          {x.ticks(6).map((t) => (
            <text key={t} x={`${x(t)}%`} y={16} textAnchor="middle">
              {(t / 1000).toFixed(1)} s
            </text>
          ))}
        </svg>
      </div>
    </div>
  )
}

export function ServersView(_props: ViewProps): JSX.Element {
  const loc = useLocalized()
  const run = useRunEvents()
  const model = useMemo(() => buildServers(run.events), [run])
  if (model.t0 === null) return <EmptyView view="servers" text={S.empty} />
  const ends = model.columns.flatMap((c) => c.lanes.map((l) => l.reply ?? l.closed ?? model.now))
  const span = scaleLinear()
    .domain([0, Math.max(500, model.now, ...ends)])
    .nice()
    .domain()[1]
  return (
    <div className="servers-view" data-testid="view-servers">
      <div className="srv-legend">
        {/* Each key keeps its swatch: the legend wraps between keys, never inside one. */}
        {(['connecting', 'queued', 'served', 'reply'] as const).map((k) => (
          <span key={k} className="srv-legend-key">
            <span className={`srv-key ${k}`} /> {loc(S[k])}
          </span>
        ))}
        {model.overflows !== undefined ? (
          <span className={`srv-overflows${model.overflows ? '' : ' none'}`} data-testid="listen-overflows">
            · {model.overflows} {loc(S.overflows)}
          </span>
        ) : null}
      </div>
      <div className="srv-bands">
        {model.columns.map((c) => (
          <Band key={c.model} col={c} span={span} now={model.now} />
        ))}
        <Axis span={span} />
      </div>
    </div>
  )
}
