// The ZeroMQ lesson's controls: the moments, then sockets to add and messages to send by hand.
import type { JSX } from 'react'
import { useLocalized } from '../../i18n'
import { ActionForm, StepButtons } from '../../lesson/ActionForm'
import type { ScenePanelProps } from '../panel-props'
import P from './strings.json'

export function ZeromqPanel({ info }: ScenePanelProps): JSX.Element {
  const loc = useLocalized()
  return (
    <div className="broker-panel">
      <section className="actions">
        <h2>{loc(P.moments)}</h2>
        <StepButtons actions={info.actions} />
      </section>
      <section className="actions">
        <h2>{loc(P.free)}</h2>
        {info.actions
          .filter((a) => a.kind === 'control')
          .map((a) => (
            <ActionForm key={a.id} action={a} />
          ))}
      </section>
    </div>
  )
}
