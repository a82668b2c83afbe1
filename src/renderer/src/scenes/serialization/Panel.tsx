// The serialization lesson's controls: the reading (every edit re-encodes all formats through
// `scene:action`), the schema-evolution demos, sending on a real socket, and decoding pasted or
// dropped bytes (Protobuf with or without a .proto).
import { useEffect, useRef, useState, type JSX } from 'react'
import type { ParamValue } from '@shared/events'
import { useLocalized } from '../../i18n'
import { runAction, setParam, useLesson } from '../../lesson/lesson-store'
import type { ScenePanelProps } from '../registry'
import { FORMATS, FORMAT_LABELS } from '@shared/protocols/serialization'
import { S } from '../../views/serialization/strings'

export function SerializationPanel({ info }: ScenePanelProps): JSX.Element {
  const loc = useLocalized()
  const busy = useLesson((s) => s.busy)
  const values = useLesson((s) => s.values[info.id]) ?? {}
  const timer = useRef<number | null>(null)
  const [wireFormat, setWireFormat] = useState('protobuf')
  const [input, setInput] = useState('08 96 01')
  const [format, setFormat] = useState('protobuf')
  const [schema, setSchema] = useState('')
  const [type, setType] = useState('')
  const [over, setOver] = useState(false)
  useEffect(
    () => () => {
      if (timer.current !== null) window.clearTimeout(timer.current)
    },
    []
  )

  const param = (id: string): ParamValue => values[id] ?? info.params.find((p) => p.id === id)?.default ?? ''
  const label = (id: string): string =>
    loc(info.actions.find((a) => a.id === id)?.label ?? info.params.find((p) => p.id === id)?.label)
  /** Every edit re-encodes all formats (debounced while typing). */
  const edit = (id: string, value: ParamValue): void => {
    setParam(id, value)
    if (timer.current !== null) window.clearTimeout(timer.current)
    timer.current = window.setTimeout(() => {
      timer.current = null
      void runAction('encode')
    }, 150)
  }
  const typeDef = info.params.find((p) => p.id === 'temperaturaType')

  const onDrop = async (file: File): Promise<void> => {
    const buf = new Uint8Array(await file.arrayBuffer())
    setInput(Array.from(buf, (b) => b.toString(16).padStart(2, '0')).join(' '))
  }

  return (
    <div className="ser-panel">
      <section className="params">
        <h2>{loc(S.panel.reading)}</h2>
        <div className="help">{loc(S.panel.live)}</div>
        <div className="param">
          <label className="param-label" htmlFor="ser-temperatura">
            {label('temperatura')}
          </label>
          <div className="param-row">
            <input
              id="ser-temperatura"
              data-testid="ser-temperatura"
              type="number"
              step={0.1}
              value={String(param('temperatura'))}
              onChange={(e) =>
                e.target.value !== '' &&
                Number.isFinite(Number(e.target.value)) &&
                edit('temperatura', Number(e.target.value))
              }
            />
            <input
              aria-label={label('temperatura')}
              type="range"
              min={-20}
              max={50}
              step={0.5}
              value={Number(param('temperatura'))}
              onChange={(e) => edit('temperatura', Number(e.target.value))}
            />
          </div>
        </div>
        <div className="param">
          <label className="param-label" htmlFor="ser-type">
            {label('temperaturaType')}
          </label>
          <select
            id="ser-type"
            data-testid="ser-type"
            value={String(param('temperaturaType'))}
            onChange={(e) => edit('temperaturaType', e.target.value)}
          >
            {typeDef?.options?.map((o) => (
              <option key={o.value} value={o.value}>
                {loc(o.label)}
              </option>
            ))}
          </select>
        </div>
        <div className="param">
          <label className="param-label" htmlFor="ser-sensor">
            {label('sensor')}
          </label>
          <input
            id="ser-sensor"
            data-testid="ser-sensor"
            type="text"
            spellCheck={false}
            value={String(param('sensor'))}
            onChange={(e) => edit('sensor', e.target.value)}
          />
        </div>
        <div className="param">
          <label className="param-label" htmlFor="ser-timestamp">
            {label('timestamp')}
          </label>
          <input
            id="ser-timestamp"
            data-testid="ser-timestamp"
            type="number"
            step={1}
            value={String(param('timestamp'))}
            onChange={(e) => e.target.value !== '' && edit('timestamp', Math.trunc(Number(e.target.value)))}
          />
        </div>
        <div className="param">
          <label className="param-label" htmlFor="ser-historico">
            {label('historico')}
          </label>
          <input
            id="ser-historico"
            data-testid="ser-historico"
            type="text"
            spellCheck={false}
            value={String(param('historico'))}
            onChange={(e) => edit('historico', e.target.value)}
          />
        </div>
        <button
          className={`btn primary${busy === 'encode' ? ' busy' : ''}`}
          data-testid="action-encode"
          disabled={!!busy}
          onClick={() => void runAction('encode')}
        >
          {label('encode')}
        </button>
      </section>

      <section className="actions">
        <h2>{loc(S.panel.evolution)}</h2>
        {['evolve-add', 'evolve-renumber'].map((id) => (
          <button
            key={id}
            className={`btn secondary${busy === id ? ' busy' : ''}`}
            data-testid={`action-${id}`}
            disabled={!!busy}
            title={loc(info.actions.find((a) => a.id === id)?.help)}
            onClick={() => void runAction(id)}
          >
            {label(id)}
          </button>
        ))}
      </section>

      <section className="params">
        <h2>{loc(S.panel.wire)}</h2>
        <div className="param">
          <select
            aria-label={loc(S.panel.format)}
            data-testid="ser-wire-format"
            value={wireFormat}
            onChange={(e) => setWireFormat(e.target.value)}
          >
            {FORMATS.map((f) => (
              <option key={f} value={f}>
                {FORMAT_LABELS[f]}
              </option>
            ))}
            <option value="all">{loc(S.panel.all)}</option>
          </select>
        </div>
        <button
          className={`btn secondary${busy === 'send' ? ' busy' : ''}`}
          data-testid="action-send"
          disabled={!!busy}
          onClick={() => void runAction('send', { wireFormat })}
        >
          {label('send')}
        </button>
      </section>

      <section className="params">
        <h2>{loc(S.panel.decode)}</h2>
        <div
          className={`param drop${over ? ' over' : ''}`}
          onDragOver={(e) => {
            e.preventDefault()
            setOver(true)
          }}
          onDragLeave={() => setOver(false)}
          onDrop={(e) => {
            e.preventDefault()
            setOver(false)
            const f = e.dataTransfer.files[0]
            if (f) void onDrop(f)
          }}
        >
          <label className="param-label" htmlFor="ser-input">
            {loc(S.panel.input)}
          </label>
          <textarea
            id="ser-input"
            data-testid="ser-input"
            className="mono"
            rows={3}
            spellCheck={false}
            value={input}
            onChange={(e) => setInput(e.target.value)}
          />
          <div>{loc(S.panel.file)}</div>
        </div>
        <div className="param">
          <label className="param-label" htmlFor="ser-format">
            {loc(S.panel.format)}
          </label>
          <select
            id="ser-format"
            data-testid="ser-format"
            value={format}
            onChange={(e) => setFormat(e.target.value)}
          >
            {FORMATS.map((f) => (
              <option key={f} value={f}>
                {FORMAT_LABELS[f]}
              </option>
            ))}
          </select>
        </div>
        <div className="param">
          <label className="param-label" htmlFor="ser-schema">
            {loc(S.panel.schema)}
          </label>
          <textarea
            id="ser-schema"
            data-testid="ser-schema"
            className="mono"
            rows={3}
            spellCheck={false}
            value={schema}
            onChange={(e) => setSchema(e.target.value)}
          />
        </div>
        <div className="param">
          <label className="param-label" htmlFor="ser-msgtype">
            {loc(S.panel.type)}
          </label>
          <input
            id="ser-msgtype"
            data-testid="ser-msgtype"
            type="text"
            spellCheck={false}
            value={type}
            onChange={(e) => setType(e.target.value)}
          />
        </div>
        <button
          className={`btn secondary${busy === 'decode' ? ' busy' : ''}`}
          data-testid="action-decode"
          disabled={!!busy || !input.trim()}
          onClick={() => void runAction('decode', { input, format, schema, type })}
        >
          {label('decode')}
        </button>
      </section>
    </div>
  )
}
