// Per-connection lanes: the driver's and each executor's requests as bars on one time axis (from
// the request to its answer, as the tap saw them). A throttled request (503 SlowDown, injected by
// the tap) is red, and the wait before its retry — the SDK's backoff with jitter — is drawn as a
// dashed line with its length in milliseconds.
import { useMemo, type JSX } from 'react'
import { scaleLinear } from 'd3'
import { useLocalized } from '../../i18n'
import { useLab } from '../../store'
import { usePresenter } from '../../presenter/presenter-store'
import { useSize } from '../common/flight'
import type { ViewProps } from '../view-props'
import { useRunEvents } from '../run-events'
import { EmptyView } from '../EmptyView'
import S from './strings.json'
import { buildS3Model, latestStep, type Request } from '../bytemap/model'
import { kindColor } from '../bytemap/palette'
import '../bytemap/bytemap.css'


const OP_SHORT: Record<string, string> = {
  HeadObject: 'HEAD',
  ListObjectsV2: 'LIST',
  GetObject: 'GET',
  UploadPart: 'PUT part',
  CreateMultipartUpload: 'POST uploads',
  CompleteMultipartUpload: 'POST complete'
}

function labelOf(r: Request): string {
  const op = OP_SHORT[r.op] ?? r.op
  if (r.status === 503) return `${op} → 503`
  if (r.op === 'GetObject') return r.kind === 'footer' ? 'footer' : r.kind
  if (r.op === 'UploadPart') return `${op} ${r.partNumber ?? ''}`
  return op
}

export function LanesView(_props: ViewProps): JSX.Element {
  const loc = useLocalized()
  const run = useRunEvents()
  const projector = usePresenter((s) => s.projector)
  const [box, size] = useSize<HTMLDivElement>()
  // The latest action only, on its own time axis.
  const m = useMemo(() => buildS3Model(latestStep(run.events, (e) => e.kind === 'pdu' && typeof e.keys?.s3 === 'string')), [run])
  if (m.lanes.length === 0 || m.t0 === null)
    return <EmptyView view="lanes" text={S.empty} />
  const t0 = m.t0
  const end = Math.max(...m.lanes.flatMap((l) => l.requests.map((r) => r.t1 ?? r.t0)))
  // Sized to the space there is: the lane names keep their column, the axis labels (as many as
  // fit side by side) stay inside the drawing.
  const fontPx = projector ? 18 : 13
  const charPx = fontPx * 0.62
  const w = Math.max(1, size.w - 20)
  const nameW = Math.max(...m.lanes.map((l) => l.label.length)) * charPx * (projector ? 1 : 14 / 13) + 8
  const tickW = 8 * charPx
  const left = Math.min(40, (nameW / w) * 100)
  const right = 100 - (tickW / 2 / w) * 100
  const ticks = Math.max(2, Math.min(6, Math.floor(((right - left) / 100) * w / (tickW + 10))))
  const x = scaleLinear()
    .domain([0, Math.max(5, end - t0)])
    .nice()
    .range([left, right])
  const rowH = 34
  const height = m.lanes.length * rowH + 30
  // A bar says what it is when its label fits inside it (0.72 of the font size per character covers
  // capitals): a connection's requests follow one another, so a label inside its bar never meets
  // the next one's. (Labelling every bar wider than 6% of the view let "HEAD" run over "footer" in
  // a narrow side panel.)
  const fits = (r: Request, a: number, b: number): boolean => ((b - a) / 100) * w >= labelOf(r).length * fontPx * 0.72 + 6
  return (
    <div className="lanes" data-testid="view-lanes" ref={box}>
      <svg width="100%" height={height}>
        {m.lanes.map((lane, i) => {
          const y = i * rowH
          return (
            <g key={lane.conn} data-testid="lane" data-conn={lane.conn} data-actor={lane.actor}>
              <text x="0" y={y + 21} className="lane-name">
                {lane.label}
              </text>
              {lane.requests.map((r, j) => {
                const a = x(r.t0 - t0)
                const b = x((r.t1 ?? r.t0) - t0)
                const prev = lane.requests
                  .slice(0, j)
                  .reverse()
                  .find((p) => p.status === 503 && p.op === r.op && p.key === r.key && p.first === r.first)
                return (
                  <g key={r.reqSeq}>
                    {prev && r.attempt > 1 && prev.t1 !== undefined ? (
                      <g data-testid="lane-backoff" data-ms={Math.round(r.t0 - prev.t1)}>
                        <line
                          x1={`${x(prev.t1 - t0)}%`}
                          x2={`${a}%`}
                          y1={y + 6}
                          y2={y + 6}
                          className="lane-backoff"
                        />
                        <text x={`${x(prev.t1 - t0)}%`} y={y + 4} className="lane-backoff-label">
                          {loc(S.backoff)} {Math.round(r.t0 - prev.t1)} ms
                        </text>
                      </g>
                    ) : null}
                    <rect
                      x={`${a}%`}
                      y={y + 9}
                      width={`${Math.max(0.4, b - a)}%`}
                      height={rowH - 14}
                      rx={2}
                      className={`lane-item${r.status === 503 ? ' refused' : ''}`}
                      fill={r.op === 'GetObject' ? kindColor(m.columns, r.kind) : 'var(--modeled)'}
                      data-testid="lane-item"
                      data-op={r.op}
                      data-status={r.status ?? ''}
                      data-attempt={r.attempt}
                      data-conn={r.conn}
                      onClick={() => useLab.getState().select(r.resSeq ?? r.reqSeq)}
                    >
                      <title>{`${r.op}${r.key ? ` ${r.key}` : ''}${r.first !== undefined ? ` bytes=${r.first}-${r.last}` : ''} → ${r.status ?? '…'}${r.error ? ` ${r.error}` : ''}${r.attempt > 1 ? ` (attempt ${r.attempt})` : ''} · ${r.t1 !== undefined ? `${(r.t1 - r.t0).toFixed(1)} ms` : '…'}`}</title>
                    </rect>
                    {fits(r, a, b) ? (
                      <text x={`${a + 0.4}%`} y={y + 25}>
                        {labelOf(r)}
                      </text>
                    ) : null}
                  </g>
                )
              })}
            </g>
          )
        })}
        <g className="lanes-axis">
          {x.ticks(ticks).map((t, _i, all) => (
            <g key={t}>
              <line x1={`${x(t)}%`} x2={`${x(t)}%`} y1={0} y2={m.lanes.length * rowH} />
              <text x={`${x(t)}%`} y={m.lanes.length * rowH + 20} textAnchor="middle">
                {all[all.length - 1] >= 5000 ? `${t / 1000} s` : `${t} ms`}
              </text>
            </g>
          ))}
        </g>
      </svg>
    </div>
  )
}
