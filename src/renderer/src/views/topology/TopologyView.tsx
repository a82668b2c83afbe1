// AMQP topology: producers → exchanges → queues → consumers, as the frames at the playback cursor
// built it. Bindings carry their keys; a publish flies to its exchange and on to the queues its
// bindings take (the ones that do not match stay dashed, with the reason); a delivery flies from
// the queue to its consumer, an ack back. Queues show their waiting messages, consumers their
// prefetch window and unacked deliveries. Every frame applies; the newest one flies.
import { useMemo, type JSX } from 'react'
import { runStart, useLab, useLogVersion } from '../../store'
import { useLocalized } from '../../i18n'
import { usePresenter } from '../../presenter/presenter-store'
import type { ViewProps } from '../view-props'
import { along, useFlight, useFlightPast, useSize } from '../common/flight'
import { TopologyCache, type BindingCheck, type Consumer, type Queue, type Step, type Topology } from './model'
import { Explain } from './Explain'
import S from './strings.json'
import './topology.css'

const cache = new TopologyCache()
const MAX_PILLS = 6

interface Pos {
  x: number
  y: number
  w: number
  h: number
}

export function useTopology(): { t: Topology; version: string } {
  const { count, cursor, epoch } = useLogVersion()
  return useMemo(() => {
    const s = useLab.getState()
    const t = cache.at(s.events, epoch, runStart(s), cursor, s.nodes)
    return { t, version: `${epoch}:${t.from}:${count}:${cursor}:${t.steps}` }
  }, [count, cursor, epoch])
}

export function TopologyView(_props: ViewProps): JSX.Element {
  const loc = useLocalized()
  const { t } = useTopology()
  const nodes = useLab((s) => s.nodes)
  const [box, { w, h }] = useSize<HTMLDivElement>()
  const projector = usePresenter((p) => p.projector)
  const scale = usePresenter((p) => p.scale)
  const step = t.step
  // Only the dots follow a flight's progress: they redraw each frame of it, the view around them does not.
  const flight = step ? `${step.idx}` : null
  const atExchange = useFlightPast(flight, FIRST_HALF[1])
  const label = (node: string): string => nodes.get(node)?.label ?? node

  // Columns: producers | exchanges | queues | consumers; the bindings between exchanges and
  // queues get the widest gap (their keys are written there). The explanation of the newest
  // publish takes a strip at the bottom.
  const producers = [...t.producers.values()]
  const exchanges = [...t.exchanges.values()].filter((e) => !e.builtIn || t.bindings.some((b) => b.exchange === e.name) || t.lastPublish?.exchange === e.name)
  const queues = [...t.queues.values()]
  const consumers = [...t.consumers.values()]
  // Text grows in projector mode (rem): the explanation strip and the boxes grow with it.
  const rem = (projector ? 24 : 17) * scale
  const explainH = t.lastPublish && t.lastPublish.bindings.length > 0 ? Math.min(h * 0.42, Math.max(130, 9.5 * rem)) : 0
  const pad = 12
  const top = 70
  const inner = w - 2 * pad
  const widths = [0.14, 0.23, 0.2, 0.24].map((f) => f * inner)
  const gaps = [0.03, 0.13, 0.03].map((f) => f * inner)
  const x = [pad, pad + widths[0] + gaps[0], pad + widths[0] + gaps[0] + widths[1] + gaps[1], pad + widths[0] + gaps[0] + widths[1] + gaps[1] + widths[2] + gaps[2]]
  const layout = (n: number, col: number, maxH: number): Pos[] => {
    const avail = Math.max(60, h - top - 12 - explainH)
    const each = Math.min(maxH, avail / Math.max(1, n) - 10)
    const used = n * (each + 10)
    const y0 = top + Math.max(0, (avail - used) / 2)
    return Array.from({ length: n }, (_, i) => ({ x: x[col], y: y0 + i * (each + 10), w: widths[col], h: Math.max(36, each) }))
  }
  // Text sized to the space there is: each column's longest name fits its box on one line (a name
  // still too long at 12 px is abbreviated, whole on hover), and a box too short for its counts
  // keeps its name, its counts going to its hover text.
  const fitting = (col: number, names: string[]): number => (widths[col] - 24) / (Math.max(4, ...names.map((n) => n.length)) * 0.62)
  const exchangeName = (name: string): string => (name === '' ? loc(S.defaultExchange) : name)
  const fs = Math.max(12, Math.min(0.95 * rem, fitting(0, producers.map((p) => label(p.node))), fitting(1, exchanges.map((e) => exchangeName(e.name))), fitting(2, queues.map((q) => q.name + (q.durable ? ` ${loc(S.durable)}  ` : ''))), fitting(3, consumers.map((c) => label(c.node)))))
  const lines: Lines = { label: fs * 1.2 + 14, sub: fs * 0.82 * 1.3, extra: fs * 0.9 + 6 }
  const pPos = new Map(producers.map((p, i) => [p.node, layout(producers.length, 0, 4.4 * rem)[i]]))
  const ePos = new Map(exchanges.map((e, i) => [e.name, layout(exchanges.length, 1, 4.4 * rem)[i]]))
  const qPos = new Map(queues.map((q, i) => [q.name, layout(queues.length, 2, 6.5 * rem)[i]]))
  const cPos = new Map(consumers.map((c, i) => [c.tag, layout(consumers.length, 3, 5.6 * rem)[i]]))
  const right = (p: Pos): { x: number; y: number } => ({ x: p.x + p.w, y: p.y + p.h / 2 })
  const left = (p: Pos): { x: number; y: number } => ({ x: p.x, y: p.y + p.h / 2 })
  /** Where the k-th of n lines meets a box's side: spread along it, so lines and their labels do not pile up. */
  const spread = (p: Pos, side: 'left' | 'right', k: number, n: number): { x: number; y: number } => ({ x: side === 'left' ? p.x : p.x + p.w, y: p.y + (p.h * (k + 1)) / (n + 1) })
  const outOf = (b: { exchange: string }) => t.bindings.filter((x) => x.exchange === b.exchange)
  const into = (b: { queue: string }) => t.bindings.filter((x) => x.queue === b.queue)
  // Binding keys sit in the gap before the queues: as large as that gap and their spacing allow.
  const keyed = t.bindings.filter((b) => t.exchanges.get(b.exchange)?.type !== 'fanout')
  const keySpacing = Math.min(...queues.map((q) => (qPos.get(q.name)?.h ?? 100) / (into({ queue: q.name }).length + 1)))
  const keyPx = Math.max(11, Math.min(projector ? 18 : 14, (gaps[1] - 16) / (Math.max(4, ...keyed.map((b) => b.key.length + 2)) * 0.62), keySpacing - 2))
  const titleFs = Math.max(11, Math.min(0.85 * fs, ...widths.map((cw) => cw / (9 * 0.62 * 1.05))))

  // The newest publish: its routing stays lit while its deliveries and acks fly.
  const publish = t.lastPublish
  const flying = step?.kind === 'publish' ? step : null
  const checks = new Map<string, BindingCheck>((publish?.bindings ?? []).map((c) => [`${c.binding.exchange}|${c.binding.queue}|${c.binding.key}`, c]))
  const consumerOfStep = step && (step.kind === 'deliver' ? consumers.find((c) => c.tag === step.tag) : step.kind === 'ack' || step.kind === 'nack' || step.kind === 'requeue' ? consumers.find((c) => c.node === step.node && c.queue === step.queue) : undefined)

  return (
    <div className="topology" data-testid="view-topology" ref={box} style={{ fontSize: fs }}>
      <div className="tp-counters" data-testid="topology-counters">
        <StepLine step={step} label={label} />
      </div>
      {(['producers', 'exchanges', 'queues', 'consumers'] as const).map((k, i) => (
        <div key={k} className="tp-col-title" style={{ left: x[i], width: widths[i] + (i === 2 ? gaps[2] : 0), fontSize: titleFs }} title={k === 'queues' ? `${loc(S[k])} · ${loc(S.derived)}` : loc(S[k])}>
          {loc(S[k])}
          {k === 'queues' ? (
            <span className="tp-derived" title={loc(S.derivedWhy)} data-testid="topology-derived">
              {' · '}
              {loc(S.derived)}
            </span>
          ) : null}
        </div>
      ))}
      <svg className="tp-svg" width={w} height={h} role="img" aria-label={loc(S.title)}>
        <defs>
          <marker id="tp-head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" className="tp-head" />
          </marker>
        </defs>
        {t.bindings.map((b) => {
          const from = ePos.get(b.exchange)
          const to = qPos.get(b.queue)
          if (!from || !to) return null
          const c = checks.get(`${b.exchange}|${b.queue}|${b.key}`)
          const state = !publish || publish.exchange !== b.exchange ? '' : c?.match ? 'match' : 'miss'
          const a = spread(from, 'right', outOf(b).indexOf(b), outOf(b).length)
          const z = spread(to, 'left', into(b).indexOf(b), into(b).length)
          const fanout = t.exchanges.get(b.exchange)?.type === 'fanout'
          // The key sits just before the arrow's head: the ends are spread along the queue's side.
          return (
            <g key={`${b.exchange}|${b.queue}|${b.key}`} className={`tp-binding ${state}${fanout ? ' fanout' : ''}`} data-testid="topology-binding" data-state={state || 'idle'} data-key={b.key}>
              <line x1={a.x} y1={a.y} x2={z.x} y2={z.y} markerEnd="url(#tp-head)">
                {fanout ? <title>{loc(S.anyKey)}</title> : null}
              </line>
              {/* A fanout ignores keys: its lines carry no key (on hover: "any key"), as its box's type says. */}
              {fanout ? null : (
                <text x={z.x - 10} y={z.y - 4} textAnchor="end" className="tp-key" style={{ fontSize: keyPx }}>
                  {state === 'miss' ? '✗ ' : state === 'match' ? '✓ ' : ''}
                  {b.key === '' ? '""' : b.key}
                </text>
              )}
            </g>
          )
        })}
        {consumers.map((c) => {
          const q = qPos.get(c.queue)
          const p = cPos.get(c.tag)
          if (!q || !p) return null
          const active = consumerOfStep?.tag === c.tag
          return <line key={c.tag} x1={right(q).x} y1={right(q).y} x2={left(p).x} y2={left(p).y} className={`tp-sub ${active ? 'active' : ''}`} data-conn={c.conn} />
        })}
        {publish && pPos.get(publish.node) && ePos.get(publish.exchange) ? <line {...seg(right(pPos.get(publish.node)!), left(ePos.get(publish.exchange)!))} className="tp-publish" markerEnd="url(#tp-head)" /> : null}
        {flying && pPos.get(flying.node) && ePos.get(flying.exchange) ? (
          <>
            <Dot flight={flight} from={right(pPos.get(flying.node)!)} to={left(ePos.get(flying.exchange)!)} part={FIRST_HALF} cls="c2s" label={flying.persistent ? '●' : '○'} />
            {flying.queues.map((qn) => (qPos.get(qn) ? <Dot key={qn} flight={flight} from={right(ePos.get(flying.exchange)!)} to={left(qPos.get(qn)!)} part={SECOND_HALF} cls="c2s" label={flying.persistent ? '●' : '○'} /> : null))}
          </>
        ) : null}
        {step?.kind === 'deliver' && consumerOfStep && qPos.get(step.queue) && cPos.get(consumerOfStep.tag) ? (
          <Dot flight={flight} from={right(qPos.get(step.queue)!)} to={left(cPos.get(consumerOfStep.tag)!)} cls="s2c" label={step.redelivered ? '↺' : '✉'} />
        ) : null}
        {(step?.kind === 'ack' || step?.kind === 'requeue' || step?.kind === 'nack') && consumerOfStep && qPos.get(step.queue) && cPos.get(consumerOfStep.tag) ? (
          <Dot flight={flight} from={left(cPos.get(consumerOfStep.tag)!)} to={right(qPos.get(step.queue)!)} cls="c2s" label={step.kind === 'ack' ? '✓' : step.kind === 'requeue' ? '↺' : '✗'} />
        ) : null}
      </svg>
      {producers.map((p) => (
        <div key={p.node} className={`tp-node producer ${publish?.node === p.node ? 'lit' : ''}`} style={box4(pPos.get(p.node)!)} data-testid="topology-producer" data-node={p.node} title={`${label(p.node)} · ${loc(S.published)} ${p.published}`}>
          <div className="tp-label">{label(p.node)}</div>
          {pPos.get(p.node)!.h >= lines.label + lines.sub ? (
            <div className="tp-sub-line">
              {loc(S.published)} {p.published}
            </div>
          ) : null}
        </div>
      ))}
      {exchanges.map((e) => (
        <div
          key={e.name}
          className={`tp-node exchange ${publish?.exchange === e.name ? 'lit' : ''}`}
          style={box4(ePos.get(e.name)!)}
          data-testid="topology-exchange"
          data-name={e.name}
          data-type={e.type}
          title={`${exchangeName(e.name)} · ${e.type}${e.type === 'fanout' ? ` ${loc(S.anyKey)}` : ''}${e.durable && !e.builtIn ? ` · ${loc(S.durable)}` : ''}`}
        >
          <div className="tp-label mono">{exchangeName(e.name)}</div>
          {ePos.get(e.name)!.h >= lines.label + lines.sub ? (
            <div className="tp-sub-line">
              <span className={`tp-type ${e.type}`}>{e.type}</span>
              {e.durable && !e.builtIn ? <span className="tp-tag">{loc(S.durable)}</span> : null}
            </div>
          ) : null}
        </div>
      ))}
      {queues.map((q) => (
        <QueueBox key={q.name} q={q} pos={qPos.get(q.name)!} lines={lines} lit={!!publish?.queues.includes(q.name) && (!flying || atExchange)} />
      ))}
      {consumers.map((c) => (
        <ConsumerBox key={c.tag} c={c} pos={cPos.get(c.tag)!} lines={lines} label={label(c.node)} lit={consumerOfStep?.tag === c.tag} />
      ))}
      {publish && explainH > 0 ? <Explain publish={publish} types={Object.fromEntries(exchanges.map((e) => [e.name, e.type]))} height={explainH} /> : null}
      {step?.kind === 'restart' ? (
        <div className="tp-banner warn" data-testid="topology-restart">
          {loc(S.restart)}
        </div>
      ) : step?.kind === 'error' ? (
        <div className="tp-banner error" data-testid="topology-error">
          {step.what}
        </div>
      ) : null}
      {queues.length === 0 && exchanges.length === 0 ? (
        <div className="empty" data-testid="topology-empty">
          {loc(S.empty)}
        </div>
      ) : null}
    </div>
  )
}

/** Heights (px) a box needs for its name line, a counts line and a row of pills or slots. */
interface Lines {
  label: number
  sub: number
  extra: number
}

const seg = (a: { x: number; y: number }, b: { x: number; y: number }): { x1: number; y1: number; x2: number; y2: number } => ({ x1: a.x, y1: a.y, x2: b.x, y2: b.y })
const box4 = (p: Pos): React.CSSProperties => ({ left: p.x, top: p.y, width: p.w, height: p.h })

type Point = { x: number; y: number }
/** A publish flies to its exchange in the first half of its flight, and on to its queues in the second. */
const FIRST_HALF: [number, number] = [0, 0.5]
const SECOND_HALF: [number, number] = [0.5, 1]

/** A message on its way from `from` to `to` during `part` of the flight (all of it by default). */
function Dot({ flight, from, to, part = [0, 1], cls, label }: { flight: string | null; from: Point; to: Point; part?: [number, number]; cls: string; label: string }): JSX.Element | null {
  const progress = useFlight(flight)
  if (progress < part[0] || progress >= part[1]) return null
  const at = along(from, to, (progress - part[0]) / (part[1] - part[0]))
  return (
    <g className={`tp-dot ${cls}`} data-testid="topology-dot">
      <circle cx={at.x} cy={at.y} r={13} />
      <text x={at.x} y={at.y + 5} textAnchor="middle">
        {label}
      </text>
    </g>
  )
}

function StepLine({ step, label }: { step: Step | null; label: (node: string) => string }): JSX.Element {
  const loc = useLocalized()
  if (!step) return <span className="muted">{loc(S.nothingYet)}</span>
  const who = <b>{label(step.node)}</b>
  switch (step.kind) {
    case 'publish':
      return (
        <span data-testid="topology-step" data-kind="publish">
          {who} Basic.Publish → <span className="mono">{step.exchange === '' ? loc(S.defaultExchange) : step.exchange}</span> key <span className="mono">{step.key}</span> «{step.body}» → {step.queues.length ? <span className="mono">{step.queues.join(', ')}</span> : <span className="tp-none">{loc(S.noQueue)}</span>}
        </span>
      )
    case 'deliver':
      return (
        <span data-testid="topology-step" data-kind="deliver">
          Basic.Deliver <span className="mono">{step.queue}</span> → {who} «{step.body}»{step.redelivered ? ` (${loc(S.redelivered)})` : ''}
        </span>
      )
    case 'get':
      return (
        <span data-testid="topology-step" data-kind="get">
          Basic.Get-Ok <span className="mono">{step.queue}</span> → {who} «{step.body}»
        </span>
      )
    default:
      return (
        <span data-testid="topology-step" data-kind={step.kind}>
          {who} {loc(S.steps[step.kind])} {'queue' in step ? <span className="mono">{step.queue}</span> : 'what' in step ? <span className="mono">{step.what}</span> : null}
        </span>
      )
  }
}

function QueueBox({ q, pos, lit, lines }: { q: Queue; pos: Pos; lit: boolean; lines: Lines }): JSX.Element {
  const loc = useLocalized()
  const pills = q.ready.slice(0, MAX_PILLS)
  const counts = `${loc(S.ready)} ${q.ready.length} · ${loc(S.unacked)} ${q.unacked}`
  return (
    <div className={`tp-node queue ${lit ? 'lit' : ''}`} style={box4(pos)} data-testid="topology-queue" data-name={q.name} data-ready={q.ready.length} data-unacked={q.unacked} title={`${q.name}${q.durable ? ` ${loc(S.durable)}` : ''} · ${counts}`}>
      <div className="tp-label mono">
        {q.name}
        {q.durable ? <span className="tp-tag">{loc(S.durable)}</span> : null}
      </div>
      {pos.h >= lines.label + lines.sub + lines.extra ? (
        <div className="tp-pills">
          {pills.map((m, i) => (
            <span key={i} className={`tp-pill ${m.persistent ? 'persistent' : 'transient'}`} title={`${m.body || '∅'} · ${m.persistent ? loc(S.persistent) : loc(S.transient)}`}>
              {m.body || '∅'}
            </span>
          ))}
          {q.ready.length > MAX_PILLS ? <span className="tp-more">+{q.ready.length - MAX_PILLS}</span> : null}
        </div>
      ) : null}
      {pos.h >= lines.label + lines.sub ? (
        <div className="tp-sub-line">
          {loc(S.ready)} <b>{q.ready.length}</b> · {loc(S.unacked)} <b>{q.unacked}</b>
        </div>
      ) : null}
    </div>
  )
}

function ConsumerBox({ c, pos, label, lit, lines }: { c: Consumer; pos: Pos; label: string; lit: boolean; lines: Lines }): JSX.Element {
  const loc = useLocalized()
  const slots = c.prefetch > 0 && c.prefetch <= 12 ? c.prefetch : 0
  const counts = `${loc(S.unacked)} ${c.unacked.size}/${c.prefetch || '∞'} · ${loc(S.delivered)} ${c.delivered}`
  return (
    <div className={`tp-node consumer ${lit ? 'lit' : ''}`} style={box4(pos)} data-testid="topology-consumer" data-name={label} data-unacked={c.unacked.size} data-prefetch={c.prefetch} data-conn={c.conn} title={`${label} · ${counts}`}>
      <div className="tp-label">{label}</div>
      {pos.h >= lines.label + lines.sub ? (
        <div className="tp-sub-line">
          {loc(S.unacked)} <b>{c.unacked.size}</b>/{c.prefetch || '∞'} · {loc(S.delivered)} {c.delivered}
        </div>
      ) : null}
      {slots && pos.h >= lines.label + lines.sub + lines.extra ? (
        <div className="tp-slots" aria-label={`${c.unacked.size}/${c.prefetch}`}>
          {Array.from({ length: slots }, (_, i) => (
            <span key={i} className={`tp-slot ${i < c.unacked.size ? 'full' : ''}`} />
          ))}
        </div>
      ) : null}
    </div>
  )
}
