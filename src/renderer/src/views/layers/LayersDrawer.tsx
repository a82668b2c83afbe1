// The layers view for any lesson: opened from the byte inspector ("Layers") over the lesson's
// views, for the selected PDU; Esc or ✕ closes it.
import { useEffect, type JSX } from 'react'
import { create } from 'zustand'
import { useLocalized } from '../../i18n'
import { selectedPdu, useLab } from '../../store'
import { useRunEvents } from '../run-events'
import { LayersPanel } from './LayersPanel'
import T from './strings.json'

export const useLayersDrawer = create<{ open: boolean; set(open: boolean): void }>((set) => ({
  open: false,
  set: (open) => set({ open })
}))

const S = T.drawer

export function LayersDrawer(): JSX.Element | null {
  const open = useLayersDrawer((s) => s.open)
  // Closed, it reads nothing: the open drawer follows the log (useRunEvents), the closed one must not.
  return open ? <OpenDrawer /> : null
}

function OpenDrawer(): JSX.Element {
  const loc = useLocalized()
  const open = useLayersDrawer((s) => s.open)
  const run = useRunEvents()
  useLab((s) => s.selectedSeq)
  useEffect(() => {
    if (!open) return
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') useLayersDrawer.getState().set(false)
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [open])
  const pdu = selectedPdu(useLab.getState())
  return (
    <aside className="layers-drawer panel" data-testid="layers-drawer" role="dialog" aria-label={loc(S.title)}>
      <div className="panel-title">
        {loc(S.title)}
        <button className="ly-close" data-testid="layers-close" onClick={() => useLayersDrawer.getState().set(false)} aria-label={loc(S.close)}>
          ✕
        </button>
      </div>
      <div className="panel-body">{pdu ? <LayersPanel pdu={pdu} events={run.events} /> : <div className="ly-empty">{loc(S.none)}</div>}</div>
    </aside>
  )
}
