// WebSocket: the Upgrade (how Sec-WebSocket-Accept is computed from Sec-WebSocket-Key, and the
// 101 after which there is no more HTTP), then a frame laid out bit by bit — FIN, RSV, opcode,
// MASK, payload length, masking key, masked bytes and the unmasked text — and the list of frames.
import { useEffect, useMemo, useRef, type JSX } from 'react'
import type { PduEvent } from '@shared/events'
import { useLocalized } from '../../i18n'
import { useLab } from '../../store'
import type { ViewProps } from '../view-props'
import { findField, hexBytes, pathOf } from '../fields'
import { selectField, useRunEvents } from '../run-events'
import { frameBits, GUID, webSocketModel, type FrameBit } from './model'
import { EmptyView } from '../EmptyView'
import S from './strings.json'
import { httpHeaderPath } from '@shared/protocols/http'
import { WEBSOCKET, WEBSOCKET_FIELDS as WS } from '@shared/protocols/websocket'
import '../handshakes/handshakes.css'
import { Check } from 'lucide-react'
import { DirArrow } from '../../shell/DirArrow'

function Bit({ pdu, bit }: { pdu: PduEvent; bit: FrameBit }): JSX.Element {
  return (
    <button
      className={`ws-bit${bit.wide ? ' wide' : ''}`}
      data-testid={`ws-bit-${bit.id.replace(`${WEBSOCKET}.`, '')}`}
      onClick={() => selectField(pdu, bit.id)}
      disabled={!findField(pdu.fields, bit.id)}
    >
      <span className="ws-bit-label">{bit.label}</span>
      <span className="ws-bit-value mono">{bit.value}</span>
    </button>
  )
}

function FrameLayout({ pdu }: { pdu: PduEvent }): JSX.Element {
  const loc = useLocalized()
  const k = pdu.keys ?? {}
  const maskKey = findField(pdu.fields, WS.maskingKey)
  const payload = findField(pdu.fields, WS.payload)
  const text = findField(pdu.fields, WS.payloadText)
  const close = findField(pdu.fields, WS.closeCode)
  const raw = payload ? pdu.data.subarray(payload.start, payload.end) : new Uint8Array(0)
  return (
    <div
      className={`ws-frame dir-${pdu.dir}`}
      data-testid="ws-frame-layout"
      data-opcode={String(k.opcode)}
      data-masked={String(k.masked)}
    >
      <div className="ws-bits">
        {frameBits(pdu).map((bit) => (
          <Bit key={bit.id} pdu={pdu} bit={bit} />
        ))}
      </div>
      {payload ? (
        <div className="ws-payload">
          <div className="ws-payload-row" onClick={() => selectField(pdu, WS.payload)}>
            <span className="ws-payload-label">{maskKey ? loc(S.masked) : loc(S.noMask)}</span>
            <span className="mono ws-hex" data-testid="ws-masked">
              {hexBytes(raw, 20)}
            </span>
          </div>
          {text || close ? (
            <div className="ws-payload-row">
              <span className="ws-payload-label">{maskKey ? loc(S.unmasked) : ''}</span>
              <span className="ws-text" data-testid="ws-unmasked">
                {close ? String(close.value) : String(k.text ?? '').slice(0, 120)}
                {String(k.text ?? '').length > 120 ? '…' : ''}
              </span>
            </div>
          ) : null}
        </div>
      ) : null}
    </div>
  )
}

export function FramesView(_props: ViewProps): JSX.Element {
  const loc = useLocalized()
  const run = useRunEvents()
  const selectedSeq = useLab((s) => s.selectedSeq)
  const model = useMemo(() => webSocketModel(run.pdus, selectedSeq), [run, selectedSeq])
  const { frames, shown, conn, request: req, response: resp, key, expectedAccept: expected, accept } = model
  const list = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const el = list.current
    if (el) el.scrollTop = el.scrollHeight
  }, [frames.length])
  if (!model.pdus.length) return <EmptyView view="frames" text={S.empty} />
  return (
    <div className="ws-view" data-testid="view-frames">
      <div className="ws-upgrade" data-testid="ws-upgrade" data-conn={conn}>
        <div className="ws-upgrade-title">{loc(S.upgrade)}</div>
        <div className="ws-calc">
          <button
            className="ws-calc-key mono"
            onClick={() => req && useLab.getState().select(req.seq, httpHeaderPath(req.fields, 'sec-websocket-key'))}
            title={loc(S.key)}
          >
            {key || '—'}
          </button>
          <span className="ws-op">+</span>
          <span className="ws-calc-guid mono">{GUID}</span>
          <span className="ws-op">→ SHA-1 → base64 →</span>
          <span className="ws-calc-result mono" data-testid="ws-expected">
            {expected || '—'}
          </span>
        </div>
        <div className="ws-calc">
          <span className="ws-calc-label">{loc(S.accept)}: Sec-WebSocket-Accept</span>
          <button
            className="ws-calc-accept mono"
            data-testid="ws-accept"
            onClick={() => resp && useLab.getState().select(resp.seq, httpHeaderPath(resp.fields, 'sec-websocket-accept'))}
          >
            {accept || loc(S.waiting)}
          </button>
          {accept && accept === expected ? <span className="ws-ok">
              <Check /> {loc(S.ok)}
            </span> : null}
        </div>
        {resp?.keys?.status === 101 ? (
          <div className="ws-switch" data-testid="ws-101">
            {loc(S.switching)}
          </div>
        ) : null}
      </div>
      {shown ? (
        <div className="ws-section">
          <div className="ws-section-title">
            {loc(S.frame)}: <DirArrow dir={shown.dir} />{' '}
            {shown.summary}
          </div>
          <FrameLayout pdu={shown} />
        </div>
      ) : null}
      <div className="ws-section-title">{loc(S.frames)}</div>
      <div className="ws-list" ref={list}>
        {frames.map((f) => (
          <div
            key={f.seq}
            className={`ws-row dir-${f.dir}${f.seq === shown?.seq ? ' selected' : ''}`}
            data-testid="ws-frame"
            data-opcode={String(f.keys?.opcode)}
            data-masked={String(f.keys?.masked)}
            data-dir={f.dir}
            onClick={() => useLab.getState().select(f.seq, pathOf(f.fields, WS.payload) ?? [0])}
          >
            <span className="mono ws-conn">{f.conn}</span>
            <span className={`hs-arrow dir-${f.dir}`}>
              <DirArrow dir={f.dir} />
            </span>
            <span className="ws-sum">{f.summary}</span>
            <span className="mono muted">{String(f.keys?.len)} B</span>
          </div>
        ))}
      </div>
    </div>
  )
}
