// "Network conditions": latency, jitter, bandwidth and (for UDP) loss, duplication and reordering
// imposed by every tap on the real traffic, and "cut the connections now". The engine logs each
// change and marks every unit it delays, drops or doubles, so the diagram shows it.
import { useEffect, useState, type JSX } from 'react'
import { NO_FAULTS, describeFaults, faultsActive, type FaultSettings } from '@shared/faults'
import { api } from '../bridge'
import { useLocalized } from '../i18n'
import S from './strings.json'

type Field = 'latencyC2S' | 'latencyS2C' | 'jitterMs' | 'bandwidthKbps' | 'lossPct' | 'duplicatePct' | 'reorderPct'

const toForm = (f: FaultSettings): Record<Field, number> => ({
  latencyC2S: f.latencyMs.c2s,
  latencyS2C: f.latencyMs.s2c,
  jitterMs: f.jitterMs,
  bandwidthKbps: f.bandwidthKbps,
  lossPct: f.lossPct,
  duplicatePct: f.duplicatePct,
  reorderPct: f.reorderPct
})

const FIELDS: { id: Field; max: number; step: number; unit: string }[] = [
  { id: 'latencyC2S', max: 10_000, step: 10, unit: 'ms' },
  { id: 'latencyS2C', max: 10_000, step: 10, unit: 'ms' },
  { id: 'jitterMs', max: 10_000, step: 10, unit: 'ms' },
  { id: 'bandwidthKbps', max: 1_000_000, step: 8, unit: 'kbit/s' },
  { id: 'lossPct', max: 100, step: 5, unit: '%' },
  { id: 'duplicatePct', max: 100, step: 5, unit: '%' },
  { id: 'reorderPct', max: 100, step: 5, unit: '%' }
]

export function NetworkConditions({ running }: { running: boolean }): JSX.Element {
  const loc = useLocalized()
  const [current, setCurrent] = useState<FaultSettings>(NO_FAULTS)
  const [form, setForm] = useState(toForm(NO_FAULTS))
  const [error, setError] = useState<string | null>(null)
  const [cut, setCut] = useState<number | null>(null)

  useEffect(() => {
    void api['net:faults']({}).then((f) => {
      setCurrent(f)
      setForm(toForm(f))
    }, () => undefined)
  }, [])

  const apply = async (next: Record<Field, number>): Promise<void> => {
    setError(null)
    try {
      const f = await api['net:faults']({
        set: {
          latencyMs: { c2s: next.latencyC2S, s2c: next.latencyS2C },
          jitterMs: next.jitterMs,
          bandwidthKbps: next.bandwidthKbps,
          lossPct: next.lossPct,
          duplicatePct: next.duplicatePct,
          reorderPct: next.reorderPct
        }
      })
      setCurrent(f)
      setForm(toForm(f))
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e))
    }
  }

  const active = faultsActive(current)
  return (
    <details className={`netcond${active ? ' active' : ''}`} data-testid="network-conditions" open={active || undefined}>
      <summary>
        <span>{loc(S.net.title)}</span>
        {active ? (
          <span className="netcond-badge" data-testid="network-active">
            {loc(S.net.active)}
          </span>
        ) : null}
      </summary>
      <p className="help" data-testid="network-summary">
        {loc(describeFaults(current))}
      </p>
      <div className="netcond-grid">
        {FIELDS.map((f) => (
          <label key={f.id} className="netcond-field">
            <span>{loc(S.net.field[f.id])}</span>
            <span className="netcond-input">
              <input
                type="number"
                min={0}
                max={f.max}
                step={f.step}
                value={form[f.id]}
                data-testid={`net-${f.id}`}
                onChange={(e) => setForm({ ...form, [f.id]: Math.max(0, Number(e.target.value) || 0) })}
              />
              <span className="unit">{f.unit}</span>
            </span>
          </label>
        ))}
      </div>
      <p className="help">{loc(S.net.udpOnly)}</p>
      <div className="netcond-buttons">
        <button className="btn" data-testid="net-apply" onClick={() => void apply(form)}>
          {loc(S.net.apply)}
        </button>
        <button className="btn ghost" data-testid="net-reset" onClick={() => void apply(toForm(NO_FAULTS))} disabled={!active}>
          {loc(S.net.reset)}
        </button>
        <button
          className="btn ghost danger"
          data-testid="net-cut"
          disabled={!running}
          title={loc(S.net.cutHelp)}
          onClick={() => void api['net:cut'](null).then((r) => setCut(r.cut), (e: unknown) => setError(String(e)))}
        >
          {loc(S.net.cut)}
        </button>
      </div>
      {cut !== null ? (
        <p className="help" data-testid="net-cut-result">
          {loc(S.net.cutDone, { count: cut })}
        </p>
      ) : null}
      {error ? (
        <div className="error" role="alert">
          {error}
        </div>
      ) : null}
    </details>
  )
}
