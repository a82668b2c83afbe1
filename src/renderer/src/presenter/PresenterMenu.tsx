// The top bar's "Present & export" menu: projector mode, type size, full screen, hidden chrome,
// spotlight, shortcuts; open/save sessions; export pcap, the current view as SVG/PNG, a WebM
// video of a range of steps; the recording frame. While a saved session is replayed, a badge
// says so, with the way back to live.
import { useEffect, useRef, useState, type JSX, type ReactNode, type RefObject } from 'react'
import { AArrowDown, AArrowUp, ChevronDown, CircleDot, Play, Presentation, RotateCcw } from 'lucide-react'
import type { ViewId } from '@shared/scene'
import { useLab } from '../store'
import { useLocalized, type Localized } from '../i18n'
import { currentInfo, useLesson } from '../lesson/lesson-store'
import { FALLBACK_VIEWS, viewEntry } from '../views/registry'
import { SpeedSelect } from '../playback/SpeedSelect'
import { backToLive, pickSessionFile, saveSession, useReplay } from '../session-files/replay'
import {
  biggerType,
  FRAME_SIZES,
  setFrame,
  smallerType,
  toggleHelp,
  usePresenter,
  type PresenterState
} from './presenter-store'
import { PRESENTER_KEYS } from './shortcuts'
import { exportPcap, exportViewPng, exportViewSvg } from './export/exports'
import { exportVideo, videoSupported } from './export/video'
import { clampRange, playRange } from './range-player'
import { errorMessage, notify } from './notify'
import S from './strings.json'
import { toggleCheckpoints, useCheckpoints } from '../checkpoints/checkpoint-store'
import CHECKPOINT from '../checkpoints/strings.json'

/** The menu's toggles: a presenter key each, with its state. */
const TOGGLES: { key: keyof typeof PRESENTER_KEYS; label: Localized; on?: (p: PresenterState) => boolean }[] =
  [
    { key: 'projector', label: S.projector, on: (p) => p.projector },
    { key: 'fullscreen', label: S.fullscreen },
    { key: 'chrome', label: S.hideChrome, on: (p) => p.chromeHidden },
    { key: 'spotlight', label: S.spotlight, on: (p) => p.spotlight }
  ]

/** Closes the menu on a click outside it or on Escape. */
function useDismiss(
  open: boolean,
  root: RefObject<HTMLDivElement | null>,
  setOpen: (open: boolean) => void
): void {
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
  }, [open, root, setOpen])
}

type Run = (what: () => Promise<string | void> | string | void) => void

/** Runs a menu action and says how it went: "Saved <name>" or "Failed: …". */
function useRun(): Run {
  const loc = useLocalized()
  return (what) => {
    void (async () => {
      try {
        const name = await what()
        if (name) notify(loc(S.saved, { name }))
      } catch (e) {
        notify(loc(S.failed, { message: errorMessage(e) }), true)
      }
    })()
  }
}

function MenuButton(props: {
  testId: string
  onClick: () => void
  children: ReactNode
  on?: boolean
  disabled?: boolean
  title?: string
  label?: string
}): JSX.Element {
  return (
    <button
      className={props.on === undefined ? 'btn small' : `btn small ${props.on ? 'on' : ''}`}
      data-testid={props.testId}
      aria-pressed={props.on}
      aria-label={props.label}
      disabled={props.disabled}
      title={props.title}
      onClick={props.onClick}
    >
      {props.children}
    </button>
  )
}

function StepInput(props: {
  label: string
  value: number
  max: number
  onChange: (n: number) => void
  testId: string
}): JSX.Element {
  return (
    <label>
      {props.label}
      <input
        type="number"
        min={1}
        max={Math.max(1, props.max)}
        value={props.value}
        onChange={(e) => props.onChange(Number(e.target.value))}
        data-testid={props.testId}
      />
    </label>
  )
}

export function PresenterMenu(): JSX.Element {
  const loc = useLocalized()
  const [open, setOpen] = useState(false)
  const root = useRef<HTMLDivElement>(null)
  const replay = useReplay()
  const run = useRun()
  // The export choices live here, so they survive closing the menu.
  const [view, setView] = useState<string>('')
  const [video, setVideo] = useState<VideoChoice>({ size: 0, from: 1, to: 0, speed: 1 })
  useDismiss(open, root, setOpen)
  return (
    <div className="pm" ref={root}>
      {replay.replaying ? (
        <span className="replay-badge" data-testid="replay-badge" title={replay.name ?? ''}>
          <RotateCcw /> {loc(S.replaying, { name: replay.name ?? loc(S.replayUnnamed) })}
          <button className="btn small" data-testid="back-to-live" onClick={() => run(backToLive)}>
            {loc(S.backToLive)}
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
        <Presentation /> <span className="tb-label">{loc(S.menu)}</span> <ChevronDown />
      </button>
      {open ? (
        <div className="pm-menu" data-testid="presenter-menu" role="dialog" aria-label={loc(S.menu)}>
          <PresentSection />
          <ExportSection run={run} view={view} setView={setView} />
          <VideoSection run={run} close={() => setOpen(false)} choice={video} setChoice={setVideo} />
        </div>
      ) : null}
    </div>
  )
}

function PresentSection(): JSX.Element {
  const loc = useLocalized()
  const p = usePresenter()
  const checkpoints = useCheckpoints((c) => c.enabled)
  return (
    <>
      <h3>{loc(S.menu)}</h3>
      <div className="pm-row">
        {TOGGLES.map((x) => (
          <MenuButton
            key={x.key}
            testId={`pm-${x.key}`}
            on={x.on?.(p)}
            onClick={() => PRESENTER_KEYS[x.key].run()}
          >
            {loc(x.label)} <kbd>{PRESENTER_KEYS[x.key].keys[0]}</kbd>
          </MenuButton>
        ))}
        <MenuButton testId="pm-checkpoints" on={checkpoints} onClick={() => toggleCheckpoints()}>
          {loc(CHECKPOINT.toggle)} <kbd>Q</kbd>
        </MenuButton>
        <MenuButton testId="pm-help" onClick={() => toggleHelp(true)}>
          {loc(S.shortcuts)}
        </MenuButton>
      </div>
      {p.spotlight ? <div className="pm-note">{loc(S.spotlightHint)}</div> : null}
      <div className="pm-row">
        <span>{loc(S.textSize)}</span>
        <MenuButton testId="pm-smaller" label={loc(S.smaller)} onClick={smallerType}>
          <AArrowDown />
        </MenuButton>
        <span className="mono" data-testid="pm-scale">
          {Math.round(p.scale * 100)}%
        </span>
        <MenuButton testId="pm-bigger" label={loc(S.bigger)} onClick={biggerType}>
          <AArrowUp />
        </MenuButton>
      </div>
    </>
  )
}

function ExportSection({
  run,
  view,
  setView
}: {
  run: Run
  view: string
  setView: (v: string) => void
}): JSX.Element {
  const loc = useLocalized()
  const info = useLesson(currentInfo)
  const views = info?.views?.length ? info.views : FALLBACK_VIEWS
  const chosenView = views.includes(view as ViewId) ? view : views[0]
  return (
    <>
      <h3>{loc(S.session)}</h3>
      <div className="pm-row">
        <MenuButton testId="pm-open" onClick={pickSessionFile}>
          {loc(S.open)}
        </MenuButton>
        <MenuButton testId="pm-save" onClick={() => run(saveSession)}>
          {loc(S.save)}
        </MenuButton>
        <MenuButton testId="pm-pcap" onClick={() => run(exportPcap)}>
          {loc(S.pcap)}
        </MenuButton>
      </div>

      <h3>{loc(S.export)}</h3>
      <div className="pm-row">
        <label>
          {loc(S.view)}
          <select value={chosenView} onChange={(e) => setView(e.target.value)} data-testid="pm-view">
            {views.map((v) => (
              <option key={v} value={v}>
                {viewEntry(v) ? loc(viewEntry(v)?.title) : v}
              </option>
            ))}
          </select>
        </label>
        <MenuButton testId="pm-svg" onClick={() => run(() => exportViewSvg(chosenView))}>
          {loc(S.svg)}
        </MenuButton>
        <MenuButton testId="pm-png" onClick={() => run(() => exportViewPng(chosenView))}>
          {loc(S.png)}
        </MenuButton>
      </div>
    </>
  )
}

interface VideoChoice {
  /** Index into FRAME_SIZES. */
  size: number
  from: number
  /** 0: up to the last step. */
  to: number
  speed: number
}

function VideoSection(props: {
  run: Run
  close: () => void
  choice: VideoChoice
  setChoice: (c: VideoChoice) => void
}): JSX.Element {
  const { run, close, choice } = props
  const loc = useLocalized()
  const p = usePresenter()
  const total = useLab((s) => s.totalMarks)
  const speed = useLab((s) => s.speed)
  const set = (change: Partial<VideoChoice>): void => props.setChoice({ ...choice, ...change })
  const range = clampRange({ from: choice.from, to: choice.to > 0 ? choice.to : total }, total)
  const frameSize = FRAME_SIZES[choice.size] ?? FRAME_SIZES[0]
  return (
    <>
      <h3>{loc(S.video)}</h3>
      <div className="pm-row">
        <label>
          {loc(S.resolution)}
          <select
            value={choice.size}
            onChange={(e) => set({ size: Number(e.target.value) })}
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
          {loc(S.speed)}
          <SpeedSelect value={choice.speed} onChange={(v) => set({ speed: v })} testId="pm-speed" />
        </label>
      </div>
      <div className="pm-row">
        <StepInput
          label={loc(S.from)}
          value={range.from}
          max={total}
          onChange={(n) => set({ from: n })}
          testId="pm-from"
        />
        <StepInput
          label={loc(S.to)}
          value={range.to}
          max={total}
          onChange={(n) => set({ to: n })}
          testId="pm-to"
        />
        <span className="pm-note">/ {total}</span>
      </div>
      <div className="pm-row">
        <MenuButton
          testId="pm-record"
          disabled={!total || !!p.busy || !videoSupported()}
          title={videoSupported() ? '' : loc(S.noVideo)}
          onClick={() => {
            close()
            run(async () => {
              const v = await exportVideo({ ...frameSize, ...range, speed: choice.speed })
              notify(
                loc(S.savedVideo, {
                  name: v.name,
                  frames: v.frames,
                  seconds: (v.durationMs / 1000).toFixed(1)
                })
              )
            })
          }}
        >
          <CircleDot /> {loc(S.record)}
        </MenuButton>
        <MenuButton testId="pm-frame" on={!!p.frame} onClick={() => setFrame(p.frame ? null : frameSize)}>
          {loc(S.frame)}
        </MenuButton>
        <MenuButton
          testId="pm-play-range"
          disabled={!total || !!p.busy}
          onClick={() => {
            close()
            setFrame(frameSize)
            void playRange(range, choice.speed).then(() => useLab.getState().setSpeed(speed))
          }}
        >
          <Play /> {loc(S.playRange)}
        </MenuButton>
      </div>
      <div className="pm-note">{loc(S.frameHint)}</div>
    </>
  )
}
