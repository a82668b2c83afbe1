// Pub/sub fan-out: publishers on the left, the broker in the middle, subscribers on the right.
// Each PUBLISH flies to the broker, then to every subscriber it was delivered to, all at once;
// the others stay dark, and hovering one explains its filter against the topic. Under load only
// one message flies at a time (a sample); the counters count every message.
import { memo, useEffect, useLayoutEffect, useMemo, useRef, useState, type JSX } from 'react'
import { useSize } from '../common/flight'
import { scaleLinear } from 'd3'
import { useLab } from '../../store'
import { useLocalized } from '../../i18n'
import { flightMs } from '../../playback/clock'
import type { ViewProps } from '../view-props'
import { currentMessage, type Message, type MqttClientNode } from './model'
import { fanoutAt, filtersLabel, isSampled, legLabel, type ClientOnScreen } from './picture'
import { useFanoutModel } from './use-fanout-model'
import { explainMatch } from '@shared/protocols/mqtt-topic'
import S from './strings.json'
import './fanout.css'
import { Check, CircleDot, X } from 'lucide-react'

const NODE_H = 84
const BROKER_W = 190

interface Flight {
  msg: Message
  start: number
}

export function FanoutView(_props: ViewProps): JSX.Element {
  const loc = useLocalized()
  const { model, cursor, version } = useFanoutModel()
  const speed = useLab((s) => s.speed)
  const [box, size] = useSize<HTMLDivElement>()
  const [hover, setHover] = useState<string | null>(null)
  const [flight, setFlight] = useState<Flight | null>(null)
  const [now, setNow] = useState(() => performance.now())
  const dur = flightMs(speed)

  const newest = useMemo(() => currentMessage(model, cursor), [model, version]) // eslint-disable-line react-hooks/exhaustive-deps

  // One flight at a time: a newer message waits for the current flight to land (sampling).
  useEffect(() => {
    const t = performance.now()
    let next: Flight | null | undefined
    if (!newest) next = flight ? null : undefined
    else if (!flight || (flight.msg.id !== newest.id && t - flight.start >= dur) || flight.msg.idx >= cursor) next = { msg: newest, start: t }
    if (next === undefined) return
    const timer = setTimeout(() => setFlight(next), 0)
    return () => clearTimeout(timer)
  }, [newest, flight, dur, cursor, now])

  // A flight has three moments: to the broker, to the subscribers, landed. The view redraws at
  // each; the dots move on the compositor in between (see Dot), so a flight costs no frame here.
  useEffect(() => {
    if (!flight) return
    const marks = flight.msg.kind === 'publish' ? [dur / 2, dur] : [dur]
    const timers = marks.map((m) => setTimeout(() => setNow(performance.now()), Math.max(0, flight.start + m - performance.now()) + 1))
    return () => timers.forEach(clearTimeout)
  }, [flight, dur])

  const shown = flight?.msg ?? null
  const progress = flight ? Math.max(0, Math.min(1, (now - flight.start) / dur)) : 1
  const fromBroker = shown ? shown.kind !== 'publish' : false
  // Phase 1 (publisher → broker) is the first half; phase 2 (broker → subscribers) the second.
  const phase2 = fromBroker ? progress : Math.max(0, (progress - 0.5) * 2)
  const phase1 = fromBroker ? 1 : Math.min(1, progress * 2)
  const leg2 = flight ? { start: flight.start + (fromBroker ? 0 : dur / 2), dur: fromBroker ? dur : dur / 2 } : null

  // The picture changes with the log and the cursor; a flight's moments redraw the view and reuse it.
  const picture = useMemo(() => fanoutAt(model, cursor), [model, version]) // eslint-disable-line react-hooks/exhaustive-deps
  const { clients, subs, pubs, messagesIn, deliveries } = picture

  const { w, h } = size
  const colW = Math.min(340, Math.max(180, w * 0.28))
  const xPub = 16
  const xSub = w - colW - 16
  // The broker sits left of centre: the subscriber side carries more labels (one leg per subscriber).
  const xBroker = Math.max(xPub + colW + 40, w * 0.43 - BROKER_W / 2)
  // Below the two lines of counters and the column titles.
  const top = 88
  const yScale = (n: number) => scaleLinear().domain([0, Math.max(1, n)]).range([top, Math.max(top + NODE_H, h - 24)])
  const pubY = yScale(pubs.length)
  const subY = yScale(subs.length)
  const step = (n: number): number => (Math.max(top + NODE_H, h - 24) - top) / Math.max(1, n)
  const pubStep = step(pubs.length)
  const subStep = step(subs.length)
  const nodeH = (stp: number): number => Math.max(34, Math.min(NODE_H, stp - 8))
  const pos = new Map<string, { x: number; y: number; right: boolean }>()
  pubs.forEach((p, i) => pos.set(p.c.node, { x: xPub + colW, y: pubY(i) + nodeH(pubStep) / 2, right: false }))
  subs.forEach((s, i) => pos.set(s.c.node, { x: xSub, y: subY(i) + nodeH(subStep) / 2, right: true }))
  const brokerY = h / 2
  const brokerLeft = { x: xBroker, y: brokerY }
  const brokerRight = { x: xBroker + BROKER_W, y: brokerY }

  const delivered = new Map((shown?.deliveries ?? []).map((d) => [d.node, d]))
  const lit = (node: string): boolean => delivered.has(node) && phase2 >= 1

  const hovered = hover ? clients.find((x) => x.c.node === hover) : undefined

  return (
    <div className="fanout" data-testid="view-fanout" ref={box}>
      <div className="fanout-counters" data-testid="fanout-counters">
        <span>
          {loc(S.messagesIn)} <b data-testid="fanout-in">{messagesIn}</b>
        </span>
        <span>
          {loc(S.deliveries)} <b data-testid="fanout-out">{deliveries}</b>
        </span>
        {shown && isSampled(model, shown, cursor) ? <span className="muted">{loc(S.sampled)}</span> : null}
        {/* Its own line, whatever its length: the picture below never moves with the text. */}
        {shown ? (
          <span
            className="fanout-current"
            data-testid="fanout-current"
            data-topic={shown.topic}
            data-kind={shown.kind}
            title={`${loc(S.kind[shown.kind])} ${shown.topic} = ${shown.payload || '∅'} · QoS ${shown.qos}${shown.retain ? ' · retain' : ''}`}
          >
            {loc(S.kind[shown.kind])} <span className="mono">{shown.topic}</span> = <span className="mono">{shown.payload || '∅'}</span>{' '}
            <span className="qos">QoS {shown.qos}</span>
            {shown.retain ? <span className="tag">retain</span> : null}
          </span>
        ) : (
          <span className="fanout-current muted">{loc(S.nothingYet)}</span>
        )}
      </div>
      <svg className="fanout-svg" width={w} height={h} role="img" aria-label={loc(S.picture)}>
        <defs>
          <marker id="fo-head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" className="fo-head" />
          </marker>
        </defs>
        {pubs.map(({ c }) => {
          const p = pos.get(c.node)!
          const active = shown?.from === c.node && !fromBroker
          return <line key={`e-${c.node}`} x1={p.x} y1={p.y} x2={brokerLeft.x} y2={brokerLeft.y} className={`fo-edge ${active ? 'active c2s' : ''}`} />
        })}
        {subs.map(({ c }) => {
          const p = pos.get(c.node)!
          const d = delivered.get(c.node)
          return <line key={`e-${c.node}`} x1={brokerRight.x} y1={brokerRight.y} x2={p.x} y2={p.y} className={`fo-edge ${d && phase2 > 0 ? 'active s2c' : ''}`} markerEnd={d ? 'url(#fo-head)' : undefined} />
        })}
        {shown && !fromBroker && pos.get(shown.from) ? <LegChips msg={shown} x={(pos.get(shown.from)!.x + brokerLeft.x) / 2} y={(pos.get(shown.from)!.y + brokerLeft.y) / 2} cursor={cursor} /> : null}
        {shown
          ? shown.deliveries.map((d) => {
              const p = pos.get(d.node)
              if (!p || phase2 < 1) return null
              const down = d.qos < shown.qos
              // Labels go on the side of the arrow's end away from the line.
              const below = p.y > brokerRight.y
              const y1 = below ? p.y + 24 : p.y - 12
              const y2 = below ? p.y + 44 : p.y - 32
              return (
                <g key={`c-${d.node}`} className="fo-chips" data-testid="fanout-leg" data-node={d.node}>
                  <text x={p.x - 14} y={y1} textAnchor="end" className="fo-chip s2c">
                    {legLabel(d.packets, d.qos, cursor)}
                  </text>
                  {down ? (
                    <text x={p.x - 14} y={y2} textAnchor="end" className="fo-chip down" data-testid="fanout-downgrade">
                      QoS {shown.qos}→{d.qos}
                    </text>
                  ) : null}
                </g>
              )
            })
          : null}
      </svg>
      {flight && shown && !fromBroker && phase1 < 1 && pos.get(shown.from) ? <Dot from={pos.get(shown.from)!} to={brokerLeft} start={flight.start} dur={dur / 2} cls="c2s" label={`q${shown.qos}`} /> : null}
      {shown && leg2 && (fromBroker || phase1 >= 1) && phase2 < 1
        ? shown.deliveries.map((d) => (pos.get(d.node) ? <Dot key={`f-${d.node}`} from={brokerRight} to={pos.get(d.node)!} start={leg2.start} dur={leg2.dur} cls="s2c" label={`q${d.qos}`} /> : null))
        : null}
      <div className="fo-col-title left">{loc(S.publishers)}</div>
      <div className="fo-col-title right">{loc(S.subscribers)}</div>
      <div className="fo-broker" style={{ left: xBroker, top: brokerY - 44, width: BROKER_W }} data-testid="fanout-broker">
        <div className="fo-label">{model.brokerLabel}</div>
        <div className="muted small">{loc(S.brokerRole)}</div>
      </div>
      {pubs.map(({ c, at, sent, received }, i) => (
        <ClientBox key={c.node} c={c} at={at} x={xPub} y={pubY(i)} w={colW} h={nodeH(pubStep)} lit={shown?.from === c.node && !fromBroker} sent={sent} received={received} onHover={setHover} kind="pub" />
      ))}
      {subs.map(({ c, at, sent, received }, i) => (
        <ClientBox key={c.node} c={c} at={at} x={xSub} y={subY(i)} w={colW} h={nodeH(subStep)} lit={lit(c.node)} miss={!!shown && !delivered.has(c.node) && phase2 >= 1} sent={sent} received={received} onHover={setHover} kind="sub" />
      ))}
      {hovered && shown ? <Explain c={hovered.c} filters={hovered.at.filters.map((f) => f.filter)} topic={shown.topic} delivered={delivered.has(hovered.c.node)} /> : null}
      {clients.length === 0 ? (
        <div className="empty" data-testid="fanout-empty">
          {loc(S.empty)}
        </div>
      ) : null}
    </div>
  )
}

/**
 * A message in flight from `from` to `to`, over `dur` ms from `start`. An HTML element moved by a
 * transform animation: the compositor draws its frames, so the page is neither laid out nor
 * repainted while it flies (under load a flight is always in the air).
 */
function Dot({ from, to, start, dur, cls, label }: { from: { x: number; y: number }; to: { x: number; y: number }; start: number; dur: number; cls: string; label: string }): JSX.Element {
  const ref = useRef<HTMLDivElement>(null)
  useLayoutEffect(() => {
    const el = ref.current
    if (!el?.animate) return
    const a = el.animate([{ transform: `translate(${from.x}px, ${from.y}px)` }, { transform: `translate(${to.x}px, ${to.y}px)` }], { duration: dur, fill: 'forwards' })
    // Resumed where the flight is (the view resized or redrew mid-flight).
    a.currentTime = Math.min(dur, Math.max(0, performance.now() - start))
    return () => a.cancel()
  }, [from.x, from.y, to.x, to.y, start, dur])
  return (
    <div ref={ref} className={`fo-dot ${cls}`} data-testid="fanout-dot" style={{ transform: `translate(${from.x}px, ${from.y}px)` }}>
      {label}
    </div>
  )
}

function LegChips({ msg, x, y, cursor }: { msg: Message; x: number; y: number; cursor: number }): JSX.Element {
  return (
    <text x={x} y={y - 10} textAnchor="middle" className="fo-chip c2s" data-testid="fanout-publeg">
      {legLabel(msg.packets, msg.qos, cursor)}
    </text>
  )
}

/** A client's box; it redraws when its own props change, not with every frame of a flight. */
const ClientBox = memo(function ClientBox(props: {
  c: MqttClientNode
  at: ClientOnScreen['at']
  x: number
  y: number
  w: number
  h: number
  lit: boolean
  miss?: boolean
  sent: number
  received: number
  kind: 'pub' | 'sub'
  onHover: (node: string | null) => void
}): JSX.Element {
  const loc = useLocalized()
  const { c, at } = props
  const state = at.online ? 'online' : at.end === 'lost' ? 'lost' : 'offline'
  const filtersText = filtersLabel(at.filters) || '—'
  return (
    <div
      className={`fo-node ${props.kind} ${state}${props.lit ? ' lit' : ''}${props.miss ? ' miss' : ''}${c.external ? ' external' : ''}`}
      style={{ left: props.x, top: props.y, width: props.w, height: props.h }}
      data-testid={props.kind === 'sub' ? 'fanout-sub' : 'fanout-pub'}
      data-name={c.label}
      data-node={c.node}
      data-lit={props.lit ? 'true' : 'false'}
      data-state={state}
      onMouseEnter={() => props.onHover(c.node)}
      onMouseLeave={() => props.onHover(null)}
    >
      <div className="fo-label">
        {props.lit ? <CircleDot className="fo-mark" /> : props.miss ? <X className="fo-mark" /> : null}
        {c.label}
        {c.external ? <span className="tag">{loc(S.yours)}</span> : null}
      </div>
      {props.kind === 'sub' ? (
        <>
          <div className="fo-sub mono" title={filtersText}>
            {filtersText}
          </div>
          {props.h >= 70 ? (
            <div className="fo-sub">
              {props.received} {loc(S.received)}
              {state !== 'online' ? ` · ${loc(state === 'lost' ? S.lost : S.offlineKept)}` : ''}
            </div>
          ) : null}
        </>
      ) : (
        <div className="fo-sub">{state === 'lost' ? loc(S.lost) : `${loc(S.sent)} ${props.sent}`}</div>
      )}
    </div>
  )
})

/** ✓ or ✗ as an icon, named for screen readers and tests (`data-match`). */
function MatchMark({ match }: { match: boolean }): JSX.Element {
  const loc = useLocalized()
  const Icon = match ? Check : X
  return <Icon className={`fo-match ${match ? 'ok' : 'no'}`} role="img" aria-label={loc(match ? S.matches : S.noMatch)} data-match={match} />
}

function Explain({ c, filters, topic, delivered }: { c: MqttClientNode; filters: string[]; topic: string; delivered: boolean }): JSX.Element {
  const loc = useLocalized()
  return (
    <div className="fo-explain" data-testid="fanout-explain" role="tooltip">
      <div className="fo-explain-title">
        {c.label}: <span className="mono">{topic}</span> <MatchMark match={delivered} />
      </div>
      {filters.length === 0 ? <div className="muted">{loc(S.noFilters)}</div> : null}
      {filters.map((f) => {
        const e = explainMatch(f, topic)
        return (
          <div key={f} className={`fo-explain-filter ${e.match ? 'ok' : 'no'}`}>
            <div className="mono">
              {f} <MatchMark match={e.match} />
            </div>
            <ol>
              {e.steps.map((s, i) => (
                <li key={i} className={s.ok ? 'ok' : 'no'}>
                  {loc(s.why)}
                </li>
              ))}
            </ol>
            <div className="small">{loc(e.summary)}</div>
          </div>
        )
      })}
      <div className="small muted">{loc(S.rule)}</div>
    </div>
  )
}
