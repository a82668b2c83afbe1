// The RabbitMQ lesson's controls: where the broker comes from, the moments, the built-in clients
// (add and remove), and the free-form controls to build a topology and publish through it.
import type { JSX } from 'react'
import { useLocalized } from '../../i18n'
import { ActionForm, ParamField, StepButtons } from '../../lesson/ActionForm'
import { runAction, setParam, useLesson } from '../../lesson/lesson-store'
import { useLab } from '../../store'
import type { ScenePanelProps } from '../panel-props'
import { useTopology } from '../../views/topology/TopologyView'
import P from './strings.json'

/** Control actions shown next to the list of clients; the other controls build the topology. */
const CLIENTS = ['add-producer', 'add-consumer', 'remove-client']

export function RabbitmqPanel({ info, status }: ScenePanelProps): JSX.Element {
  const loc = useLocalized()
  const busy = useLesson((s) => s.busy)
  const values = useLesson((s) => s.values[info.id])
  const nodes = useLab((s) => s.nodes)
  const { t } = useTopology()
  const action = (id: string) => info.actions.find((a) => a.id === id)
  const clients = [...new Set([...t.producers.keys(), ...[...t.consumers.values()].map((c) => c.node)])].filter((n) => !nodes.get(n)?.external)
  const recorded = status?.scene === info.id && status.ports.length === 0
  return (
    <div className="broker-panel">
      <section className="params">
        <h2>{loc(P.broker)}</h2>
        {info.params.map((p) => (
          <ParamField key={p.id} def={p} id={`param-${p.id}`} value={values?.[p.id] ?? p.default} onChange={(v) => setParam(p.id, v)} />
        ))}
        <div className="help">{loc(P.brokerHelp)}</div>
        {recorded ? (
          <div className="warn" data-testid="rabbitmq-recorded">
            {loc(P.recorded)}
          </div>
        ) : null}
      </section>
      <section className="actions">
        <h2>{loc(P.moments)}</h2>
        <StepButtons actions={info.actions} />
      </section>
      <section className="actions">
        <h2>{loc(P.clients)}</h2>
        {clients.length ? (
          <ul className="client-list" data-testid="rabbitmq-clients">
            {clients.map((n) => {
              const name = nodes.get(n)?.label ?? n
              return (
                <li key={n}>
                  <span>{name}</span>
                  <button className="btn ghost small" data-testid={`remove-${name}`} disabled={!!busy} onClick={() => void runAction('remove-client', { name })}>
                    {loc(P.remove)}
                  </button>
                </li>
              )
            })}
          </ul>
        ) : (
          <div className="muted">{loc(P.noClients)}</div>
        )}
        {CLIENTS.slice(0, 2).map((id) => (action(id) ? <ActionForm key={id} action={action(id)!} /> : null))}
      </section>
      <section className="actions">
        <h2>{loc(P.build)}</h2>
        {info.actions
          .filter((a) => a.kind === 'control' && !CLIENTS.includes(a.id))
          .map((a) => (
            <ActionForm key={a.id} action={a} />
          ))}
      </section>
    </div>
  )
}
