// The presenter's layer over the app: applies projector mode, spotlight and the recording frame to
// the page, opens dropped or menu-sent sessions, and shows the shortcut overlay, the progress of a
// recording, status notices and the way back when the controls are hidden.
import { useEffect, useState, type JSX } from 'react'
import { useLocalized } from '../i18n'
import { installSessionOpeners, useReplay } from '../session-files/replay'
import { toggleChrome, toggleHelp, usePresenter } from './presenter-store'
import { usePresenterDom } from './use-presenter-dom'
import { SHORTCUTS } from './shortcuts'
import { useNotice } from './notify'
import { cancelVideo } from './export/video'
import { stopRange } from './range-player'
import S from './strings.json'
import './presenter.css'

export function PresenterLayer(): JSX.Element {
  usePresenterDom()
  useEffect(() => installSessionOpeners(), [])
  return (
    <>
      <ShortcutOverlay />
      <DropHint />
      <Floating />
    </>
  )
}

function ShortcutOverlay(): JSX.Element | null {
  const loc = useLocalized()
  const help = usePresenter((s) => s.help)
  if (!help) return null
  return (
    <div className="help-overlay" data-testid="shortcut-overlay" onClick={() => toggleHelp(false)}>
      <div
        className="help-card"
        role="dialog"
        aria-modal="true"
        aria-label={loc(S.shortcutsTitle)}
        onClick={(e) => e.stopPropagation()}
      >
        <h2>{loc(S.shortcutsTitle)}</h2>
        <table>
          <tbody>
            {SHORTCUTS.map((s) => (
              <tr key={s.keys.join(' ')} data-testid="shortcut-row">
                <td>
                  {s.keys.map((k) => (
                    <kbd key={k}>{k}</kbd>
                  ))}
                </td>
                <td>{loc(s.label)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="pm-row" style={{ justifyContent: 'flex-end', marginTop: 12 }}>
          <button className="btn" data-testid="shortcut-close" autoFocus onClick={() => toggleHelp(false)}>
            {loc(S.close)}
          </button>
        </div>
      </div>
    </div>
  )
}

function DropHint(): JSX.Element | null {
  const loc = useLocalized()
  const [dragging, setDragging] = useState(false)
  useEffect(() => {
    let depth = 0
    const files = (e: DragEvent): boolean =>
      !!e.dataTransfer && Array.from(e.dataTransfer.types).includes('Files')
    const enter = (e: DragEvent): void => {
      if (!files(e)) return
      depth++
      setDragging(true)
    }
    const leave = (): void => {
      depth = Math.max(0, depth - 1)
      if (!depth) setDragging(false)
    }
    const end = (): void => {
      depth = 0
      setDragging(false)
    }
    window.addEventListener('dragenter', enter)
    window.addEventListener('dragleave', leave)
    window.addEventListener('drop', end)
    return () => {
      window.removeEventListener('dragenter', enter)
      window.removeEventListener('dragleave', leave)
      window.removeEventListener('drop', end)
    }
  }, [])
  return dragging ? <div className="drop-hint">{loc(S.dropHint)}</div> : null
}

function Floating(): JSX.Element {
  const loc = useLocalized()
  const busy = usePresenter((s) => s.busy)
  const chromeHidden = usePresenter((s) => s.chromeHidden)
  const notice = useNotice((s) => s.notice)
  const openError = useReplay((s) => s.error)
  const pct = busy ? Math.round(busy.progress * 100) : 0
  return (
    <div className="presenter-float" data-export-skip>
      {openError ? (
        <div className="toast error" role="alert" data-testid="session-open-error">
          <b>{loc(S.openFailed)}</b>
          <div>{loc(openError)}</div>
          <button className="btn small" onClick={() => useReplay.setState({ error: null })}>
            {loc(S.close)}
          </button>
        </div>
      ) : null}
      {notice ? (
        <div
          className={`toast ${notice.error ? 'error' : ''}`}
          role="status"
          data-testid="presenter-notice"
          key={notice.id}
        >
          {notice.text}
        </div>
      ) : null}
      {busy ? (
        <div className="toast" role="status" data-testid="presenter-busy" data-kind={busy.kind}>
          {busy.kind === 'video' ? loc(S.recording, { pct }) : loc(S.playingRange, { pct })}{' '}
          <button className="btn small" onClick={() => (busy.kind === 'video' ? cancelVideo() : stopRange())}>
            {loc(S.cancel)}
          </button>
        </div>
      ) : null}
      {chromeHidden ? (
        <button
          className="btn small"
          data-testid="show-chrome"
          onClick={toggleChrome}
          title={loc(S.pressHelp)}
        >
          {loc(S.showChrome)} <kbd>H</kbd>
        </button>
      ) : null}
    </div>
  )
}
