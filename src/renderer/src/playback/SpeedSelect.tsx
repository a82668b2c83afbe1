// The playback speed picker (0.25×–4×), in the playback bar and in the video export.
import type { JSX } from 'react'
import { SPEEDS } from '../store'

export function SpeedSelect(props: {
  value: number
  onChange: (speed: number) => void
  testId: string
}): JSX.Element {
  return (
    <select
      value={props.value}
      onChange={(e) => props.onChange(Number(e.target.value))}
      data-testid={props.testId}
    >
      {SPEEDS.map((v) => (
        <option key={v} value={v}>
          {v}×
        </option>
      ))}
    </select>
  )
}
