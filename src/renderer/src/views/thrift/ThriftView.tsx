// Thrift RPC: each call beside its reply, the fields named from the IDL next to what travels on the
// wire (only an id and a type: Wireshark's "Field Header #1 T_STRING"); and the curl moment, step
// by step as the log reaches it — curl's "GET " read as a 32-bit number, the strict reader's
// verdict, the closed connection, curl's own words — beside what curl got from other binary ports.
import { useMemo, type JSX } from 'react'
import type { PduEvent } from '@shared/events'
import { THRIFT } from '@shared/protocols/thrift'
import { useLocalized } from '../../i18n'
import { useLab } from '../../store'
import type { ViewProps } from '../view-props'
import { EmptyView } from '../EmptyView'
import { useRunEvents } from '../run-events'
import { pathOf } from '../fields'
import { bodyFields, buildThrift, type CurlMoment, type ThriftCall } from './model'
import './thrift.css'
import S from './strings.json'

function select(p: PduEvent, id?: string): void {
  useLab.getState().select(p.seq, id ? pathOf(p.fields, id) : [0])
}

function CallRow({ c }: { c: ThriftCall }): JSX.Element {
  const loc = useLocalized()
  const args = bodyFields(c.call)
  const result = c.reply ? bodyFields(c.reply) : []
  const failed = result.some((f) => f.name !== 'success')
  return (
    <div
      className="thr-call"
      data-testid="thrift-call"
      data-method={c.method}
      data-seqid={c.seqid}
      data-replied={String(!!c.reply)}
    >
      <div className="thr-msg call" onClick={() => select(c.call, THRIFT.method)}>
        <span className="thr-type">CALL</span>
        <span className="thr-method mono">{c.method}</span>
        <span className="thr-seq mono">seqid {c.seqid}</span>
        <Fields list={args} pdu={c.call} />
      </div>
      {c.reply ? (
        <div
          className={`thr-msg reply${failed ? ' failed' : ''}`}
          onClick={() => select(c.reply!, THRIFT.method)}
        >
          <span className="thr-type">REPLY</span>
          <Fields list={result} pdu={c.reply} />
        </div>
      ) : (
        <div className="thr-msg pending muted">{loc(S.waiting)}</div>
      )}
    </div>
  )
}

function Fields({ list, pdu }: { list: ReturnType<typeof bodyFields>; pdu: PduEvent }): JSX.Element {
  const loc = useLocalized()
  return (
    <div className="thr-fields">
      {list.map((f) => (
        <button
          key={f.field.id}
          className={`thr-field${f.name === 'success' ? ' success' : /^o\d/.test(f.name) ? ' thrown' : ''}`}
          data-testid="thrift-field"
          data-name={f.name}
          title={`#${f.id} ${f.type.toUpperCase()} ${f.name} ${f.value}`}
          onClick={(e) => {
            e.stopPropagation()
            select(pdu, f.field.id)
          }}
        >
          <span className="thr-wire mono" title={loc(S.wire)}>
            #{f.id} {f.type.toUpperCase()}
          </span>
          <span className="thr-name">{f.name}</span>
          <span className="thr-value mono">{f.value.length > 70 ? f.value.slice(0, 69) + '…' : f.value}</span>
        </button>
      ))}
    </div>
  )
}

const hex = (b: number): string => b.toString(16).padStart(2, '0')

function CurlMomentView({ m }: { m: CurlMoment }): JSX.Element {
  const loc = useLocalized()
  const lang = useLab((s) => s.lang)
  const data = m.request?.data
  const first = data ? Array.from(data.subarray(0, 4)) : []
  const word =
    first.length === 4 ? ((first[0] << 24) | (first[1] << 16) | (first[2] << 8) | first[3]) >>> 0 : null
  const strict = m.subject === 'metastore' && m.closedBy === 'server'
  const lenient = m.subject === 'thrift-lenient' || (m.subject === 'metastore' && m.curl?.exit === 28)
  const verdict =
    m.subject === 'metastore' || m.subject === 'thrift-lenient'
      ? lenient
        ? S.step3Lenient
        : S.step3Strict
      : S.step3Other
  return (
    <div
      className="thr-curl"
      data-testid="curl-moment"
      data-subject={m.subject}
      data-exit={m.curl?.exit ?? ''}
    >
      <ol className="thr-steps">
        <li className="thr-step on">
          <div className="thr-step-title">① {loc(S.step1)}</div>
          <div className="thr-request mono">
            {data ? (
              <>
                {first.map((b, i) => (
                  <span key={i} className="thr-byte hot">
                    {String.fromCharCode(b) === ' ' ? '␠' : String.fromCharCode(b)}
                  </span>
                ))}
                <span className="thr-rest">
                  {new TextDecoder().decode(data.subarray(4, 40)).replace(/\r\n/g, '↵ ')}…
                </span>
              </>
            ) : (
              '…'
            )}
          </div>
        </li>
        {word !== null ? (
          <li
            className="thr-step on"
            onClick={() => m.request && select(m.request, 'thrift.not_thrift.word')}
          >
            <div className="thr-step-title">② {loc(S.step2)}</div>
            <div className="thr-word">
              {first.map((b, i) => (
                <span key={i} className="thr-byte hex mono">
                  {hex(b)}
                </span>
              ))}
              <span className="thr-eq">=</span>
              <span className="thr-number mono" data-testid="curl-as-length">
                {word.toLocaleString(lang === 'pt' ? 'pt-BR' : 'en')}
              </span>
              <span className="thr-bits mono">
                <span className="thr-topbit">0</span>
                {(word & 0x7fffffff).toString(2).padStart(31, '0').slice(0, 15)}…
              </span>
            </div>
          </li>
        ) : null}
        {m.rejected || m.closedBy || m.curl ? (
          <li className={`thr-step on${strict ? ' refused' : ''}`}>
            <div className="thr-step-title">③ {loc(verdict)}</div>
            {m.serverSaid ? <div className="thr-said mono">“{m.serverSaid}”</div> : null}
            {m.closedBy === 'server' ? <div className="thr-closed">✕ {loc(S.closedByServer)}</div> : null}
          </li>
        ) : null}
        {m.curl ? (
          <li className="thr-step on curl">
            <div className="thr-step-title">④ {loc(S.curlSays)}</div>
            <div className="thr-terminal mono" data-testid="curl-output">
              $ curl http://127.0.0.1/…
              <br />
              {m.curl.message}
            </div>
            {m.curl.tool !== 'curl' ? <div className="muted">{loc(S.inferred)}</div> : null}
          </li>
        ) : null}
      </ol>
    </div>
  )
}

function Contrast({ list }: { list: CurlMoment[] }): JSX.Element | null {
  const loc = useLocalized()
  if (!list.length) return null
  return (
    <div className="thr-contrast">
      <div className="thr-h">{loc(S.contrast)}</div>
      <table data-testid="curl-contrast">
        <thead>
          <tr>
            <th>{loc(S.server)}</th>
            <th>{loc(S.back)}</th>
            <th>{loc(S.result)}</th>
          </tr>
        </thead>
        <tbody>
          {list.map((m, i) => (
            <tr
              key={i}
              data-subject={m.subject}
              data-exit={m.curl?.exit ?? ''}
              onClick={() => m.request && select(m.request)}
            >
              <td>{m.label}</td>
              <td className="mono">{m.replyBytes}</td>
              <td className="mono">{m.curl?.message ?? '…'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

export function ThriftView(_props: ViewProps): JSX.Element {
  const loc = useLocalized()
  const run = useRunEvents()
  const model = useMemo(() => buildThrift(run.events), [run])
  const own = model.curls.filter((m) => m.subject === 'metastore').at(-1)
  const others = model.curls.filter((m) => m.subject !== 'metastore')
  if (!model.calls.length && !model.curls.length)
    return <EmptyView view="thrift" text={S.empty} />
  return (
    <div className="thrift-view" data-testid="view-thrift">
      <section className="thr-calls">
        <div className="thr-h">
          {loc(S.calls)}
          <span className="thr-legend">
            <span className="thr-wire mono">#1 STRING</span> {loc(S.wire)} ·{' '}
            <span className="thr-name">dbname</span> {loc(S.idl)}
          </span>
        </div>
        {model.calls.slice(-6).map((c) => (
          <CallRow key={c.call.seq} c={c} />
        ))}
      </section>
      {own || others.length ? (
        <section className="thr-curl-section">
          <div className="thr-h">{loc(S.curlTitle)}</div>
          {own ? <CurlMomentView m={own} /> : null}
          <Contrast list={others} />
        </section>
      ) : null}
    </div>
  )
}
