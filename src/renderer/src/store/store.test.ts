// The renderer store, outside React: ingest merges by seq, playback steps over events of
// interest, the visible helpers respect the cursor, and 100k events stay cheap.
import { beforeEach, describe, expect, it } from 'vitest'
import type { LabEvent } from '@shared/events'
import { toWire, type WireEvent } from '@shared/wire'
import {
  resetLab,
  runStart,
  selectedPdu,
  useLab,
  visibleEvents,
  visibleMarks,
  visiblePduIndices
} from '.'

const enc = new TextEncoder()

/** A small, realistic session: scene start, a connection, a modeled SYN, bytes, a data PDU, a note. */
function session(n = 1, startSeq = 1): WireEvent[] {
  const out: LabEvent[] = []
  let seq = startSeq
  let t = 1_700_000_000_000
  const next = () => ({ seq: seq++, t: (t += 0.05) })
  out.push({ kind: 'scene', scene: 'tcp-udp-echo', state: 'started', ...next() })
  out.push({ kind: 'node', node: 's', label: 'server', role: 'server', ...next() })
  for (let i = 0; i < n; i++) {
    const conn = `c${i}`
    out.push({ kind: 'node', node: `k${i}`, label: 'client', role: 'client', ...next() })
    out.push({
      kind: 'conn.open',
      conn,
      transport: 'tcp',
      from: `k${i}`,
      to: 's',
      client: { host: '127.0.0.1', port: 40000 + (i % 20000) },
      server: { host: '127.0.0.1', port: 65432 },
      ...next()
    })
    out.push({
      kind: 'pdu',
      conn,
      dir: 'c2s',
      protocol: 'tcp',
      summary: '[SYN] Seq=0 Len=0',
      fields: [],
      data: new Uint8Array(20),
      offset: -1,
      modeled: true,
      ...next()
    })
    const data = enc.encode('Ola, mundo')
    out.push({ kind: 'bytes', conn, dir: 'c2s', offset: 0, data, ...next() })
    out.push({
      kind: 'pdu',
      conn,
      dir: 'c2s',
      protocol: 'tcp',
      summary: '"Ola, mundo" (10 bytes)',
      fields: [{ name: 'TCP payload', start: 0, end: 10 }],
      data,
      offset: 0,
      ...next()
    })
    out.push({ kind: 'note', key: 'n', text: { en: `note ${i}`, pt: `nota ${i}` }, ...next() })
  }
  return out.map(toWire)
}

beforeEach(() => resetLab())

describe('ingest', () => {
  it('decodes base64, indexes, and ignores seqs already held', () => {
    const events = session(2)
    useLab.getState().ingest({ events, dropped: 0 })
    useLab.getState().ingest({ events: events.slice(3), dropped: 0 })
    const s = useLab.getState()
    expect(s.count).toBe(events.length)
    expect(s.events.map((e) => e.seq)).toEqual(events.map((e) => e.seq))
    const pdu = s.events[s.pdus[1]]
    expect(pdu.kind === 'pdu' && new TextDecoder().decode(pdu.data)).toBe('Ola, mundo')
    expect(s.marks.map((i) => s.events[i].kind)).toEqual([
      'conn.open',
      'pdu',
      'pdu',
      'note',
      'conn.open',
      'pdu',
      'pdu',
      'note'
    ])
    expect(s.nodes.get('s')?.label).toBe('server')
    expect(s.conns.get('c1')?.client.port).toBe(40001)
  })

  it('merges a snapshot that arrives after newer pushed events, by seq', () => {
    const events = session(3)
    useLab.getState().ingest({ events: events.slice(10), dropped: 0 })
    useLab.getState().ingest({ events: events, dropped: 2 })
    const s = useLab.getState()
    expect(s.events.map((e) => e.seq)).toEqual(events.map((e) => e.seq))
    expect(s.pdus.every((i) => s.events[i].kind === 'pdu')).toBe(true)
    expect(s.notes.every((i) => s.events[i].kind === 'note')).toBe(true)
    expect(s.bySeq.get(events[5].seq)).toBe(5)
    expect(s.bridgeDropped).toBe(2)
  })

  it('replace() starts a new epoch', () => {
    useLab.getState().ingest({ events: session(1), dropped: 0 })
    const epoch = useLab.getState().epoch
    useLab.getState().replace(session(1, 1))
    expect(useLab.getState().epoch).toBe(epoch + 1)
    expect(useLab.getState().cursor).toBe(0)
  })
})

describe('playback', () => {
  it('steps one event of interest at a time, never onto raw bytes', () => {
    useLab.getState().ingest({ events: session(1), dropped: 0 })
    const s = useLab.getState()
    s.home()
    const kinds: string[] = []
    for (let i = 0; i < 4; i++) {
      useLab.getState().stepForward()
      const st = useLab.getState()
      kinds.push(st.events[st.cursor - 1].kind)
    }
    expect(kinds).toEqual(['conn.open', 'pdu', 'pdu', 'note'])
    expect(useLab.getState().playing).toBe(false)
    expect(visibleMarks(useLab.getState())).toBe(4)
    // The data PDU is visible, with the bytes event before it.
    useLab.getState().stepBack()
    const st = useLab.getState()
    expect(st.events[st.cursor - 1].kind).toBe('pdu')
    expect(visibleEvents(st).some((e) => e.kind === 'bytes')).toBe(true)
    expect(visibleEvents(st).some((e) => e.kind === 'note')).toBe(false)
    useLab.getState().stepBack()
    useLab.getState().stepBack()
    useLab.getState().stepBack()
    expect(useLab.getState().cursor).toBe(0)
  })

  it('hides the selection when the cursor moves before it', () => {
    useLab.getState().ingest({ events: session(1), dropped: 0 })
    useLab.getState().goLive()
    const st = useLab.getState()
    const data = st.events[st.pdus[1]]
    st.select(data.seq, [0])
    expect(selectedPdu(useLab.getState())?.seq).toBe(data.seq)
    useLab.getState().seekMark(2)
    expect(selectedPdu(useLab.getState())).toBeNull()
    expect(visiblePduIndices(useLab.getState())).toHaveLength(1)
  })

  it('speed stays within 0.25× and 4×', () => {
    for (let i = 0; i < 10; i++) useLab.getState().faster()
    expect(useLab.getState().speed).toBe(4)
    for (let i = 0; i < 20; i++) useLab.getState().slower()
    expect(useLab.getState().speed).toBe(0.25)
  })

  it('views start at the latest lesson run', () => {
    const first = session(1)
    const second = session(1, first.length + 1)
    useLab.getState().ingest({ events: [...first, ...second], dropped: 0 })
    useLab.getState().goLive()
    expect(runStart(useLab.getState())).toBe(first.length)
    expect(visibleEvents(useLab.getState())[0].kind).toBe('scene')
  })
})

describe('100k events', () => {
  it('ingests in per-frame batches without copying the log', () => {
    const n = 16_667 // 6 events each: 100k events
    const events = session(n)
    const started = performance.now()
    for (let i = 0; i < events.length; i += 1000)
      useLab.getState().ingest({ events: events.slice(i, i + 1000), dropped: 0 })
    const ms = performance.now() - started
    const s = useLab.getState()
    expect(s.count).toBe(events.length)
    expect(s.pdus.length).toBe(n * 2)
    console.log(
      `ingest: ${events.length} events in ${ms.toFixed(0)} ms (${((ms / events.length) * 1000).toFixed(2)} µs/event)`
    )
  })
})
