// REST vs gRPC vs GraphQL side by side, from the events of each step of the lesson: bytes each way,
// round trips, connections and requests per API; the responses field by field against what the
// screen needs (over-fetching); the repeat call (HPACK); N+1; where each API puts its errors;
// streaming vs polling; and the course's table with this run's figures.
import { useMemo, useState, type JSX } from 'react'
import type { PduEvent } from '@shared/events'
import { API_IDS, API_LABEL, STEP, type ApiId, type StepKey } from '@shared/lessons/api-compare'
import { measureStep, type ApiFigures } from '@shared/lessons/api-compare-measure'
import { useLocalized } from '../../i18n'
import { useLab } from '../../store'
import type { ViewProps } from '../view-props'
import { useRunEvents } from '../run-events'
import { EmptyView } from '../EmptyView'
import { jsonLeaves, overFetch, protobufLeaves } from './model'
import S from './strings.json'
import { TableSection, type Steps } from './TableSection'
import './compare.css'

type Tab = 'fetch' | 'repeat' | 'nPlusOne' | 'errors' | 'streaming' | 'table'
const TABS: Tab[] = ['fetch', 'repeat', 'nPlusOne', 'errors', 'streaming', 'table']
const STEP_OF: Record<Exclude<Tab, 'table'>, StepKey> = {
  fetch: STEP.fetch,
  repeat: STEP.repeat,
  nPlusOne: STEP.nPlusOne,
  errors: STEP.errors,
  streaming: STEP.streaming
}
const ACTION_OF: Record<Exclude<Tab, 'table'>, string> = {
  fetch: 'fetch',
  repeat: 'repeat',
  nPlusOne: 'n-plus-1',
  errors: 'errors',
  streaming: 'streaming'
}

const select = (p: PduEvent, path: number[] | null = null): void => useLab.getState().select(p.seq, path)

export function CompareView(_props: ViewProps): JSX.Element {
  const loc = useLocalized()
  const run = useRunEvents()
  const steps = useMemo((): Steps => {
    const out: Steps = {}
    for (const t of TABS)
      if (t !== 'table' && run.events.some((e) => e.kind === 'note' && e.key === STEP_OF[t]))
        out[t] = measureStep(run.events, STEP_OF[t])
    return out
  }, [run])
  // Follow the step that ran last, unless a tab was picked.
  const latest = useMemo((): Tab => {
    for (let i = run.events.length - 1; i >= 0; i--) {
      const e = run.events[i]
      if (e.kind === 'note') for (const t of TABS) if (t !== 'table' && e.key === STEP_OF[t]) return t
    }
    return 'fetch'
  }, [run])
  // A picked tab holds until another step runs.
  const [picked, setPicked] = useState<{ tab: Tab; when: Tab } | null>(null)
  const tab = picked && picked.when === latest ? picked.tab : latest
  if (!steps.fetch && !steps.nPlusOne && !steps.errors && !steps.streaming)
    return <EmptyView view="compare" text={S.empty} />
  const f = tab !== 'table' ? steps[tab] : undefined
  return (
    <div className="cmp" data-testid="view-compare" data-tab={tab}>
      <div className="cmp-tabs" role="tablist">
        {TABS.map((t) => (
          <button
            key={t}
            role="tab"
            aria-selected={t === tab}
            className={`cmp-tab${t === tab ? ' on' : ''}${t !== 'table' && !steps[t] ? ' idle' : ''}`}
            data-testid={`compare-tab-${t}`}
            onClick={() => setPicked({ tab: t, when: latest })}
          >
            {loc(S.tabs[t])}
          </button>
        ))}
      </div>
      <div className="cmp-body">
        {tab === 'table' ? (
          <TableSection steps={steps} order={API_IDS} />
        ) : !f ? (
          <div className="cmp-empty">
            {loc(S.notRun)} “{ACTION_OF[tab]}”.
          </div>
        ) : (
          <>
            {tab === 'nPlusOne' ? <Requests f={f} note={S.nPlusOneNote} /> : null}
            {tab === 'errors' ? <Errors f={f} /> : null}
            {tab === 'streaming' ? <Requests f={f} note={S.streamingNote} /> : null}
            <Cards f={f} />
            {tab === 'fetch' ? <Bodies f={f} /> : null}
            {tab === 'repeat' && steps.fetch ? <Repeat first={steps.fetch} again={f} /> : null}
          </>
        )}
      </div>
    </div>
  )
}

function Cards({ f }: { f: Record<ApiId, ApiFigures> }): JSX.Element {
  const loc = useLocalized()
  const max = Math.max(1, ...API_IDS.map((a) => Math.max(f[a].sent, f[a].received)))
  const bar = (a: ApiId, n: number, dir: 'c2s' | 's2c'): JSX.Element => (
    <div className="cmp-bar">
      <span className={`cmp-bar-fill dir-${dir}`} style={{ width: `${(n / max) * 100}%` }} />
      <span className="cmp-num">
        {dir === 'c2s' ? '→' : '←'} {n} B
      </span>
    </div>
  )
  const row = (label: string, cell: (a: ApiId) => JSX.Element | string | number): JSX.Element => (
    <tr>
      <th>{label}</th>
      {API_IDS.map((a) => (
        <td key={a}>{cell(a)}</td>
      ))}
    </tr>
  )
  return (
    <table className="cmp-table cmp-metrics">
      <thead>
        <tr>
          <th />
          {API_IDS.map((a) => {
            const x = f[a]
            return (
              <th
                key={a}
                className={`cmp-api api-${a}`}
                data-testid="compare-card"
                data-api={a}
                data-sent={x.sent}
                data-received={x.received}
                data-round-trips={x.roundTrips}
                data-requests={x.requests}
              >
                {API_LABEL[a]} <span className="cmp-transport">{x.transport || '—'}</span>
              </th>
            )
          })}
        </tr>
      </thead>
      <tbody>
        {row(loc(S.sent), (a) => bar(a, f[a].sent, 'c2s'))}
        {row(loc(S.received), (a) => bar(a, f[a].received, 's2c'))}
        {row(loc(S.roundTrips), (a) => (
          <b>{f[a].roundTrips}</b>
        ))}
        {row(`${loc(S.requests)} / ${loc(S.calls)}`, (a) => (
          <b>{f[a].requests}</b>
        ))}
        {row(loc(S.newConns), (a) => (
          <b>{f[a].newConnections}</b>
        ))}
      </tbody>
    </table>
  )
}

function Bodies({ f }: { f: Record<ApiId, ApiFigures> }): JSX.Element {
  const loc = useLocalized()
  return (
    <>
      <div className="cmp-note">{loc(S.screenNeeds)}</div>
      <div className="cmp-bodies">
        {API_IDS.map((a) => {
          const p = f[a].responses[0]
          if (!p) return <div key={a} className="cmp-body-col" />
          const o = overFetch(a === 'grpc' ? protobufLeaves(p) : jsonLeaves(p), f[a].bodies[0] ?? 0)
          return (
            <div
              key={a}
              className="cmp-body-col"
              data-testid="compare-body"
              data-api={a}
              data-unasked={o.unasked}
              data-unasked-fields={o.unaskedFields}
            >
              <div className="cmp-body-head" onClick={() => select(p)}>
                {API_LABEL[a]} · {loc(S.body)} {o.body} B{a === 'grpc' ? ` · ${loc(S.binary)}` : ''}
              </div>
              <div className="cmp-leaves">
                {o.leaves.map((l, i) => (
                  <button
                    key={i}
                    className={`cmp-leaf${l.needed ? ' need' : ' extra'}`}
                    data-testid="compare-leaf"
                    data-needed={l.needed}
                    title={`${l.path} ${l.value} · ${l.bytes} B`}
                    onClick={() => select(p, l.fieldPath)}
                  >
                    <span className="cmp-leaf-name">{l.path}</span>{' '}
                    <span className="cmp-leaf-val">
                      {l.value.length > 18 ? l.value.slice(0, 17) + '…' : l.value}
                    </span>{' '}
                    <span className="cmp-leaf-bytes">{l.bytes} B</span>
                  </button>
                ))}
              </div>
              <div className={`cmp-unasked${o.unasked ? ' some' : ''}`}>
                {o.unasked} B {loc(S.unasked)} ({o.body ? Math.round((o.unasked / o.body) * 100) : 0}%{' '}
                {loc(S.ofBody)})
              </div>
            </div>
          )
        })}
      </div>
    </>
  )
}

function Repeat({
  first,
  again
}: {
  first: Record<ApiId, ApiFigures>
  again: Record<ApiId, ApiFigures>
}): JSX.Element {
  const loc = useLocalized()
  return (
    <div className="cmp-section" data-testid="compare-repeat">
      <div className="cmp-note">{loc(S.hpackNote)}</div>
      <table className="cmp-table small">
        <thead>
          <tr>
            <th />
            <th>{loc(S.first)}</th>
            <th>{loc(S.second)}</th>
          </tr>
        </thead>
        <tbody>
          {API_IDS.map((a) => (
            <tr key={a} data-api={a} data-first={first[a].sent} data-second={again[a].sent}>
              <th>
                {API_LABEL[a]} → {loc(S.sent)}
              </th>
              <td>{first[a].sent} B</td>
              <td className={again[a].sent < first[a].sent / 2 ? 'win' : ''}>{again[a].sent} B</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function Requests({
  f,
  note
}: {
  f: Record<ApiId, ApiFigures>
  note: (typeof S)['nPlusOneNote']
}): JSX.Element {
  const loc = useLocalized()
  return (
    <div className="cmp-section">
      <div className="cmp-note">{loc(note)}</div>
      <div className="cmp-bodies">
        {API_IDS.map((a) => (
          <div
            key={a}
            className="cmp-body-col"
            data-testid="compare-requests"
            data-api={a}
            data-count={f[a].requests}
          >
            <div className="cmp-body-head">
              {API_LABEL[a]}: {f[a].requests} {loc(a === 'grpc' ? S.calls : S.requests)}, {f[a].bodies.length}{' '}
              {loc(S.messages)}
            </div>
            {f[a].requestPdus.length === 0 ? <div className="muted">{loc(S.noMethod)}</div> : null}
            {f[a].requestPdus.map((p, i) => (
              <button key={p.seq} className="cmp-req" title={p.summary} onClick={() => select(p)}>
                {i + 1}.{' '}
                {a === 'grpc' ? String(p.keys?.method ?? p.summary) : p.summary.replace(/ HTTP\/1\.1$/, '')}
                {f[a].statuses[i] !== undefined && a !== 'grpc' ? (
                  <span className={`cmp-code c${String(f[a].statuses[i])[0]}`}> {f[a].statuses[i]}</span>
                ) : null}
              </button>
            ))}
          </div>
        ))}
      </div>
    </div>
  )
}

function Errors({ f }: { f: Record<ApiId, ApiFigures> }): JSX.Element {
  const loc = useLocalized()
  const g = f.graphql
  const rows: {
    api: ApiId
    what: string
    accept: string
    status: number | undefined
    type: string
    where: string
    pdu?: PduEvent
  }[] = [
    {
      api: 'graphql',
      what: loc(S.fieldError),
      accept: 'application/json',
      status: g.statuses[0],
      type: g.mediaTypes[0],
      where: loc(S.inBody),
      pdu: g.responses[0]
    },
    {
      api: 'graphql',
      what: loc(S.fieldError),
      accept: 'application/graphql-response+json',
      status: g.statuses[1],
      type: g.mediaTypes[1],
      where: loc(S.inBody),
      pdu: g.responses[1]
    },
    {
      api: 'graphql',
      what: loc(S.requestError),
      accept: 'application/json',
      status: g.statuses[2],
      type: g.mediaTypes[2],
      where: loc(S.inBody),
      pdu: g.responses[2]
    },
    {
      api: 'graphql',
      what: loc(S.requestError),
      accept: 'application/graphql-response+json',
      status: g.statuses[3],
      type: g.mediaTypes[3],
      where: `${loc(S.inStatus)} + ${loc(S.inBody)}`,
      pdu: g.responses[3]
    },
    {
      api: 'rest',
      what: loc(S.restMissing),
      accept: 'application/json',
      status: f.rest.statuses[0],
      type: f.rest.mediaTypes[0],
      where: loc(S.inStatus),
      pdu: f.rest.responses[0]
    },
    {
      api: 'rest',
      what: loc(S.restBad),
      accept: 'application/json',
      status: f.rest.statuses[1],
      type: f.rest.mediaTypes[1],
      where: loc(S.inStatus),
      pdu: f.rest.responses[1]
    },
    {
      api: 'grpc',
      what: loc(S.grpcMissing),
      accept: 'application/grpc',
      status: f.grpc.statuses[0],
      type: 'application/grpc+proto',
      where: `${loc(S.inTrailers)} ${f.grpc.grpcStatuses[0] ?? '?'} (NOT_FOUND)`
    }
  ]
  return (
    <div className="cmp-section" data-testid="compare-errors">
      <div className="cmp-note">{loc(S.errorsNote)}</div>
      <table className="cmp-table small">
        <thead>
          <tr>
            <th>{loc(S.case)}</th>
            <th>{loc(S.accept)}</th>
            <th>{loc(S.status)}</th>
            <th>{loc(S.contentType)}</th>
            <th>{loc(S.where)}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr
              key={i}
              data-testid="compare-error-row"
              data-api={r.api}
              data-status={r.status ?? ''}
              onClick={() => r.pdu && select(r.pdu)}
            >
              <th>
                {API_LABEL[r.api]}: {r.what}
              </th>
              <td className="mono">{r.accept}</td>
              <td className={`mono cmp-code c${String(r.status ?? '')[0] ?? ''}`}>{r.status ?? '—'}</td>
              <td className="mono">{(r.type ?? '').split(';')[0]}</td>
              <td>{r.where}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
