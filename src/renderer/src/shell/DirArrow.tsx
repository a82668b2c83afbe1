// The direction of a message as an icon: → client to server, ← server to client, named for
// screen readers and shown in the direction's colour.
import { memo, type JSX } from 'react'
import { ArrowRight } from 'lucide-react'
import type { Direction } from '@shared/events'
import { useLocalized } from '../i18n'
import C from '../i18n/common.json'

/**
 * One icon for both directions, the server-to-client one mirrored by its class: a list row that
 * shows another message after a refresh changes the icon's class and label, not the icon (two
 * icon components would remove one SVG and build the other). Memoised: list rows redraw with
 * every refresh.
 */
export const DirArrow = memo(function DirArrow({ dir }: { dir: Direction }): JSX.Element {
  const loc = useLocalized()
  return <ArrowRight className={`dir-icon dir-${dir}`} role="img" aria-label={loc(C.dir[dir])} data-dir={dir} />
})
