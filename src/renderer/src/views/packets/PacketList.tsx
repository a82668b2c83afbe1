// Packet list: every visible PDU as a row (No., time, Δ, connection, direction, protocol,
// summary); a virtualised table, so 100k rows scroll as smoothly as ten.
import { memo, useEffect, useMemo, useRef, type JSX } from 'react'
import type { LabEvent, PduEvent } from '@shared/events'
import { lowerBound, runStart, useLab, useLogVersion } from '../../store'
import { useLocalized } from '../../i18n'
import C from '../../i18n/common.json'
import S from './strings.json'
import type { ViewProps } from '../view-props'
import { firstPayloadPath } from '../fields'
import { DirArrow } from '../../shell/DirArrow'
import { useFollow } from '../common/follow'

const ROW_H = 30

export function PacketList(_props: ViewProps): JSX.Element {
  const loc = useLocalized()
  const { count, cursor, epoch } = useLogVersion('list')
  const runs = useLab((s) => s.runs.length)
  const selectedSeq = useLab((s) => s.selectedSeq)
  const box = useRef<HTMLDivElement>(null)

  const range = useMemo(() => {
    const s = useLab.getState()
    const from = lowerBound(s.pdus, runStart(s))
    return { from, to: lowerBound(s.pdus, s.cursor) }
  }, [count, cursor, epoch, runs]) // eslint-disable-line react-hooks/exhaustive-deps
  const n = range.to - range.from
  // Follows the newest row while the person has not scrolled up.
  const { view, stickRef, topOf, onScroll } = useFollow(box, n, { top: 0, height: 400 })

  // A selection made elsewhere (the diagram) scrolls its row into view.
  useEffect(() => {
    const el = box.current
    if (!el || selectedSeq === null) return
    const st = useLab.getState()
    const i = st.bySeq.get(selectedSeq)
    if (i === undefined || i < 0) return
    const k = lowerBound(st.pdus, i) - range.from
    if (k < 0 || k >= n) return
    const y = k * ROW_H
    if (y < el.scrollTop || y + ROW_H > el.scrollTop + el.clientHeight) {
      stickRef.current = k === n - 1
      el.scrollTop = Math.max(0, y - el.clientHeight / 2)
    }
  }, [selectedSeq]) // eslint-disable-line react-hooks/exhaustive-deps

  const s = useLab.getState()
  const top = topOf(n * ROW_H)
  const first = Math.max(0, Math.floor(top / ROW_H) - 8)
  const last = Math.min(n, Math.ceil((top + view.height) / ROW_H) + 8)
  const t0 = n ? s.events[s.pdus[range.from]].t : 0
  const rows: JSX.Element[] = []
  // While following, a refresh brings a new end of the log: rows keyed by their place on screen
  // rewrite their text instead of being created and removed. While scrolling, rows keyed by their
  // PDU stay as they are (a scroll of a few rows draws only those), each row drawing only when its
  // own props change.
  // eslint-disable-next-line react-hooks/refs
  const following = stickRef.current
  for (let k = first; k < last; k++) {
    const e = s.events[s.pdus[range.from + k]] as PduEvent
    const prev = k > 0 ? s.events[s.pdus[range.from + k - 1]] : null
    rows.push(
      <PacketRow
        key={following ? k - first : k}
        k={k}
        e={e}
        prev={prev}
        t0={t0}
        selected={e.seq === selectedSeq}
      />
    )
  }

  return (
    <div className="packets" data-testid="view-packets" role="table">
      <div className="pkt-head" role="row">
        {(
          [
            ['c-no', loc(S.no)],
            ['c-time', `${loc(S.time)} (s)`],
            ['c-delta', `${loc(S.delta)} (ms)`],
            ['c-conn', loc(S.conn)],
            ['c-dir', loc(S.dir)],
            ['c-proto', loc(S.protocol)],
            ['c-sum', loc(S.summary)]
          ] as const
        ).map(([c, text]) => (
          <span key={c} className={c} title={text}>
            {text}
          </span>
        ))}
      </div>
      <div className="pkt-body" ref={box} onScroll={onScroll}>
        {n === 0 ? <div className="empty">{loc(S.empty)}</div> : null}
        <div style={{ height: n * ROW_H, position: 'relative' }}>{rows}</div>
      </div>
    </div>
  )
}

const PacketRow = memo(function PacketRow({
  k,
  e,
  prev,
  t0,
  selected
}: {
  k: number
  e: PduEvent
  prev: LabEvent | null
  t0: number
  selected: boolean
}): JSX.Element {
  const loc = useLocalized()
  return (
    <div
      role="row"
      className={`pkt-row dir-${e.dir}${selected ? ' selected' : ''}${e.modeled ? ' modeled' : ''}${e.malformed ? ' malformed' : ''}`}
      style={{ top: k * ROW_H, height: ROW_H }}
      data-testid="packet-row"
      data-seq={e.seq}
      data-conn={e.conn}
      aria-selected={selected}
      onClick={() => useLab.getState().select(e.seq, firstPayloadPath(e.fields))}
    >
      <span className="c-no">{k + 1}</span>
      <span className="c-time mono">{((e.t - t0) / 1000).toFixed(6)}</span>
      <span className="c-delta mono">{prev ? `+${(e.t - prev.t).toFixed(3)}` : '—'}</span>
      <span className="c-conn mono">{e.conn}</span>
      <span className="c-dir" title={loc(C.dir[e.dir])}>
        <DirArrow dir={e.dir} />
      </span>
      <span className={`c-proto proto-${e.protocol}`}>{e.protocol.toUpperCase()}</span>
      <span className="c-sum" title={e.modeled ? `${e.summary} · ${loc(C.modeled)}` : e.summary}>
        {e.summary}
        {e.modeled ? <span className="modeled-tag"> · {loc(C.modeled)}</span> : null}
      </span>
    </div>
  )
})
