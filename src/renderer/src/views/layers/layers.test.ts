// Layers rebuilt around real PDUs of a lesson: every header field byte-ranged and labelled modeled,
// the payload the real bytes, and the frame exactly what the capture parser reads back.
import { describe, expect, it } from 'vitest'
import type { ConnOpenEvent, Field, PduEvent } from '@shared/events'
import { capturedFrameFor, capturedStack, reconstructStack, tcpNumbersAt } from '@shared/layers'
import { Lab } from '../../../../main/lab/lab'
import { parseFrame } from '../../../../main/lab/capture/frame'
import { rangeProblems } from '../../../../main/lab/dissect/fields'

const all = (fields: Field[]): Field[] => fields.flatMap((f) => [f, ...all(f.children ?? [])])

describe('layers of a PDU', () => {
  it('TCP and UDP PDUs of the echo lesson, rebuilt as loopback and as 1,500-byte Ethernet frames', async () => {
    const lab = new Lab({ ephemeralPorts: true })
    await lab.start('tcp-udp-echo', {})
    await lab.script()
    await lab.stop()
    const ev = lab.session.events
    const opens = new Map(ev.filter((e): e is ConnOpenEvent => e.kind === 'conn.open').map((e) => [e.conn, e]))
    const pdus = ev.filter((e): e is PduEvent => e.kind === 'pdu' && !e.modeled)
    expect(pdus.length).toBeGreaterThanOrEqual(4)
    for (const pdu of pdus) {
      const open = opens.get(pdu.conn)!
      for (const link of ['loopback', 'ethernet'] as const) {
        const r = reconstructStack({ open, pdu, link, numbers: tcpNumbersAt(ev, pdu) })
        expect(r.ok).toBe(true)
        if (!r.ok) continue
        const s = r.stack
        const udp = open.transport === 'udp'
        expect(s.layers.map((l) => l.id)).toEqual(['link', 'ip', udp ? 'udp' : 'tcp', 'app'])
        expect(s.frame.length).toBe(14 + 20 + (udp ? 8 : 20) + pdu.data.length)
        // Every header field lies in the frame; headers are modeled, the payload is real bytes.
        for (const l of s.layers) {
          expect(rangeProblems(l.fields, s.frame.length)).toEqual([])
          if (l.id !== 'app') expect(all(l.fields).every((f) => f.modeled)).toBe(true)
        }
        const app = s.layers.at(-1)!
        expect(s.frame.subarray(app.start, app.end)).toEqual(pdu.data)
        // The capture parser reads the rebuilt frame back to the same numbers.
        const p = parseFrame(1, s.frame)!
        const src = pdu.dir === 'c2s' ? open.client : open.server
        expect(p.ip.totalLength).toBe(s.frame.length - 14)
        expect((p.tcp ?? p.udp)!.srcPort).toBe(src.port)
        if (p.tcp) expect(p.tcp.seq).toBe(pdu.offset + 1)
        const mac = all(s.layers[0].fields).find((f) => f.id === 'eth.src')!.value
        expect(mac).toBe(link === 'loopback' ? '00:00:00:00:00:00' : pdu.dir === 'c2s' ? '02:00:00:00:00:01' : '02:00:00:00:00:02')
        expect(s.mss).toBe(link === 'loopback' ? 65495 : 1460)
      }
    }
    // A modeled handshake segment: its header, no payload.
    const syn = ev.find((e): e is PduEvent => e.kind === 'pdu' && e.modeled === true && e.keys?.flags === 'SYN')!
    const r = reconstructStack({ open: opens.get(syn.conn)!, pdu: syn, link: 'loopback' })
    expect(r.ok && r.stack.layers.map((l) => l.id)).toEqual(['link', 'ip', 'tcp'])
    // No captured frames in this session: nothing to find.
    expect(capturedFrameFor(ev, pdus[0])).toBeNull()
    expect(typeof capturedStack).toBe('function')
  })

  it('a PDU that never crossed a socket as such cannot be laid open', async () => {
    const lab = new Lab({ ephemeralPorts: true })
    await lab.start('tcp-udp-echo', {})
    await lab.script()
    await lab.stop()
    const open = lab.session.events.find((e): e is ConnOpenEvent => e.kind === 'conn.open')!
    const pdu: PduEvent = { kind: 'pdu', seq: 1, t: 0, conn: open.conn, dir: 'c2s', protocol: 'http', summary: '', fields: [], data: new Uint8Array(3), offset: -1 }
    expect(reconstructStack({ open, pdu, link: 'loopback' })).toEqual({ ok: false, why: 'not-on-the-wire' })
  })
})
