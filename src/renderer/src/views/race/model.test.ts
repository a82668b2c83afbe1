// The race from a real run of the http-race lesson: every resource on both sides, HTTP/1.1 on
// its few connections and HTTP/2 on one, the shared time axis and the winner.
import { beforeAll, describe, expect, it } from 'vitest'
import type { LabEvent } from '@shared/events'
import { recordLesson } from '../lesson-test-support'
import { buildRace, drawnRows, raceSpan, raceWinner, type RaceModel } from './model'

let events: LabEvent[] = []
beforeAll(async () => {
  events = await recordLesson('http-race', ['race'], { count: 8, size: 500, delay: 5, connections: 2 })
})

describe('race model', () => {
  it('has every resource on both sides, finished', () => {
    const m = buildRace(events)
    expect(m.finished).toBe(true)
    for (const side of [m.h1, m.h2]) {
      expect(side.rows).toHaveLength(8)
      expect(side.done).toBe(true)
      expect(side.ms).toBeGreaterThan(0)
      expect(side.rows.every((r) => r.end !== null && r.end >= r.start && !r.failed)).toBe(true)
    }
    expect(m.h1.connections).toBe(2)
    expect(m.h2.connections).toBe(1)
    expect(new Set(m.h1.rows.map((r) => r.lane))).toEqual(new Set([1, 2]))
  })

  it('draws rows by start time, then by path with numbers in order', () => {
    const rows = drawnRows(buildRace(events).h2)
    for (let i = 1; i < rows.length; i++) expect(rows[i].start).toBeGreaterThanOrEqual(rows[i - 1].start)
    const tie = drawnRows({
      ...buildRace(events).h2,
      rows: ['/tiles/10', '/tiles/9', '/tiles/1'].map((path) => ({
        path,
        lane: 1,
        start: 0,
        end: 1,
        failed: false
      }))
    })
    expect(tie.map((r) => r.path)).toEqual(['/tiles/1', '/tiles/9', '/tiles/10'])
  })

  it('puts both sides on one rounded axis that reaches the slower end, and names the winner', () => {
    const m = buildRace(events)
    const slower = Math.max(m.h1.ms!, m.h2.ms!)
    expect(raceSpan(m)).toBeGreaterThanOrEqual(Math.max(10, slower))
    expect(raceWinner(m)).toBe(m.h1.ms! < m.h2.ms! ? 'h1' : 'h2')
    const tied: RaceModel = { ...m, h1: { ...m.h1, ms: 5 }, h2: { ...m.h2, ms: 5 } }
    expect(raceWinner(tied)).toBe('h2')
    expect(raceWinner({ ...m, h1: { ...m.h1, ms: null } })).toBeNull()
    expect(buildRace([]).started).toBeNull()
  })
})
