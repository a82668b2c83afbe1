// The MQTT lesson's controls: the sub-lessons, and publishers and subscribers the person adds,
// names and removes, each with its own filter and QoS; then publish from any of them.
import { useState, type JSX } from 'react'
import { Inbox, Send, X } from 'lucide-react'
import { useLocalized } from '../../i18n'
import { runAction, setParam, useLesson } from '../../lesson/lesson-store'
import { Param } from '../../lesson/Param'
import type { ScenePanelProps } from '../panel-props'
import { useFanoutModel } from '../../views/fanout/use-fanout-model'
import { builtInClients } from '../../views/fanout/picture'
import P from './strings.json'

export function MqttPanel({ info }: ScenePanelProps): JSX.Element {
  const loc = useLocalized()
  const busy = useLesson((s) => s.busy)
  const values = useLesson((s) => s.values[info.id])
  const { model } = useFanoutModel()
  const [pubName, setPubName] = useState('Sensor B')
  const [subName, setSubName] = useState('Dashboard')
  const [filter, setFilter] = useState('home/#')
  const [subQos, setSubQos] = useState('1')
  const [from, setFrom] = useState('')
  const [topic, setTopic] = useState('home/livingroom/temperature')
  const [payload, setPayload] = useState('22.5')
  const [qos, setQos] = useState('1')
  const [retain, setRetain] = useState(false)

  const builtIn = builtInClients(model)
  const publishers = builtIn.filter((c) => c.role === 'pub')
  const label = (id: string): string => {
    const a = info.actions.find((x) => x.id === id)
    return a ? loc(a.label) : id
  }

  return (
    <div className="mqtt-panel">
      <section className="actions">
        <h2>{loc(P.lessons)}</h2>
        {info.actions.filter((a) => a.kind !== 'control').map(({ id }) => (
          <button key={id} className={`btn ${id === 'demo' ? 'primary' : 'secondary'}${busy === id ? ' busy' : ''}`} data-testid={`action-${id}`} disabled={!!busy} onClick={() => void runAction(id)} title={loc(info.actions.find((a) => a.id === id)?.help)}>
            {label(id)}
          </button>
        ))}
      </section>

      <section className="params">
        <h2>{loc(P.addPublisher)}</h2>
        <Param id="mqtt-pub-name" label={loc(P.name)}>
          <input id="mqtt-pub-name" data-testid="mqtt-pub-name" value={pubName} onChange={(e) => setPubName(e.target.value)} />
        </Param>
        <button className="btn secondary" data-testid="mqtt-add-pub" disabled={!!busy || !pubName.trim()} onClick={() => void runAction('add-publisher', { name: pubName.trim() })}>
          {label('add-publisher')}
        </button>
      </section>

      <section className="params">
        <h2>{loc(P.addSubscriber)}</h2>
        <Param id="mqtt-sub-name" label={loc(P.name)}>
          <input id="mqtt-sub-name" data-testid="mqtt-sub-name" value={subName} onChange={(e) => setSubName(e.target.value)} />
        </Param>
        <Param id="mqtt-sub-filter" label={loc(P.filter)} help={loc(P.filterHelp)}>
          <input id="mqtt-sub-filter" data-testid="mqtt-sub-filter" className="mono" value={filter} onChange={(e) => setFilter(e.target.value)} />
        </Param>
        <Param id="mqtt-sub-qos" label="QoS">
          <QosSelect id="mqtt-sub-qos" value={subQos} onChange={setSubQos} />
        </Param>
        <button className="btn secondary" data-testid="mqtt-add-sub" disabled={!!busy || !subName.trim()} onClick={() => void runAction('add-subscriber', { name: subName.trim(), filter: filter.trim(), qos: subQos })}>
          {label('add-subscriber')}
        </button>
      </section>

      <section className="params">
        <h2>{loc(P.publish)}</h2>
        <Param id="mqtt-from" label={loc(P.from)}>
          <select id="mqtt-from" data-testid="mqtt-from" value={from} onChange={(e) => setFrom(e.target.value)}>
            <option value="">{loc(P.firstPublisher)}</option>
            {publishers.map((c) => (
              <option key={c.node} value={c.label}>
                {c.label}
              </option>
            ))}
          </select>
        </Param>
        <Param id="mqtt-topic" label={loc(P.topic)}>
          <input id="mqtt-topic" data-testid="mqtt-topic" className="mono" value={topic} onChange={(e) => setTopic(e.target.value)} />
        </Param>
        <Param id="mqtt-payload" label={loc(P.payload)}>
          <input id="mqtt-payload" data-testid="mqtt-payload" value={payload} onChange={(e) => setPayload(e.target.value)} />
        </Param>
        <Param id="mqtt-qos" label="QoS">
          <QosSelect id="mqtt-qos" value={qos} onChange={setQos} />
          <label className="check">
            <input type="checkbox" data-testid="mqtt-retain" checked={retain} onChange={(e) => setRetain(e.target.checked)} /> retain
          </label>
        </Param>
        <button className="btn primary" data-testid="mqtt-publish" disabled={!!busy} onClick={() => void runAction('publish', { name: from, topic: topic.trim(), payload, qos, retain })}>
          {label('publish')}
        </button>
      </section>

      {builtIn.length ? (
        <section className="params" data-testid="mqtt-clients">
          <h2>{loc(P.clients)}</h2>
          {builtIn.map((c) => (
            <div key={c.node} className="mqtt-client-row">
              <span>
                {c.role === 'pub' ? <Send aria-label={loc(P.publisher)} role="img" /> : <Inbox aria-label={loc(P.subscriber)} role="img" />} {c.label}
              </span>
              <button className="btn ghost small" data-testid={`mqtt-remove-${c.label}`} disabled={!!busy} onClick={() => void runAction('remove-client', { name: c.label })} aria-label={`${loc(P.remove)} ${c.label}`}>
                <X /> {loc(P.remove)}
              </button>
            </div>
          ))}
        </section>
      ) : null}

      <section className="params">
        <h2>{loc(P.broker)}</h2>
        <label className="check">
          <input type="checkbox" data-testid="param-specQos" checked={values?.specQos !== false} onChange={(e) => setParam('specQos', e.target.checked)} />
          {loc(info.params.find((p) => p.id === 'specQos')?.label)}
        </label>
        <div className="help">{loc(info.params.find((p) => p.id === 'specQos')?.help)}</div>
        <div className="help">{loc(P.restart)}</div>
      </section>
    </div>
  )
}

function QosSelect({ id, value, onChange }: { id: string; value: string; onChange: (qos: string) => void }): JSX.Element {
  return (
    <select id={id} data-testid={id} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="0">0</option>
      <option value="1">1</option>
      <option value="2">2</option>
    </select>
  )
}
