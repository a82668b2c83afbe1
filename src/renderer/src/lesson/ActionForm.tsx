// An action with its own parameters (SceneInfo.actions[].params) as a small form: one input per
// parameter, starting at its default, and the button that runs the action with those values.
// Custom lesson panels lay out their free-form controls with it.
import { useState, type JSX } from 'react'
import type { ParamValue, ParamValues } from '@shared/events'
import type { ActionDef, ParamDef } from '@shared/scene'
import { useLocalized } from '../i18n'
import { runAction, useLesson } from './lesson-store'
import { Param } from './Param'
import './action-form.css'

export function ActionForm({ action, open = false, extra }: { action: ActionDef; open?: boolean; extra?: ParamValues }): JSX.Element {
  const loc = useLocalized()
  const busy = useLesson((s) => s.busy)
  const [values, setValues] = useState<ParamValues>(() => Object.fromEntries((action.params ?? []).map((p) => [p.id, p.default])))
  const params = action.params ?? []
  const button = (
    <button
      className={`btn secondary${busy === action.id ? ' busy' : ''}`}
      data-testid={`action-${action.id}`}
      title={action.help ? loc(action.help) : undefined}
      disabled={!!busy}
      onClick={() => void runAction(action.id, { ...values, ...extra })}
    >
      {loc(action.label)}
    </button>
  )
  if (params.length === 0) return button
  return (
    <details className="action-form" data-testid={`form-${action.id}`} open={open}>
      <summary>{loc(action.label)}</summary>
      {params.map((p) => (
        <ParamField key={p.id} def={p} id={`${action.id}-${p.id}`} value={values[p.id] ?? p.default} onChange={(v) => setValues((x) => ({ ...x, [p.id]: v }))} />
      ))}
      {button}
    </details>
  )
}

/** The lesson's steps (`kind` not `control`) as buttons, each run with its parameters' defaults. */
export function StepButtons({ actions }: { actions: readonly ActionDef[] }): JSX.Element {
  const loc = useLocalized()
  const busy = useLesson((s) => s.busy)
  return (
    <>
      {actions
        .filter((a) => a.kind !== 'control')
        .map((a) => (
          <button key={a.id} className={`btn ${a.primary ? 'primary' : 'secondary'}${busy === a.id ? ' busy' : ''}`} data-testid={`action-${a.id}`} disabled={!!busy} title={a.help ? loc(a.help) : undefined} onClick={() => void runAction(a.id)}>
            {loc(a.label)}
          </button>
        ))}
    </>
  )
}

/** One labelled input for a parameter definition (the generic panel's, the action forms' and the custom panels'). */
export function ParamField({ def, id, value, onChange }: { def: ParamDef; id: string; value: ParamValue; onChange: (v: ParamValue) => void }): JSX.Element {
  const loc = useLocalized()
  const help = def.help ? loc(def.help) : undefined
  if (def.type === 'boolean')
    return (
      <div className="param">
        <label className="check">
          <input id={id} data-testid={id} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} />
          {loc(def.label)}
        </label>
        {help ? <div className="help">{help}</div> : null}
      </div>
    )
  return (
    <Param id={id} label={loc(def.label)} help={help}>
      {def.type === 'number' ? (
        <input id={id} data-testid={id} type="number" min={def.min} max={def.max} step={def.step} value={Number(value)} onChange={(e) => onChange(Number(e.target.value))} />
      ) : def.type === 'select' ? (
        <select id={id} data-testid={id} value={String(value)} onChange={(e) => onChange(e.target.value)}>
          {def.options?.map((o) => (
            <option key={o.value} value={o.value}>
              {loc(o.label)}
            </option>
          ))}
        </select>
      ) : def.type === 'text' ? (
        <textarea id={id} data-testid={id} rows={4} value={String(value)} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input id={id} data-testid={id} type="text" spellCheck={false} value={String(value)} onChange={(e) => onChange(e.target.value)} />
      )}
    </Param>
  )
}
