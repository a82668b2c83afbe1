// Byte inspector (Wireshark-like): field tree beside hex + ASCII panes, linked both ways.
// Selecting a field highlights its byte range; clicking a byte selects the deepest field holding it.
import { useLayoutEffect, useMemo, useRef, useState, type JSX } from 'react'
import type { Field, PduEvent } from '@shared/events'
import { selectedPdu, useLab, useLogVersion } from '../../store'
import { useLocalized } from '../../i18n'
import C from '../../i18n/common.json'
import S from './strings.json'
import type { ViewProps } from '../view-props'
import { deepestAt, fieldAt } from '../fields'
import { useLayersDrawer } from '../layers/LayersDrawer'
import { ChevronDown, ChevronRight } from 'lucide-react'

const ROW_H = 28

function usePdu(): PduEvent | null {
  const { cursor, epoch } = useLogVersion()
  const seq = useLab((s) => s.selectedSeq)
  return useMemo(() => selectedPdu(useLab.getState()), [seq, cursor, epoch]) // eslint-disable-line react-hooks/exhaustive-deps
}

export function BytesView(_props: ViewProps): JSX.Element {
  const loc = useLocalized()
  const pdu = usePdu()
  const path = useLab((s) => s.fieldPath)
  if (!pdu) {
    return (
      <div className="bytes" data-testid="view-bytes">
        <div className="empty">{loc(S.empty)}</div>
      </div>
    )
  }
  const field = fieldAt(pdu.fields, path)
  return (
    <div className="bytes" data-testid="view-bytes" data-pdu={pdu.seq}>
      <div className="bytes-head">
        <span className={`proto proto-${pdu.protocol}`}>{pdu.protocol.toUpperCase()}</span>
        <span className="bytes-summary" title={pdu.summary}>
          {pdu.summary}
        </span>
        <span className="muted">{loc(S.bytes, { count: pdu.data.length })}</span>
        {pdu.modeled ? <span className="badge modeled">{loc(C.modeled)}</span> : null}
        <button className="bytes-layers" data-testid="open-layers" title={loc(S.layersHint)} onClick={() => useLayersDrawer.getState().set(true)}>
          {loc(S.layers)}
        </button>
        {pdu.malformed ? (
          <span className="badge malformed" data-testid="pdu-malformed">
            {loc(S.malformed)}: {pdu.malformed.reason}
          </span>
        ) : null}
      </div>
      {pdu.modeled ? <div className="modeled-note">{loc(S.modeledNote)}</div> : null}
      <div className="bytes-body">
        <div className="field-tree" data-testid="field-tree" role="tree">
          {pdu.fields.map((f, i) => (
            <FieldNode key={i} field={f} path={[i]} selected={path} />
          ))}
        </div>
        <HexPane data={pdu.data} fields={pdu.fields} range={field ? [field.start, field.end] : null} />
      </div>
      <div className="field-status" data-testid="field-status">
        {field ? (
          <>
            <b>{field.name}</b>
            {field.value ? <span className="mono">: {field.value}</span> : null}
            <span className="muted"> · {loc(S.range, { start: field.start, end: field.end - 1 })}</span>
            {field.id ? <span className="muted mono"> · {field.id}</span> : null}
          </>
        ) : (
          <span className="muted">&nbsp;</span>
        )}
      </div>
    </div>
  )
}

function samePath(a: number[] | null, b: number[]): boolean {
  return !!a && a.length === b.length && a.every((v, i) => v === b[i])
}

function FieldNode({
  field,
  path,
  selected
}: {
  field: Field
  path: number[]
  selected: number[] | null
}): JSX.Element {
  const loc = useLocalized()
  const [open, setOpen] = useState(true)
  const isSel = samePath(selected, path)
  const hasKids = !!field.children?.length
  return (
    <div
      className="field-node"
      role="treeitem"
      aria-expanded={hasKids ? open : undefined}
      aria-selected={isSel}
    >
      <div
        className={`field-row${isSel ? ' selected' : ''}${field.malformed ? ' malformed' : ''}${field.modeled ? ' modeled' : ''}`}
        data-testid="field"
        data-field-id={field.id ?? ''}
        data-path={path.join('.')}
        data-selected={isSel ? 'true' : 'false'}
        onClick={() => useLab.getState().selectField(path)}
      >
        <button
          className="twisty"
          aria-label={open ? loc(S.collapse) : loc(S.expand)}
          tabIndex={-1}
          style={{ visibility: hasKids ? 'visible' : 'hidden' }}
          onClick={(e) => {
            e.stopPropagation()
            setOpen(!open)
          }}
        >
          {open ? <ChevronDown /> : <ChevronRight />}
        </button>
        <span className="field-name">{field.name}</span>
        {field.value !== undefined ? <span className="field-value mono">{field.value}</span> : null}
        {field.modeled && path.length === 1 ? (
          <span className="badge modeled small">{loc(C.modeled)}</span>
        ) : null}
        {field.malformed ? <span className="badge malformed small">{field.malformed}</span> : null}
      </div>
      {hasKids && open ? (
        <div className="field-kids">
          {field.children!.map((c, i) => (
            <FieldNode key={i} field={c} path={[...path, i]} selected={selected} />
          ))}
        </div>
      ) : null}
    </div>
  )
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

function HexPane({
  data,
  fields,
  range
}: {
  data: Uint8Array
  fields: Field[]
  range: [number, number] | null
}): JSX.Element {
  const loc = useLocalized()
  const box = useRef<HTMLDivElement>(null)
  const [size, setSize] = useState({ width: 700, height: 300, top: 0 })
  useLayoutEffect(() => {
    const el = box.current
    if (!el) return
    const ro = new ResizeObserver(() =>
      setSize({ width: el.clientWidth, height: el.clientHeight, top: el.scrollTop })
    )
    ro.observe(el)
    return () => ro.disconnect()
  }, [])
  // Bring the selected range into view.
  useLayoutEffect(() => {
    const el = box.current
    if (!el || !range) return
    const per = size.width >= 760 ? 16 : 8
    const y = Math.floor(range[0] / per) * ROW_H
    if (y < el.scrollTop || y > el.scrollTop + el.clientHeight - ROW_H) el.scrollTop = Math.max(0, y - ROW_H)
  }, [range, size.width])

  const per = size.width >= 760 ? 16 : 8
  const rows = Math.ceil(data.length / per)
  const first = Math.max(0, Math.floor(size.top / ROW_H) - 10)
  const last = Math.min(rows, Math.ceil((size.top + size.height) / ROW_H) + 10)
  const onByte = (i: number): void => useLab.getState().selectField(deepestAt(fields, i))
  const inRange = (i: number): boolean => !!range && i >= range[0] && i < range[1]

  const lines: JSX.Element[] = []
  for (let r = first; r < last; r++) {
    const start = r * per
    const hex: JSX.Element[] = []
    const ascii: JSX.Element[] = []
    for (let i = start; i < Math.min(start + per, data.length); i++) {
      const b = data[i]
      const sel = inRange(i)
      const cls = sel ? 'b sel' : 'b'
      hex.push(
        <span
          key={i}
          className={`${cls}${(i - start) % 8 === 7 ? ' gap' : ''}`}
          data-testid="hex-byte"
          data-i={i}
          data-selected={sel ? 'true' : 'false'}
          onClick={() => onByte(i)}
        >
          {HEX[b]}
        </span>
      )
      ascii.push(
        <span
          key={i}
          className={cls}
          data-testid="ascii-byte"
          data-i={i}
          data-selected={sel ? 'true' : 'false'}
          onClick={() => onByte(i)}
        >
          {b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '·'}
        </span>
      )
    }
    lines.push(
      <div key={r} className="hex-line" style={{ top: r * ROW_H, height: ROW_H }}>
        <span className="off">{start.toString(16).padStart(4, '0')}</span>
        <span className="hex" style={{ width: `${per * 3 + 1}ch` }}>
          {hex}
        </span>
        <span className="ascii">{ascii}</span>
      </div>
    )
  }
  return (
    <div
      className="hex-pane"
      ref={box}
      data-testid="hex-pane"
      onScroll={(e) => setSize({ ...size, top: e.currentTarget.scrollTop })}
      aria-label={`${loc(S.hex)} / ${loc(S.ascii)}`}
    >
      <div style={{ height: rows * ROW_H, position: 'relative' }}>{lines}</div>
    </div>
  )
}
