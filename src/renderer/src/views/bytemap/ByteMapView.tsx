// The byte map: each Parquet object as a bar of its bytes, with its structure (magic, row groups,
// column chunks, footer) from the footer decoded on the wire, and every ranged GET painted onto
// the bytes it fetched as the playback reaches it. Column pruning shows as the parts that stay
// faint: those bytes never crossed the wire. Totals compare bytes fetched with the objects' size.
import { useMemo, type JSX } from 'react'
import { formatBytes, partsOf } from '@shared/protocols/s3'
import { useLocalized } from '../../i18n'
import { useLab } from '../../store'
import type { ViewProps } from '../view-props'
import { useRunEvents } from '../run-events'
import { EmptyView } from '../EmptyView'
import S from './strings.json'
import { buildS3Model, isOp, latestStep, type MapObject } from './model'
import { FOOTER_COLOR, columnColor, kindColor } from './palette'
import './bytemap.css'


const pct = (a: number, b: number): string => `${((100 * a) / Math.max(1, b)).toFixed(1)}%`

function select(seq: number | undefined): void {
  if (seq !== undefined) useLab.getState().select(seq)
}

function ObjectBar({ o, columns, fresh }: { o: MapObject; columns: string[]; fresh: number }): JSX.Element {
  const loc = useLocalized()
  const size = o.size ?? Math.max(1, ...o.requests.map((r) => (r.last ?? 0) + 1))
  const x = (b: number): number => (100 * b) / size
  const w = (a: number, b: number): number => Math.max(0.35, x(b) - x(a))
  const parts = o.layout ? partsOf(o.layout) : []
  // Ranges that overlap (the footer read also holds the end of the last column chunk) get rows of their own.
  const fetches = o.requests
    .filter((r) => r.first !== undefined && r.last !== undefined)
    .sort((a, b) => a.first! - b.first! || a.reqSeq - b.reqSeq)
  const rowEnds: number[] = []
  const rowOf = new Map<number, number>()
  for (const r of fetches) {
    let row = rowEnds.findIndex((end) => end <= r.first!)
    if (row < 0) row = rowEnds.push(0) - 1
    rowEnds[row] = r.last! + 1
    rowOf.set(r.reqSeq, row)
  }
  const rows = Math.max(1, rowEnds.length)
  const fetchH = Math.max(12, Math.floor(34 / rows))
  return (
    <div
      className="bm-obj"
      data-testid="bytemap-object"
      data-key={o.key}
      data-size={o.size ?? ''}
      data-fetched={o.fetched}
    >
      <div className="bm-name">
        <span className="mono">{o.key}</span>
        <span className="muted">
          {o.size ? formatBytes(o.size) : '…'} · {formatBytes(o.fetched)} {loc(S.fetched)} (
          {pct(o.fetched, size)})
        </span>
      </div>
      <svg className="bm-svg" width="100%" height={64 + rows * (fetchH + 2)} role="img">
        {parts.length === 0 ? (
          <text x="0.5%" y={22} className="bm-hint">
            {loc(S.waiting)}
          </text>
        ) : null}
        {parts.map((p, i) => {
          const color =
            p.kind === 'chunk'
              ? columnColor(columns, p.column)
              : p.kind === 'footer'
                ? FOOTER_COLOR
                : 'var(--muted)'
          const label =
            p.kind === 'chunk'
              ? p.column
              : p.kind === 'footer'
                ? loc(S.footer)
                : p.kind === 'magic'
                  ? 'PAR1'
                  : ''
          return (
            <g key={i}>
              <rect
                x={`${x(p.start)}%`}
                y={4}
                width={`${w(p.start, p.end)}%`}
                height={34}
                fill={color}
                opacity={0.22}
                className="bm-part"
                data-kind={p.kind}
              >
                <title>{`${label} · bytes ${p.start}–${p.end - 1} (${formatBytes(p.end - p.start)})${p.kind === 'chunk' ? ` · ${loc(S.rg)} ${p.rowGroup}` : ''}`}</title>
              </rect>
              {w(p.start, p.end) > 7 && label ? (
                <text x={`${x(p.start) + 0.4}%`} y={26} className="bm-label">
                  {label}
                </text>
              ) : null}
            </g>
          )
        })}
        {o.layout?.rowGroups.map((rg, i) => {
          const start = Math.min(...rg.columns.map((c) => c.start))
          return (
            <g key={`rg${i}`}>
              <line
                x1={`${x(start)}%`}
                x2={`${x(start)}%`}
                y1={0}
                y2={60 + rows * (fetchH + 2)}
                className="bm-rg"
              />
              <text x={`${x(start) + 0.3}%`} y={60 + rows * (fetchH + 2)} className="bm-rg-label">
                RG{i}
              </text>
            </g>
          )
        })}
        {fetches.map((r) => {
          const a = r.first!
          const b = r.last! + 1
          const got = r.status === 206 || r.status === 200
          return (
            <rect
              key={r.reqSeq}
              x={`${x(a)}%`}
              y={42 + (rowOf.get(r.reqSeq) ?? 0) * (fetchH + 2)}
              width={`${w(a, b)}%`}
              height={fetchH}
              className={`bm-fetch${got ? ' got' : r.status ? ' refused' : ' pending'}${r.resSeq !== undefined && r.resSeq >= fresh ? ' fresh' : ''}`}
              fill={got ? kindColor(columns, r.kind) : 'none'}
              data-testid="bytemap-fetch"
              data-first={a}
              data-last={b - 1}
              data-status={r.status ?? ''}
              data-kind={r.kind}
              data-conn={r.conn}
              onClick={() => select(r.resSeq ?? r.reqSeq)}
            >
              <title>{`Range: bytes=${a}-${b - 1} → ${r.status ?? '…'}${r.error ? ` ${r.error}` : ''} · ${r.kind} · ${formatBytes(b - a)}`}</title>
            </rect>
          )
        })}
      </svg>
    </div>
  )
}

function Multipart({ u }: { u: ReturnType<typeof buildS3Model>['multipart'][number] }): JSX.Element {
  const loc = useLocalized()
  const parts = [...u.parts].sort((a, b) => (a.partNumber ?? 0) - (b.partNumber ?? 0))
  return (
    <div className="bm-mp" data-testid="bytemap-multipart" data-parts={parts.length} data-etag={u.etag ?? ''}>
      <div className="bm-name">
        <b>{loc(S.multipart)}</b> <span className="mono">{u.key}</span>
      </div>
      <div className="bm-mp-parts">
        {parts.map((p) => (
          <button
            key={p.reqSeq}
            className={`bm-mp-part${p.status === 200 ? ' done' : ''}`}
            data-conn={p.conn}
            onClick={() => select(p.resSeq ?? p.reqSeq)}
          >
            <b>
              {loc(S.part)} {p.partNumber}
            </b>
            <span className="mono">{p.etag ?? '…'}</span>
          </button>
        ))}
        <div className="bm-mp-etag" data-testid="bytemap-etag">
          {loc(S.done)} <b className="mono">{u.etag ?? '…'}</b>
        </div>
      </div>
    </div>
  )
}

export function ByteMapView(_props: ViewProps): JSX.Element {
  const loc = useLocalized()
  const run = useRunEvents()
  // The latest read, and the latest upload: each action starts at its checkpoint question.
  const m = useMemo(() => {
    const reads = buildS3Model(latestStep(run.events, isOp('GetObject', 'ListObjectsV2')))
    const writes = buildS3Model(latestStep(run.events, isOp('CreateMultipartUpload', 'UploadPart')))
    return { ...reads, multipart: writes.multipart }
  }, [run])
  if (m.objects.length === 0 && m.multipart.length === 0)
    return <EmptyView view="bytemap" text={S.empty} />
  const lastRes = Math.max(0, ...m.objects.flatMap((o) => o.requests.map((r) => r.resSeq ?? 0)))
  return (
    <div className="bytemap" data-testid="view-bytemap">
      <div
        className="bm-totals"
        data-testid="bytemap-totals"
        data-fetched={m.fetched}
        data-total={m.total}
        data-gets={m.requests}
      >
        <span className="bm-big">{formatBytes(m.fetched)}</span>
        <span className="bm-of">
          {loc(S.fetched)} {loc(S.of)} {formatBytes(m.total)}
        </span>
        <span className="bm-pct">{pct(m.fetched, m.total)}</span>
        <span className="muted">
          {m.requests} {loc(S.gets)}
          {m.injected ? ` · ${m.injected} ${loc(S.throttled)}` : ''}
          {m.retries ? ` · ${m.retries} ${loc(S.retries)}` : ''}
        </span>
      </div>
      {m.columns.length ? (
        <div className="bm-legend">
          {m.columns.map((c) => {
            const read = m.columnsRead.includes(c)
            return (
              <span
                key={c}
                className={`bm-chip${read ? ' read' : ''}`}
                data-testid="bytemap-column"
                data-column={c}
                data-read={String(read)}
              >
                <i style={{ background: columnColor(m.columns, c) }} />
                {/* The file's own column name (Portuguese "data" is a date): never translated. */}
                <span translate="no">{c}</span> <small>{read ? loc(S.read) : loc(S.skipped)}</small>
              </span>
            )
          })}
          <span className="bm-chip read">
            <i style={{ background: FOOTER_COLOR }} />
            {loc(S.footer)}
          </span>
        </div>
      ) : null}
      <div className="bm-objects">
        {m.objects.map((o) => (
          <ObjectBar key={o.key} o={o} columns={m.columns} fresh={lastRes - 2} />
        ))}
        {m.multipart.map((u) => (
          <Multipart key={u.key} u={u} />
        ))}
      </div>
    </div>
  )
}
