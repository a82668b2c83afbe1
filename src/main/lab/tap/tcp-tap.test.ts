import { afterEach, describe, expect, it } from 'vitest'
import net from 'node:net'
import { Lab } from '../lab'
import type { BytesEvent, ConnCloseEvent, ConnOpenEvent, LabEvent, NodeEvent, PduEvent } from '../../../shared/events'
import { text, waitForEvents } from '../testing/events'
import { rangeProblems } from '../dissect/fields'

let lab: Lab
afterEach(async () => {
  await lab?.stop()
})

const of = <K extends LabEvent['kind']>(events: readonly LabEvent[], kind: K) =>
  events.filter((e): e is Extract<LabEvent, { kind: K }> => e.kind === kind)

async function startEcho(): Promise<{ tcp: number; udp: number }> {
  lab = new Lab({ ephemeralPorts: true })
  const status = await lab.start('tcp-udp-echo')
  const port = (name: string) => status.ports.find((p) => p.name === name)?.port ?? -1
  return { tcp: port('tcp'), udp: port('udp') }
}

function exchange(port: number, payload: Uint8Array): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    const s = net.connect(port, '127.0.0.1', () => s.end(payload))
    s.on('data', (c) => chunks.push(c))
    s.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))))
    s.on('error', reject)
  })
}

describe('TCP tap (echo lesson)', () => {
  it('records set-up, data both ways with stream offsets, echo and teardown for the built-in client', async () => {
    await startEcho()
    const r = await lab.action('send-tcp', { message: 'Ola, mundo' })
    expect(r).toMatchObject({ ok: true, data: { tcp: 'Ola, mundo' } })
    const events = await waitForEvents(lab.session, (ev) => of(ev, 'conn.close').length === 1)
    const open = of(events, 'conn.open')[0] as ConnOpenEvent
    expect(open.transport).toBe('tcp')
    expect(open.from).toBe('tcp-client')
    expect(open.client.port).toBeGreaterThan(0)
    const conn = events.filter((e) => 'conn' in e && e.conn === open.conn)
    const tcpPdus = conn.filter((e): e is PduEvent => e.kind === 'pdu' && e.modeled === true)
    expect(tcpPdus.slice(0, 3).map((p) => p.keys?.flags)).toEqual(['SYN', 'SYN, ACK', 'ACK'])
    expect(tcpPdus.every((p) => p.modeled && p.data.length === 20)).toBe(true)
    const bytes = conn.filter((e): e is BytesEvent => e.kind === 'bytes')
    expect(bytes.map((b) => [b.dir, text(b.data), b.offset])).toEqual([
      ['c2s', 'Ola, mundo', 0],
      ['s2c', 'Ola, mundo', 0]
    ])
    // sequence numbers advance by the payload length
    expect(bytes.map((b) => [b.tcpSeq, b.tcpAck])).toEqual([
      [1, 1],
      [1, 11]
    ])
    const fins = tcpPdus.filter((p) => String(p.keys?.flags).includes('FIN'))
    expect(fins.map((f) => [f.dir, f.keys?.seq])).toEqual([
      ['c2s', 11],
      ['s2c', 11]
    ])
    const close = of(events, 'conn.close')[0] as ConnCloseEvent
    expect(close).toMatchObject({ conn: open.conn, by: 'client', how: 'fin' })
    // payload PDU: text and bytes with sound ranges
    const payload = conn.find((e): e is PduEvent => e.kind === 'pdu' && !e.modeled && e.dir === 'c2s')
    expect(payload?.protocol).toBe('tcp')
    expect(payload?.fields[0].children?.[0].value).toBe('"Ola, mundo"')
    expect(rangeProblems(payload?.fields ?? [], payload?.data.length ?? 0)).toEqual([])
    for (const p of tcpPdus) expect(rangeProblems(p.fields, 20)).toEqual([])
  })

  it("shows a person's own client as its own external actor", async () => {
    const { tcp } = await startEcho()
    const echo = await exchange(tcp, new TextEncoder().encode('do meu script'))
    expect(text(echo)).toBe('do meu script')
    const events = await waitForEvents(lab.session, (ev) => of(ev, 'conn.close').length === 1)
    const ext = of(events, 'node').find((n: NodeEvent) => n.external)
    expect(ext?.role).toBe('external')
    const open = of(events, 'conn.open')[0]
    expect(open.from).toBe(ext?.node)
    expect(ext?.endpoint?.port).toBe(open.client.port)
  })

  it('reassembles nothing it should not: many chunks keep contiguous offsets', async () => {
    const { tcp } = await startEcho()
    const big = new Uint8Array(300_000).map((_, i) => i % 251)
    const echo = await exchange(tcp, big)
    expect(echo.length).toBe(big.length)
    expect(Buffer.from(echo).equals(Buffer.from(big))).toBe(true)
    const events = await waitForEvents(lab.session, (ev) => of(ev, 'conn.close').length === 1)
    for (const dir of ['c2s', 's2c'] as const) {
      const chunks = of(events, 'bytes').filter((b) => b.dir === dir)
      let at = 0
      for (const c of chunks) {
        expect(c.offset).toBe(at)
        expect(c.tcpSeq).toBe(at + 1)
        at += c.data.length
      }
      expect(at).toBe(big.length)
    }
  })

  it('records a reset when a client is killed mid-connection, and keeps serving', async () => {
    const { tcp } = await startEcho()
    await new Promise<void>((resolve) => {
      const s = net.connect(tcp, '127.0.0.1', () => {
        s.write('half a messa')
        s.once('data', () => {
          s.resetAndDestroy()
          resolve()
        })
      })
    })
    const events = await waitForEvents(lab.session, (ev) => of(ev, 'conn.close').length === 1)
    const close = of(events, 'conn.close')[0]
    expect(close).toMatchObject({ by: 'client', how: 'rst' })
    expect(of(events, 'pdu').some((p) => p.modeled && String(p.keys?.flags).includes('RST'))).toBe(true)
    const echo = await exchange(tcp, new TextEncoder().encode('still here'))
    expect(text(echo)).toBe('still here')
  })

  it('relays garbage bytes unharmed and keeps serving normal clients', async () => {
    const { tcp } = await startEcho()
    const garbage = new Uint8Array(4096).map(() => Math.floor(Math.random() * 256))
    const echo = await exchange(tcp, garbage)
    expect(Buffer.from(echo).equals(Buffer.from(garbage))).toBe(true)
    const r = await lab.action('send-tcp', { message: 'Ola, mundo' })
    expect(r.ok).toBe(true)
    const events = await waitForEvents(lab.session, (ev) => of(ev, 'conn.close').length === 2)
    expect(of(events, 'pdu').every((p) => rangeProblems(p.fields, p.data.length).length === 0)).toBe(true)
  })
})

describe('UDP tap (echo lesson)', () => {
  it('records one datagram out and one back, with no connection set-up or teardown', async () => {
    await startEcho()
    const r = await lab.action('send-udp', { message: 'Ola, UDP!' })
    expect(r).toMatchObject({ ok: true, data: { udp: 'Ola, UDP!' } })
    const events = lab.session.events
    const open = of(events, 'conn.open').find((o) => o.transport === 'udp')
    expect(open?.from).toBe('udp-client')
    const conn = events.filter((e) => 'conn' in e && e.conn === open?.conn)
    expect(conn.filter((e) => e.kind === 'pdu' && e.modeled)).toHaveLength(0)
    const bytes = conn.filter((e): e is BytesEvent => e.kind === 'bytes')
    expect(bytes.map((b) => [b.dir, text(b.data)])).toEqual([
      ['c2s', 'Ola, UDP!'],
      ['s2c', 'Ola, UDP!']
    ])
    const pdus = conn.filter((e): e is PduEvent => e.kind === 'pdu')
    expect(pdus.map((p) => p.protocol)).toEqual(['udp', 'udp'])
  })
})
