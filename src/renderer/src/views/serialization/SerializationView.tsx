// Serialization comparison: size bars, then each format's bytes as hex cells coloured by the
// logical field that owns them (the same colour for `temperatura` in JSON, Protobuf, Avro…).
// Clicking a byte or a field selects it in the byte inspector; the selection lights the same
// field in every format. A Protobuf tag byte is taken apart: field number << 3 | wire type.
import { useMemo, useState, type JSX } from 'react'
import { max } from 'd3'
import type { Field, PduEvent } from '@shared/events'
import { useLab, useLogVersion, visibleEvents } from '../../store'
import { useLocalized, type Localized } from '../../i18n'
import type { ViewProps } from '../view-props'
import { deepestAt, fieldAt } from '../fields'
import { buildModel, colourSlot, decodeTag, framingBytes, tagOnPath, WIRE_TYPES, type FormatRow } from './model'
import S from './strings.json'
import './serialization.css'

/** What each engine schema variant means, by the PDU's `keys.schema`. */
const SCHEMAS: Record<string, Localized | undefined> = S.schema
const WIRE_HELP: Record<string, Localized | undefined> = S.wireTypes

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

export function SerializationView(_props: ViewProps): JSX.Element {
  const loc = useLocalized()
  const { count, cursor, epoch } = useLogVersion()
  const model = useMemo(() => buildModel(visibleEvents(useLab.getState())), [count, cursor, epoch]) // eslint-disable-line react-hooks/exhaustive-deps
  const selectedSeq = useLab((s) => s.selectedSeq)
  const path = useLab((s) => s.fieldPath)
  const [hoverKey, setHoverKey] = useState<string | null>(null)

  const selectedRow = model.rows.find((r) => r.pdu.seq === selectedSeq) ?? null
  const selField = selectedRow ? fieldAt(selectedRow.pdu.fields, path) : null
  const selKey = selectedRow && path?.length ? selectedRow.keys[path[0]] : null
  const litKey = hoverKey ?? selKey
  const tag = selectedRow ? tagOnPath(selectedRow.pdu, path) : null

  if (!model.rows.length)
    return (
      <div className="ser" data-testid="view-serialization">
        <div className="empty">{loc(S.empty)}</div>
      </div>
    )
  const source = (model.source ?? 'encoder') as keyof typeof S.source
  return (
    <div className="ser" data-testid="view-serialization" data-batch={model.batch ?? ''}>
      <div className="ser-heading">
        <span className="ser-source" data-testid="ser-source" data-source={source}>
          {loc(S.source[source] ?? S.source.encoder)}
        </span>
        <span className="muted">{loc(S.clickHint)}</span>
      </div>
      <SizeBars rows={model.rows} selected={selectedSeq} />
      <div className="ser-rows">
        {model.rows.map((r) => (
          <FormatLayout
            key={r.pdu.seq}
            row={r}
            selected={r.pdu.seq === selectedSeq ? selField : null}
            litKey={litKey}
            onHoverKey={setHoverKey}
          />
        ))}
      </div>
      {tag && selectedRow ? <TagExplain pdu={selectedRow.pdu} tag={tag} /> : null}
    </div>
  )
}

function SizeBars({ rows, selected }: { rows: FormatRow[]; selected: number | null }): JSX.Element {
  const loc = useLocalized()
  const top = max(rows, (r) => r.size) ?? 1
  return (
    <div className="ser-sizes" data-testid="ser-sizes" aria-label={loc(S.sizes)}>
      {rows.map((r) => (
        <button
          key={r.pdu.seq}
          className={`ser-size${r.pdu.seq === selected ? ' on' : ''}`}
          data-testid={`ser-size-${r.format}`}
          data-size={r.size}
          onClick={() => useLab.getState().select(r.pdu.seq, null)}
          title={r.pdu.summary}
        >
          <span className="ser-size-count">{r.size}</span>
          <span className="ser-size-track">
            <span
              className={`ser-size-bar fmt-${r.format}`}
              style={{ height: `${Math.max(2, (r.size / top) * 100)}%` }}
            />
          </span>
          <span className="ser-size-label">{r.label}</span>
        </button>
      ))}
    </div>
  )
}

function FormatLayout({
  row,
  selected,
  litKey,
  onHoverKey
}: {
  row: FormatRow
  selected: Field | null
  litKey: string | null
  onHoverKey: (k: string | null) => void
}): JSX.Element {
  const loc = useLocalized()
  const { pdu, owner, keys } = row
  const select = (p: number[] | null): void => useLab.getState().select(pdu.seq, p)
  const framing = framingBytes(row)
  const cells: JSX.Element[] = []
  for (let i = 0; i < pdu.data.length; i++) {
    const o = owner[i]
    const key = o >= 0 ? keys[o] : null
    const slot = colourSlot(key)
    const inSel = !!selected && i >= selected.start && i < selected.end
    const lit = !inSel && !!litKey && key === litKey
    cells.push(
      <span
        key={i}
        className={`ser-cell ${slot >= 0 ? `k-${slot}` : 'k-frame'}${inSel ? ' sel' : ''}${lit ? ' lit' : ''}${o >= 0 && pdu.fields[o].malformed ? ' bad' : ''}`}
        data-testid="ser-byte"
        data-i={i}
        data-key={key ?? ''}
        data-sel={inSel ? 'true' : 'false'}
        title={
          o >= 0
            ? `${pdu.fields[o].name}${pdu.fields[o].value ? ` = ${pdu.fields[o].value}` : ''}`
            : undefined
        }
        onMouseEnter={() => onHoverKey(key)}
        onMouseLeave={() => onHoverKey(null)}
        onClick={() => select(deepestAt(pdu.fields, i))}
      >
        {HEX[pdu.data[i]]}
      </span>
    )
  }
  return (
    <section
      className="ser-row"
      data-testid={`ser-row-${row.format}`}
      data-hex={Array.from(pdu.data, (b) => HEX[b]).join('')}
      data-size={row.size}
    >
      <div className="ser-row-head">
        <span className="ser-row-label">{row.label}</span>
        {pdu.keys?.schema ? (
          <span className="ser-row-schema" data-testid="ser-row-schema">
            {SCHEMAS[String(pdu.keys.schema)] ? loc(SCHEMAS[String(pdu.keys.schema)]) : String(pdu.keys.schema)}
          </span>
        ) : null}
        <span className="ser-row-size mono">
          {row.size} {loc(S.bytes)}
        </span>
        <span className="ser-chips">
          {pdu.fields.map((f, i) =>
            keys[i] ? (
              <button
                key={i}
                className={`ser-chip k-${colourSlot(keys[i])}${selected === f ? ' sel' : ''}${f.malformed ? ' bad' : ''}`}
                data-testid="ser-chip"
                data-key={keys[i] ?? ''}
                title={f.malformed ?? `${f.name}${f.value ? ` = ${f.value}` : ''}`}
                onMouseEnter={() => onHoverKey(keys[i])}
                onMouseLeave={() => onHoverKey(null)}
                onClick={() => select([i])}
              >
                {keys[i]} <b>{f.end - f.start}</b>
              </button>
            ) : null
          )}
          <span className="ser-chip k-frame" title={loc(S.framingHelp)}>
            {loc(S.framing)} <b>{framing}</b>
          </span>
        </span>
        {pdu.malformed ? <span className="badge malformed small">{pdu.malformed.reason}</span> : null}
      </div>
      <div className="ser-cells mono">{cells}</div>
    </section>
  )
}

function TagExplain({ pdu, tag }: { pdu: PduEvent; tag: Field }): JSX.Element {
  const loc = useLocalized()
  const bytes = pdu.data.subarray(tag.start, tag.end)
  const { field, wire, value } = decodeTag(bytes)
  const wireName = WIRE_TYPES[wire]
  const owner = pdu.fields.find((f) => tag.start >= f.start && tag.end <= f.end)
  const name = owner?.name.split(' (')[0]
  const single = bytes.length === 1
  const bits = single ? bytes[0].toString(2).padStart(8, '0') : ''
  return (
    <div className="tag-explain" data-testid="tag-explain">
      <div className="tag-title">
        {loc(S.tag.title)} <span className="mono">{Array.from(bytes, (b) => '0x' + HEX[b]).join(' ')}</span>
        {name ? <span className="muted"> · {name}</span> : null}
      </div>
      {single ? (
        <div className="tag-bits mono" aria-label="bits">
          <span className="bit cont" title={loc(S.tag.continuation)}>
            {bits[0]}
          </span>
          <span className="bit fnum">{bits.slice(1, 5)}</span>
          <span className="bit wtype">{bits.slice(5)}</span>
        </div>
      ) : null}
      <div className="tag-parts">
        <div>
          <span className="tag-k fnum">{loc(S.tag.fieldNumber)}</span>
          <span className="mono big" data-testid="tag-field-number">
            {field}
          </span>
          {single ? <span className="muted mono"> = {bits.slice(1, 5)}₂ (bits 6–3)</span> : null}
        </div>
        <div>
          <span className="tag-k wtype">{loc(S.tag.wireType)}</span>
          <span className="mono big" data-testid="tag-wire-type">
            {wire} = {wireName ?? '?'}
          </span>
          {wireName ? <span className="muted"> — {loc(WIRE_HELP[wire])}</span> : null}
        </div>
      </div>
      <div className="tag-formula mono" data-testid="tag-formula">
        ({field} &lt;&lt; 3) | {wire} = {value} = 0x{value.toString(16)}
        <span className="muted"> · {loc(S.tag.formula)}</span>
      </div>
    </div>
  )
}
