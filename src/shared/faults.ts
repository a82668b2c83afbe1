// Network conditions a tap can impose on the real traffic it relays, so a class can see what a
// slow or lossy network does: latency and jitter per direction, a bandwidth limit, and for UDP loss,
// duplication and reordering. Every unit a fault touches is logged (`fault` events): nothing is
// altered silently.
import type { Localized } from './events'

export interface FaultSettings {
  /** Added one-way delay, per direction (ms). */
  latencyMs: { c2s: number; s2c: number }
  /** Random extra delay, 0..jitterMs, per unit (ms). TCP keeps its order; UDP may not. */
  jitterMs: number
  /** Bandwidth limit per connection and direction, in kilobits per second; 0 = none. */
  bandwidthKbps: number
  /** UDP only: share of datagrams dropped (0–100). */
  lossPct: number
  /** UDP only: share of datagrams delivered twice (0–100). */
  duplicatePct: number
  /** UDP only: share of datagrams held back and delivered after the next one (0–100). */
  reorderPct: number
}

export const NO_FAULTS: FaultSettings = {
  latencyMs: { c2s: 0, s2c: 0 },
  jitterMs: 0,
  bandwidthKbps: 0,
  lossPct: 0,
  duplicatePct: 0,
  reorderPct: 0
}

export const FAULT_LIMITS = {
  latencyMs: 10_000,
  jitterMs: 10_000,
  bandwidthKbps: 1_000_000
} as const

export function faultsActive(f: FaultSettings): boolean {
  return (
    f.latencyMs.c2s > 0 ||
    f.latencyMs.s2c > 0 ||
    f.jitterMs > 0 ||
    f.bandwidthKbps > 0 ||
    f.lossPct > 0 ||
    f.duplicatePct > 0 ||
    f.reorderPct > 0
  )
}

const num = (v: unknown, what: string, min: number, max: number): number => {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v
  if (typeof n !== 'number' || !Number.isFinite(n)) throw new Error(`${what}: expected a number`)
  if (n < min || n > max) throw new Error(`${what}: must be between ${min} and ${max}`)
  return n
}

/**
 * Checks and completes settings that arrive from the UI, the CLI or a saved file: unknown keys
 * are refused, missing ones keep their current value.
 */
export function parseFaults(input: unknown, base: FaultSettings = NO_FAULTS): FaultSettings {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new Error('network conditions must be an object')
  const o = input as Record<string, unknown>
  const known = ['latencyMs', 'jitterMs', 'bandwidthKbps', 'lossPct', 'duplicatePct', 'reorderPct']
  const unknown = Object.keys(o).filter((k) => !known.includes(k))
  if (unknown.length) throw new Error(`unknown network condition${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`)
  const out: FaultSettings = { ...base, latencyMs: { ...base.latencyMs } }
  if (o.latencyMs !== undefined) {
    if (typeof o.latencyMs === 'object' && o.latencyMs !== null) {
      const l = o.latencyMs as Record<string, unknown>
      if (l.c2s !== undefined) out.latencyMs.c2s = num(l.c2s, 'latency (client → server)', 0, FAULT_LIMITS.latencyMs)
      if (l.s2c !== undefined) out.latencyMs.s2c = num(l.s2c, 'latency (server → client)', 0, FAULT_LIMITS.latencyMs)
    } else {
      const both = num(o.latencyMs, 'latency', 0, FAULT_LIMITS.latencyMs)
      out.latencyMs = { c2s: both, s2c: both }
    }
  }
  if (o.jitterMs !== undefined) out.jitterMs = num(o.jitterMs, 'jitter', 0, FAULT_LIMITS.jitterMs)
  if (o.bandwidthKbps !== undefined) out.bandwidthKbps = num(o.bandwidthKbps, 'bandwidth', 0, FAULT_LIMITS.bandwidthKbps)
  if (o.lossPct !== undefined) out.lossPct = num(o.lossPct, 'loss', 0, 100)
  if (o.duplicatePct !== undefined) out.duplicatePct = num(o.duplicatePct, 'duplication', 0, 100)
  if (o.reorderPct !== undefined) out.reorderPct = num(o.reorderPct, 'reordering', 0, 100)
  return out
}

/** One line for people: what the taps are doing to the traffic now. */
export function describeFaults(f: FaultSettings): Localized {
  if (!faultsActive(f)) return { en: 'Network conditions: none (traffic relayed as it comes).', pt: 'Condições de rede: nenhuma (tráfego repassado como chega).' }
  const en: string[] = []
  const pt: string[] = []
  const { c2s, s2c } = f.latencyMs
  if (c2s || s2c) {
    if (c2s === s2c) {
      en.push(`+${c2s} ms latency each way`)
      pt.push(`+${c2s} ms de latência em cada sentido`)
    } else {
      en.push(`+${c2s} ms latency client → server, +${s2c} ms server → client`)
      pt.push(`+${c2s} ms de latência cliente → servidor, +${s2c} ms servidor → cliente`)
    }
  }
  if (f.jitterMs) {
    en.push(`up to ${f.jitterMs} ms jitter`)
    pt.push(`até ${f.jitterMs} ms de variação (jitter)`)
  }
  if (f.bandwidthKbps) {
    en.push(`${f.bandwidthKbps} kbit/s per connection`)
    pt.push(`${f.bandwidthKbps} kbit/s por conexão`)
  }
  if (f.lossPct) {
    en.push(`${f.lossPct}% of UDP datagrams lost`)
    pt.push(`${f.lossPct}% dos datagramas UDP perdidos`)
  }
  if (f.duplicatePct) {
    en.push(`${f.duplicatePct}% duplicated`)
    pt.push(`${f.duplicatePct}% duplicados`)
  }
  if (f.reorderPct) {
    en.push(`${f.reorderPct}% reordered`)
    pt.push(`${f.reorderPct}% fora de ordem`)
  }
  return { en: `Network conditions: ${en.join(', ')}.`, pt: `Condições de rede: ${pt.join(', ')}.` }
}
