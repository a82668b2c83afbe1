// Every lesson the engine lists, recorded with `wirelab run --out` and exported with `wirelab
// export --pcap`: tshark reads each pcap without errors and finds the session's connections and
// exactly its payload bytes, per connection and direction, with consistent TCP sequence numbers.
// The commands run in this process (the CLI's own `main`): a CLI process of its own costs about
// 3 s of CPU to start, twice per lesson, and cli.test.ts starts the real one.
import { describe, expect, it } from 'vitest'
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { fromWire, isSessionFile } from '../../shared/wire'
import type { ConnOpenEvent, LabEvent } from '../../shared/events'
import { has } from '../lab/testing/events'
import { Lab } from '../lab/lab'
import { main } from '../cli'

const run = promisify(execFile)

async function cli(args: string[]): Promise<void> {
  expect(await main(args)).toBe(0)
}

/** What `wirelab scenes` lists. */
const scenes = new Lab().scenes().map((s) => s.id)

/**
 * The RabbitMQ lesson's full script restarts a broker that takes seconds to start: here it replays
 * the session recorded from RabbitMQ (real bytes too); its live pcap is checked by cli-brokers.test.ts.
 */
const RUN_ARGS: Record<string, string[]> = { rabbitmq: ['--set', 'broker=recorded'] }

/** Payload bytes per `<transport> <clientPort> <dir>`, as hex, in stream order. */
function sessionPayloads(events: LabEvent[]): Map<string, string> {
  const opens = new Map<string, ConnOpenEvent>()
  const out = new Map<string, string>()
  for (const e of events) {
    if (e.kind === 'conn.open') opens.set(e.conn, e)
    if (e.kind !== 'bytes' || !e.data.length) continue
    const o = opens.get(e.conn)
    if (!o) continue
    const key = `${o.transport} ${o.client.port} ${e.dir}`
    // A UDP datagram above one IPv4 packet is cut to 65 000 bytes in the pcap.
    const data = o.transport === 'udp' ? e.data.subarray(0, 65_000) : e.data
    out.set(key, (out.get(key) ?? '') + Buffer.from(data).toString('hex'))
  }
  return out
}

/** The layers the pcap itself writes (tshark's names). */
const FRAMING = ['frame', 'eth', 'ethertype', 'ip', 'ipv6', 'tcp', 'udp', 'sll', 'null', 'raw']

/** tshark's names for the protocols Wirelab dissected in the session (its PDUs' protocols). */
function tsharkNames(events: LabEvent[]): Set<string> {
  const names = new Set<string>()
  for (const e of events) {
    if (e.kind !== 'pdu') continue
    // Server-sent events and S3 ride on HTTP; the rest have the same name in both.
    names.add(e.protocol === 'sse' || e.protocol === 's3' ? 'http' : e.protocol)
  }
  return names
}

/** The layer tshark found malformed, from a frame's `frame.protocols` (the one before `_ws.malformed`). */
function malformedLayer(protocols: string): string {
  const layers = protocols.split(':')
  const at = layers.indexOf('_ws.malformed')
  return at > 0 ? layers[at - 1] : (layers.at(-1) ?? '')
}

describe.skipIf(!has('tshark'))('pcap export of every lesson', () => {
  it('lists at least the reference lesson', () => {
    expect(scenes).toContain('tcp-udp-echo')
  })

  it.each(scenes)(
    '%s: tshark reads the pcap and finds the same connections and payload bytes',
    async (scene) => {
      const dir = mkdtempSync(path.join(tmpdir(), `wirelab-${scene}-`))
      const session = path.join(dir, `${scene}.wirelab`)
      const pcap = path.join(dir, `${scene}.pcap`)
      await cli(['run', scene, '--ephemeral', '--out', session, ...(RUN_ARGS[scene] ?? [])])
      await cli(['export', session, '--pcap', pcap])

      const parsed: unknown = JSON.parse(readFileSync(session, 'utf8'))
      expect(isSessionFile(parsed)).toBe(true)
      if (!isSessionFile(parsed)) return
      const events = parsed.events.map(fromWire)
      const expected = sessionPayloads(events)
      // Some lessons (serialization) encode in-process and carry nothing over a socket: their pcap
      // holds no packets, and tshark still reads it cleanly.
      if (scene === 'tcp-udp-echo') expect(expected.size).toBe(4)

      const tshark = async (...args: string[]): Promise<string> => {
        const { stdout, stderr } = await run('tshark', ['-r', pcap, ...args], {
          timeout: 60_000,
          maxBuffer: 256 << 20
        })
        expect(stderr).not.toMatch(/error|malformed|appears to be damaged|cut short/i)
        return stdout
      }
      const rows = (
        await tshark(
          '-T',
          'fields',
          '-e',
          'ip.proto',
          '-e',
          'tcp.srcport',
          '-e',
          'tcp.dstport',
          '-e',
          'tcp.payload',
          '-e',
          'udp.srcport',
          '-e',
          'udp.dstport',
          '-e',
          'udp.payload',
          '-e',
          '_ws.malformed',
          '-e',
          'frame.protocols'
        )
      )
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('\t'))
      // No frame tshark calls malformed in a layer the pcap writes or Wirelab decodes. tshark picks
      // an application protocol by port, and an ephemeral port can be one it gives to another
      // protocol: client port 34980 (EtherCAT's) had an S3 request read as EtherCAT, malformed there.
      const checked = new Set([...FRAMING, ...tsharkNames(events)])
      const malformed = rows
        .filter((r) => r[7])
        .map((r) => ({ ports: `${r[1] || r[4]} → ${r[2] || r[5]}`, layer: malformedLayer(r[8] ?? '') }))
      expect(malformed.filter((m) => checked.has(m.layer))).toEqual([])

      // Which port is the client's: the session's conn.open events say.
      const clientPorts = new Set(
        events
          .filter((e): e is ConnOpenEvent => e.kind === 'conn.open')
          .map((e) => `${e.transport} ${e.client.port}`)
      )
      const seen = new Map<string, string>()
      for (const r of rows) {
        const tcp = r[0] === '6'
        const [sp, dp, payload] = tcp ? [r[1], r[2], r[3]] : [r[4], r[5], r[6]]
        const proto = tcp ? 'tcp' : 'udp'
        const c2s = clientPorts.has(`${proto} ${sp}`)
        const key = `${proto} ${c2s ? sp : dp} ${c2s ? 'c2s' : 's2c'}`
        if (payload) seen.set(key, (seen.get(key) ?? '') + payload.replace(/:/g, ''))
      }
      expect(seen).toEqual(expected)

      // Sequence numbers follow the modeled segments: no retransmissions, gaps or out-of-order segments.
      // (A connection on the same ports as an earlier one is a new session on reused ports: counted below.)
      const problems = await tshark(
        '-Y',
        'tcp.analysis.flags && !tcp.analysis.window_update && !tcp.analysis.reused_ports',
        '-T',
        'fields',
        '-e',
        'frame.number',
        '-e',
        '_ws.expert.message'
      )
      expect(problems.trim()).toBe('')

      // One TCP stream per TCP connection that carried anything.
      const tcpConns = new Set(
        events
          .filter((e) => (e.kind === 'bytes' || (e.kind === 'pdu' && e.modeled)) && 'conn' in e)
          .map((e) => ('conn' in e ? e.conn : ''))
          .filter((c) => events.some((o) => o.kind === 'conn.open' && o.conn === c && o.transport === 'tcp'))
      )
      const streams = new Set(
        (await tshark('-Y', 'tcp', '-T', 'fields', '-e', 'tcp.stream')).split('\n').filter(Boolean)
      )
      expect(streams.size).toBe(tcpConns.size)
      // tshark flags a reused-ports SYN exactly where the kernel gave a later connection the ports of an earlier one.
      const tuples = events
        .filter(
          (e): e is ConnOpenEvent => e.kind === 'conn.open' && e.transport === 'tcp' && tcpConns.has(e.conn)
        )
        .map((e) => `${e.client.port} ${e.server.port}`)
      const reused = tuples.length - new Set(tuples).size
      const flagged = (
        await tshark(
          '-Y',
          'tcp.analysis.reused_ports && tcp.flags.ack == 0',
          '-T',
          'fields',
          '-e',
          'frame.number'
        )
      )
        .split('\n')
        .filter(Boolean)
      expect(flagged.length).toBe(reused)
    },
    120_000
  )
})
