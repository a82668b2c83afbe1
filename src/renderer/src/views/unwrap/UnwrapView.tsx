// One gRPC message unwrapped, outermost layer first: the TCP bytes the tap read, the HTTP/2 DATA
// frame inside them (9-byte header + payload), the gRPC length-prefixed message inside the payload
// (1-byte flag, 4-byte length) and the protobuf fields inside it. In each layer the bytes of the
// next one are highlighted; clicking a layer selects its bytes in the byte inspector.
import { useMemo, type JSX } from 'react'
import type { Field, PduEvent } from '@shared/events'
import { GRPC_FIELDS } from '@shared/protocols/grpc'
import { useLocalized } from '../../i18n'
import { useLab } from '../../store'
import type { ViewProps } from '../view-props'
import { useRunEvents } from '../run-events'
import { pathOf } from '../fields'
import { ByteStrip, type Mark } from './ByteStrip'
import { pickMessage, unwrap, type Unwrapped } from './model'
import S from './strings.json'
import './unwrap.css'

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ')

function select(pdu: PduEvent, path: number[] | null): void {
  useLab.getState().select(pdu.seq, path)
}

/** Path of the frame's "gRPC message #n" part that holds `start`, in the http2 DATA PDU. */
function partPath(frame: PduEvent, start: number): number[] | null {
  const pi = frame.fields.findIndex((f) => f.id === 'http2.payload')
  const payload = frame.fields[pi]
  const di = payload?.children?.findIndex((f) => f.id === 'http2.data.data') ?? -1
  const parts = di >= 0 ? (payload!.children![di].children ?? []) : []
  const k = parts.findIndex((p) => start >= p.start && start < p.end)
  return k >= 0 ? [pi, di, k] : di >= 0 ? [pi, di] : null
}

export function UnwrapView(_props: ViewProps): JSX.Element {
  const loc = useLocalized()
  const run = useRunEvents()
  const selectedSeq = useLab((s) => s.selectedSeq)
  const u = useMemo((): Unwrapped | null => {
    const m = pickMessage(run.events, selectedSeq)
    return m ? unwrap(run.events, m) : null
  }, [run, selectedSeq])
  if (!u)
    return (
      <div className="uw uw-empty" data-testid="view-unwrap">
        {loc(S.empty)}
      </div>
    )
  const m = u.message
  const k = m.keys ?? {}
  const len = Number(k.length ?? m.data.length - 5)
  const msgPath = pathOf(m.fields, GRPC_FIELDS.message)
  const pbColor = (i: number): string => `uw-f${i % 4}`
  const pbMarks: Mark[] = u.protobuf.map((f, i) => ({
    start: f.start - 5,
    end: f.end - 5,
    cls: pbColor(i),
    title: f.name
  }))
  const body = m.data.subarray(5)
  const grpcLayer = (
    <div className="uw-layer l-grpc" data-testid="unwrap-layer" data-layer="grpc">
      <div className="uw-title" onClick={() => select(m, msgPath)}>
        <span className="uw-tag">gRPC</span> {loc(S.grpc)} · 5 + {len} B
      </div>
      <ByteStrip
        bytes={m.data}
        testId="unwrap-grpc-bytes"
        marks={[
          { start: 0, end: 1, cls: 'uw-g-flag', title: loc(S.flag) },
          { start: 1, end: 5, cls: 'uw-g-len', title: loc(S.length) },
          { start: 5, end: m.data.length, cls: 'uw-pb', title: loc(S.pb) }
        ]}
      />
      <div className="uw-legend">
        <span
          className="uw-g-flag clickable"
          onClick={() => select(m, pathOf(m.fields, GRPC_FIELDS.compressedFlag))}
        >
          {loc(S.flag)} {m.data[0].toString(16).padStart(2, '0')} = {m.data[0]}
        </span>{' '}
        <span
          className="uw-g-len clickable"
          onClick={() => select(m, pathOf(m.fields, GRPC_FIELDS.messageLength))}
        >
          {loc(S.length)} {hex(m.data.subarray(1, 5))} = {len}
        </span>
      </div>
      <div className="uw-layer l-pb" data-testid="unwrap-layer" data-layer="protobuf">
        <div className="uw-title" onClick={() => select(m, pathOf(m.fields, GRPC_FIELDS.messageData))}>
          <span className="uw-tag">PB</span> {loc(S.pb)} {String(k.messageType ?? '')} · {u.protobuf.length}{' '}
          {loc(S.fields)}
        </div>
        <ByteStrip bytes={body} marks={pbMarks} testId="unwrap-pb-bytes" />
        <div className="uw-fields">
          {u.protobuf.map((f: Field, i) => (
            <button
              key={i}
              className={`uw-field ${pbColor(i)}${f.malformed ? ' bad' : ''}`}
              data-testid="unwrap-field"
              onClick={() => select(m, msgPath ? [...msgPath, 2, i] : null)}
              title={f.value}
            >
              <b>{f.name.replace(/ \(.*\)$/, '')}</b> {shortValue(f.value)}
            </button>
          ))}
        </div>
      </div>
    </div>
  )
  return (
    <div className="uw" data-testid="view-unwrap" data-seq={m.seq} data-frames={u.frames.length}>
      <div className="uw-head">
        <span className={`uw-dir dir-${m.dir}`}>{m.dir === 'c2s' ? '→' : '←'}</span>{' '}
        <b className="mono">{String(k.method ?? '')}</b> {loc(m.dir === 'c2s' ? S.request : S.response)} #
        {String(k.index ?? '')} · {String(k.messageType ?? '')} · {m.data.length} B
        {u.frames.length > 1 ? (
          <span className="uw-spans">
            {' '}
            · {loc(S.spans)} {u.frames.length} {loc(S.frames)}
          </span>
        ) : null}
        <span className="uw-hint"> · {loc(S.click)}</span>
      </div>
      <div className="uw-layer l-tcp" data-testid="unwrap-layer" data-layer="tcp">
        <div className="uw-title" onClick={() => u.frames[0] && select(u.frames[0].frame, null)}>
          <span className="uw-tag">TCP</span> {loc(S.tcp)}
          {u.chunks.length === 0 ? <span className="muted"> · {loc(S.notTcp)}</span> : null}
        </div>
        {u.chunks.slice(0, 3).map((c) => (
          <div key={c.chunk.seq} className="uw-row">
            <span className="uw-meta">
              {c.chunk.data.length} B · {loc(S.chunk)} {c.chunk.offset}
            </span>
            <ByteStrip
              bytes={c.chunk.data}
              testId="unwrap-tcp-bytes"
              marks={[
                { start: c.frameStart, end: c.frameEnd, cls: 'uw-h2', title: loc(S.frameIn) },
                { start: c.start, end: c.end, cls: 'uw-grpc', title: loc(S.grpc) }
              ]}
            />
          </div>
        ))}
        {u.frames.map((fp, i) => {
          const f = fp.frame
          const sid = Number(f.keys?.streamId ?? 0)
          const lengthText = `${hex(f.data.subarray(0, 3))} = ${f.data.length - 9}`
          return (
            <div key={f.seq} className="uw-layer l-h2" data-testid="unwrap-layer" data-layer="http2">
              <div className="uw-title" onClick={() => select(f, partPath(f, fp.start))}>
                <span className="uw-tag">HTTP/2</span> {loc(S.h2)}
                {u.frames.length > 1 ? ` ${i + 1}/${u.frames.length}` : ''} · {loc(S.stream)} {sid} ·{' '}
                {loc(S.header9)} + {f.data.length - 9} B {loc(S.payload)}
                {f.keys?.endStream ? ' · END_STREAM' : ''}
              </div>
              <ByteStrip
                bytes={f.data}
                testId="unwrap-h2-bytes"
                marks={[
                  { start: 0, end: 3, cls: 'uw-h-len', title: `Length ${lengthText}` },
                  { start: 3, end: 4, cls: 'uw-h-type', title: 'Type 0 = DATA' },
                  { start: 4, end: 5, cls: 'uw-h-flags', title: 'Flags' },
                  { start: 5, end: 9, cls: 'uw-h-sid', title: `Stream ${sid}` },
                  { start: fp.start, end: fp.end, cls: 'uw-grpc', title: loc(S.grpc) }
                ]}
              />
              <div className="uw-legend">
                <span className="uw-h-len">Length {lengthText}</span>{' '}
                <span className="uw-h-type">Type 00 = DATA</span>{' '}
                <span className="uw-h-flags">Flags {f.data[4].toString(16).padStart(2, '0')}</span>{' '}
                <span className="uw-h-sid">
                  Stream {hex(f.data.subarray(5, 9))} = {sid}
                </span>
              </div>
              {u.frames.length === 1 ? grpcLayer : null}
            </div>
          )
        })}
        {u.frames.length !== 1 ? grpcLayer : null}
      </div>
    </div>
  )
}

function shortValue(v: string | undefined): string {
  if (!v) return ''
  return v.length > 36 ? v.slice(0, 35) + '…' : v
}
