// Top bar: app name, lesson picker grouped by SCENE_GROUPS, connection state, language, theme.
import type { JSX } from 'react'
import { ArrowLeftRight, House, Moon, Sun } from 'lucide-react'
import { SCENE_GROUPS } from '@shared/scene'
import { useLocalized } from '../i18n'
import { useLab } from '../store'
import { useConnection } from '../bridge/sync'
import { bridgeKind } from '../bridge'
import { homeShown, startLesson, toggleHome, useLesson } from '../lesson/lesson-store'
import { PresenterMenu } from '../presenter/PresenterMenu'
import { LogStatus } from './LogStatus'
import S from './strings.json'
import HOME from '../home/strings.json'

export function TopBar(): JSX.Element {
  const loc = useLocalized()
  const scenes = useLesson((s) => s.scenes)
  const sceneId = useLesson((s) => s.sceneId)
  const home = useLesson(homeShown)
  const conn = useConnection((s) => s.state)
  const lang = useLab((s) => s.lang)
  const theme = useLab((s) => s.theme)
  const dropped = useLab((s) => s.dropped + s.bridgeDropped)
  return (
    <header className="topbar">
      <div className="brand">
        <span className="logo" aria-hidden>
          <ArrowLeftRight />
        </span>
        <span className="name tb-label">{loc(S.app.name)}</span>
      </div>
      <button
        className={`btn ghost small${home ? ' on' : ''}`}
        data-testid="home-button"
        aria-pressed={home}
        title={loc(HOME.buttonTitle)}
        aria-label={loc(HOME.button)}
        onClick={() => toggleHome()}
      >
        <House /> <span className="tb-label">{loc(HOME.button)}</span>
      </button>
      <label className="picker">
        <span className="sr">{loc(S.picker.label)}</span>
        <select
          data-testid="lesson-picker"
          value={sceneId ?? ''}
          onChange={(e) => {
            // Hand the keyboard back to playback, so a clicker's PageDown works right after picking.
            e.currentTarget.blur()
            if (e.target.value) void startLesson(e.target.value)
          }}
        >
          <option value="" disabled>
            {loc(S.picker.choose)}
          </option>
          {SCENE_GROUPS.map((g) => {
            const inGroup = scenes.filter((s) => s.group === g.id)
            return (
              <optgroup key={g.id} label={loc(g.label)}>
                {inGroup.length ? (
                  inGroup.map((s) => (
                    <option key={s.id} value={s.id}>
                      {loc(s.title)}
                    </option>
                  ))
                ) : (
                  <option disabled value={`soon-${g.id}`}>
                    {`${loc(g.label)} — ${loc(S.picker.soon)}`}
                  </option>
                )}
              </optgroup>
            )
          })}
        </select>
      </label>
      <span className="spacer" />
      {dropped > 0 ? (
        <span className="badge malformed" data-testid="dropped">
          {loc(S.conn.dropped, { count: dropped })}
        </span>
      ) : null}
      <LogStatus />
      <span
        className={`conn conn-${conn}`}
        data-testid="connection"
        data-state={conn}
        title={bridgeKind === 'electron' && conn === 'open' ? loc(S.conn.electron) : loc(S.conn[conn])}
      >
        <span className="dot" />
        <span className="tb-label">
          {bridgeKind === 'electron' && conn === 'open' ? loc(S.conn.electron) : loc(S.conn[conn])}
        </span>
      </span>
      <PresenterMenu />
      <div className="seg" role="group" aria-label={loc(S.lang.label)}>
        {(['pt', 'en'] as const).map((l) => (
          <button key={l} className={lang === l ? 'on' : ''} data-testid={`lang-${l}`} onClick={() => useLab.getState().setLang(l)}>
            {l.toUpperCase()}
          </button>
        ))}
      </div>
      <button
        className="btn ghost small"
        data-testid="theme"
        aria-label={loc(S.theme.label)}
        onClick={() => useLab.getState().setTheme(theme === 'dark' ? 'light' : 'dark')}
      >
        {theme === 'dark' ? (
          <>
            <Sun /> <span className="tb-label">{loc(S.theme.light)}</span>
          </>
        ) : (
          <>
            <Moon /> <span className="tb-label">{loc(S.theme.dark)}</span>
          </>
        )}
      </button>
    </header>
  )
}
