// HTTP/2 stream lanes: one lane per stream id of ONE connection, frames placed in the order they
// crossed the wire (client → server in the upper half of a lane, server → client in the lower
// half), so DATA frames of different streams visibly interleave. Stream 0 is the connection lane
// (SETTINGS, PING, WINDOW_UPDATE, GOAWAY). Below, the connection's flow-control window for the
// server's data: falling with every DATA frame, refilled by WINDOW_UPDATE.
import { useEffect, useMemo, useRef, useState, type JSX } from 'react'
import { line, curveStepAfter, scaleLinear } from 'd3'
import { useLocalized } from '../../i18n'
import C from '../../i18n/common.json'
import { useLab } from '../../store'
import type { ViewProps } from '../view-props'
import { useRunEvents } from '../run-events'
import { TYPE_ABBR, buildStreams, headerChips, selectedConnection, shownHeaders, type LaneFrame } from './model'
import S from './strings.json'
import './streams.css'
import { DirArrow } from '../../shell/DirArrow'

const LABEL_W = 235
const MIN_STEP = 9
const MAX_STEP = 46
const CHART_H = 120

function useSize(): [React.RefObject<HTMLDivElement | null>, number, number] {
  const ref = useRef<HTMLDivElement>(null)
  const [size, setSize] = useState<[number, number]>([900, 500])
  useEffect(() => {
    const el = ref.current
    if (!el) return
    const measure = (): void => setSize([el.clientWidth, el.clientHeight])
    const ro = new ResizeObserver(measure)
    ro.observe(el)
    measure()
    return () => ro.disconnect()
  }, [])
  return [ref, size[0], size[1]]
}

export function StreamsView(_props: ViewProps): JSX.Element {
  const loc = useLocalized()
  const run = useRunEvents()
  const selectedSeq = useLab((s) => s.selectedSeq)
  const [picked, setPicked] = useState<string | null>(null)
  const selectedConn = useMemo(() => selectedConnection(run.pdus, selectedSeq), [run, selectedSeq])
  const model = useMemo(() => buildStreams(run.events, selectedConn ?? picked), [run, selectedConn, picked])
  const headersPdu = useMemo(() => shownHeaders(run.pdus, model.conn, selectedSeq), [run, model.conn, selectedSeq])
  const chips = useMemo(() => (headersPdu ? headerChips(headersPdu) : []), [headersPdu])
  const [boxRef, width, boxHeight] = useSize()
  const scroller = useRef<HTMLDivElement>(null)
  const plotW = Math.max(200, width - LABEL_W - 24)
  const step = Math.max(MIN_STEP, Math.min(MAX_STEP, plotW / Math.max(1, model.total)))
  // Frames are drawn from x = 0 of the scrolling part; the labels stay put on the left.
  const innerW = step * model.total + 16
  // Lanes share the height the panel has (taller lanes on a projector), within limits.
  const LANE_H = Math.round(Math.max(36, Math.min(64, (boxHeight - (headersPdu ? 190 : 90) - CHART_H - 30) / Math.max(1, model.lanes.length))))
  useEffect(() => {
    const el = scroller.current
    if (el) el.scrollLeft = el.scrollWidth
  }, [model.total])

  const maxWindow = Math.max(65_535, ...model.connWindow.map((p) => p.window))
  const minWindow = Math.min(0, ...model.connWindow.map((p) => p.window))
  const y = scaleLinear().domain([minWindow, maxWindow]).range([CHART_H - 18, 8])
  const xAt = (at: number): number => at * step + step / 2
  const points: [number, number][] = model.connWindow.length ? [[0, y(65_535)], ...model.connWindow.map((p): [number, number] => [xAt(p.at), y(p.window)]), [xAt(model.total - 1) + step / 2, y(model.connWindow.at(-1)!.window)]] : []
  const path = line().curve(curveStepAfter)(points) ?? ''

  if (!model.conn)
    return (
      <div className="h2-view" data-testid="view-streams" ref={boxRef}>
        <div className="hs-empty">{loc(S.empty)}</div>
      </div>
    )
  const streams = model.lanes.filter((l) => l.streamId !== 0)
  const frameMark = (f: LaneFrame, laneY: number): JSX.Element => {
    const half = LANE_H / 2 - 3
    const yy = laneY + (f.dir === 'c2s' ? 3 : LANE_H / 2)
    const w = Math.max(3, step - 2)
    const abbr = TYPE_ABBR[f.type] ?? '?'
    return (
      <g
        key={f.seq}
        className={`h2-frame t-${f.type} dir-${f.dir}${f.seq === selectedSeq ? ' selected' : ''}${f.endStream ? ' end' : ''}`}
        data-testid="lane-frame"
        data-type={f.type}
        data-stream={f.streamId}
        data-dir={f.dir}
        data-at={f.at}
        onClick={() => useLab.getState().select(f.seq, null)}
      >
        <title>{`${f.dir === 'c2s' ? '→' : '←'} ${f.summary}`}</title>
        <rect x={f.at * step + 1} y={yy} width={w} height={half} rx={2} />
        {w >= 14 ? (
          <text x={f.at * step + 1 + w / 2} y={yy + half / 2 + 5} textAnchor="middle">
            {abbr}
          </text>
        ) : null}
      </g>
    )
  }
  const height = model.lanes.length * LANE_H + 30
  return (
    <div className="h2-view" data-testid="view-streams" data-conn={model.conn} data-streams={streams.length} data-interleaved={model.interleaved} ref={boxRef}>
      <div className="h2-head">
        {model.connections.length > 1 ? (
          <label className="h2-conn">
            {loc(C.connection)}{' '}
            <select data-testid="streams-conn" value={model.conn} onChange={(e) => setPicked(e.target.value)}>
              {model.connections.map((c) => (
                <option key={c.conn} value={c.conn}>
                  {c.label} · {c.frames} frames
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <span className="h2-stat" data-testid="streams-count">
          <b>{streams.length}</b> {loc(S.streams)}
        </span>
        <span className="h2-stat">
          {loc(S.interleaved)} <b>{model.interleaved}</b> {loc(S.times)}
        </span>
        {model.hpack.c2s || model.hpack.s2c ? (
          <span className="h2-stat" data-testid="streams-hpack">
            {loc(S.hpack)}: <span className="dir-c2s"><DirArrow dir="c2s" /> {model.hpack.c2s?.entries ?? 0} {loc(S.entries)}, {model.hpack.c2s?.size ?? 0} B</span> · <span className="dir-s2c"><DirArrow dir="s2c" /> {model.hpack.s2c?.entries ?? 0} {loc(S.entries)}, {model.hpack.s2c?.size ?? 0} B</span>
          </span>
        ) : null}
      </div>
      {headersPdu ? (
        <div className="h2-hpack" data-testid="streams-hpack-block" data-seq={headersPdu.seq}>
          <span className="h2-hpack-title">
            {loc(S.headersOf)} <DirArrow dir={headersPdu.dir} /> HEADERS[{String(headersPdu.keys?.streamId)}]
          </span>
          {chips.map((c, i) => (
            <span key={i} className={`h2-chip k-${c.kind}`} data-testid="hpack-chip" data-kind={c.kind} title={c.where}>
              <b>{c.name}</b> {c.value.length > 28 ? c.value.slice(0, 27) + '…' : c.value}
              <small>{c.kind === 'indexed' ? c.where.replace('static', 'static #').replace('dynamic', 'dyn #') : c.kind === 'literal-indexed' ? '+table' : c.kind === 'size-update' ? '' : 'literal'}</small>
            </span>
          ))}
          <span className="h2-hpack-legend">
            <span className="h2-chip k-indexed">{loc(S.indexed)}</span> <span className="h2-chip k-literal-indexed">{loc(S.added)}</span> <span className="h2-chip k-literal">{loc(S.literal)}</span> · {loc(S.tableAfter)}: {String(headersPdu.keys?.hpackTableEntries ?? 0)} {loc(S.entries)}, {String(headersPdu.keys?.hpackTableSize ?? 0)} B
          </span>
        </div>
      ) : null}
      <div className="h2-body">
        <svg width={LABEL_W} height={height + CHART_H + 30} className="h2-svg h2-labels">
          {model.lanes.map((l, i) => {
            const laneY = 24 + i * LANE_H
            return (
              <g key={l.streamId} className={`h2-lane${l.streamId === 0 ? ' conn' : ''}`}>
                <rect x={0} y={laneY} width={LABEL_W} height={LANE_H - 2} className="h2-lane-bg" />
                <text x={8} y={laneY + LANE_H / 2 - 4} className="h2-lane-label">
                  {l.streamId === 0 ? loc(S.lane0) : `stream ${l.streamId}${l.path ? ` ${l.path}` : ''}`}
                </text>
                <text x={8} y={laneY + LANE_H / 2 + 14} className="h2-lane-sub">
                  {l.streamId === 0
                    ? 'SETTINGS · PING · WU · GOAWAY'
                    : `${l.status ? `:status ${l.status}` : (l.method ?? '')}${l.reset ? ` RST ${l.reset}` : ''}${l.window !== undefined ? ` · ${loc(S.streamWindow)} ${l.window}` : ''}${l.ended ? ' ✓' : ''}`}
                </text>
              </g>
            )
          })}
          {points.length ? (
            <g transform={`translate(0, ${height})`}>
              <text x={8} y={20} className="h2-lane-label">
                {loc(S.windowTitle)}
              </text>
              <text x={8} y={40} className="h2-lane-sub">
                {loc(S.window)}
              </text>
              <text x={8} y={64} className="h2-lane-label h2-window-value">
                {model.connWindow.at(-1)!.window} B
              </text>
            </g>
          ) : null}
        </svg>
        <div className="h2-scroll" ref={scroller} data-scroll-x>
          <svg width={innerW} height={height + CHART_H + 30} className="h2-svg">
            <text x={4} y={16} className="h2-axis">
              {loc(S.wire)} <tspan className="dir-c2s">▲ {loc(C.dir.c2s)}</tspan> <tspan className="dir-s2c">▼ {loc(C.dir.s2c)}</tspan>
            </text>
            {model.lanes.map((l, i) => {
              const laneY = 24 + i * LANE_H
              return (
                <g key={l.streamId} data-testid="stream-lane" data-stream-id={l.streamId} className={`h2-lane${l.streamId === 0 ? ' conn' : ''}`}>
                  <rect x={0} y={laneY} width={innerW} height={LANE_H - 2} className="h2-lane-bg" />
                  <line x1={0} x2={innerW} y1={laneY + LANE_H / 2 - 1} y2={laneY + LANE_H / 2 - 1} className="h2-lane-mid" />
                  {l.frames.map((f) => frameMark(f, laneY))}
                </g>
              )
            })}
            {points.length ? (
              <g transform={`translate(0, ${height})`} data-testid="streams-window">
                <line x1={0} x2={innerW} y1={y(0)} y2={y(0)} className="h2-lane-mid" />
                <path d={path} className="h2-window" />
                {model.connWindow
                  .filter((p) => p.type === 'WINDOW_UPDATE')
                  .map((p) => (
                    <text key={p.at} x={xAt(p.at)} y={y(p.window) - 4} textAnchor="middle" className="h2-wu">
                      WU
                    </text>
                  ))}
              </g>
            ) : null}
          </svg>
        </div>
      </div>
    </div>
  )
}
