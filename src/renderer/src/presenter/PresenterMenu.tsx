// The top bar's "Present & export" menu: projector mode, type size, full screen, hidden chrome,
// spotlight, shortcuts; open/save sessions; export pcap, the current view as SVG/PNG, a WebM
// video of a range of steps; the recording frame. While a saved session is replayed, a badge
// says so, with the way back to live.
import { useEffect, useRef, useState, type JSX } from 'react'
import type { ViewId } from '@shared/scene'
import { SPEEDS, useLab } from '../store'
import { useLocalized, useTranslation } from '../i18n'
import { currentInfo, useLesson } from '../lesson/lesson-store'
import { VIEWS } from '../views/registry'
import { backToLive, pickSessionFile, saveSession, useReplay } from '../session-files/replay'
import {
  biggerType,
  FRAME_SIZES,
  setFrame,
  smallerType,
  toggleChrome,
  toggleFullscreen,
  toggleHelp,
  toggleProjector,
  toggleSpotlight,
  usePresenter
} from './presenter-store'
import { exportPcap, exportViewPng, exportViewSvg } from './export/exports'
import { exportVideo, videoSupported } from './export/video'
import { clampRange, playRange } from './range-player'
import { errorMessage, notify } from './notify'

const FALLBACK_VIEWS: ViewId[] = ['sequence', 'bytes', 'packets']

export function PresenterMenu(): JSX.Element {
  const { t } = useTranslation()
  const loc = useLocalized()
  const [open, setOpen] = useState(false)
  const root = useRef<HTMLDivElement>(null)
  const replay = useReplay()
  const p = usePresenter()
  const total = useLab((s) => s.marks.length)
  const speed = useLab((s) => s.speed)
  const info = useLesson(currentInfo)
  const views = info?.views?.length ? info.views : FALLBACK_VIEWS
  const [view, setView] = useState<string>('')
  const [size, setSize] = useState(0)
  const [from, setFrom] = useState(1)
  const [to, setTo] = useState(0)
  const [recSpeed, setRecSpeed] = useState(1)

  useEffect(() => {
    if (!open) return
    const away = (e: MouseEvent): void => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false)
    }
    const esc = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') {
        setOpen(false)
        e.stopPropagation()
      }
    }
    window.addEventListener('mousedown', away)
    window.addEventListener('keydown', esc, true)
    return () => {
      window.removeEventListener('mousedown', away)
      window.removeEventListener('keydown', esc, true)
    }
  }, [open])

  const range = clampRange({ from, to: to > 0 ? to : total }, total)
  const frameSize = FRAME_SIZES[size] ?? FRAME_SIZES[0]
  const chosenView = views.includes(view as ViewId) ? view : views[0]
  const run = (what: () => Promise<string | void> | string | void): void => {
    void (async () => {
      try {
        const name = await what()
        if (name) notify(t('presenter.saved', { name }))
      } catch (e) {
        notify(t('presenter.failed', { message: errorMessage(e) }), true)
      }
    })()
  }

  return (
    <div className="pm" ref={root}>
      {replay.replaying ? (
        <span className="replay-badge" data-testid="replay-badge" title={replay.name ?? ''}>
          ⟲ {t('presenter.replaying', { name: replay.name ?? t('presenter.replayUnnamed') })}
          <button className="btn small" data-testid="back-to-live" onClick={() => run(backToLive)}>
            {t('presenter.backToLive')}
          </button>
        </span>
      ) : null}
      <button
        className={`btn ghost small ${open ? 'on' : ''}`}
        data-testid="presenter-menu-button"
        aria-expanded={open}
        aria-haspopup="true"
        onClick={() => setOpen(!open)}
      >
        ▣ {t('presenter.menu')} ▾
      </button>
      {open ? (
        <div className="pm-menu" data-testid="presenter-menu" role="dialog" aria-label={t('presenter.menu')}>
          <h3>{t('presenter.menu')}</h3>
          <div className="pm-row">
            <button
              className={`btn small ${p.projector ? 'on' : ''}`}
              data-testid="pm-projector"
              aria-pressed={p.projector}
              onClick={toggleProjector}
            >
              {t('presenter.projector')} <kbd>P</kbd>
            </button>
            <button className="btn small" data-testid="pm-fullscreen" onClick={() => void toggleFullscreen()}>
              {t('presenter.fullscreen')} <kbd>F</kbd>
            </button>
            <button
              className={`btn small ${p.chromeHidden ? 'on' : ''}`}
              data-testid="pm-chrome"
              aria-pressed={p.chromeHidden}
              onClick={toggleChrome}
            >
              {t('presenter.hideChrome')} <kbd>H</kbd>
            </button>
            <button
              className={`btn small ${p.spotlight ? 'on' : ''}`}
              data-testid="pm-spotlight"
              aria-pressed={p.spotlight}
              onClick={toggleSpotlight}
            >
              {t('presenter.spotlight')} <kbd>S</kbd>
            </button>
            <button className="btn small" data-testid="pm-help" onClick={() => toggleHelp(true)}>
              {t('presenter.shortcuts')}
            </button>
          </div>
          {p.spotlight ? <div className="pm-note">{t('presenter.spotlightHint')}</div> : null}
          <div className="pm-row">
            <span>{t('presenter.textSize')}</span>
            <button
              className="btn small"
              data-testid="pm-smaller"
              aria-label={t('presenter.smaller')}
              onClick={smallerType}
            >
              A−
            </button>
            <span className="mono" data-testid="pm-scale">
              {Math.round(p.scale * 100)}%
            </span>
            <button
              className="btn small"
              data-testid="pm-bigger"
              aria-label={t('presenter.bigger')}
              onClick={biggerType}
            >
              A+
            </button>
          </div>

          <h3>{t('presenter.session')}</h3>
          <div className="pm-row">
            <button className="btn small" data-testid="pm-open" onClick={pickSessionFile}>
              {t('presenter.open')}
            </button>
            <button className="btn small" data-testid="pm-save" onClick={() => run(saveSession)}>
              {t('presenter.save')}
            </button>
            <button className="btn small" data-testid="pm-pcap" onClick={() => run(exportPcap)}>
              {t('presenter.pcap')}
            </button>
          </div>

          <h3>{t('presenter.export')}</h3>
          <div className="pm-row">
            <label>
              {t('presenter.view')}
              <select value={chosenView} onChange={(e) => setView(e.target.value)} data-testid="pm-view">
                {views.map((v) => (
                  <option key={v} value={v}>
                    {VIEWS[v] ? loc(VIEWS[v]?.title) : v}
                  </option>
                ))}
              </select>
            </label>
            <button
              className="btn small"
              data-testid="pm-svg"
              onClick={() => run(() => exportViewSvg(chosenView))}
            >
              {t('presenter.svg')}
            </button>
            <button
              className="btn small"
              data-testid="pm-png"
              onClick={() => run(() => exportViewPng(chosenView))}
            >
              {t('presenter.png')}
            </button>
          </div>

          <h3>{t('presenter.video')}</h3>
          <div className="pm-row">
            <label>
              {t('presenter.resolution')}
              <select
                value={size}
                onChange={(e) => setSize(Number(e.target.value))}
                data-testid="pm-resolution"
              >
                {FRAME_SIZES.map((f, i) => (
                  <option key={i} value={i}>
                    {f.width}×{f.height}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('presenter.speed')}
              <select
                value={recSpeed}
                onChange={(e) => setRecSpeed(Number(e.target.value))}
                data-testid="pm-speed"
              >
                {SPEEDS.map((v) => (
                  <option key={v} value={v}>
                    {v}×
                  </option>
                ))}
              </select>
            </label>
          </div>
          <div className="pm-row">
            <label>
              {t('presenter.from')}
              <input
                type="number"
                min={1}
                max={Math.max(1, total)}
                value={range.from}
                onChange={(e) => setFrom(Number(e.target.value))}
                data-testid="pm-from"
              />
            </label>
            <label>
              {t('presenter.to')}
              <input
                type="number"
                min={1}
                max={Math.max(1, total)}
                value={range.to}
                onChange={(e) => setTo(Number(e.target.value))}
                data-testid="pm-to"
              />
            </label>
            <span className="pm-note">/ {total}</span>
          </div>
          <div className="pm-row">
            <button
              className="btn small"
              data-testid="pm-record"
              disabled={!total || !!p.busy || !videoSupported()}
              title={videoSupported() ? '' : t('presenter.noVideo')}
              onClick={() => {
                setOpen(false)
                run(async () => {
                  const v = await exportVideo({ ...frameSize, ...range, speed: recSpeed })
                  notify(
                    t('presenter.savedVideo', {
                      name: v.name,
                      frames: v.frames,
                      seconds: (v.durationMs / 1000).toFixed(1)
                    })
                  )
                })
              }}
            >
              ● {t('presenter.record')}
            </button>
            <button
              className={`btn small ${p.frame ? 'on' : ''}`}
              data-testid="pm-frame"
              aria-pressed={!!p.frame}
              onClick={() => setFrame(p.frame ? null : frameSize)}
            >
              {t('presenter.frame')}
            </button>
            <button
              className="btn small"
              data-testid="pm-play-range"
              disabled={!total || !!p.busy}
              onClick={() => {
                setOpen(false)
                setFrame(frameSize)
                void playRange(range, recSpeed).then(() => useLab.getState().setSpeed(speed))
              }}
            >
              ▶ {t('presenter.playRange')}
            </button>
          </div>
          <div className="pm-note">{t('presenter.frameHint')}</div>
        </div>
      ) : null}
    </div>
  )
}
