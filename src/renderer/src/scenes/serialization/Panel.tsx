// The serialization lesson's controls: the reading (every edit re-encodes all formats through
// `scene:action`), the schema-evolution demos, sending on a real socket, and decoding pasted or
// dropped bytes (Protobuf with or without a .proto).
import { useEffect, useRef, useState, type JSX, type ReactNode } from 'react'
import type { ParamValue } from '@shared/events'
import { useLocalized } from '../../i18n'
import { runAction, setParam, useLesson } from '../../lesson/lesson-store'
import { Param } from '../../lesson/Param'
import type { ScenePanelProps } from '../panel-props'
import { FORMATS, FORMAT_LABELS } from '@shared/protocols/serialization'
import S from './strings.json'

/** Every edit of the reading re-encodes all formats, debounced while typing. */
function useEncodeOnEdit(): (id: string, value: ParamValue) => void {
  const timer = useRef<number | null>(null)
  useEffect(
    () => () => {
      if (timer.current !== null) window.clearTimeout(timer.current)
    },
    []
  )
  return (id, value) => {
    setParam(id, value)
    if (timer.current !== null) window.clearTimeout(timer.current)
    timer.current = window.setTimeout(() => {
      timer.current = null
      void runAction('encode')
    }, 150)
  }
}

/** A text input or text area, its `id` also its test id. */
function TextInput(props: {
  id: string
  value: string
  onChange: (v: string) => void
  rows?: number
  className?: string
}): JSX.Element {
  const common = {
    id: props.id,
    'data-testid': props.id,
    className: props.className,
    spellCheck: false,
    value: props.value
  }
  return props.rows ? (
    <textarea {...common} rows={props.rows} onChange={(e) => props.onChange(e.target.value)} />
  ) : (
    <input {...common} type="text" onChange={(e) => props.onChange(e.target.value)} />
  )
}

/** A number input that reports only numbers (not the empty text while a person retypes). */
function NumberInput(props: {
  id: string
  step: number
  value: string
  onChange: (n: number) => void
}): JSX.Element {
  return (
    <input
      id={props.id}
      data-testid={props.id}
      type="number"
      step={props.step}
      value={props.value}
      onChange={(e) => {
        const v = e.target.value
        if (v !== '' && Number.isFinite(Number(v))) props.onChange(Number(v))
      }}
    />
  )
}

function FormatSelect(props: {
  testId: string
  value: string
  onChange: (v: string) => void
  id?: string
  label?: string
  children?: ReactNode
}): JSX.Element {
  return (
    <select
      id={props.id}
      aria-label={props.label}
      data-testid={props.testId}
      value={props.value}
      onChange={(e) => props.onChange(e.target.value)}
    >
      {FORMATS.map((f) => (
        <option key={f} value={f}>
          {FORMAT_LABELS[f]}
        </option>
      ))}
      {props.children}
    </select>
  )
}

function ActionButton(props: {
  id: string
  label: string
  primary?: boolean
  title?: string
  disabled?: boolean
  args?: Record<string, ParamValue>
}): JSX.Element {
  const busy = useLesson((s) => s.busy)
  return (
    <button
      className={`btn ${props.primary ? 'primary' : 'secondary'}${busy === props.id ? ' busy' : ''}`}
      data-testid={`action-${props.id}`}
      disabled={!!busy || props.disabled}
      title={props.title}
      onClick={() => void runAction(props.id, props.args)}
    >
      {props.label}
    </button>
  )
}

export function SerializationPanel({ info }: ScenePanelProps): JSX.Element {
  const loc = useLocalized()
  const values = useLesson((s) => s.values[info.id]) ?? {}
  const edit = useEncodeOnEdit()
  const [wireFormat, setWireFormat] = useState('protobuf')

  const param = (id: string): ParamValue => values[id] ?? info.params.find((p) => p.id === id)?.default ?? ''
  const label = (id: string): string =>
    loc(info.actions.find((a) => a.id === id)?.label ?? info.params.find((p) => p.id === id)?.label)
  const typeDef = info.params.find((p) => p.id === 'temperaturaType')

  return (
    <div className="ser-panel">
      <section className="params">
        <h2>{loc(S.reading)}</h2>
        <div className="help">{loc(S.live)}</div>
        <Param id="ser-temperatura" label={label('temperatura')}>
          <div className="param-row">
            <NumberInput
              id="ser-temperatura"
              step={0.1}
              value={String(param('temperatura'))}
              onChange={(n) => edit('temperatura', n)}
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
        </Param>
        <Param id="ser-type" label={label('temperaturaType')}>
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
        </Param>
        <Param id="ser-sensor" label={label('sensor')}>
          <TextInput id="ser-sensor" value={String(param('sensor'))} onChange={(v) => edit('sensor', v)} />
        </Param>
        <Param id="ser-timestamp" label={label('timestamp')}>
          <NumberInput
            id="ser-timestamp"
            step={1}
            value={String(param('timestamp'))}
            onChange={(n) => edit('timestamp', Math.trunc(n))}
          />
        </Param>
        <Param id="ser-historico" label={label('historico')}>
          <TextInput
            id="ser-historico"
            value={String(param('historico'))}
            onChange={(v) => edit('historico', v)}
          />
        </Param>
        <ActionButton id="encode" label={label('encode')} primary />
      </section>

      <section className="actions">
        <h2>{loc(S.evolution)}</h2>
        {['evolve-add', 'evolve-renumber'].map((id) => (
          <ActionButton
            key={id}
            id={id}
            label={label(id)}
            title={loc(info.actions.find((a) => a.id === id)?.help)}
          />
        ))}
      </section>

      <section className="params">
        <h2>{loc(S.wire)}</h2>
        <div className="param">
          <FormatSelect
            testId="ser-wire-format"
            label={loc(S.format)}
            value={wireFormat}
            onChange={setWireFormat}
          >
            <option value="all">{loc(S.all)}</option>
          </FormatSelect>
        </div>
        <ActionButton id="send" label={label('send')} args={{ wireFormat }} />
      </section>

      <DecodeSection label={label('decode')} />
    </div>
  )
}

/** Pasted or dropped bytes, decoded by the engine in the chosen format. */
function DecodeSection({ label }: { label: string }): JSX.Element {
  const loc = useLocalized()
  const [input, setInput] = useState('08 96 01')
  const [format, setFormat] = useState('protobuf')
  const [schema, setSchema] = useState('')
  const [type, setType] = useState('')
  const [over, setOver] = useState(false)
  const onDrop = async (file: File): Promise<void> => {
    const buf = new Uint8Array(await file.arrayBuffer())
    setInput(Array.from(buf, (b) => b.toString(16).padStart(2, '0')).join(' '))
  }
  return (
    <section className="params">
      <h2>{loc(S.decode)}</h2>
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
          {loc(S.input)}
        </label>
        <TextInput id="ser-input" className="mono" rows={3} value={input} onChange={setInput} />
        <div>{loc(S.file)}</div>
      </div>
      <Param id="ser-format" label={loc(S.format)}>
        <FormatSelect id="ser-format" testId="ser-format" value={format} onChange={setFormat} />
      </Param>
      <Param id="ser-schema" label={loc(S.schema)}>
        <TextInput id="ser-schema" className="mono" rows={3} value={schema} onChange={setSchema} />
      </Param>
      <Param id="ser-msgtype" label={loc(S.type)}>
        <TextInput id="ser-msgtype" value={type} onChange={setType} />
      </Param>
      <ActionButton
        id="decode"
        label={label}
        disabled={!input.trim()}
        args={{ input, format, schema, type }}
      />
    </section>
  )
}
