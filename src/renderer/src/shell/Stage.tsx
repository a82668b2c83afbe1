// Projector mode's layout: the lesson's main view takes the stage; the lesson panel and the other
// views share one side column as tabs, one at a time, cycled with V (or a clicker's "." key). The
// panels stay mounted while hidden, so a view keeps its scroll position and selection.
import { useEffect, type JSX } from 'react'
import type { ViewId } from '@shared/scene'
import { viewEntry } from '../views/registry'
import { useLocalized } from '../i18n'
import { LessonPanel } from '../lesson/LessonPanel'
import { CheckpointLayer } from '../checkpoints/CheckpointLayer'
import { usePresenter } from '../presenter/presenter-store'
import { ViewPanel } from './ViewArea'
import SHELL from './strings.json'

const S = SHELL.stage
const SHORT: Partial<Record<string, { en: string; pt: string }>> = S.short

const FALLBACK: ViewId[] = ['sequence', 'bytes', 'packets']

export function Stage({ scene, views }: { scene: string; views: ViewId[] | undefined }): JSX.Element {
  const loc = useLocalized()
  const list = views?.length ? views : FALLBACK
  const [first, ...rest] = list
  const tabs = ['lesson', ...rest]
  const key = tabs.join(' ')
  const current = usePresenter((p) => (tabs.includes(p.stageTab) ? p.stageTab : 'lesson'))

  useEffect(() => {
    usePresenter.setState((p) => ({ stageTabs: key.split(' '), stageTab: key.split(' ').includes(p.stageTab) ? p.stageTab : 'lesson' }))
  }, [key])

  const title = (id: string): string => (id === 'lesson' ? loc(S.lesson) : loc(viewEntry(id)?.title) || id)
  const short = (id: string): string => (id === 'lesson' ? loc(S.lesson) : loc(SHORT[id]) || title(id))
  return (
    <div className="middle stage" data-testid="stage">
      <main className="views stage-main">
        <ViewPanel id={first} scene={scene} className="main" />
        <CheckpointLayer />
      </main>
      <aside className="stage-side" aria-label={loc(S.side)}>
        <div className="stage-tabs" role="tablist" aria-label={loc(S.side)}>
          {tabs.map((id) => (
            <button
              key={id}
              role="tab"
              id={`stage-tab-${id}`}
              aria-selected={current === id}
              aria-controls={`stage-panel-${id}`}
              className={`stage-tab${current === id ? ' on' : ''}`}
              data-testid={`stage-tab-${id}`}
              title={`${title(id)} (V)`}
              aria-label={title(id)}
              onClick={() => usePresenter.setState({ stageTab: id })}
            >
              {short(id)}
            </button>
          ))}
        </div>
        {tabs.map((id) => (
          <div
            key={id}
            role="tabpanel"
            id={`stage-panel-${id}`}
            aria-labelledby={`stage-tab-${id}`}
            className="stage-panel"
            hidden={current !== id}
            data-testid={`stage-panel-${id}`}
          >
            {id === 'lesson' ? <LessonPanel /> : <ViewPanel id={id as ViewId} scene={scene} className="side" />}
          </div>
        ))}
      </aside>
    </div>
  )
}
