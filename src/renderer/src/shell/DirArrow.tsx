// The direction of a message as an icon: → client to server, ← server to client, named for
// screen readers and shown in the direction's colour.
import { memo, type JSX } from 'react'
import { ArrowLeft, ArrowRight } from 'lucide-react'
import type { Direction } from '@shared/events'
import { useLocalized } from '../i18n'
import C from '../i18n/common.json'

/** Memoised: list rows redraw with every refresh, and an icon is rebuilt only when its direction changes. */
export const DirArrow = memo(function DirArrow({ dir }: { dir: Direction }): JSX.Element {
  const loc = useLocalized()
  const Icon = dir === 'c2s' ? ArrowRight : ArrowLeft
  return <Icon className={`dir-icon dir-${dir}`} role="img" aria-label={loc(C.dir[dir])} data-dir={dir} />
})
