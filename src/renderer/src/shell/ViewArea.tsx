// The centre of the window: the lesson's views (`SceneInfo.views`), from views/registry.ts.
// The first view takes the left column at full height; the others stack in the right column.
import type { JSX } from 'react'
import type { ViewId } from '@shared/scene'
import { FALLBACK_VIEWS, viewEntry } from '../views/registry'
import { useLocalized } from '../i18n'
import { CheckpointLayer } from '../checkpoints/CheckpointLayer'

export function ViewArea({ scene, views }: { scene: string; views: ViewId[] | undefined }): JSX.Element {
  const list = views?.length ? views : FALLBACK_VIEWS
  const [first, ...rest] = list
  return (
    <main className={`views ${rest.length ? 'with-side' : ''}`}>
      <ViewPanel id={first} scene={scene} className="main" />
      {rest.length ? (
        <div className={`views-side n${rest.length}`}>
          {rest.map((v) => (
            <ViewPanel key={v} id={v} scene={scene} className="side" />
          ))}
        </div>
      ) : null}
      <CheckpointLayer />
    </main>
  )
}

export function ViewPanel({ id, scene, className }: { id: ViewId; scene: string; className: string }): JSX.Element {
  const loc = useLocalized()
  const entry = viewEntry(id)
  const View = entry?.component
  return (
    <section className={`panel view-${id} ${className}`} data-testid={`panel-${id}`}>
      <div className="panel-title">{entry ? loc(entry.title) : id}</div>
      <div className="panel-body">{View ? <View scene={scene} /> : <div className="empty">{id}</div>}</div>
    </section>
  )
}
