// The lesson panel, built from SceneInfo: title, goal, parameters, actions (primary first),
// running ports with fall-back notices, the last action's outcome, and the client hints.
import type { JSX } from 'react'
import { TriangleExclamationPoint } from 'lucide-react'
import type { ParamDef, SceneInfo } from '@shared/scene'
import { useLocalized } from '../i18n'
import S from './strings.json'
import { SCENE_PANELS } from '../scenes/registry'
import { currentInfo, runAction, setParam, startLesson, stopLesson, useLesson } from './lesson-store'
import { ClientHints } from './ClientHints'
import { NetworkConditions } from './NetworkConditions'
import { ParamField } from './ActionForm'
import { clearSession } from '../bridge/sync'

export function LessonPanel(): JSX.Element {
  const loc = useLocalized()
  const info = useLesson(currentInfo)
  const status = useLesson((s) => s.status)
  const busy = useLesson((s) => s.busy)
  const outcome = useLesson((s) => s.outcome)
  if (!info) {
    return (
      <aside className="lesson" data-testid="lesson-panel">
        <p className="muted big">{loc(S.panel.none)}</p>
      </aside>
    )
  }
  const running = status?.scene === info.id
  const Custom = SCENE_PANELS[info.id]
  return (
    <aside className="lesson" data-testid="lesson-panel">
      <h1 className="lesson-title" data-testid="lesson-title">
        {loc(info.title)}
      </h1>
      <p className="lesson-summary">{loc(info.summary)}</p>
      {info.goal ? (
        <div className="goal">
          <span className="goal-label">{loc(S.panel.goal)}</span> {loc(info.goal)}
        </div>
      ) : null}
      <div className="run-state">
        <span className={`dot ${running ? 'on' : 'off'}`} />
        <span data-testid="lesson-state">{running ? loc(S.panel.running) : loc(S.panel.stopped)}</span>
        <span className="spacer" />
        {running ? (
          <span className="run-buttons">
            <button className="btn ghost" onClick={() => void startLesson(info.id)} disabled={!!busy}>
              {loc(S.panel.restart)}
            </button>
            <button className="btn ghost" onClick={() => void stopLesson()} disabled={!!busy}>
              {loc(S.panel.stop)}
            </button>
            <button className="btn ghost" data-testid="session-clear" onClick={() => void clearSession()} disabled={!!busy} title={loc(S.panel.clear)}>
              {loc(S.panel.clear)}
            </button>
          </span>
        ) : (
          <button className="btn" data-testid="lesson-start" onClick={() => void startLesson(info.id)} disabled={!!busy}>
            {loc(S.panel.start)}
          </button>
        )}
      </div>
      {Custom ? <Custom info={info} status={status} /> : <GenericControls info={info} busy={busy} />}
      {outcome && !outcome.ok ? (
        <div className="error" role="alert" data-testid="action-error">
          <b>{loc(S.panel.actionFailed, { action: actionLabel(info, outcome.action, loc) })}</b>
          <div>{typeof outcome.message === 'string' ? outcome.message : loc(outcome.message)}</div>
        </div>
      ) : null}
      {running && status ? (
        <section className="ports" data-testid="ports">
          <h2>{loc(S.panel.ports)}</h2>
          {status.ports.map((p) => (
            <div key={p.name} className="port" data-testid={`port-${p.name}`} data-port={p.port}>
              <span className="port-name">{p.name.toUpperCase()}</span>
              <span className="mono port-addr">
                {p.host}:{p.port}
              </span>
              {p.fellBack ? (
                <div className="warn" data-testid="port-fellback">
                  <TriangleExclamationPoint /> {loc(S.panel.fellBack, { preferred: p.preferred, port: p.port })}
                </div>
              ) : null}
            </div>
          ))}
        </section>
      ) : null}
      <NetworkConditions running={running} />
      <ClientHints />
    </aside>
  )
}

function actionLabel(info: SceneInfo, id: string, loc: ReturnType<typeof useLocalized>): string {
  const a = info.actions.find((x) => x.id === id)
  return a ? loc(a.label) : id
}

export function GenericControls({ info, busy }: { info: SceneInfo; busy: string | null }): JSX.Element {
  const loc = useLocalized()
  const values = useLesson((s) => s.values[info.id])
  const actions = [...info.actions].sort((a, b) => Number(!!b.primary) - Number(!!a.primary))
  return (
    <>
      {info.params.length ? (
        <section className="params">
          <h2>{loc(S.panel.params)}</h2>
          {info.params.map((p) => (
            <ParamInput key={p.id} def={p} value={values?.[p.id] ?? p.default} />
          ))}
        </section>
      ) : null}
      <section className="actions">
        <h2>{loc(S.panel.actions)}</h2>
        {actions.map((a) => (
          <button
            key={a.id}
            className={`btn ${a.primary ? 'primary' : 'secondary'}${busy === a.id ? ' busy' : ''}`}
            data-testid={`action-${a.id}`}
            title={a.help ? loc(a.help) : undefined}
            disabled={!!busy}
            onClick={() => void runAction(a.id)}
          >
            {loc(a.label)}
          </button>
        ))}
      </section>
    </>
  )
}

function ParamInput({ def, value }: { def: ParamDef; value: string | number | boolean }): JSX.Element {
  return <ParamField def={def} id={`param-${def.id}`} value={value} onChange={(v) => setParam(def.id, v)} />
}
