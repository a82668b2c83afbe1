// One PDU unwrapped layer by layer: Ethernet ⊃ IPv4 ⊃ TCP/UDP ⊃ the application's bytes, drawn
// as nested boxes that open from the outside in, every header field listed with its byte range and
// lit in the frame's bytes when picked. The frame is the one dumpcap captured when there is one,
// otherwise rebuilt from the connection (and labelled so); beside loopback, the same segment on a
// 1,500-byte Ethernet. Fields of the application layer are the byte inspector's fields: picking
// one selects it there too.
import { useMemo, useState, type JSX } from 'react'
import type { ConnOpenEvent, Field, LabEvent, Localized, PduEvent } from '@shared/events'
import { capturedFrameFor, capturedStack, ETHERNET_MSS, LOOPBACK_MSS, reconstructStack, tcpNumbersAt, type Layer, type LayerStack, type LinkKind } from '@shared/layers'
import { useLocalized } from '../../i18n'
import { useLab } from '../../store'
import { deepestAt, fieldAt } from '../fields'
import { CaptureSwitch } from './CaptureSwitch'
import './layers.css'
import T from './strings.json'

const S = T.panel

const LAYER_NOTE: Record<Layer['id'], Localized> = T.layerNote

/** Key values shown in a layer's box. */
function headline(l: Layer): string {
  const all = (fs: Field[]): Field[] => fs.flatMap((f) => [f, ...all(f.children ?? [])])
  const v = (id: string): string => all(l.fields).find((f) => f.id === id)?.value ?? '?'
  if (l.id === 'link') return `${v('eth.src')} → ${v('eth.dst')}`
  if (l.id === 'ip') return `${v('ip.src')} → ${v('ip.dst')} · TTL ${v('ip.ttl')}`
  if (l.id === 'tcp') return `${v('tcp.srcport')} → ${v('tcp.dstport')} · seq ${v('tcp.seq').replace(/ \(raw.*\)/, '')}`
  if (l.id === 'udp') return `${v('udp.srcport')} → ${v('udp.dstport')}`
  return l.fields[0]?.value ?? ''
}

function Onion({ stack, depth = 0 }: { stack: LayerStack; depth?: number }): JSX.Element | null {
  const loc = useLocalized()
  const l = stack.layers[depth]
  if (!l) return null
  const size = l.end - l.start
  return (
    <div className={`ly-box ly-${l.id} ly-${l.source}`} style={{ animationDelay: `${depth * 0.45}s` }} data-testid="layer-box" data-layer={l.id} data-source={l.source}>
      <div className="ly-box-head">
        <span className="ly-box-name">{l.name}</span>
        <span className="ly-box-size mono">
          {size} {loc(l.id === 'app' ? S.bytes : S.header)}
        </span>
        <span className="ly-box-note">{loc(LAYER_NOTE[l.id])}</span>
      </div>
      <div className="ly-box-line mono">{headline(l)}</div>
      <Onion stack={stack} depth={depth + 1} />
    </div>
  )
}

function FieldRow({ f, path, picked, onPick }: { f: Field; path: string; picked: string | null; onPick(path: string, f: Field): void }): JSX.Element {
  return (
    <>
      <div
        className={`ly-field${picked === path ? ' picked' : ''}${f.modeled ? ' modeled' : ''}`}
        data-testid="layer-field"
        data-field-id={f.id ?? ''}
        data-start={f.start}
        data-end={f.end}
        data-modeled={String(!!f.modeled)}
        style={{ paddingLeft: `${0.4 + (path.split('.').length - 1) * 0.9}rem` }}
        onClick={() => onPick(path, f)}
      >
        {/* The dissector's field name and the value off the wire: protocol vocabulary, not translated. */}
        <span className="ly-field-name" translate="no">
          {f.name}
        </span>
        <span className="ly-field-value mono" translate="no">
          {f.value}
        </span>
        <span className="ly-field-range mono">
          {f.start}–{f.end - 1}
        </span>
      </div>
      {(f.children ?? []).map((c, i) => (
        <FieldRow key={i} f={c} path={`${path}.${i}`} picked={picked} onPick={onPick} />
      ))}
    </>
  )
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

function FrameHex({ stack, range, onByte }: { stack: LayerStack; range: [number, number] | null; onByte(i: number): void }): JSX.Element {
  const layerOf = (i: number): string => stack.layers.filter((l) => i >= l.start && i < l.end).at(-1)?.id ?? 'rest'
  const shown = Math.min(stack.frame.length, 256)
  const rows: JSX.Element[] = []
  for (let r = 0; r < shown; r += 16) {
    const cells: JSX.Element[] = []
    for (let i = r; i < Math.min(r + 16, shown); i++) {
      const sel = !!range && i >= range[0] && i < range[1]
      cells.push(
        <span key={i} className={`ly-b ly-b-${layerOf(i)}${sel ? ' sel' : ''}`} data-testid="layer-byte" data-i={i} data-selected={String(sel)} onClick={() => onByte(i)}>
          {HEX[stack.frame[i]]}
        </span>
      )
    }
    rows.push(
      <div key={r} className="ly-hex-row">
        <span className="ly-off mono">{r.toString(16).padStart(4, '0')}</span>
        {cells}
      </div>
    )
  }
  return (
    <div className="ly-hex mono" data-testid="layers-hex">
      {rows}
      {stack.frame.length > shown ? <div className="muted">… {stack.frame.length - shown} more</div> : null}
    </div>
  )
}

/** Which stack to show for a PDU: captured when there is a frame (on loopback), else rebuilt. */
export function stackFor(events: readonly LabEvent[], pdu: PduEvent, open: ConnOpenEvent | undefined, link: LinkKind): { stack: LayerStack | null; why?: Localized } {
  if (!open) return { stack: null, why: S.noConn }
  const frame = capturedFrameFor(events, pdu)
  if (frame && link === 'loopback') return { stack: capturedStack(frame, pdu) }
  const r = reconstructStack({ open, pdu, link, numbers: tcpNumbersAt(events, pdu) })
  return r.ok ? { stack: r.stack } : { stack: null, why: S.notOnWire }
}

export function LayersPanel({ pdu, events }: { pdu: PduEvent; events: readonly LabEvent[] }): JSX.Element {
  const loc = useLocalized()
  const locale = useLab((s) => (s.lang === 'pt' ? 'pt-BR' : 'en'))
  const [link, setLink] = useState<LinkKind>('loopback')
  const [picked, setPicked] = useState<string | null>(null)
  const open = useLab.getState().conns.get(pdu.conn)
  const { stack, why } = useMemo(() => stackFor(events, pdu, open, link), [events, pdu, open, link])
  if (!stack) return <div className="ly-empty" data-testid="layers-none">{loc(why)}</div>
  // `picked` is "<layer index>.<path in its fields>".
  const pickedField = ((): Field | null => {
    if (!picked) return null
    const [li, ...rest] = picked.split('.').map(Number)
    return fieldAt(stack.layers[li]?.fields ?? [], rest)
  })()
  const pick = (li: number, path: string, f: Field): void => {
    setPicked(`${li}.${path}`)
    const layer = stack.layers[li]
    if (layer.id === 'app') {
      // The same field in the byte inspector (its ranges there start at the PDU's first byte).
      const p = path.split('.').map(Number)
      if (fieldAt(pdu.fields, p)) useLab.getState().select(pdu.seq, p)
    }
    void f
  }
  const onByte = (i: number): void => {
    const li = stack.layers.findLastIndex((l) => i >= l.start && i < l.end)
    if (li < 0) return
    const p = deepestAt(stack.layers[li].fields, i)
    if (p) pick(li, p.join('.'), fieldAt(stack.layers[li].fields, p)!)
  }
  const loopback = stack.link === 'loopback'
  return (
    <div className="layers-panel" data-testid="layers-panel" data-source={stack.source} data-link={stack.link} data-pdu={pdu.seq}>
      <div className="ly-top">
        <span className={`ly-source badge ${stack.source === 'captured' ? 'captured' : 'modeled'}`} data-testid="layers-source">
          {loc(stack.source === 'captured' ? S.captured : S.reconstructed)}
        </span>
        <div className="ly-links" role="group">
          {(['loopback', 'ethernet'] as const).map((k) => (
            <button key={k} className={link === k ? 'on' : ''} data-testid={`layers-link-${k}`} onClick={() => setLink(k)}>
              {loc(k === 'loopback' ? S.loopback : S.ethernet)}
            </button>
          ))}
        </div>
        <CaptureSwitch />
      </div>
      {stack.source === 'reconstructed' ? <div className="ly-why muted">{loc(S.reconstructedWhy)}</div> : null}
      <div className="ly-body">
        <div className="ly-left">
          <Onion key={`${pdu.seq}-${link}`} stack={stack} />
          <ul className="ly-quirks">
            {loopback ? (
              <>
                <li>{loc(S.quirkMac)}</li>
                {stack.transport === 'tcp' ? <li>{loc(S.quirkMss, { loopbackMss: LOOPBACK_MSS.toLocaleString(locale), ethernetMss: ETHERNET_MSS.toLocaleString(locale) })}</li> : null}
              </>
            ) : (
              <li>{loc(S.quirkEth)}</li>
            )}
            {stack.transport === 'tcp' && pdu.data.length > 0 ? (
              <li data-testid="layers-segments" data-segments={stack.segments}>
                {pdu.data.length.toLocaleString(locale)} {loc(S.bytes)}:{' '}
                {stack.segments > 1 ? `${stack.segments} ${loc(S.segments)} ${stack.mss.toLocaleString(locale)} ${loc(S.bytes)}` : loc(S.oneSegment)}
              </li>
            ) : null}
          </ul>
        </div>
        <div className="ly-right">
          <div className="ly-fields" data-testid="layers-fields">
            {stack.layers.map((l, li) => (
              <div key={li} className={`ly-layer ly-${l.id}`}>
                {l.fields.map((f, i) => (
                  <FieldRow key={i} f={f} path={`${i}`} picked={picked?.startsWith(`${li}.`) ? picked.slice(String(li).length + 1) : null} onPick={(p, ff) => pick(li, p, ff)} />
                ))}
              </div>
            ))}
          </div>
          <FrameHex stack={stack} range={pickedField ? [pickedField.start, pickedField.end] : null} onByte={onByte} />
          {pickedField ? (
            <div className="ly-status" data-testid="layers-status">
              <b>{pickedField.name}</b>: <span className="mono">{pickedField.value}</span> ·{' '}
              <span className="muted">
                {loc(S.range)} {pickedField.start}–{pickedField.end - 1}
                {pickedField.id ? ` · ${pickedField.id}` : ''}
                {pickedField.modeled ? ` · ${loc(S.modeledField)}` : ''}
              </span>
            </div>
          ) : null}
        </div>
      </div>
    </div>
  )
}
