// The port ruler's model, pure: the ports a run placed (servers, clients' ephemeral ports, the
// course's conventions) read from its samples, where each sits on the ruler, and which row each
// label takes so that nearby ports' labels never overlap.
import type { LabEvent, Localized } from '@shared/events'

export interface PortRow {
  port: number
  transport: string
  role: 'server' | 'client' | 'course'
  range: string
  iana: string
  ianaDescription: string
  label: Localized
  note: Localized
}

export interface RulerModel {
  ports: PortRow[]
  ephemeral?: { from: number; to: number; source: string }
}

export function buildRuler(events: readonly LabEvent[]): RulerModel {
  const ports = new Map<string, PortRow>()
  let ephemeral: RulerModel['ephemeral']
  for (const e of events) {
    if (e.kind !== 'sample') continue
    if (e.series === 'ephemeral-range') ephemeral = { from: Number(e.values.from), to: Number(e.values.to), source: e.source }
    if (e.series === 'port-info') {
      const v = e.values
      ports.set(e.subject, {
        port: Number(v.port),
        transport: String(v.transport),
        role: v.role as PortRow['role'],
        range: String(v.range),
        iana: String(v.iana ?? ''),
        ianaDescription: String(v.ianaDescription ?? ''),
        label: { en: String(v.label ?? ''), pt: String(v.labelPt ?? v.label ?? '') },
        note: { en: String(v.note ?? ''), pt: String(v.notePt ?? v.note ?? '') }
      })
    }
  }
  return { ports: [...ports.values()].sort((a, b) => a.port - b.port), ...(ephemeral ? { ephemeral } : {}) }
}

/** Piecewise-linear: the system range gets 12% of the width, user 60%, dynamic 28%. */
export function rulerX(port: number): number {
  if (port <= 1023) return (port / 1023) * 12
  if (port <= 49151) return 12 + ((port - 1024) / (49151 - 1024)) * 60
  return 72 + ((port - 49152) / (65535 - 49152)) * 28
}


/**
 * Rows for labels centred at `xs` (in % of a ruler `widthPx` wide), each `labelPx[i]` wide: a label
 * (held inside the ruler near its edges) takes the first row where it does not overlap any label already there (greedy, left to right).
 */
export function labelRows(xs: readonly number[], labelPx: readonly number[], widthPx: number, gapPx = 8): number[] {
  const order = xs.map((_, i) => i).sort((a, b) => xs[a] - xs[b])
  const rowEnds: number[] = []
  const rows = new Array<number>(xs.length).fill(0)
  for (const i of order) {
    // Centred on its port, or held against the ruler's edge (as the view draws it).
    const from = Math.max(0, Math.min(widthPx - labelPx[i], (xs[i] / 100) * widthPx - labelPx[i] / 2))
    let row = rowEnds.findIndex((end) => end + gapPx <= from)
    if (row < 0) row = rowEnds.length
    rowEnds[row] = from + labelPx[i]
    rows[i] = row
  }
  return rows
}
