// WebSocket: the Upgrade (how Sec-WebSocket-Accept is computed from Sec-WebSocket-Key, and the
// 101 after which there is no more HTTP), then a frame laid out bit by bit — FIN, RSV, opcode,
// MASK, payload length, masking key, masked bytes and the unmasked text — and the list of frames.
import { useEffect, useMemo, useRef, type JSX } from 'react'
import type { Localized, PduEvent } from '@shared/events'
import { useLocalized } from '../../i18n'
import { useLab } from '../../store'
import type { ViewProps } from '../registry'
import { findField, hexBytes, pathOf, selectField, useRunEvents } from '../handshakes/common'
import '../handshakes/handshakes.css'
import { httpHeaderPath } from '@shared/protocols/http'
import { WEBSOCKET, WEBSOCKET_FIELDS as WS } from '@shared/protocols/websocket'

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11'

const S = {
  empty: {
    en: 'Connect the chat: the HTTP Upgrade and the frames appear here.',
    pt: 'Conecte o chat: o HTTP Upgrade e as frames aparecem aqui.'
  },
  upgrade: {
    en: 'It starts as HTTP: GET with “Upgrade: websocket”',
    pt: 'Começa como um pedido HTTP “Upgrade”'
  },
  key: { en: 'Client’s random key', pt: 'Chave aleatória do cliente' },
  accept: { en: 'Server’s answer', pt: 'Resposta do servidor' },
  switching: {
    en: '101 Switching Protocols — from here on, no more HTTP: only frames',
    pt: '101 Switching Protocols — a partir daqui já não é HTTP: só frames'
  },
  waiting: { en: 'waiting for the 101…', pt: 'aguardando o 101…' },
  frame: { en: 'Frame', pt: 'Frame' },
  frames: { en: 'Frames', pt: 'Frames' },
  masked: { en: 'masked bytes (on the wire)', pt: 'bytes mascarados (no fio)' },
  unmasked: { en: 'unmasked: byte XOR key[i mod 4]', pt: 'desmascarado: byte XOR chave[i mod 4]' },
  noMask: {
    en: 'server → client frames are not masked',
    pt: 'as frames servidor → cliente não são mascaradas'
  },
  ok: { en: 'matches', pt: 'confere' }
} satisfies Record<string, Localized>

function Bit({
  pdu,
  id,
  label,
  value,
  wide
}: {
  pdu: PduEvent
  id: string
  label: string
  value: string
  wide?: boolean
}): JSX.Element {
  const f = findField(pdu.fields, id)
  return (
    <button
      className={`ws-bit${wide ? ' wide' : ''}`}
      data-testid={`ws-bit-${id.replace(`${WEBSOCKET}.`, '')}`}
      onClick={() => selectField(pdu, id)}
      disabled={!f}
    >
      <span className="ws-bit-label">{label}</span>
      <span className="ws-bit-value mono">{value}</span>
    </button>
  )
}

function FrameLayout({ pdu }: { pdu: PduEvent }): JSX.Element {
  const loc = useLocalized()
  const k = pdu.keys ?? {}
  const b0 = pdu.data[0]
  const b1 = pdu.data[1]
  const len7 = b1 & 0x7f
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
        <Bit pdu={pdu} id={WS.fin} label="FIN" value={String(b0 >> 7)} />
        <Bit
          pdu={pdu}
          id={WS.rsv1}
          label="RSV1-3"
          value={`${(b0 >> 6) & 1}${(b0 >> 5) & 1}${(b0 >> 4) & 1}`}
        />
        <Bit
          pdu={pdu}
          id={WS.opcode}
          label="opcode"
          value={`${b0 & 0x0f} ${findField(pdu.fields, WS.opcode)?.value?.split(' (')[0] ?? ''}`}
          wide
        />
        <Bit pdu={pdu} id={WS.mask} label="MASK" value={String(b1 >> 7)} />
        <Bit pdu={pdu} id={WS.payloadLength} label="len (7 bits)" value={String(len7)} />
        {len7 === 126 ? (
          <Bit
            pdu={pdu}
            id={WS.payloadLengthExt16}
            label="len (16 bits)"
            value={String(k.len)}
            wide
          />
        ) : null}
        {len7 === 127 ? (
          <Bit
            pdu={pdu}
            id={WS.payloadLengthExt64}
            label="len (64 bits)"
            value={String(k.len)}
            wide
          />
        ) : null}
        {maskKey ? (
          <Bit pdu={pdu} id={WS.maskingKey} label="masking key" value={maskKey.value ?? ''} wide />
        ) : null}
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
  const ws = useMemo(
    () =>
      run.pdus.filter(
        (p) =>
          !p.modeled &&
          (p.protocol === 'websocket' ||
            (p.protocol === 'http' && (p.keys?.upgrade === true || p.keys?.status === 101)))
      ),
    [run]
  )
  const frames = useMemo(() => ws.filter((p) => p.protocol === 'websocket' && !p.malformed), [ws])
  const selected = frames.find((f) => f.seq === selectedSeq)
  const shown = selected ?? frames.at(-1)
  const conn = shown?.conn ?? ws.at(-1)?.conn
  const req = ws.find((p) => p.conn === conn && p.dir === 'c2s' && p.protocol === 'http')
  const resp = ws.find((p) => p.conn === conn && p.dir === 's2c' && p.protocol === 'http')
  const list = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const el = list.current
    if (el) el.scrollTop = el.scrollHeight
  }, [frames.length])
  if (!ws.length)
    return (
      <div className="hs-empty" data-testid="view-frames">
        {loc(S.empty)}
      </div>
    )
  const key = String(req?.keys?.wsKey ?? '')
  const expected = String(req?.keys?.expectedAccept ?? '')
  const accept = resp?.keys?.wsAccept !== undefined ? String(resp.keys.wsAccept) : ''
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
          {accept && accept === expected ? <span className="ws-ok">✓ {loc(S.ok)}</span> : null}
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
            {loc(S.frame)}: <span className={`dir-${shown.dir}`}>{shown.dir === 'c2s' ? '→' : '←'}</span>{' '}
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
            <span className={`hs-arrow dir-${f.dir}`}>{f.dir === 'c2s' ? '→' : '←'}</span>
            <span className="ws-sum">{f.summary}</span>
            <span className="mono muted">{String(f.keys?.len)} B</span>
          </div>
        ))}
      </div>
    </div>
  )
}
