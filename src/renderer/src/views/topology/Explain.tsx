// Why each binding of the exchange did or did not take the message just published: for a topic
// exchange word by word (the shared matcher, as in the MQTT wildcard view), for direct by equality.
import type { JSX } from 'react'
import { useLocalized } from '../../i18n'
import type { Step } from './model'
import S from './strings.json'

type Publish = Extract<Step, { kind: 'publish' }>

export function Explain({ publish, types, height }: { publish: Publish; types: Record<string, string>; height: number }): JSX.Element {
  const loc = useLocalized()
  const type = types[publish.exchange] ?? ''
  const rule = type === 'topic' ? S.explain.topic : type === 'fanout' ? S.explain.fanout : S.explain.direct
  return (
    <div className="tp-explain" data-testid="topology-explain" data-exchange={publish.exchange} style={{ height }}>
      <div className="tp-explain-title">
        {loc(S.explain.title)} <span className="mono">{publish.key || '""'}</span>? <span className="muted small">{loc(rule)}</span>
      </div>
      <div className="tp-explain-cards">
      {publish.bindings.map((c) => (
        <div key={`${c.binding.queue}|${c.binding.key}`} className={`tp-explain-binding ${c.match ? 'ok' : 'no'}`} data-testid="topology-explain-binding" data-match={c.match ? 'true' : 'false'}>
          <div>
            <span className="mono">{c.binding.key || '""'}</span> → <span className="mono">{c.binding.queue}</span> {c.match ? '✓' : '✗'}
          </div>
          {c.explain ? (
            <>
              <ol>
                {c.explain.steps.map((s, i) => (
                  <li key={i} className={s.ok ? 'ok' : 'no'}>
                    {loc(s.why)}
                  </li>
                ))}
              </ol>
              {!c.match ? <div className="small">{loc(c.explain.summary)}</div> : null}
            </>
          ) : type === 'direct' ? (
            <div className="small">
              "{c.binding.key}" {c.match ? '=' : '≠'} "{publish.key}": {loc(c.match ? S.explain.equal : S.explain.differ)}
            </div>
          ) : null}
        </div>
      ))}
      </div>
    </div>
  )
}
