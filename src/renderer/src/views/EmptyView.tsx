// What a lesson view shows before its traffic exists: one line telling what to do.
import type { JSX } from 'react'
import { useLocalized, type Localized } from '../i18n'

export function EmptyView({ view, text }: { view: string; text: Localized }): JSX.Element {
  const loc = useLocalized()
  return (
    <div className="hs-empty" data-testid={`view-${view}`}>
      {loc(text)}
    </div>
  )
}
