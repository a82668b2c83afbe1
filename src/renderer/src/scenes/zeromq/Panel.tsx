// The ZeroMQ lesson's controls: the moments, then sockets to add and messages to send by hand.
import type { JSX } from 'react'
import { useLocalized } from '../../i18n'
import { ActionForm } from '../../lesson/ActionForm'
import { runAction, useLesson } from '../../lesson/lesson-store'
import type { ScenePanelProps } from '../registry'
import P from './strings.json'

const MOMENTS = ['pub-sub', 'compare-mqtt', 'slow-joiner', 'req-rep', 'push-pull']
const FREE = ['add-subscriber', 'publish', 'request', 'add-worker', 'send-jobs', 'remove-client', 'reset']

export function ZeromqPanel({ info }: ScenePanelProps): JSX.Element {
  const loc = useLocalized()
  const busy = useLesson((s) => s.busy)
  const action = (id: string) => info.actions.find((a) => a.id === id)
  return (
    <div className="broker-panel">
      <section className="actions">
        <h2>{loc(P.moments)}</h2>
        {MOMENTS.map((id) => {
          const a = action(id)
          if (!a) return null
          // push-pull has a parameter (jobs): its default is fine for the moment.
          return (
            <button key={id} className={`btn ${a.primary ? 'primary' : 'secondary'}${busy === id ? ' busy' : ''}`} data-testid={`action-${id}`} disabled={!!busy} title={a.help ? loc(a.help) : undefined} onClick={() => void runAction(id)}>
              {loc(a.label)}
            </button>
          )
        })}
      </section>
      <section className="actions">
        <h2>{loc(P.free)}</h2>
        {FREE.map((id) => (action(id) ? <ActionForm key={id} action={action(id)!} /> : null))}
      </section>
    </div>
  )
}
