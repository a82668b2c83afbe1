// "Capture real frames (dumpcap)": switches the engine's capture of the running lesson's ports.
// Where this machine does not allow capture, it says why (the engine also logs it).
import { useEffect, useState, type JSX } from 'react'
import type { CaptureState } from '@shared/api'
import { api } from '../../bridge'
import { useLocalized } from '../../i18n'
import T from './strings.json'

const S = T.capture

export function CaptureSwitch(): JSX.Element {
  const loc = useLocalized()
  const [state, setState] = useState<CaptureState | null>(null)
  useEffect(() => {
    void api['capture:frames']({}).then(setState, () => undefined)
  }, [])
  return (
    <label className="ly-capture" title={state?.reason ?? ''} data-testid="capture-switch" data-on={String(!!state?.on)} data-available={String(state?.available ?? '')}>
      <input
        type="checkbox"
        checked={!!state?.on}
        onChange={(e) => void api['capture:frames']({ on: e.target.checked }).then(setState, () => undefined)}
      />
      {loc(S.label)}
      {state?.available === false ? <span className="muted"> · {loc(S.unavailable)}</span> : null}
    </label>
  )
}
