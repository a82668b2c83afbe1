import { describe, expect, it } from 'vitest'
import { Session } from './session'
import { Batcher } from './batcher'
import { fromWire, isSessionFile } from '../../../shared/wire'
import type { EventBatch } from '../../../shared/api'

describe('Session', () => {
  it('numbers events from 1 without gaps, stamps time, and notifies subscribers in order', () => {
    const s = new Session()
    const seen: number[] = []
    s.subscribe((e) => seen.push(e.seq))
    s.append({ kind: 'note', key: 'a', text: { en: 'a', pt: 'a' } })
    s.append({ kind: 'bytes', conn: 'c1', dir: 'c2s', offset: 0, data: new Uint8Array([1, 2, 3]) })
    s.append({ kind: 'note', key: 'b', text: { en: 'b', pt: 'b' }, t: 42 })
    expect(s.events.map((e) => e.seq)).toEqual([1, 2, 3])
    expect(seen).toEqual([1, 2, 3])
    expect(s.events[2].t).toBe(42)
    expect(s.events[0].t).toBeGreaterThan(1.6e12)
    expect(s.events[1].t).toBeGreaterThanOrEqual(s.events[0].t)
  })

  it('keeps appending when a listener throws', () => {
    const s = new Session()
    const err = console.error
    console.error = () => undefined
    s.subscribe(() => {
      throw new Error('boom')
    })
    const got: number[] = []
    s.subscribe((e) => got.push(e.seq))
    s.append({ kind: 'note', key: 'x', text: { en: 'x', pt: 'x' } })
    console.error = err
    expect(got).toEqual([1])
    expect(s.size).toBe(1)
  })

  it('round-trips through a session file with bytes as base64', () => {
    const s = new Session()
    const data = new Uint8Array(256).map((_, i) => i)
    s.append({ kind: 'bytes', conn: 'c1', dir: 's2c', offset: 7, data })
    const file = JSON.parse(JSON.stringify(s.toFile('tcp-udp-echo'))) as unknown
    expect(isSessionFile(file)).toBe(true)
    if (!isSessionFile(file)) return
    expect(file.scene).toBe('tcp-udp-echo')
    const back = fromWire(file.events[0])
    expect(back.kind).toBe('bytes')
    if (back.kind === 'bytes') expect(Array.from(back.data)).toEqual(Array.from(data))
  })
})

describe('Batcher', () => {
  it('delivers every event in order in few batches, and counts drops beyond its bound', async () => {
    const batches: EventBatch[] = []
    const b = new Batcher((batch) => batches.push(batch), { intervalMs: 5, maxPending: 1000 })
    const s = new Session()
    s.subscribe((e) => b.push(e))
    for (let i = 0; i < 1500; i++) s.append({ kind: 'note', key: String(i), text: { en: '', pt: '' } })
    await new Promise((r) => setTimeout(r, 30))
    const seqs = batches.flatMap((x) => x.events.map((e) => e.seq))
    expect(seqs).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1))
    expect(batches.at(-1)?.dropped).toBe(500)
    expect(batches.length).toBe(1)
    b.close()
  })

  it('splits a large backlog into bounded batches, in order', async () => {
    const batches: EventBatch[] = []
    const b = new Batcher((batch) => batches.push(batch), { intervalMs: 2, maxBatch: 400 })
    const s = new Session()
    s.subscribe((e) => b.push(e))
    for (let i = 0; i < 1000; i++) s.append({ kind: 'note', key: String(i), text: { en: '', pt: '' } })
    await new Promise((r) => setTimeout(r, 20))
    expect(batches.map((x) => x.events.length)).toEqual([400, 400, 200])
    expect(batches.flatMap((x) => x.events.map((e) => e.seq))).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1))
    b.close()
  })

  it('holds events while the transport is congested and sends them when it is ready', async () => {
    let ready = false
    const batches: EventBatch[] = []
    const b = new Batcher((batch) => batches.push(batch), { intervalMs: 2, ready: () => ready })
    const s = new Session()
    s.subscribe((e) => b.push(e))
    s.append({ kind: 'note', key: 'x', text: { en: '', pt: '' } })
    await new Promise((r) => setTimeout(r, 20))
    expect(batches).toHaveLength(0)
    ready = true
    await new Promise((r) => setTimeout(r, 20))
    expect(batches).toHaveLength(1)
    expect(batches[0].dropped).toBe(0)
    b.close()
  })
})
