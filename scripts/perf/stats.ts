// Small helpers shared by `npm run bench` and `npm run soak`: statistics, flags, machine load.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import os from 'node:os'
import v8 from 'node:v8'
import vm from 'node:vm'

export const median = (xs: number[]): number => {
  if (xs.length === 0) return Number.NaN
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

export const pct = (xs: number[], p: number): number => {
  if (xs.length === 0) return Number.NaN
  const s = Float64Array.from(xs).sort()
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]
}

export const round = (n: number, d = 1): number => (Number.isFinite(n) ? Math.round(n * 10 ** d) / 10 ** d : n)

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

export const log = (line: string): void => void process.stderr.write(line + '\n')

export function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`)
  if (i >= 0) return process.argv[i + 1]
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3)
}

/** The 1, 5 and 15 minute load averages, one decimal. */
export const loadavg = (): number[] => os.loadavg().map((x) => round(x, 1))

/** Least-squares slope of y over x. */
export function slope(xs: number[], ys: number[]): number {
  const n = xs.length
  if (n < 2) return 0
  const mx = xs.reduce((a, b) => a + b, 0) / n
  const my = ys.reduce((a, b) => a + b, 0) / n
  let num = 0
  let den = 0
  for (let i = 0; i < n; i++) {
    num += (xs[i] - mx) * (ys[i] - my)
    den += (xs[i] - mx) ** 2
  }
  return den === 0 ? 0 : num / den
}

/**
 * How fast y grows with x between samples taken at the same level of `ws` (within `tolerance` of
 * each other, at least `minGap` apart in x): the median of those pairs' slopes, or null when no
 * two samples match. Memory that follows a bounded quantity (the renderer's window of events,
 * which fills to a cap and is trimmed back, a saw-tooth) then reads as flat, however the run's
 * ends fall on the saw-tooth; memory that grows still shows in every pair.
 */
export function slopeAtEqual(xs: number[], ws: number[], ys: number[], tolerance = 0.01, minGap = 10): number | null {
  const rates: number[] = []
  for (let i = 0; i < xs.length; i++)
    for (let j = i + 1; j < xs.length; j++)
      if (xs[j] - xs[i] >= minGap && Math.abs(ws[j] - ws[i]) <= tolerance * Math.max(ws[i], ws[j]))
        rates.push((ys[j] - ys[i]) / (xs[j] - xs[i]))
  return rates.length ? median(rates) : null
}

const TICK_US = 1e6 / (Number(String(spawnSync('getconf', ['CLK_TCK']).stdout).trim()) || 100)

/**
 * CPU time (µs) of this process's main thread alone, where the engine runs (process.cpuUsage would
 * add the benchmark's client threads). Linux only; 0 elsewhere.
 */
export function mainThreadCpuUs(): number {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8')
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(f[11]) + Number(f[12])) * TICK_US
  } catch {
    return 0
  }
}

let gcFn: (() => void) | null = null

/** Engine memory after a full GC: the JS heap plus what typed arrays hold outside it (the log's chunks). */
export function engineMemory(): { heapMb: number; arrayBuffersMb: number; totalMb: number; rssMb: number } {
  if (!gcFn) {
    v8.setFlagsFromString('--expose-gc')
    gcFn = vm.runInNewContext('gc') as () => void
  }
  gcFn()
  gcFn()
  const m = process.memoryUsage()
  return {
    heapMb: m.heapUsed / 1e6,
    arrayBuffersMb: m.arrayBuffers / 1e6,
    totalMb: (m.heapUsed + m.arrayBuffers) / 1e6,
    rssMb: m.rss / 1e6
  }
}

/** One row of the table: what was measured against what target, met or missed. */
export interface Target {
  name: string
  target: string
  measured: string
  met: boolean | null
  /** Load average (1, 5, 15 min) when the figure was taken. */
  load: number[]
  /** What the profile shows, or what the figure means when the machine is busy. */
  note?: string
}
