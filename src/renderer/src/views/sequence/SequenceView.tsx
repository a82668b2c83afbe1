// Sequence diagram: one lifeline per actor, one row per connection event or PDU, newest at the
// bottom. SVG drawn by React with d3 scales; only the rows in the viewport are drawn.
import { memo, useEffect, useLayoutEffect, useMemo, useRef, useState, type JSX } from 'react'
import { scalePoint } from 'd3'
import { lowerBound, useLab } from '../../store'
import { useLocalized } from '../../i18n'
import C from '../../i18n/common.json'
import { flightMs } from '../../playback/clock'
import { useFollow } from '../common/follow'
import { usePresenter } from '../../presenter/presenter-store'
import type { ViewProps } from '../view-props'
import { firstPayloadPath } from '../fields'
import { faultText, relTime, ROW_H, type Actor, type Row } from './model'
import { useSequenceModel } from './use-sequence-model'
import S from './strings.json'
import { fitLabels } from './fit-labels'

const OVERSCAN = 600
/** Room for the time column at the left, in root-font units (104 px at 17 px, more in projector mode). */
const GUTTER_EM = 6.1
/**
 * The narrowest lane, in the same units (about 94 px at 17 px): a head narrower than that shows
 * no name. Past as many actors as fit, the diagram scrolls sideways (heads with it) instead;
 * not in projector mode, where nobody scrolls sideways to read a label: the lanes close up
 * there, and the heads' names take two lines.
 */
const MIN_LANE_EM = 5.5

const isLoopback = (host: string): boolean => host === '127.0.0.1' || host === '::1' || host === 'localhost'

/** Arrowheads: filled for client → server and resets, open (and larger) for server → client. */
const MARKERS = [
  { id: 'c2s', size: 11, path: 'M0,0 L12,6 L0,12 z' },
  { id: 's2c', size: 12, path: 'M1,1 L11,6 L1,11' },
  { id: 'rst', size: 11, path: 'M0,0 L12,6 L0,12 z' }
]

export function SequenceView(_props: ViewProps): JSX.Element {
  const loc = useLocalized()
  const { model, version } = useSequenceModel()
  const selectedSeq = useLab((s) => s.selectedSeq)
  const playing = useLab((s) => s.playing)
  const speed = useLab((s) => s.speed)
  const movedAt = useLab((s) => s.movedAt)
  const projector = usePresenter((p) => p.projector)
  const scroller = useRef<HTMLDivElement>(null)
  const svg = useRef<SVGSVGElement>(null)
  const heads = useRef<HTMLDivElement>(null)
  const [width, setWidth] = useState(800)
  const [gutter, setGutter] = useState(104)
  // Follows the newest row while the person has not scrolled up.
  const { view: viewport, stickRef, topOf, onScroll } = useFollow(scroller, version, { top: 0, height: 600 })

  useLayoutEffect(() => {
    const el = scroller.current
    if (!el) return
    const ro = new ResizeObserver(() => {
      setWidth(el.clientWidth)
      setGutter(Math.round(GUTTER_EM * parseFloat(getComputedStyle(document.documentElement).fontSize)))
    })
    ro.observe(el)
    return () => ro.disconnect()
  }, [])

  const actors = useMemo(() => model.orderedActors(), [model, version]) // eslint-disable-line react-hooks/exhaustive-deps
  // As wide as the panel, or wider when the lanes would be too narrow to name their actors.
  const wide = projector ? width : Math.max(width, gutter + actors.length * Math.round((gutter / GUTTER_EM) * MIN_LANE_EM) + 24)
  const x = useMemo(
    () =>
      scalePoint<string>()
        .domain(actors.map((a) => a.id))
        .range([gutter, Math.max(gutter + 200, wide - 24)])
        .padding(0.5),
    [actors, wide, gutter]
  )
  const laneX = (id: string): number => x(id) ?? gutter
  // The heads follow the diagram's sideways scroll (set directly: no render per scroll event). A
  // diagram as wide as its panel reads nothing from the page here (this runs with every render).
  const alignHeads = (): void => {
    const el = scroller.current
    const h = heads.current
    if (!el || !h) return
    const left = wide > width ? el.scrollLeft : 0
    const t = left ? `translateX(${-left}px)` : ''
    if (h.style.transform !== t) h.style.transform = t
  }
  useLayoutEffect(alignHeads)
  /** Scrolls sideways, when the diagram is wider than its panel, until `row`'s lanes are in view. */
  const reveal = (row: Row | undefined): void => {
    const el = scroller.current
    if (wide <= width || !el || !row) return
    const ends = row.kind === 'conn' ? [row.conn.from, row.conn.to] : [row.from, row.to]
    const xs = ends.map(laneX)
    const lo = Math.min(...xs) - 48
    const hi = Math.max(...xs) + 48
    if (lo >= el.scrollLeft && hi <= el.scrollLeft + el.clientWidth) return
    el.scrollLeft = Math.max(0, Math.min(wide - el.clientWidth, (lo + hi) / 2 - el.clientWidth / 2))
    alignHeads()
  }
  // Following: the newest row's lanes come into view with it.
  useLayoutEffect(() => {
    if (stickRef.current) reveal(model.rows[model.rows.length - 1])
  }, [version, wide]) // eslint-disable-line react-hooks/exhaustive-deps
  const total = model.rowTop[model.rows.length] + 24
  const t0 = model.rows.length ? model.rows[0].t : 0

  // A selection made elsewhere (the packet list) scrolls its arrow into view.
  useEffect(() => {
    const el = scroller.current
    if (!el || selectedSeq === null) return
    let r = model.rows.length - 1
    for (; r >= 0; r--) {
      const row = model.rows[r]
      if (row.kind === 'arrow' && row.seq === selectedSeq) break
    }
    if (r < 0) return
    reveal(model.rows[r])
    const y = model.rowTop[r]
    if (y < el.scrollTop || y + ROW_H.arrow > el.scrollTop + el.clientHeight) {
      stickRef.current = r === model.rows.length - 1
      el.scrollTop = Math.max(0, y - el.clientHeight / 2)
    }
  }, [selectedSeq]) // eslint-disable-line react-hooks/exhaustive-deps

  const top = topOf(total)
  const first = Math.max(0, lowerBound(model.rowTop, top - OVERSCAN) - 1)
  const last = Math.min(model.rows.length, lowerBound(model.rowTop, top + viewport.height + OVERSCAN))
  const visible = model.rows.slice(first, last)
  const newest = model.rows.length - 1

  // Labels stay inside the diagram and clear of the time column, however close the lanes are.
  useLayoutEffect(() => fitLabels(svg.current, gutter - 6, wide - 4))

  return (
    <div className="seq" data-testid="view-sequence">
      <div className="seq-heads">
        <div className="seq-heads-track" ref={heads}>
          {actors.map((a) => (
            <ActorHead key={a.id} actor={a} sig={actorSig(a)} x={laneX(a.id)} width={Math.min(320, x.step() - 10)} />
          ))}
        </div>
      </div>
      <div
        className="seq-scroll"
        ref={scroller}
        data-wide={wide > width ? 'true' : 'false'}
        onScroll={() => {
          alignHeads()
          onScroll()
        }}
      >
        {model.rows.length === 0 ? (
          <div className="empty" data-testid="seq-empty">
            {loc(S.empty)}
          </div>
        ) : null}
        <svg ref={svg} width={wide} height={total} className="seq-svg" role="img" aria-label={loc(C.dir.c2s)}>
          <defs>
            {MARKERS.map((m) => (
              <marker
                key={m.id}
                id={`head-${m.id}`}
                viewBox="0 0 12 12"
                refX="11"
                refY="6"
                markerWidth={m.size}
                markerHeight={m.size}
                orient="auto-start-reverse"
              >
                <path d={m.path} className={`head-${m.id}`} />
              </marker>
            ))}
          </defs>
          {actors.map((a) => (
            <line
              key={a.id}
              className={`lifeline role-${a.role}`}
              x1={laneX(a.id)}
              x2={laneX(a.id)}
              y1={0}
              y2={total}
            />
          ))}
          {visible.map((row, k) => {
            const i = first + k
            const y = model.rowTop[i]
            return (
              <RowMark
                key={row.idx}
                row={row}
                y={y}
                laneX={laneX}
                t0={t0}
                width={wide}
                selected={row.kind === 'arrow' && row.seq === selectedSeq}
                fly={playing && i === newest ? flightMs(speed) : 0}
                movedAt={movedAt}
              />
            )
          })}
        </svg>
      </div>
      <Legend />
    </div>
  )
}

/** What a head shows of its actor: it redraws when this changes, not with every refresh. */
const actorSig = (a: Actor): string => `${a.role}|${a.external}|${a.host}|${a.ports.join(',')}|${a.label}|${JSON.stringify(a.text ?? '')}`

const ActorHead = memo(
  ActorHeadOf,
  (a, b) => a.sig === b.sig && a.x === b.x && a.width === b.width
)

function ActorHeadOf({ actor, x, width }: { actor: Actor; sig: string; x: number; width: number }): JSX.Element {
  const loc = useLocalized()
  const isServer = actor.role === 'server' || actor.role === 'broker'
  const port = actor.ports.length ? actor.ports[actor.ports.length - 1] : undefined
  const addr = port !== undefined ? `${actor.host ?? '127.0.0.1'}:${port}` : ''
  const name = actor.external ? loc(S.external) : actor.text ? loc(actor.text) : actor.label
  return (
    <div
      className={`actor role-${actor.role}${actor.external ? ' external' : ''}`}
      style={{ left: x - width / 2, width }}
      data-testid="seq-actor"
      data-actor={actor.id}
      data-external={actor.external ? 'true' : 'false'}
      title={`${name}\n${actor.ports.length > 1 ? actor.ports.join(', ') : addr}`}
    >
      {/* Sized so its longest word fits the head's width: "Dashboard" shrinks a little rather than break. */}
      <div className="actor-name" style={{ fontSize: `clamp(12px, ${Math.round((width - 20) / (Math.max(4, ...name.split(/\s+/).map((w) => w.length)) * 0.64))}px, 1rem)` }}>
        {name}
      </div>
      <div className="actor-addr" data-testid="seq-actor-addr">
        {(actor.external || isServer) && addr ? (
          <>
            <span className="addr-full">{addr}</span>
            <span className="addr-port">:{port}</span>
          </>
        ) : port !== undefined ? (
          `:${port}`
        ) : (
          '—'
        )}
      </div>
    </div>
  )
}

interface RowProps {
  row: Row
  y: number
  t0: number
  width: number
  laneX: (id: string) => number
  selected: boolean
  /** Flight duration when this is the newest row during playback, else 0. */
  fly: number
  movedAt: number
}

function RowMark({ row, y, t0, width, laneX, selected, fly, movedAt }: RowProps): JSX.Element | null {
  const loc = useLocalized()
  const fit = (x: number): { x: number; 'data-fit': number } => ({ x, 'data-fit': x })
  const groupRef = useRef<SVGGElement>(null)
  const dotRef = useRef<SVGCircleElement>(null)
  // The flight (by its start, movedAt) whose dot has landed: the dot leaves the diagram then,
  // even while playback stays on this row (live, or after a checkpoint's reveal).
  const [landed, setLanded] = useState<number | null>(null)
  const fromX = row.kind === 'conn' ? laneX(row.conn.from) : laneX(row.from)
  const toX = row.kind === 'conn' ? laneX(row.conn.to) : laneX(row.to)

  useEffect(() => {
    if (!fly || row.kind !== 'arrow') return
    const remaining = movedAt + fly - performance.now()
    if (remaining < 80) {
      const gone = setTimeout(() => setLanded(movedAt), 0)
      return () => clearTimeout(gone)
    }
    const g = groupRef.current
    const dot = dotRef.current
    const opts = { duration: remaining * 0.85, easing: 'cubic-bezier(.3,.1,.3,1)' }
    g?.animate([{ transform: 'scaleX(0)' }, { transform: 'scaleX(1)' }], opts)
    dot?.animate(
      [
        { transform: 'translateX(0px)', opacity: 1 },
        { transform: `translateX(${toX - fromX}px)`, opacity: 1 },
        { transform: `translateX(${toX - fromX}px)`, opacity: 0 }
      ],
      { ...opts, fill: 'forwards' }
    )
    const done = setTimeout(() => setLanded(movedAt), opts.duration + 20)
    return () => clearTimeout(done)
  }, [fly, movedAt, row.kind, toX, fromX])

  if (row.kind === 'conn') {
    const c = row.conn
    const lo = Math.min(fromX, toX)
    const hi = Math.max(fromX, toX)
    return (
      <g className={`row-conn transport-${c.transport}`} data-testid="seq-conn" data-conn={c.conn}>
        {/* Loopback addresses are shortened to their ports on the band; the full ones on hover. */}
        <title>{`${c.client.host}:${c.client.port} ⇄ ${c.server.host}:${c.server.port}`}</title>
        <rect x={lo - 60} y={y + 6} width={hi - lo + 120} height={24} rx={6} className="conn-band" />
        <text {...fit((lo + hi) / 2)} y={y + 23} className="conn-text" textAnchor="middle">
          {`${c.transport.toUpperCase()} · ${loc(S.connection, { conn: c.conn })} · ${
            isLoopback(c.client.host) && isLoopback(c.server.host)
              ? `:${c.client.port} ⇄ :${c.server.port}`
              : `${c.client.host}:${c.client.port} ⇄ ${c.server.host}:${c.server.port}`
          }`}
        </text>
        <text x={8} y={y + 23} className="time">
          {relTime(row.t, t0)}
        </text>
      </g>
    )
  }
  if (row.kind === 'close') {
    const lo = Math.min(fromX, toX)
    const hi = Math.max(fromX, toX)
    return (
      <g className={`row-close how-${row.how}`} data-testid="seq-close" data-conn={row.conn}>
        <line x1={lo} x2={hi} y1={y + 28} y2={y + 28} className="close-line" />
        <text {...fit((lo + hi) / 2)} y={y + 22} className="close-text" textAnchor="middle">
          {loc(S.closed, { conn: row.conn, by: row.by, how: row.how.toUpperCase() })}
        </text>
        <text x={8} y={y + 26} className="time">
          {relTime(row.t, t0)}
        </text>
      </g>
    )
  }
  const lineY = y + 34
  const cls = row.rst ? 'rst' : row.dir
  const dirSign = toX >= fromX ? 1 : -1
  const mid = (fromX + toX) / 2
  const select = (): void => {
    const s = useLab.getState()
    const i = s.bySeq.get(row.seq)
    const e = i !== undefined ? s.events[i] : undefined
    s.select(row.seq, e && e.kind === 'pdu' ? firstPayloadPath(e.fields) : null)
  }
  return (
    <g
      className={`row-arrow dir-${row.dir}${row.modeled ? ' modeled' : ''}${row.rst ? ' rst' : ''}${selected ? ' selected' : ''}${row.malformed ? ' malformed' : ''}${row.fault ? ` fault-${row.fault.kind}` : ''}`}
      data-testid="seq-arrow"
      data-seq={row.seq}
      data-conn={row.conn}
      data-dir={row.dir}
      data-label={row.label}
      data-modeled={row.modeled ? 'true' : 'false'}
      data-protocol={row.protocol}
      data-fault={row.fault?.kind}
      onClick={select}
      role="button"
      aria-label={`${row.label} ${row.detail}`}
    >
      <rect x={0} y={y} width={width} height={ROW_H.arrow} className="row-hit" />
      {selected ? (
        <rect
          x={Math.min(fromX, toX) - 8}
          y={y + 1}
          width={Math.abs(toX - fromX) + 16}
          height={ROW_H.arrow - 1}
          rx={8}
          className="sel-bg"
        />
      ) : null}
      <text x={8} y={lineY + 5} className="time">
        {relTime(row.t, t0)}
      </text>
      <g ref={groupRef} style={{ transformOrigin: `${fromX}px ${lineY}px`, transformBox: 'view-box' }}>
        {row.fault?.kind === 'drop' ? (
          <>
            {/* Lost on the way: the arrow stops halfway, crossed out. */}
            <line x1={fromX} x2={mid} y1={lineY} y2={lineY} className={`arrow-line ${cls} lost-line`} />
            <path d={`M${mid - 9},${lineY - 9} L${mid + 9},${lineY + 9} M${mid - 9},${lineY + 9} L${mid + 9},${lineY - 9}`} className="lost-mark" />
          </>
        ) : (
          <line
            x1={fromX}
            x2={toX - dirSign * 2}
            y1={lineY}
            y2={lineY}
            className={`arrow-line ${cls}`}
            markerEnd={`url(#head-${cls})`}
          />
        )}
      </g>
      {fly && landed !== movedAt ? (
        <circle ref={dotRef} cx={fromX} cy={lineY} r={7} opacity={0} className={`flight ${cls}`} />
      ) : null}
      <text {...fit(mid)} y={lineY - 10} textAnchor="middle" className="arrow-label" data-testid="seq-arrow-label">
        {row.label}
        {row.echo ? <tspan className="echo-tag">{`  ↩ ${loc(S.echo)}`}</tspan> : null}
        {row.modeled ? <tspan className="modeled-tag">{`  · ${loc(C.modeled)}`}</tspan> : null}
        {row.fault ? (
          <tspan className="fault-tag" data-testid="seq-fault">{`  · ${loc(faultText(row.fault))}`}</tspan>
        ) : null}
      </text>
      <text {...fit(mid)} y={lineY + 19} textAnchor="middle" className="arrow-detail">
        {row.detail}
      </text>
      <line x1={fromX} x2={toX} y1={lineY} y2={lineY} className="hit" />
    </g>
  )
}

/** The legend's samples: which line means what (`x1`/`x2` set the arrow's direction). */
const LEGEND = [
  { cls: 'c2s', x1: 2, x2: 34, line: 'c2s', head: true, text: C.dir.c2s },
  { cls: 's2c', x1: 42, x2: 10, line: 's2c', head: true, text: C.dir.s2c },
  { cls: 'modeled', x1: 2, x2: 42, line: 'c2s modeled-line', head: false, text: S.legendModeled, more: S.legendModeledWhy },
  { cls: 'rst', x1: 2, x2: 42, line: 'rst', head: false, text: S.legendRst }
]

function Legend(): JSX.Element {
  const loc = useLocalized()
  return (
    <div className="seq-legend" data-testid="seq-legend">
      {LEGEND.map((l) => (
        <span key={l.cls} className={`lg lg-${l.cls}`} title={l.more ? `${loc(l.text)} ${loc(l.more)}` : undefined}>
          <svg width="44" height="14">
            <line
              x1={l.x1}
              x2={l.x2}
              y1="7"
              y2="7"
              className={`arrow-line ${l.line}`}
              markerEnd={l.head ? `url(#head-${l.cls})` : undefined}
            />
          </svg>
          {loc(l.text)}
          {l.more ? <span className="lg-more"> {loc(l.more)}</span> : null}
        </span>
      ))}
    </div>
  )
}
