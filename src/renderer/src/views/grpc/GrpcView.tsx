// gRPC calls: one lane per call (= one HTTP/2 stream) of one connection, with its call type, its
// messages as they flowed both ways (client → server above the lane's middle line, server → client
// below), the client's half-close, and how it ended (trailers with grpc-status, or a reset). Below,
// the selected message unwrapped layer by layer.
import { useEffect, useMemo, useRef, useState, type JSX } from 'react'
import type { Localized } from '@shared/events'
import { useLocalized } from '../../i18n'
import { useLab } from '../../store'
import type { ViewProps } from '../view-props'
import { useRunEvents } from '../run-events'
import { UnwrapView } from '../unwrap/UnwrapView'
import { CALL_SHAPE, buildCalls, type CallLane, type LaneItem } from './model'
import C from '../../i18n/common.json'
import S from './strings.json'
import './grpc.css'

const MIN_STEP = 30
const MAX_STEP = 64

/** The box's width and the root font size (1rem in px: larger in projector mode). */
function useWidth(): [React.RefObject<HTMLDivElement | null>, number, number] {
  const ref = useRef<HTMLDivElement>(null)
  const [size, setSize] = useState<[number, number]>([900, 17])
  useEffect(() => {
    const el = ref.current
    if (!el) return
    const measure = (): void =>
      setSize([el.clientWidth, parseFloat(getComputedStyle(document.documentElement).fontSize) || 17])
    const ro = new ResizeObserver(measure)
    ro.observe(el)
    measure()
    return () => ro.disconnect()
  }, [])
  return [ref, size[0], size[1]]
}

function glyph(i: LaneItem): string {
  switch (i.kind) {
    case 'call':
    case 'headers':
      return 'H'
    case 'message':
      return `#${i.index ?? '?'}`
    case 'half-close':
      return '⊣'
    case 'reset':
      return '✕'
    case 'status':
      return i.summary.includes('status OK') ? '✓' : '✗'
  }
}

function statusText(l: CallLane, loc: (x: Localized) => string): { text: string; cls: string } {
  if (l.statusName)
    return {
      text: `${l.statusName}${l.grpcMessage ? `: ${l.grpcMessage}` : ''}`,
      cls: l.status === 0 ? 'ok' : 'bad'
    }
  if (l.reset) return { text: `RST_STREAM ${l.reset}`, cls: 'bad' }
  return { text: loc(S.open), cls: 'open' }
}

export function GrpcView(props: ViewProps): JSX.Element {
  const loc = useLocalized()
  const run = useRunEvents()
  const selectedSeq = useLab((s) => s.selectedSeq)
  const [picked, setPicked] = useState<string | null>(null)
  const selectedConn = useMemo(
    () => run.pdus.find((p) => p.seq === selectedSeq && p.protocol === 'grpc')?.conn ?? null,
    [run, selectedSeq]
  )
  const model = useMemo(() => buildCalls(run.events, selectedConn ?? picked), [run, selectedConn, picked])
  const [boxRef, width, rem] = useWidth()
  const scroller = useRef<HTMLDivElement>(null)
  // Lanes and labels grow with the type (projector mode).
  const LABEL_W = Math.round(17.5 * rem)
  // Two lines of label (method, call type) and the two halves of the track: tighter on a
  // projector, where the lanes share a short stage with the unwrap below.
  const LANE_H = Math.round((rem >= 20 ? 3 : 3.9) * rem)
  const step = Math.max(MIN_STEP, Math.min(MAX_STEP, (width - LABEL_W - 24) / Math.max(1, model.total)))
  const innerW = step * model.total + 20
  useEffect(() => {
    const el = scroller.current
    if (el) el.scrollLeft = el.scrollWidth
  }, [model.total])
  const height = model.lanes.length * LANE_H + 12

  const item = (it: LaneItem, laneY: number, streamId: number): JSX.Element => {
    const half = LANE_H / 2 - 5
    const y = laneY + (it.dir === 'c2s' ? 4 : LANE_H / 2)
    const w = Math.max(18, step - 6)
    const x = it.at * step + 3
    return (
      <g
        key={it.seq}
        className={`gr-item k-${it.kind} dir-${it.dir}${it.malformed ? ' bad' : ''}${it.seq === selectedSeq ? ' selected' : ''}`}
        data-testid="grpc-item"
        data-kind={it.kind}
        data-dir={it.dir}
        data-stream={streamId}
        onClick={() => useLab.getState().select(it.seq, null)}
      >
        <title>{`${it.dir === 'c2s' ? '→' : '←'} ${it.summary}`}</title>
        <rect x={x} y={y} width={w} height={half} rx={it.kind === 'status' ? 10 : 3} />
        <text x={x + w / 2} y={y + half / 2 + 6} textAnchor="middle">
          {glyph(it)}
        </text>
      </g>
    )
  }

  return (
    <div
      className="gr-view"
      data-testid="view-grpc"
      data-conn={model.conn ?? ''}
      data-calls={model.lanes.length}
    >
      <div className="gr-lanes" ref={boxRef}>
        {!model.conn ? (
          <div className="gr-empty">{loc(S.empty)}</div>
        ) : (
          <>
            <div className="gr-head">
              {model.connections.length > 1 ? (
                <label className="gr-conn">
                  {loc(C.connection)}{' '}
                  <select
                    data-testid="grpc-conn"
                    value={model.conn}
                    onChange={(e) => setPicked(e.target.value)}
                  >
                    {model.connections.map((c) => (
                      <option key={c.conn} value={c.conn}>
                        {c.label} · {c.calls}
                      </option>
                    ))}
                  </select>
                </label>
              ) : null}
              <span className="gr-stat" data-testid="grpc-count">
                <b>{model.lanes.length}</b> {loc(S.calls)}
              </span>
              <span className="gr-legend">{loc(S.legend)}</span>
              {/* How to read the lanes, with the legend: it wraps with the head instead of running past the drawing. */}
              <span className="gr-legend gr-axis-key">
                {loc(S.wire)} <span className="dir-c2s">▲ {loc(C.dir.c2s)}</span> <span className="dir-s2c">▼ {loc(C.dir.s2c)}</span>
              </span>
            </div>
            <div className="gr-body" ref={scroller}>
              <div className="gr-labels" style={{ width: LABEL_W }}>
                <div className="gr-axis-pad" />
                {model.lanes.map((l) => {
                  const st = statusText(l, loc)
                  return (
                    <div
                      key={l.streamId}
                      className="gr-label"
                      style={{ height: LANE_H }}
                      title={`${l.method} stream ${l.streamId} · ${l.callType ? `${loc(S.callType[l.callType])} ${CALL_SHAPE[l.callType]}` : loc(S.unknown)}${l.timeoutMs !== undefined ? ` ${loc(S.deadline)} ${l.timeoutMs} ms` : ''} ${st.text}`}
                      data-testid="grpc-lane"
                      data-stream={l.streamId}
                      data-call-type={l.callType ?? ''}
                      data-status={l.statusName ?? l.reset ?? ''}
                    >
                      <div className="gr-method">
                        <span className="mono">{l.method}</span>{' '}
                        <span className="gr-sid">stream {l.streamId}</span>
                      </div>
                      <div className="gr-sub">
                        <span className="gr-type">
                          {l.callType
                            ? `${loc(S.callType[l.callType])} ${CALL_SHAPE[l.callType]}`
                            : loc(S.unknown)}
                        </span>
                        {l.timeoutMs !== undefined ? (
                          <span className="gr-deadline">
                            {' '}
                            {loc(S.deadline)} {l.timeoutMs} ms
                          </span>
                        ) : null}{' '}
                        <span className={`gr-status ${st.cls}`} title={st.text}>
                          {st.text}
                        </span>
                      </div>
                    </div>
                  )
                })}
              </div>
              <div className="gr-track">
                <svg width={innerW} height={height} className="gr-svg">
                  {model.lanes.map((l, i) => {
                    const laneY = 8 + i * LANE_H
                    return (
                      <g key={l.streamId} data-stream={l.streamId}>
                        <rect x={0} y={laneY} width={innerW} height={LANE_H - 3} className="gr-lane-bg" />
                        <line
                          x1={0}
                          x2={innerW}
                          y1={laneY + LANE_H / 2 - 1}
                          y2={laneY + LANE_H / 2 - 1}
                          className="gr-lane-mid"
                        />
                        {l.items.map((it) => item(it, laneY, l.streamId))}
                      </g>
                    )
                  })}
                </svg>
              </div>
            </div>
          </>
        )}
      </div>
      <div className="gr-unwrap">
        <div className="gr-unwrap-title">{loc(S.unwrap)}</div>
        <UnwrapView {...props} />
      </div>
    </div>
  )
}
