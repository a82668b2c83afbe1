// The layers view as a lesson view: pick one of the run's messages (or select one anywhere) and
// see it wrapped in its TCP/UDP, IPv4 and Ethernet headers.
import { useMemo, type JSX } from 'react'
import type { PduEvent } from '@shared/events'
import { useLocalized } from '../../i18n'
import { selectedPdu, useLab } from '../../store'
import type { ViewProps } from '../view-props'
import { useRunEvents } from '../run-events'
import { LayersPanel } from './LayersPanel'
import T from './strings.json'

const S = T.view

/** The run's application messages (not modeled segments, not captured frames). */
export function appPdus(pdus: PduEvent[]): PduEvent[] {
  return pdus.filter((p) => !p.modeled && p.protocol !== 'frame' && p.offset >= 0)
}

export function LayersView(_props: ViewProps): JSX.Element {
  const loc = useLocalized()
  const run = useRunEvents()
  const selectedSeq = useLab((s) => s.selectedSeq)
  const pdu = useMemo(() => selectedPdu(useLab.getState()), [selectedSeq, run]) // eslint-disable-line react-hooks/exhaustive-deps
  const choices = useMemo(() => appPdus(run.pdus).slice(-8), [run])
  const current = pdu ?? choices.at(-1) ?? null
  return (
    <div className="layers-view" data-testid="view-layers">
      {choices.length ? (
        <div className="ly-picker">
          <span className="muted">{loc(S.pick)}:</span>
          {choices.map((p) => (
            <button key={p.seq} className={current?.seq === p.seq ? 'on' : ''} data-testid="layers-pick" data-seq={p.seq} onClick={() => useLab.getState().select(p.seq, [0])}>
              {p.dir === 'c2s' ? '→' : '←'} {p.summary.length > 38 ? p.summary.slice(0, 37) + '…' : p.summary}
            </button>
          ))}
        </div>
      ) : null}
      {current ? <LayersPanel pdu={current} events={run.events} /> : <div className="hs-empty">{loc(S.empty)}</div>}
    </div>
  )
}
