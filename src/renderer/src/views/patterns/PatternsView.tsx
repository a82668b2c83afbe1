// ZeroMQ's patterns as the frames at the playback cursor drew them. PUB/SUB: subscribers connect
// straight to the publisher; each SUBSCRIBE flies upstream; a publish flies only to the
// subscribers whose subscriptions match (the others: filtered at the publisher, or lost when their
// SUBSCRIBE came too late), next to the same through MQTT's broker when that ran. REQ/REP: the
// lockstep ladder. PUSH/PULL: jobs dealt to the workers in turn. The view follows the pattern that
// moved last; a tab pins one.
import { useMemo, useState, type JSX } from 'react'
import { runStart, useLab, useLogVersion } from '../../store'
import { useLocalized } from '../../i18n'
import { usePresenter } from '../../presenter/presenter-store'
import type { ViewProps } from '../view-props'
import { along, useFlight, useSize } from '../common/flight'
import { PatternsCache, peersOf, type Pattern, type PatternsModel } from './model'
import S from './strings.json'
import './patterns.css'

const cache = new PatternsCache()
const TABS: Pattern[] = ['reqrep', 'pubsub', 'pushpull']

interface Box {
  x: number
  y: number
  w: number
  h: number
}
const mid = (b: Box, side: 'l' | 'r'): { x: number; y: number } => ({ x: side === 'l' ? b.x : b.x + b.w, y: b.y + b.h / 2 })
const style = (b: Box): React.CSSProperties => ({ left: b.x, top: b.y, width: b.w, height: b.h })

/** Boxes for `n` items in a column from `top` to `bottom`. */
/** The height (px) a caption takes over `w` px, wrapped (0.95 rem text, 1.25 line height), plus a gap. */
function captionHeight(text: string, w: number, rem: number): number {
  const rows = Math.max(1, Math.ceil((text.length * 0.56 * 0.95 * rem) / Math.max(1, w - 24)))
  return (rows * 1.25 * 0.95 + 0.7) * rem
}

function column(n: number, x: number, w: number, top: number, bottom: number, maxH: number): Box[] {
  const each = Math.min(maxH, (bottom - top) / Math.max(1, n) - 10)
  const y0 = top + Math.max(0, (bottom - top - n * (each + 10)) / 2)
  return Array.from({ length: n }, (_, i) => ({ x, y: y0 + i * (each + 10), w, h: Math.max(40, each) }))
}

export function PatternsView(_props: ViewProps): JSX.Element {
  const loc = useLocalized()
  const { count, cursor, epoch } = useLogVersion()
  const nodes = useLab((s) => s.nodes)
  const m = useMemo(() => {
    const s = useLab.getState()
    return cache.at(s.events, epoch, runStart(s), cursor, s.nodes)
  }, [count, cursor, epoch]) // eslint-disable-line react-hooks/exhaustive-deps
  const [pinned, setPinned] = useState<Pattern | null>(null)
  const [box, size] = useSize<HTMLDivElement>()
  const projector = usePresenter((p) => p.projector)
  const typeScale = usePresenter((p) => p.scale)
  // Text grows in projector mode (rem): rows and boxes grow with it.
  const rem = (projector ? 24 : 17) * typeScale
  // Only the dots follow a flight's progress: they redraw each frame of it, the panes do not.
  const flight = m.last ? m.last.idx : null
  const shown = pinned ?? m.pattern ?? 'pubsub'
  const label = (node: string): string => nodes.get(node)?.label ?? node
  const props = { m, w: size.w, h: size.h, flight, label, rem }
  return (
    <div className="patterns" data-testid="view-patterns" data-pattern={shown} ref={box}>
      <div className="pt-tabs" role="tablist">
        {TABS.map((p) => (
          <button key={p} role="tab" aria-selected={shown === p} className={`pt-tab ${shown === p ? 'on' : ''}`} data-testid={`patterns-tab-${p}`} onClick={() => setPinned(pinned === p ? null : p)}>
            {loc(S.tabs[p])}
            {pinned === p ? ' 📌' : ''}
          </button>
        ))}
        {/* A side note: abbreviated when the tabs leave it little room, whole on hover. */}
        <span className="muted small pt-hint" title={pinned ? loc(S.pinned) : loc(S.following)}>
          {pinned ? loc(S.pinned) : loc(S.following)}
        </span>
      </div>
      {shown === 'pubsub' ? <PubSub {...props} /> : shown === 'reqrep' ? <ReqRep {...props} /> : <PushPull {...props} />}
    </div>
  )
}

interface PaneProps {
  m: PatternsModel
  w: number
  h: number
  /** The flight of the newest step (its dots follow it). */
  flight: number | null
  label: (node: string) => string
  /** Pixels per rem (larger in projector mode). */
  rem: number
}

function Dot({ from, to, flight, cls, text }: { from: { x: number; y: number }; to: { x: number; y: number }; flight: number | null; cls: string; text: string }): JSX.Element | null {
  const t = useFlight(flight)
  if (t <= 0 || t >= 1) return null
  const p = along(from, to, t)
  return (
    <g className={`pt-dot ${cls}`} data-testid="patterns-dot">
      <rect x={p.x - Math.max(16, text.length * 4.2)} y={p.y - 12} width={Math.max(32, text.length * 8.4)} height={24} rx={12} />
      <text x={p.x} y={p.y + 5} textAnchor="middle">
        {text}
      </text>
    </g>
  )
}

function PubSub({ m, w, h, flight, label, rem }: PaneProps): JSX.Element {
  const loc = useLocalized()
  const mqtt = m.mqtt.broker && [...m.peers.values()].some((p) => p.tap === 'mqtt' && p.received.length + p.sent.length + p.subs.length > 0)
  // With MQTT's run in the log, ZeroMQ takes the top half and MQTT the bottom: the same
  // subscribers, two shapes (straight to the publisher; through a broker).
  const zTop = 2.2 * rem
  const zBottom = mqtt ? zTop + (h - zTop) / 2 - 6 : h - 12
  const subs = peersOf(m, 'zmq-pub').filter((p) => p.type === 'SUB' || p.type === 'XSUB' || p.subs.length > 0)
  const open = subs.filter((s) => s.closeIdx === undefined).length
  const caption = `${loc(S.noBroker)} · ${loc(S.connections).replace('{{n}}', String(open))}`
  const top = zTop + captionHeight(`ZeroMQ · ${caption}`, w, rem)
  const colW = Math.min(330, w * 0.4)
  const pubBox: Box = { x: 14, y: (top + zBottom) / 2 - 2.5 * rem, w: Math.min(230, w * 0.28), h: 5 * rem }
  const subBoxes = column(subs.length, w - colW - 14, colW, top, zBottom, 4 * rem)
  const last = m.last?.pattern === 'pubsub' && m.last.protocol === 'zmtp' ? m.last : null
  const publish = last?.dir === 's2c' ? m.publishes.find((p) => p.to.includes(last.conn) && p.idx <= last.idx && last.idx - p.idx < 50) : undefined
  return (
    <>
      <div className="pt-caption" style={{ left: 12, width: w - 24, top: zTop + 4 }}>
        <b>ZeroMQ</b> · {caption}
      </div>
      <svg className="pt-svg" width={w} height={h}>
        {subs.map((s, i) => {
          const b = subBoxes[i]
          const state = publish ? (publish.to.includes(s.conn) ? 'sent' : publish.lost.includes(s.conn) ? 'lost' : 'filtered') : ''
          const a = mid(pubBox, 'r')
          const z = mid(b, 'l')
          return (
            <g key={s.conn} className={`pt-edge ${state}`} data-conn={s.conn}>
              <line x1={a.x} y1={a.y} x2={z.x} y2={z.y} />
              {state && state !== 'sent' ? (
                <text x={z.x - 10} y={z.y - 8} textAnchor="end" className="pt-edge-label">
                  ✗ {loc(state === 'lost' ? S.lostShort : S.filteredShort)}
                </text>
              ) : null}
            </g>
          )
        })}
        {publish
          ? publish.to.map((c) => {
              const i = subs.findIndex((s) => s.conn === c)
              return i >= 0 ? <Dot key={c} from={mid(pubBox, 'r')} to={mid(subBoxes[i], 'l')} flight={flight} cls="s2c" text={publish.text.split(' ')[0]} /> : null
            })
          : null}
        {last && last.dir === 'c2s' && last.command === 'SUBSCRIBE'
          ? (() => {
              const i = subs.findIndex((s) => s.conn === last.conn)
              return i >= 0 ? <Dot from={mid(subBoxes[i], 'l')} to={mid(pubBox, 'r')} flight={flight} cls="c2s" text={last.what} /> : null
            })()
          : null}
      </svg>
      <div className={`pt-node server ${publish ? 'lit' : ''}`} style={style(pubBox)} data-testid="patterns-pub">
        <div className="pt-label">PUB</div>
        <div className="pt-sub-line">
          {m.publishes.length} {loc(S.published)}
        </div>
        <div className="pt-sub-line">{loc(S.filtersHere)}</div>
      </div>
      {subs.map((s, i) => (
        <div key={s.conn} className={`pt-node ${publish?.to.includes(s.conn) ? 'lit' : ''} ${s.closeIdx !== undefined ? 'closed' : ''}`} style={style(subBoxes[i])} data-testid="patterns-sub" data-name={label(s.node)} data-received={s.received.length} data-lost={s.lost} data-filtered={s.filtered} data-conn={s.conn}>
          <div className="pt-label">
            {label(s.node)} <span className="pt-type">{s.type ?? 'SUB'}</span> <span className="pt-subs mono">{s.subs.map((x) => `"${x.topic}"`).join(' ') || '—'}</span>
          </div>
          <div className="pt-sub-line">
            ✓ {s.received.length} · {loc(S.filtered)} {s.filtered}
            {s.lost ? (
              <span className="pt-lost">
                {' '}
                · {loc(S.lost)} {s.lost}
              </span>
            ) : null}
          </div>
        </div>
      ))}
      {subs.length === 0 ? <div className="empty">{loc(S.emptyPubSub)}</div> : null}
      {mqtt ? <MqttSide m={m} y={zBottom + 12} w={w} h={h - zBottom - 12} label={label} rem={rem} /> : null}
    </>
  )
}

function MqttSide({ m, y, w, h, label, rem }: { m: PatternsModel; y: number; w: number; h: number; label: (n: string) => string; rem: number }): JSX.Element {
  const loc = useLocalized()
  const peers = peersOf(m, 'mqtt')
  const subs = peers.filter((p) => p.subs.length > 0)
  const pubs = peers.filter((p) => p.subs.length === 0 && p.sent.length > 0)
  const caption = `${loc(S.withBroker)} · ${loc(S.connections).replace('{{n}}', String(peers.filter((p) => p.closeIdx === undefined).length))}`
  const top = y + captionHeight(`MQTT · ${caption}`, w, rem)
  const bottom = y + h - 4
  const colW = Math.min(330, w * 0.4)
  const side = Math.min(230, w * 0.28)
  const broker: Box = { x: 14 + side + (w - 28 - side - colW - side) / 2, y: (top + bottom) / 2 - 2.2 * rem, w: side, h: 4.4 * rem }
  const subBoxes = column(subs.length, w - colW - 14, colW, top, bottom, 3.6 * rem)
  const pubBoxes = column(pubs.length, 14, side, top, bottom, 3.6 * rem)
  const latest = m.mqtt.publishes[m.mqtt.publishes.length - 1]
  return (
    <div className="pt-mqtt" data-testid="patterns-mqtt">
      <div className="pt-divider" style={{ top: y - 6 }} />
      <div className="pt-caption" style={{ left: 12, width: w - 24, top: y + 4 }}>
        <b>MQTT</b> · {caption}
      </div>
      <svg className="pt-svg" width={w} height={y + h}>
        {pubBoxes.map((b, i) => (
          <line key={`p${i}`} className="pt-edge sent c2s" x1={mid(b, 'r').x} y1={mid(b, 'r').y} x2={mid(broker, 'l').x} y2={mid(broker, 'l').y} />
        ))}
        {subBoxes.map((b, i) => (
          <line key={`s${i}`} className={`pt-edge ${latest?.to.includes(subs[i].conn) ? 'sent' : 'filtered'}`} x1={mid(broker, 'r').x} y1={mid(broker, 'r').y} x2={mid(b, 'l').x} y2={mid(b, 'l').y} />
        ))}
      </svg>
      <div className="pt-node server" style={style(broker)} data-testid="patterns-broker">
        <div className="pt-label">{loc(S.broker)}</div>
        <div className="pt-sub-line">{loc(S.brokerFilters)}</div>
      </div>
      {pubs.map((p, i) => (
        <div key={p.conn} className="pt-node" style={style(pubBoxes[i])}>
          <div className="pt-label">{label(p.node)}</div>
          <div className="pt-sub-line">
            {p.sent.length} {loc(S.published)}
          </div>
        </div>
      ))}
      {subs.map((s, i) => (
        <div key={s.conn} className={`pt-node ${latest?.to.includes(s.conn) ? 'lit' : ''}`} style={style(subBoxes[i])} data-testid="patterns-mqtt-sub" data-name={label(s.node)} data-received={s.received.length}>
          <div className="pt-label">
            {label(s.node)} <span className="pt-subs mono">{s.subs.map((x) => x.topic).join(' ')}</span>
          </div>
          <div className="pt-sub-line">✓ {s.received.length}</div>
        </div>
      ))}
    </div>
  )
}

function ReqRep({ m, w, h, flight, label, rem }: PaneProps): JSX.Element {
  const loc = useLocalized()
  const clients = peersOf(m, 'zmq-rep')
  const top = 2.3 * rem + captionHeight(loc(S.lockstep), w, rem)
  const reqBoxes = column(clients.length, 14, Math.min(230, w * 0.26), top, h - 12, 4.6 * rem)
  const rep: Box = { x: w - Math.min(230, w * 0.26) - 14, y: (top + h - 12) / 2 - 2.3 * rem, w: Math.min(230, w * 0.26), h: 4.6 * rem }
  const last = m.last?.pattern === 'reqrep' && m.last.protocol === 'zmtp' && m.last.command === undefined ? m.last : null
  const rows = m.requests.slice(-7)
  return (
    <>
      <div className="pt-caption" style={{ left: 12, width: w - 24, top: 2.3 * rem }}>
        {loc(S.lockstep)}
      </div>
      <svg className="pt-svg" width={w} height={h}>
        {clients.map((c, i) => (
          <line key={c.conn} className="pt-edge" data-conn={c.conn} x1={mid(reqBoxes[i], 'r').x} y1={mid(reqBoxes[i], 'r').y} x2={mid(rep, 'l').x} y2={mid(rep, 'l').y} />
        ))}
        {last
          ? (() => {
              const i = clients.findIndex((c) => c.conn === last.conn)
              if (i < 0) return null
              const [a, b] = last.dir === 'c2s' ? [mid(reqBoxes[i], 'r'), mid(rep, 'l')] : [mid(rep, 'l'), mid(reqBoxes[i], 'r')]
              return <Dot from={a} to={b} flight={flight} cls={last.dir} text={last.what} />
            })()
          : null}
      </svg>
      {clients.map((c, i) => (
        <div key={c.conn} className="pt-node" style={style(reqBoxes[i])} data-testid="patterns-req" data-name={label(c.node)}>
          <div className="pt-label">
            {label(c.node)} <span className="pt-type">{c.type ?? 'REQ'}</span>
          </div>
          <div className="pt-sub-line">
            {c.sent.length} {loc(S.requests)} · {c.received.length} {loc(S.replies)}
          </div>
        </div>
      ))}
      <div className="pt-node server" style={style(rep)} data-testid="patterns-rep">
        <div className="pt-label">REP</div>
        <div className="pt-sub-line">{loc(S.repRole)}</div>
      </div>
      <ol className="pt-ladder" style={{ left: w * 0.3, width: w * 0.4, top: top + 8 }} data-testid="patterns-ladder">
        {rows.map((r) => (
          <li key={r.idx}>
            <span className="c2s">→ {r.request}</span>
            <span className="s2c">{r.reply !== undefined ? `← ${r.reply}` : `… ${loc(S.waiting)}`}</span>
          </li>
        ))}
      </ol>
      {m.refused ? (
        <div className="pt-refused" data-testid="patterns-refused">
          ✗ {loc(S.refused)}
        </div>
      ) : null}
      {clients.length === 0 ? <div className="empty">{loc(S.emptyReqRep)}</div> : null}
    </>
  )
}

function PushPull({ m, w, h, flight, label, rem }: PaneProps): JSX.Element {
  const loc = useLocalized()
  const workers = peersOf(m, 'zmq-push').filter((p) => p.type === 'PULL' || p.received.length > 0)
  const top = 2.3 * rem + captionHeight(loc(S.fairQueue), w, rem)
  const push: Box = { x: 14, y: (top + h - 12) / 2 - 2.3 * rem, w: Math.min(220, w * 0.26), h: 4.6 * rem }
  const colW = Math.min(340, w * 0.42)
  const boxes = column(workers.length, w - colW - 14, colW, top, h - 12, 4.6 * rem)
  const last = m.last?.pattern === 'pushpull' && m.last.protocol === 'zmtp' && m.last.command === undefined ? m.last : null
  const total = workers.reduce((n, x) => n + x.received.length, 0)
  return (
    <>
      <div className="pt-caption" style={{ left: 12, width: w - 24, top: 2.3 * rem }}>
        {loc(S.fairQueue)}
      </div>
      <svg className="pt-svg" width={w} height={h}>
        {workers.map((x, i) => (
          <line key={x.conn} className={`pt-edge ${last?.conn === x.conn ? 'sent' : ''}`} data-conn={x.conn} x1={mid(push, 'r').x} y1={mid(push, 'r').y} x2={mid(boxes[i], 'l').x} y2={mid(boxes[i], 'l').y} />
        ))}
        {last
          ? (() => {
              const i = workers.findIndex((x) => x.conn === last.conn)
              return i >= 0 ? <Dot from={mid(push, 'r')} to={mid(boxes[i], 'l')} flight={flight} cls="s2c" text={last.what} /> : null
            })()
          : null}
      </svg>
      <div className="pt-node server" style={style(push)} data-testid="patterns-push">
        <div className="pt-label">PUSH</div>
        <div className="pt-sub-line">
          {total} {loc(S.jobs)}
        </div>
      </div>
      {workers.map((x, i) => (
        <div key={x.conn} className={`pt-node ${last?.conn === x.conn ? 'lit' : ''}`} style={style(boxes[i])} data-testid="patterns-worker" data-name={label(x.node)} data-jobs={x.received.length} data-conn={x.conn}>
          <div className="pt-label">
            {label(x.node)} <span className="pt-type">{x.type ?? 'PULL'}</span> <b>{x.received.length}</b>
          </div>
          <div className="pt-chips">
            {x.received.slice(-8).map((r) => (
              <span key={r.idx} className="pt-chip">
                {r.text}
              </span>
            ))}
          </div>
        </div>
      ))}
      {workers.length === 0 ? <div className="empty">{loc(S.emptyPushPull)}</div> : null}
    </>
  )
}
