// The checkpoint on screen, over the lesson's views: while asking, the question and its choices,
// large enough for a projector; while the step plays, the prediction in a strip; then the answer
// computed from the real traffic, checked against the prediction, with the explanation and the
// measured figures. Driven by mouse, keyboard or a clicker (see onKey).
import { useEffect, useRef, type JSX } from 'react'
import { CircleCheck, CircleQuestionMark, CircleX, Play, X } from 'lucide-react'
import type { CheckpointEvent } from '@shared/events'
import { useLab } from '../store'
import { useLocalized } from '../i18n'
import { currentCheckpoint, dismiss, pickOf, release, setPick, useCheckpoints } from './checkpoint-store'
import { verdict } from './model'
import S from './strings.json'
import './checkpoints.css'

function useCurrent(): ReturnType<typeof currentCheckpoint> {
  // Re-read when the cursor, the log or the checkpoint state change.
  useLab((s) => s.cursor)
  useLab((s) => s.shownCount)
  useLab((s) => s.epoch)
  useCheckpoints((c) => c)
  return currentCheckpoint()
}

export function CheckpointLayer(): JSX.Element | null {
  const cp = useCurrent()
  if (!cp) return null
  const { event, phase } = cp
  if (phase === 'asking') return <Ask event={event} />
  if (phase === 'playing') return <Playing event={event} />
  return <Reveal event={event} />
}

function Ask({ event }: { event: CheckpointEvent }): JSX.Element {
  const loc = useLocalized()
  const pick = useCheckpoints((c) => pickOf(c, event.run))
  const card = useRef<HTMLDivElement>(null)
  const multiple = !!event.multiple

  useEffect(() => {
    card.current?.focus()
    // Keys while a question is open: 1–9 pick, → / PageDown / Enter (a clicker's "next") play the
    // step and reveal; Esc skips the question. Other keys (←, Home, P, L…) keep their meaning.
    const onKey = (e: KeyboardEvent): void => {
      if (e.ctrlKey || e.metaKey || e.altKey) return
      const n = Number(e.key)
      if (Number.isInteger(n) && n >= 1 && n <= event.choices.length) {
        setPick(event.run, event.choices[n - 1].id, multiple)
      } else if (e.key === 'ArrowRight' || e.key === 'PageDown' || e.key === 'Escape') {
        release(event.run)
      } else if (e.key === 'Enter' && !(e.target instanceof HTMLButtonElement)) {
        release(event.run)
      } else return
      e.preventDefault()
      e.stopPropagation()
    }
    window.addEventListener('keydown', onKey, true)
    return () => window.removeEventListener('keydown', onKey, true)
  }, [event, multiple])

  return (
    <div className="cp-layer asking" data-export-skip>
      <div
        className="cp-card"
        ref={card}
        tabIndex={-1}
        role="dialog"
        aria-modal="false"
        aria-labelledby={`cp-q-${event.run}`}
        data-testid="checkpoint"
        data-phase="asking"
        data-checkpoint={event.id}
      >
        <div className="cp-kicker">
          <CircleQuestionMark /> {loc(S.predict)}
          {multiple ? <span className="cp-multi">{loc(S.multiple)}</span> : null}
        </div>
        <h2 className="cp-question" id={`cp-q-${event.run}`} data-testid="checkpoint-question">
          {loc(event.question)}
        </h2>
        <div className="cp-choices" role={multiple ? 'group' : 'radiogroup'} aria-labelledby={`cp-q-${event.run}`}>
          {event.choices.map((c, i) => {
            const on = !!pick?.includes(c.id)
            return (
              <button
                key={c.id}
                className={`cp-choice${on ? ' picked' : ''}`}
                role={multiple ? 'checkbox' : 'radio'}
                aria-checked={on}
                data-testid="checkpoint-choice"
                data-choice={c.id}
                onClick={() => setPick(event.run, c.id, multiple)}
              >
                <span className="cp-key mono" aria-hidden>
                  {i + 1}
                </span>
                <span className="cp-label">{loc(c.label)}</span>
              </button>
            )
          })}
        </div>
        <div className="cp-actions">
          <button className="btn primary cp-go" data-testid="checkpoint-play" onClick={() => release(event.run)}>
            <Play /> {pick?.length ? loc(S.play) : loc(S.playWithout)}
          </button>
          <span className="cp-keys muted">{loc(S.keys, { n: event.choices.length })}</span>
        </div>
        {event.source ? <div className="cp-source muted">{event.source}</div> : null}
      </div>
    </div>
  )
}

function Playing({ event }: { event: CheckpointEvent }): JSX.Element {
  const loc = useLocalized()
  const pick = useCheckpoints((c) => pickOf(c, event.run))
  const labels = event.choices.filter((c) => pick?.includes(c.id)).map((c) => loc(c.label))
  return (
    <div className="cp-layer docked" data-export-skip>
      <div className="cp-strip" data-testid="checkpoint" data-phase="playing" data-checkpoint={event.id}>
        <CircleQuestionMark /> <span className="cp-strip-q">{loc(event.question)}</span>
        <span className="cp-strip-pick">
          {labels.length ? loc(S.yourPick, { pick: labels.join(', ') }) : loc(S.watch)}
        </span>
      </div>
    </div>
  )
}

function Reveal({ event }: { event: CheckpointEvent }): JSX.Element {
  const loc = useLocalized()
  const pick = useCheckpoints((c) => pickOf(c, event.run))
  const v = verdict(pick, event.answer)
  const right = new Set(event.answer ?? [])

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key !== 'Escape' || e.ctrlKey || e.metaKey || e.altKey) return
      dismiss(event.run)
      e.preventDefault()
      e.stopPropagation()
    }
    window.addEventListener('keydown', onKey, true)
    return () => window.removeEventListener('keydown', onKey, true)
  }, [event.run])

  const Icon = v === 'wrong' ? CircleX : CircleCheck
  return (
    <div className="cp-layer docked" data-export-skip>
      <div
        className={`cp-card cp-reveal ${v}`}
        role="status"
        data-testid="checkpoint"
        data-phase="revealed"
        data-checkpoint={event.id}
        data-verdict={v}
        data-answer={(event.answer ?? []).join(' ')}
      >
        <div className="cp-reveal-head">
          <span className="cp-verdict" data-testid="checkpoint-verdict">
            <Icon /> {loc(S[v])}
          </span>
          <span className="cp-reveal-q">{loc(event.question)}</span>
          <button className="btn ghost small" data-testid="checkpoint-close" aria-label={loc(S.close)} title={loc(S.close)} onClick={() => dismiss(event.run)}>
            <X />
          </button>
        </div>
        <ul className="cp-results">
          {event.choices.map((c) => {
            const ok = right.has(c.id)
            const picked = !!pick?.includes(c.id)
            return (
              <li
                key={c.id}
                className={`${ok ? 'right' : 'not'}${picked ? ' picked' : ''}`}
                data-testid="checkpoint-result"
                data-choice={c.id}
                data-right={ok}
                data-picked={picked}
              >
                {ok ? <CircleCheck aria-label={loc(S.happened)} role="img" /> : <X aria-label={loc(S.didNot)} role="img" />}
                <span>{loc(c.label)}</span>
                {picked ? <span className="badge">{loc(S.picked)}</span> : null}
              </li>
            )
          })}
        </ul>
        {event.explain ? (
          <p className="cp-explain" data-testid="checkpoint-explain">
            {loc(event.explain)}
          </p>
        ) : null}
      </div>
    </div>
  )
}
