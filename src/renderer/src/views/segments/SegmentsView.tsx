// TCP segments as a table of numbers: flags, sequence and acknowledgement numbers and payload
// length, with the arithmetic spelled out ("Seq 1 + 10 bytes = 11", and the peer's ACK 11).
// Modeled segments (the kernel's, rebuilt by Wirelab) are dashed and say so.
import { useEffect, useMemo, useRef, useState, type JSX } from 'react'
import { useLocalized } from '../../i18n'
import C from '../../i18n/common.json'
import { useLab } from '../../store'
import type { ViewProps } from '../view-props'
import { useRunEvents } from '../run-events'
import { filterRows, segmentRows, type SegmentFilter } from './model'
import { EmptyView } from '../EmptyView'
import S from './strings.json'
import '../handshakes/handshakes.css'
import { DirArrow } from '../../shell/DirArrow'

const FILTERS: SegmentFilter[] = ['modeled', 'captured', 'both']

export function SegmentsView(_props: ViewProps): JSX.Element {
  const loc = useLocalized()
  const run = useRunEvents()
  const all = useMemo(() => segmentRows(run.events), [run])
  const hasCaptured = all.some((r) => r.source === 'captured')
  const [show, setShow] = useState<SegmentFilter>('both')
  const list = filterRows(all, hasCaptured ? show : 'modeled')
  const box = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const el = box.current
    if (el) el.scrollTop = el.scrollHeight
  }, [list.length])
  if (!list.length) return <EmptyView view="segments" text={S.empty} />
  return (
    <div className="hs-segments" data-testid="view-segments" ref={box}>
      {hasCaptured ? (
        <div className="hs-source" role="group">
          {FILTERS.map((m) => (
            <button
              key={m}
              className={show === m ? 'on' : ''}
              aria-pressed={show === m}
              data-testid={`segments-show-${m}`}
              onClick={() => setShow(m)}
            >
              {loc(S.show[m])}
            </button>
          ))}
        </div>
      ) : null}
      <table>
        <thead>
          <tr>
            <th title={loc(S.dir)}>{loc(S.dir)}</th>
            <th title={loc(S.flags)}>{loc(S.flags)}</th>
            <th>Seq</th>
            <th>Ack</th>
            <th title={loc(S.len)}>{loc(S.len)}</th>
            <th>{loc(S.why)}</th>
          </tr>
        </thead>
        <tbody>
          {list.map((r, i) => [
            i === 0 || list[i - 1].conn !== r.conn ? (
              <tr key={`h-${r.key}`} className="hs-connrow">
                <td colSpan={6}>
                  {loc(C.connection)} <span className="mono">{r.conn}</span>
                </td>
              </tr>
            ) : null,
            <tr
              key={r.key}
              className={`dir-${r.dir}${r.modeled ? ' modeled' : ''}`}
              data-testid="segment-row"
              data-flags={r.flags}
              data-seq={r.seq}
              data-ack={r.ack ?? ''}
              data-len={r.len}
              data-modeled={r.modeled}
              data-source={r.source}
              data-dir={r.dir}
              onClick={() => {
                if (r.source !== 'data') useLab.getState().select(r.seqNo, [0])
              }}
            >
              <td className={`hs-arrow dir-${r.dir}`}>
                <DirArrow dir={r.dir} />
              </td>
              <td>
                {r.flags.split(', ').map((f) => (
                  <span key={f} className={`hs-flag flag-${f.toLowerCase()}`}>
                    {f}
                  </span>
                ))}
                {r.source === 'modeled' ? (
                  <span className="hs-modeled">{loc(C.modeled)}</span>
                ) : r.source === 'captured' ? (
                  <span className="hs-captured">{loc(S.captured)}</span>
                ) : (
                  <span className="hs-real">{loc(S.data)}</span>
                )}
              </td>
              <td className="mono num">{r.seq}</td>
              <td className="mono num">{r.ack ?? '—'}</td>
              <td className="mono num">{r.len}</td>
              <td className="hs-why">
                {loc(r.why)}
                {r.text !== undefined ? <span className="hs-text mono"> “{r.text}”</span> : null}
              </td>
            </tr>
          ])}
        </tbody>
      </table>
    </div>
  )
}
