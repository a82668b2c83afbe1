import { describe, expect, it } from 'vitest'
import { Session } from './session'
import { LogFeed } from './feed'
import { fromWire, isSessionFile } from '../../../shared/wire'
import { parsePacket } from '../../../shared/codec/packet'
import { LogReceiver } from '../../../shared/codec/receiver'

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

describe('LogFeed', () => {
  const decodeAll = (packets: Uint8Array[]): number[] => {
    const r = new LogReceiver()
    const seqs: number[] = []
    for (const p of packets) expect(r.live(p, false, (e) => seqs.push(e.seq)).ok).toBe(true)
    return seqs
  }

  it('delivers every event in order in few packets, and never drops', async () => {
    const packets: Uint8Array[] = []
    const s = new Session({ chunkBytes: 4096 })
    const f = new LogFeed(s, (p) => packets.push(p), { intervalMs: 5 })
    f.follow(1)
    for (let i = 0; i < 1500; i++) s.append({ kind: 'note', key: String(i), text: { en: '', pt: '' } })
    await new Promise((r) => setTimeout(r, 30))
    expect(decodeAll(packets)).toEqual(Array.from({ length: 1500 }, (_, i) => i + 1))
    expect(parsePacket(packets.at(-1)!).info.dropped).toBe(0)
    expect(packets.length).toBe(1)
    f.close()
  })

  /** 1,000 events appended before the feed follows: sent in packets of at most ~8 KiB, 2 KiB chunks. */
  const backlog = async (): Promise<{ packets: Uint8Array[]; f: LogFeed }> => {
    const packets: Uint8Array[] = []
    const s = new Session({ chunkBytes: 2048 })
    const f = new LogFeed(s, (p) => packets.push(p), { intervalMs: 2, maxBytes: 8192 })
    for (let i = 0; i < 1000; i++) s.append({ kind: 'note', key: String(i), text: { en: 'x'.repeat(20), pt: '' } })
    f.follow(1)
    await new Promise((r) => setTimeout(r, 20))
    return { packets, f }
  }

  it('splits a large backlog into bounded packets, in order', async () => {
    const { packets, f } = await backlog()
    expect(packets.length).toBeGreaterThan(3)
    for (const p of packets) expect(p.length).toBeLessThan(8192 + 2048 + 200)
    expect(decodeAll(packets)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1))
    f.close()
  })

  it('a packet decoded one segment at a time gives what decoding it whole gives, and a skipped segment is a gap', async () => {
    const { packets, f } = await backlog()
    const r = new LogReceiver()
    const seqs: number[] = []
    let segments = 0
    for (const p of packets) {
      const opened = r.open(p)
      for (const seg of opened.segments) {
        expect(r.segment(seg, false, (e) => seqs.push(e.seq), opened.context)).toBe(true)
        segments++
      }
    }
    expect(segments).toBeGreaterThan(packets.length)
    expect(seqs).toEqual(decodeAll(packets))
    expect(seqs).toHaveLength(1000)
    // Leaving a segment out: the next one does not continue the stream.
    const again = new LogReceiver()
    const first = again.open(packets[0])
    expect(first.segments.length).toBeGreaterThan(2)
    expect(again.segment(first.segments[0], false, () => undefined, first.context)).toBe(true)
    expect(again.segment(first.segments[2], false, () => undefined, first.context)).toBe(false)
    f.close()
  })

  it('holds back while the transport is congested and sends when it is ready', async () => {
    let ready = false
    const packets: Uint8Array[] = []
    const s = new Session()
    const f = new LogFeed(s, (p) => packets.push(p), { intervalMs: 2, ready: () => ready })
    f.follow(1)
    s.append({ kind: 'note', key: 'x', text: { en: '', pt: '' } })
    await new Promise((r) => setTimeout(r, 20))
    expect(packets).toHaveLength(0)
    ready = true
    await new Promise((r) => setTimeout(r, 20))
    expect(packets).toHaveLength(1)
    f.close()
  })

  it('follows from the middle: the stream starts at that chunk, whole', async () => {
    const packets: Uint8Array[] = []
    const s = new Session({ chunkBytes: 1024 })
    for (let i = 0; i < 500; i++) s.append({ kind: 'note', key: String(i), text: { en: 'y'.repeat(10), pt: '' } })
    const f = new LogFeed(s, (p) => packets.push(p), { intervalMs: 1 })
    const r = f.follow(300)
    expect(r.from).toBeLessThanOrEqual(300)
    expect(r.total).toBe(500)
    await new Promise((res) => setTimeout(res, 10))
    const seqs = decodeAll(packets)
    expect(seqs[0]).toBe(r.from)
    expect(seqs.at(-1)).toBe(500)
    f.close()
  })
})
