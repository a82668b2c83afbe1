// Playback bar: home, step back, play/pause, step forward, live; a scrub bar over the events of
// interest; speed; the real timestamp at the cursor and the delta to the previous step.
import { memo, type JSX } from 'react'
import { lowerBound, useLab, useLogVersion, visibleMarks } from '../store'
import { SpeedSelect } from '../playback/SpeedSelect'
import { useLocalized } from '../i18n'
import S from './strings.json'
import { Pause, Play, Radio, SkipBack, StepBack, StepForward } from 'lucide-react'

function clock(t: number): string {
  const d = new Date(t)
  const us = Math.round((t % 1000) * 1000) % 1000
  const hh = String(d.getHours()).padStart(2, '0')
  const mm = String(d.getMinutes()).padStart(2, '0')
  const ss = String(d.getSeconds()).padStart(2, '0')
  const ms = String(d.getMilliseconds()).padStart(3, '0')
  return `${hh}:${mm}:${ss}.${ms}${String(us).padStart(3, '0')}`
}

function delta(ms: number): string {
  if (ms < 1) return `${(ms * 1000).toFixed(0)} µs`
  if (ms < 1000) return `${ms.toFixed(3)} ms`
  return `${(ms / 1000).toFixed(3)} s`
}

export function PlaybackBar(): JSX.Element {
  const loc = useLocalized()
  const playing = useLab((s) => s.playing)
  const step = useLab(visibleMarks)
  // The total follows the views' refresh (useLogVersion): under a flood the bar redraws a few
  // times a second, not with every frame's packets (its range is laid out and painted each time).
  useLogVersion()
  const total = useLab.getState().totalMarks
  const atEnd = useLab((s) => s.cursor >= s.count && s.atEnd)
  const paging = useLab((s) => s.paging)
  const times = useLab((s) => {
    const k = lowerBound(s.marks, s.cursor)
    if (!k) return null
    const cur = s.events[s.marks[k - 1]].t
    const prev = k > 1 ? s.events[s.marks[k - 2]].t : null
    return `${clock(cur)}${prev !== null ? `|${delta(cur - prev)}` : ''}`
  })
  const [at, dt] = times ? times.split('|') : [null, undefined]
  const s = useLab.getState()
  const state = playing ? (atEnd ? 'live' : 'playing') : 'paused'
  return (
    <div className="playback" data-testid="playback">
      <button className="pb" onClick={s.home} title={loc(S.playback.home)} aria-label={loc(S.playback.home)} data-testid="pb-home">
        <SkipBack />
      </button>
      <button className="pb" onClick={s.stepBack} title={loc(S.playback.back)} aria-label={loc(S.playback.back)} data-testid="pb-back">
        <StepBack />
      </button>
      <button
        className="pb play"
        onClick={s.togglePlay}
        title={playing ? loc(S.playback.pause) : loc(S.playback.play)}
        aria-label={playing ? loc(S.playback.pause) : loc(S.playback.play)}
        data-testid="pb-play"
      >
        {playing ? <Pause /> : <Play />}
      </button>
      <button className="pb" onClick={s.stepForward} title={loc(S.playback.forward)} aria-label={loc(S.playback.forward)} data-testid="pb-forward">
        <StepForward />
      </button>
      <button
        className={`pb live ${state === 'live' ? 'on' : ''}`}
        onClick={s.goLive}
        data-testid="pb-live"
        title={loc(S.playback.goLive)}
        aria-label={loc(S.playback.live)}
      >
        <Radio /> <span className="tb-label">{loc(S.playback.live)}</span>
      </button>
      <span className={`pb-state ${state}`} data-testid="pb-state" data-state={state}>
        {loc(S.playback[state])}
      </span>
      <input
        className="scrub"
        type="range"
        min={0}
        max={total}
        value={step}
        onChange={(e) => useLab.getState().seekMark(Number(e.target.value))}
        aria-label={loc(S.playback.step, { n: step, total })}
        data-testid="pb-scrub"
      />
      <span className="pb-step mono" data-testid="pb-step" data-paging={paging || undefined}>
        {step}/{total}
        {paging ? <span className="muted"> · {loc(S.conn.paging)}</span> : null}
      </span>
      <span className="pb-time mono" data-testid="pb-time">
        {at ? (
          <>
            {at}
            {dt ? <span className="muted"> · Δ {dt}</span> : null}
          </>
        ) : (
          <span className="muted">{loc(S.playback.empty)}</span>
        )}
      </span>
      <Speed />
    </div>
  )
}

/** The speed picker, apart: the bar re-renders every frame while playing, the picker only when the speed changes. */
const Speed = memo(function Speed(): JSX.Element {
  const loc = useLocalized()
  const speed = useLab((s) => s.speed)
  return (
    <label className="speed">
      <span className="tb-label">{loc(S.playback.speed)}</span>
      <SpeedSelect value={speed} onChange={(v) => useLab.getState().setSpeed(v)} testId="pb-speed" />
    </label>
  )
})
