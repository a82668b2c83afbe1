// A labelled control in a lesson panel: the label (tied to the control by `id`), the control, and
// an optional help line. The generic panel and the custom ones lay out their inputs with it.
import type { JSX, ReactNode } from 'react'

export function Param(props: {
  id: string
  label: ReactNode
  help?: ReactNode
  children: ReactNode
}): JSX.Element {
  return (
    <div className="param">
      <label className="param-label" htmlFor={props.id}>
        {props.label}
      </label>
      {props.children}
      {props.help ? <div className="help">{props.help}</div> : null}
    </div>
  )
}
