// The comparison lesson's controls: the GraphQL query box (the lesson's own, nothing loaded from a
// CDN) with its Accept header and the last answer read from the log, then the lesson's other
// parameters and actions.
import { useMemo, type JSX } from 'react'
import type { PduEvent } from '@shared/events'
import { API_CLIENT, STEP } from '@shared/lessons/api-compare'
import { jsonBody, stepEvents } from '@shared/lessons/api-compare-measure'
import { useLocalized } from '../../i18n'
import { GenericControls } from '../../lesson/LessonPanel'
import { runAction, setParam, useLesson } from '../../lesson/lesson-store'
import { useRunEvents } from '../../views/run-events'
import type { ScenePanelProps } from '../panel-props'
import S from './strings.json'
import '../../views/compare/compare.css'

/** The last query's answer, from the log: status, media type and body. */
function useLastAnswer(): { status: number; type: string; body: string } | null {
  const run = useRunEvents()
  return useMemo(() => {
    const step = stepEvents(run.events, STEP.query)
    const opens = new Set(
      run.events
        .filter((e) => e.kind === 'conn.open' && e.from === API_CLIENT.graphql)
        .map((e) => (e as { conn: string }).conn)
    )
    const res = step.find(
      (e): e is PduEvent => e.kind === 'pdu' && e.protocol === 'http' && e.dir === 's2c' && opens.has(e.conn)
    )
    if (!res) return null
    const text = new TextDecoder().decode(res.data)
    const head = text.slice(0, text.indexOf('\r\n\r\n'))
    // The JSON field's range holds the body's text (de-chunked by the dissector when it was chunked).
    const json = jsonBody(res)
    let body = json
      ? new TextDecoder().decode(res.data.subarray(json.start, json.end))
      : text.slice(head.length + 4)
    try {
      body = JSON.stringify(JSON.parse(body), null, 2)
    } catch {
      // not JSON: shown as it came
    }
    return {
      status: Number(res.keys?.status ?? 0),
      type: /content-type:\s*([^;\r\n]+)/i.exec(head)?.[1] ?? '',
      body
    }
  }, [run])
}

export function ApiComparePanel({ info }: ScenePanelProps): JSX.Element {
  const loc = useLocalized()
  const busy = useLesson((s) => s.busy)
  const values = useLesson((s) => s.values[info.id]) ?? {}
  const answer = useLastAnswer()
  const queryDef = info.params.find((p) => p.id === 'query')
  const acceptDef = info.params.find((p) => p.id === 'accept')
  const query = String(values.query ?? queryDef?.default ?? '')
  const accept = String(values.accept ?? acceptDef?.default ?? '')
  const rest = {
    ...info,
    params: info.params.filter((p) => p.id !== 'query' && p.id !== 'accept'),
    actions: info.actions.filter((a) => a.id !== 'query')
  }
  return (
    <>
      <section className="params gql-box" data-testid="graphql-box">
        <h2>{loc(S.box)}</h2>
        <div className="help">{loc(S.help)}</div>
        <textarea
          className="gql-query mono"
          data-testid="graphql-query"
          rows={5}
          spellCheck={false}
          value={query}
          onChange={(e) => setParam('query', e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void runAction('query')
          }}
        />
        <select
          data-testid="graphql-accept"
          value={accept}
          onChange={(e) => setParam('accept', e.target.value)}
          aria-label="Accept"
        >
          {acceptDef?.options?.map((o) => (
            <option key={o.value} value={o.value}>
              Accept: {o.value}
            </option>
          ))}
        </select>
        <button
          className={`btn secondary${busy === 'query' ? ' busy' : ''}`}
          data-testid="graphql-run"
          disabled={!!busy}
          onClick={() => void runAction('query')}
        >
          {loc(S.run)}
        </button>
        {answer ? (
          <div className="gql-answer" data-testid="graphql-answer" data-status={answer.status}>
            <div>
              {loc(S.answer)}: <b className={answer.status === 200 ? 'ok' : 'bad'}>{answer.status}</b>{' '}
              <span className="mono">{answer.type}</span>
            </div>
            <pre className="mono">{answer.body}</pre>
          </div>
        ) : null}
      </section>
      <GenericControls info={rest} busy={busy} />
    </>
  )
}
