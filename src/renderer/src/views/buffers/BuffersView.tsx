// Send and receive through queues (seed 003): for each sender, its bytes' way as vessels that fill
// and empty — the program's write() calls, the sender's own memory (Node's writableLength), the
// kernel's send queue, the receiver's advertised window, the kernel's receive queue, the receiving
// program — at the playback cursor, and the same queues over time below.
import { useMemo, type JSX } from 'react'
import { line, scaleLinear } from 'd3'
import type { Localized } from '@shared/events'
import { useLocalized } from '../../i18n'
import type { ViewProps } from '../view-props'
import { EmptyView } from '../EmptyView'
import { useRunEvents } from '../run-events'
import { buildBuffers, formatBytes, type BufferPoint, type SenderModel } from './model'
import './buffers.css'
import S from './strings.json'

interface Capacities {
  user: number
  send: number
  recv: number
}

/** The title, with the short form projector mode shows instead. */
function Title({ title, short }: { title: string; short?: string }): JSX.Element {
  if (!short) return <div className="buf-vessel-title">{title}</div>
  return (
    <div className="buf-vessel-title">
      <span className="long">{title}</span>
      <span className="short">{short}</span>
    </div>
  )
}

function Vessel({
  title,
  short,
  sub,
  value,
  capacity,
  kind,
  testid
}: {
  title: string
  short?: string
  sub?: string
  value: number | undefined
  capacity: number
  kind: string
  testid: string
}): JSX.Element {
  const fill = value === undefined ? 0 : Math.min(1, value / Math.max(1, capacity))
  return (
    <div className={`buf-vessel ${kind}`} data-testid={testid} data-bytes={value ?? ''}>
      <Title title={title} short={short} />
      {sub ? <div className="buf-vessel-sub">{sub}</div> : null}
      <div className="buf-tank">
        <div className="buf-fill" style={{ height: `${fill * 100}%` }} />
      </div>
      <div className="buf-vessel-value mono">{formatBytes(value)}</div>
    </div>
  )
}

function Progress({
  title,
  short,
  value,
  total,
  label,
  testid
}: {
  title: string
  short: string
  value: number
  total: number
  label: string
  testid: string
}): JSX.Element {
  return (
    <div className="buf-program" data-testid={testid} data-bytes={value}>
      <Title title={title} short={short} />
      <div className="buf-progress">
        <div
          className="buf-progress-fill"
          style={{ width: `${Math.min(100, (value / Math.max(1, total)) * 100)}%` }}
        />
      </div>
      <div className="buf-vessel-value mono">
        {formatBytes(value)} <span className="muted">{label}</span>
      </div>
    </div>
  )
}

function Pipeline({
  s,
  at,
  total,
  cap
}: {
  s: SenderModel
  at: BufferPoint | undefined
  total: number
  cap: Capacities
}): JSX.Element {
  const loc = useLocalized()
  const win = s.window.at(-1)
  const blocking = s.node === 'sender-blocking'
  return (
    <div
      className="buf-row"
      data-testid="buffers-sender"
      data-sender={s.node}
      data-waiting={String(at?.waiting ?? false)}
    >
      <div className="buf-row-title">
        {loc(blocking ? S.blockingSender : S.nonblockingSender)}
        {at && at.writeFalse > 0 ? (
          <span className="buf-badge false" data-testid="write-false">
            {loc(S.writeFalse)} ×{at.writeFalse}
          </span>
        ) : null}
        {at?.waiting ? <span className="buf-badge waiting">{loc(S.waiting)}</span> : null}
        {!blocking && at && at.userBuffer > 0 ? (
          <span className="buf-badge going">{loc(S.keepsGoing)}</span>
        ) : null}
      </div>
      <div className="buf-pipe">
        <Progress
          title={loc(S.program)}
          short={loc(S.programShort)}
          value={at?.written ?? 0}
          total={total}
          label={loc(S.wrote)}
          testid="buf-written"
        />
        <span className="buf-arrow">→</span>
        <Vessel
          title={loc(S.userBuffer)}
          short={loc(S.userShort)}
          sub={loc(S.userBufferSub)}
          value={at?.userBuffer}
          capacity={cap.user}
          kind="user"
          testid="buf-user"
        />
        <span className="buf-arrow">→</span>
        <Vessel
          title={loc(S.kernelSend)}
          short={loc(S.sendShort)}
          sub="Send-Q / tx_queue"
          value={at?.kernelSend}
          capacity={cap.send}
          kind="send"
          testid="buf-send"
        />
        <div
          className={`buf-window${win && win.window === 0 ? ' closed' : ''}`}
          data-testid="buf-window"
          data-window={win?.window ?? ''}
          data-modeled={String(win?.modeled ?? false)}
          title={win?.source}
        >
          <div className="buf-window-label">{loc(S.window)}</div>
          <div className="buf-window-value mono">{win ? formatBytes(win.window) : '—'}</div>
          {win?.window === 0 ? <div className="buf-window-note">{loc(S.closed)}</div> : null}
          {win?.modeled ? (
            <div className="buf-window-note modeled">{loc(S.modeled)}</div>
          ) : (
            <div className="buf-window-note muted">ss</div>
          )}
          <div className="buf-window-arrow">⟶</div>
        </div>
        <Vessel
          title={loc(S.kernelRecv)}
          short={loc(S.recvShort)}
          sub="Recv-Q / rx_queue"
          value={at?.kernelRecv}
          capacity={cap.recv}
          kind="recv"
          testid="buf-recv"
        />
        <span className="buf-arrow">→</span>
        <Progress
          title={loc(S.receiver)}
          short={loc(S.receiverShort)}
          value={at?.read ?? 0}
          total={total}
          label={loc(S.read)}
          testid="buf-read"
        />
      </div>
    </div>
  )
}

const SERIES: { key: keyof BufferPoint; label: Localized; cls: string }[] = [
  { key: 'userBuffer', label: S.userBuffer, cls: 'user' },
  { key: 'kernelSend', label: S.kernelSend, cls: 'send' },
  { key: 'kernelRecv', label: S.kernelRecv, cls: 'recv' }
]

function Chart({ s, span, max }: { s: SenderModel; span: number; max: number }): JSX.Element {
  const loc = useLocalized()
  const W = 600
  const H = 120
  const x = scaleLinear().domain([0, span]).range([0, W])
  const y = scaleLinear().domain([0, max]).range([H, 4])
  return (
    <div className="buf-chart" data-testid="buffers-chart" data-sender={s.node}>
      <div className="buf-chart-title">
        {loc(s.node === 'sender-blocking' ? S.blockingSender : S.nonblockingSender)} · {loc(S.overTime)}
      </div>
      <svg viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" className="buf-chart-svg">
        {SERIES.map(({ key, cls }) => {
          const pts = s.points.filter((p) => p[key] !== undefined)
          const d = line<BufferPoint>()
            .x((p) => x(p.ms))
            .y((p) => y(Number(p[key])))(pts)
          return d ? (
            <path key={key} d={d} className={`buf-line ${cls}`} vectorEffect="non-scaling-stroke" />
          ) : null
        })}
      </svg>
      <div className="buf-chart-legend">
        {SERIES.map(({ key, label, cls }) => (
          <span key={key} className={`buf-legend ${cls}`}>
            {loc(label)}
          </span>
        ))}
        <span className="muted">
          0–{(span / 1000).toFixed(1)} s · 0–{formatBytes(max)}
        </span>
      </div>
    </div>
  )
}

export function BuffersView(_props: ViewProps): JSX.Element {
  const loc = useLocalized()
  const run = useRunEvents()
  const model = useMemo(() => buildBuffers(run.events), [run])
  if (model.t0 === null)
    return <EmptyView view="buffers" text={S.empty} />
  const all = model.senders.flatMap((s) => s.points)
  const cap: Capacities = {
    user: Math.max(64 * 1024, ...all.map((p) => p.userBuffer)),
    send: Math.max(64 * 1024, ...all.map((p) => p.kernelSend ?? 0)),
    recv: Math.max(64 * 1024, ...all.map((p) => p.kernelRecv ?? 0))
  }
  const span = Math.max(1000, ...all.map((p) => p.ms))
  const max = Math.max(cap.user, cap.send, cap.recv)
  return (
    <div className="buffers-view" data-testid="view-buffers">
      {model.senders.map((s) => (
        <Pipeline key={s.node} s={s} at={s.points.at(-1)} total={model.total ?? 1} cap={cap} />
      ))}
      <div className="buf-charts">
        {model.senders.map((s) => (
          <Chart key={s.node} s={s} span={span} max={max} />
        ))}
      </div>
      <div className="buf-source muted">{model.senders[0].source ?? loc(S.notReadable)}</div>
    </div>
  )
}
