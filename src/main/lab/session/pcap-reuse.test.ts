// Two connections on the same addresses and ports (the kernel reuses a client port after a burst
// of short connections): the pcap gives the second its own sequence space, so tshark reads a new
// session on reused ports, not retransmissions of the first. The traffic is the echo lesson's own;
// the second connection's client port is set to the first's, as the kernel would have chosen it.
import { describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { ConnOpenEvent, LabEvent } from '../../../shared/events'
import { toPcap } from '../../../shared/pcap'
import { Lab } from '../lab'
import { has } from '../testing/events'

async function echoSession(): Promise<readonly LabEvent[]> {
  const lab = new Lab({ ephemeralPorts: true })
  try {
    await lab.start('tcp-udp-echo', {})
    await lab.script()
    await lab.script()
  } finally {
    await lab.stop()
  }
  return lab.session.events
}

function tshark(file: string, ...args: string[]): string[] {
  return execFileSync('tshark', ['-r', file, ...args], { encoding: 'utf8' }).split('\n').filter(Boolean)
}

describe.skipIf(!has('tshark'))('pcap export when a later connection reuses an earlier one’s ports', () => {
  it('is a new session on reused ports, with no retransmission, in its own TCP stream', async () => {
    const events = await echoSession()
    const tcp = events.filter((e): e is ConnOpenEvent => e.kind === 'conn.open' && e.transport === 'tcp')
    expect(tcp.length).toBeGreaterThanOrEqual(2)
    // A later connection that opens after the first has closed (the kernel reuses only a free port).
    const first = tcp[0]
    const closed = events.findIndex((e) => e.kind === 'conn.close' && e.conn === first.conn)
    const second = tcp.find((e) => events.indexOf(e) > closed)
    expect(closed).toBeGreaterThan(0)
    if (!second) throw new Error('no TCP connection opened after the first one closed')
    const reused = events.map((e) => (e === second ? { ...second, client: { ...second.client, port: first.client.port } } : e))
    const dir = mkdtempSync(path.join(tmpdir(), 'wirelab-reuse-'))
    const file = path.join(dir, 'reuse.pcap')
    writeFileSync(file, toPcap(reused).bytes)

    const problems = tshark(file, '-Y', 'tcp.analysis.flags && !tcp.analysis.window_update && !tcp.analysis.reused_ports', '-T', 'fields', '-e', 'frame.number', '-e', '_ws.expert.message')
    expect(problems).toEqual([])
    const flagged = tshark(file, '-Y', 'tcp.analysis.reused_ports', '-T', 'fields', '-e', 'tcp.srcport', '-e', 'tcp.flags.syn', '-e', 'tcp.flags.ack')
    expect(flagged).toEqual([`${first.client.port}\t1\t0`])
    const streams = new Set(tshark(file, '-Y', 'tcp', '-T', 'fields', '-e', 'tcp.stream'))
    expect(streams.size).toBe(tcp.length)
  })
})
