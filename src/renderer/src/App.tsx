import { useEffect, type JSX } from 'react'
import { TopBar } from './shell/TopBar'
import { PlaybackBar } from './shell/PlaybackBar'
import { Caption } from './shell/Caption'
import { ViewArea } from './shell/ViewArea'
import { LessonPanel } from './lesson/LessonPanel'
import { currentInfo, homeShown, loadLessons, useLesson } from './lesson/lesson-store'
import { Home } from './home/Home'
import { useConnection } from './bridge/sync'
import { useLab } from './store'
import { PresenterLayer } from './presenter/PresenterLayer'
import { LayersDrawer } from './views/layers/LayersDrawer'
import { usePresenter } from './presenter/presenter-store'
import { Stage } from './shell/Stage'

export function App(): JSX.Element {
  const info = useLesson(currentInfo)
  // A run may choose its views (watch mode: the target's protocol first).
  const runViews = useLesson((s) => (s.status && s.status.scene === info?.id ? s.status.views : undefined))
  const home = useLesson(homeShown)
  const projector = usePresenter((p) => p.projector)
  const conn = useConnection((s) => s.state)
  const theme = useLab((s) => s.theme)
  const lang = useLab((s) => s.lang)
  useEffect(() => {
    document.documentElement.dataset.theme = theme
    document.documentElement.lang = lang === 'pt' ? 'pt-BR' : 'en'
  }, [theme, lang])
  useEffect(() => {
    if (conn === 'open') void loadLessons().catch(() => undefined)
  }, [conn])
  return (
    <div className="app">
      <TopBar />
      {home ? (
        <Home />
      ) : projector ? (
        <Stage scene={info?.id ?? ''} views={runViews ?? info?.views} />
      ) : (
        <div className="middle">
          <LessonPanel />
          <ViewArea scene={info?.id ?? ''} views={runViews ?? info?.views} />
        </div>
      )}
      <footer className="bottom" hidden={home}>
        <Caption />
        <PlaybackBar />
      </footer>
      <LayersDrawer />
      <PresenterLayer />
    </div>
  )
}
