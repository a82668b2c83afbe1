// TLS on the wire next to TLS with the key: each record as anyone on the path sees it (the
// ClientHello's SNI and ALPN in the clear, then opaque ciphertext), and — once the teacher reveals
// it — the same record decrypted with the session's key log (the HTTP request and response).
import { useMemo, useState, type JSX } from 'react'
import type { PduEvent } from '@shared/events'
import { useLocalized } from '../../i18n'
import C from '../../i18n/common.json'
import { useLab } from '../../store'
import type { ViewProps } from '../view-props'
import { findField, hexBytes } from '../fields'
import { selectField, useRunEvents } from '../run-events'
import { recordPairs, recordTitle, shownConnection, tlsConnections } from './model'
import { EmptyView } from '../EmptyView'
import S from './strings.json'
import '../handshakes/handshakes.css'
import { HTTP_FIELDS } from '@shared/protocols/http'
import { TLS_FIELDS } from '@shared/protocols/tls'
import { DirArrow } from '../../shell/DirArrow'

function Facts({ p }: { p: PduEvent }): JSX.Element | null {
  const k = p.keys ?? {}
  if (k.handshakeType === 1)
    return (
      <div className="tls-facts" onClick={(e) => e.stopPropagation()}>
        <button
          className="tls-chip sni"
          data-testid="tls-sni"
          onClick={() => selectField(p, TLS_FIELDS.handshakeExtensionsServerNameName)}
        >
          SNI: {String(k.sni ?? '—')}
        </button>
        <button
          className="tls-chip alpn"
          data-testid="tls-alpn"
          onClick={() => selectField(p, TLS_FIELDS.handshakeExtensionsAlpnStr)}
        >
          ALPN: {String(k.alpn ?? '—')}
        </button>
        <button className="tls-chip" onClick={() => selectField(p, TLS_FIELDS.handshakeCiphersuites)}>
          {String(k.cipherSuites ?? 0)} cipher suites
        </button>
        <button
          className="tls-chip"
          onClick={() => selectField(p, TLS_FIELDS.handshakeExtensionsKeyShareGroup)}
        >
          key_share: {String(k.keyShare ?? '—')}
        </button>
        <span className="tls-chip">{String(k.supportedVersions ?? '')}</span>
      </div>
    )
  if (k.handshakeType === 2)
    return (
      <div className="tls-facts" onClick={(e) => e.stopPropagation()}>
        <span className="tls-chip">{String(k.version ?? '')}</span>
        <button className="tls-chip" onClick={() => selectField(p, TLS_FIELDS.handshakeCiphersuite)}>
          {String(k.cipherSuite ?? '')}
        </button>
        <span className="tls-chip">key_share: {String(k.keyShare ?? '—')}</span>
      </div>
    )
  return null
}

function PlainCell({ p }: { p: PduEvent }): JSX.Element {
  if (p.protocol === 'http') {
    const body = findField(p.fields, HTTP_FIELDS.fileData)
    const start = String(p.keys?.httpStart ?? p.summary)
    return (
      <div
        className="tls-http"
        data-testid="tls-plain"
        data-kind="http"
        onClick={() => useLab.getState().select(p.seq, [0])}
      >
        <div className="mono tls-startline">{start}</div>
        {body ? (
          <div className="mono tls-body">
            {new TextDecoder().decode(p.data.subarray(body.start, body.end)).slice(0, 300)}
          </div>
        ) : null}
      </div>
    )
  }
  return (
    <div
      className="tls-inner"
      data-testid="tls-plain"
      data-kind="tls"
      onClick={() => useLab.getState().select(p.seq, [0])}
    >
      {p.summary.replace(/^\[decrypted\] /, '')}
    </div>
  )
}

export function TlsView(_props: ViewProps): JSX.Element {
  const loc = useLocalized()
  const run = useRunEvents()
  const [revealed, setRevealed] = useState(false)
  const selectedSeq = useLab((s) => s.selectedSeq)
  const conns = useMemo(() => tlsConnections(run.pdus), [run])
  const [chosen, setChosen] = useState<string | null>(null)
  const conn = shownConnection(conns, chosen)
  const pairs = useMemo(() => recordPairs(run.pdus, conn), [run, conn])
  if (!pairs.length) return <EmptyView view="tls" text={S.empty} />
  return (
    <div className="tls-view" data-testid="view-tls">
      <div className="tls-toolbar">
        {conns.length > 1 ? (
          <label>
            {loc(C.connection)}{' '}
            <select data-testid="tls-conn" value={conn ?? ''} onChange={(e) => setChosen(e.target.value)}>
              {conns.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <span className="spacer" />
        <button
          className={`tls-reveal${revealed ? ' on' : ''}`}
          data-testid="tls-reveal"
          aria-pressed={revealed}
          onClick={() => setRevealed(!revealed)}
        >
          {revealed ? loc(S.hide) : loc(S.reveal)}
        </button>
      </div>
      <div className="tls-grid">
        <div className="tls-head">{loc(S.wire)}</div>
        <div className="tls-head">{loc(S.plain)}</div>
        {pairs.map(({ record, plain }) => {
          const enc = record.keys?.encrypted === true
          const body = record.data.subarray(5)
          return (
            <div
              className="tls-row"
              key={record.seq}
              data-testid="tls-record"
              data-encrypted={enc}
              data-decrypted={Boolean(plain)}
              data-dir={record.dir}
            >
              <div
                className={`tls-wire dir-${record.dir}${enc ? ' enc' : ' clear'}${selectedSeq === record.seq ? ' selected' : ''}`}
                onClick={() => useLab.getState().select(record.seq, [0])}
              >
                <div className="tls-line">
                  <span className={`hs-arrow dir-${record.dir}`}>
                    <DirArrow dir={record.dir} />
                  </span>
                  <span className="tls-sum">
                    {enc ? `${loc(S.appData)} · ${record.data.length - 5} B` : recordTitle(record)}
                  </span>
                  <span className={`tls-tag ${enc ? 'enc' : 'clear'}`}>
                    {enc ? loc(S.encrypted) : loc(S.clear)}
                  </span>
                </div>
                {enc ? (
                  <div className="mono tls-cipher" title={hexBytes(body, 24)}>
                    {hexBytes(body, 24)}
                  </div>
                ) : (
                  <Facts p={record} />
                )}
              </div>
              <div className={`tls-plaincell dir-${record.dir}`}>
                {!enc ? null : !plain ? (
                  <span className="muted">
                    {record.keys?.decryptPending
                      ? loc(S.pending)
                      : String(record.keys?.decryptError ?? loc(S.noKey))}
                  </span>
                ) : revealed ? (
                  <PlainCell p={plain} />
                ) : (
                  <span className="muted tls-hidden">{loc(S.hidden)}</span>
                )}
              </div>
            </div>
          )
        })}
      </div>
    </div>
  )
}
