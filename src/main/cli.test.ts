// The command line, driven as a person would: spawned processes, real ports, real Python clients
// (the seed's tcp_client.py and udp_client.py, unmodified), and tshark reading the exported pcap.
import { describe, expect, it } from 'vitest'
import { execFile, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import readline from 'node:readline'
import { promisify } from 'node:util'
import { fromWire, type WireEvent } from '../shared/wire'
import type { LabEvent } from '../shared/events'
import { has } from './lab/testing/events'
import { serve } from './lab/testing/serve'

const run = promisify(execFile)
const root = path.join(__dirname, '..', '..')
const wirelab = path.join(root, 'bin', 'wirelab.js')
const PY = '/usr/bin/python3'

async function cli(args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [wirelab, ...args], { cwd: root, timeout: 30_000, maxBuffer: 64 << 20 })
  return stdout
}

const parseLines = (stdout: string): LabEvent[] =>
  stdout
    .trim()
    .split('\n')
    .map((l) => fromWire(JSON.parse(l) as WireEvent))

describe('wirelab CLI', () => {
  it('lists lesson ids, one per line', async () => {
    const ids = (await cli(['scenes'])).trim().split('\n')
    expect(ids).toContain('tcp-udp-echo')
    expect(ids.every((id) => /^[a-z0-9-]+$/.test(id))).toBe(true)
  }, 60_000)

  it('run --jsonl prints the connection, modeled set-up, data both ways, echo and teardown', async () => {
    const lines = (await cli(['run', 'tcp-udp-echo', '--ephemeral', '--jsonl', '--set', 'message=Olá, CLI'])).trim().split('\n')
    const raw = lines.map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(raw.every((e) => typeof e.kind === 'string' && typeof e.t === 'number')).toBe(true)
    const bytesRaw = raw.filter((e) => e.kind === 'bytes')
    expect(bytesRaw.every((e) => typeof e.data === 'string')).toBe(true) // base64
    const events = parseLines(lines.join('\n'))
    const tcpOpen = events.find((e) => e.kind === 'conn.open' && e.transport === 'tcp')
    expect(tcpOpen).toBeDefined()
    const flags = events
      .filter((e) => e.kind === 'pdu' && e.modeled && 'conn' in e && e.conn === (tcpOpen as { conn: string }).conn)
      .map((e) => (e.kind === 'pdu' ? e.keys?.flags : ''))
    expect(flags.slice(0, 3)).toEqual(['SYN', 'SYN, ACK', 'ACK'])
    expect(flags.filter((f) => String(f).includes('FIN'))).toHaveLength(2)
    const texts = events.flatMap((e) => (e.kind === 'bytes' ? [[e.dir, new TextDecoder().decode(e.data)]] : []))
    expect(texts).toEqual([
      ['c2s', 'Olá, CLI'],
      ['s2c', 'Olá, CLI'],
      ['c2s', 'Olá, CLI'],
      ['s2c', 'Olá, CLI']
    ])
    const pdu = events.find((e) => e.kind === 'pdu' && !e.modeled)
    expect(pdu && pdu.kind === 'pdu' && pdu.fields[0]).toMatchObject({ name: 'TCP payload', start: 0 })
    expect(events.some((e) => e.kind === 'conn.close' && e.how === 'fin')).toBe(true)
  }, 60_000)

  it('rejects an unknown parameter or lesson with a clear message', async () => {
    await expect(cli(['run', 'tcp-udp-echo', '--ephemeral', '--set', 'nope=1'])).rejects.toThrow(/unknown parameter: nope/)
    await expect(cli(['run', 'no-such-lesson'])).rejects.toThrow(/unknown scene "no-such-lesson"/)
  }, 60_000)

  it.skipIf(!has(PY))('serve: the seed’s unmodified Python clients show up in the event stream', async () => {
    const served = await serve('tcp-udp-echo')
    const { events, ports } = served
    try {
      expect(ports).toMatchObject({ tcp: expect.any(Number), udp: expect.any(Number) })
      const dir = mkdtempSync(path.join(tmpdir(), 'wirelab-py-'))
      for (const name of ['tcp_client.py', 'udp_client.py']) {
        let script = readFileSync(path.join(root, 'resources', 'clients', name), 'utf8')
        // Unmodified when the course's port was free; otherwise point it at the fallback port.
        script = script.replace('PORT = 65432', `PORT = ${name.startsWith('tcp') ? ports.tcp : ports.udp}`)
        writeFileSync(path.join(dir, name), script)
      }
      const tcpOut = await run(PY, [path.join(dir, 'tcp_client.py')], { timeout: 10_000 })
      expect(tcpOut.stdout).toContain('Eco recebido: Ola, mundo')
      const udpOut = await run(PY, [path.join(dir, 'udp_client.py')], { timeout: 10_000 })
      expect(udpOut.stdout).toContain('Eco recebido: Ola, UDP!')
      await served.until(() => events.filter((e) => e.kind === 'bytes').length >= 4 && events.some((e) => e.kind === 'conn.close'))
      const externals = events.filter((e) => e.kind === 'node' && e.external)
      expect(externals.length).toBeGreaterThanOrEqual(2)
      const texts = events.flatMap((e) => (e.kind === 'bytes' ? [new TextDecoder().decode(e.data)] : []))
      expect(texts).toEqual(['Ola, mundo', 'Ola, mundo', 'Ola, UDP!', 'Ola, UDP!'])
    } finally {
      expect(await served.stop()).toBe(0)
    }
  })

  it.skipIf(!has('tshark'))('export --pcap: tshark reads the session and sees the same connection, handshake, payload and teardown', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wirelab-pcap-'))
    const session = path.join(dir, 'echo.wirelab')
    const pcap = path.join(dir, 'echo.pcap')
    await cli(['run', 'tcp-udp-echo', '--ephemeral', '--out', session])
    await cli(['export', session, '--pcap', pcap])
    const fields = async (filter: string, ...f: string[]): Promise<string[][]> => {
      const { stdout, stderr } = await run('tshark', ['-r', pcap, '-Y', filter, '-T', 'fields', ...f.flatMap((x) => ['-e', x])], { timeout: 30_000 })
      expect(stderr).not.toMatch(/error|malformed|appears to be damaged/i)
      return stdout.trim().split('\n').filter(Boolean).map((l) => l.split('\t'))
    }
    const tcp = await fields('tcp', 'tcp.stream', 'tcp.flags.str', 'tcp.seq', 'tcp.ack', 'tcp.len', 'tcp.payload')
    expect(new Set(tcp.map((r) => r[0]))).toEqual(new Set(['0'])) // one TCP connection
    const flags = tcp.map((r) => r[1].replace(/·/g, '').trim())
    expect(flags.slice(0, 3)).toEqual(['S', 'AS', 'A'])
    expect(flags.filter((f) => f.includes('F'))).toHaveLength(2)
    const payloads = tcp.filter((r) => r[4] !== '0').map((r) => Buffer.from(r[5].replace(/:/g, ''), 'hex').toString())
    expect(payloads).toEqual(['Ola, mundo', 'Ola, mundo'])
    // no retransmission, out-of-order or lost-segment analysis flags: the sequence numbers are consistent
    const problems = await fields('tcp.analysis.flags && !tcp.analysis.window_update', 'frame.number')
    expect(problems).toEqual([])
    const udp = await fields('udp', 'udp.payload')
    expect(udp.map((r) => Buffer.from(r[0].replace(/:/g, ''), 'hex').toString())).toEqual(['Ola, mundo', 'Ola, mundo'])
    const { stdout: conv } = await run('tshark', ['-r', pcap, '-q', '-z', 'conv,tcp'])
    expect(conv).toMatch(/127\.0\.0\.1:\d+\s+<->\s+127\.0\.0\.1:\d+/)
  }, 60_000)
})

describe('wirelab serve --classroom', () => {
  it('binds the lesson on every interface only when asked, with a loud warning', async () => {
    const child = spawn(process.execPath, [wirelab, 'serve', 'mqtt', '--ephemeral', '--classroom', '--set', 'username=turma', '--set', 'password=segredo'], { cwd: root })
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    try {
      const line = await new Promise<string>((resolve, reject) => {
        const rl = readline.createInterface({ input: child.stdout })
        rl.once('line', resolve)
        child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)))
      })
      const ready = JSON.parse(line) as { kind: string; details: { host: string; name: string }[] }
      expect(ready.kind).toBe('ready')
      expect(ready.details.find((p) => p.name === 'mqtt')?.host).toBe('0.0.0.0')
      expect(stderr).toMatch(/CLASSROOM MODE/)
    } finally {
      child.kill('SIGTERM')
    }
    // without the flag, the same lesson stays on loopback
    const plain = spawn(process.execPath, [wirelab, 'serve', 'mqtt', '--ephemeral'], { cwd: root })
    try {
      const line = await new Promise<string>((resolve) => readline.createInterface({ input: plain.stdout }).once('line', resolve))
      const ready = JSON.parse(line) as { details: { host: string }[] }
      expect(ready.details.every((p) => p.host === '127.0.0.1')).toBe(true)
    } finally {
      plain.kill('SIGTERM')
    }
  }, 60_000)
})

describe('wirelab watch', () => {
  it('prints the ready line with the public port, relays to the target and streams the events', async () => {
    const net = await import('node:net')
    const echo = net.createServer((c) => c.pipe(c))
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r))
    const target = (echo.address() as import('node:net').AddressInfo).port
    const child = spawn(process.execPath, [wirelab, 'watch', '--target', `127.0.0.1:${target}`, '--listen', '0', '--jsonl', '--latency', '50'], { cwd: root })
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    try {
      const lines = readline.createInterface({ input: child.stdout })
      const events: LabEvent[] = []
      let ready: { kind: string; ports: Record<string, number>; targets: string[] } | null = null
      const waiters: (() => void)[] = []
      lines.on('line', (l) => {
        const obj = JSON.parse(l) as { kind: string }
        if (obj.kind === 'ready') ready = obj as typeof ready
        else events.push(fromWire(obj as WireEvent))
        waiters.splice(0).forEach((w) => w())
      })
      const until = async (cond: () => boolean): Promise<void> => {
        const end = Date.now() + 30_000
        while (!cond()) {
          if (Date.now() > end) throw new Error(`timed out; stderr: ${stderr}`)
          await new Promise<void>((r) => waiters.push(r))
        }
      }
      await until(() => ready !== null)
      const r = ready as unknown as { ports: Record<string, number>; targets: string[] }
      expect(r.targets).toEqual([`127.0.0.1:${target}`])
      const port = r.ports.watch
      expect(port).toBeGreaterThan(0)
      const reply = await new Promise<string>((resolve, reject) => {
        const s = net.connect({ host: '127.0.0.1', port }, () => s.write('Ola, mundo'))
        s.once('data', (d) => {
          resolve(d.toString())
          s.end()
        })
        s.once('error', reject)
      })
      expect(reply).toBe('Ola, mundo')
      await until(() => events.some((e) => e.kind === 'bytes' && e.dir === 's2c'))
      expect(events.some((e) => e.kind === 'fault' && e.fault === 'delay' && (e.ms ?? 0) >= 50)).toBe(true)
      expect(stderr).toMatch(/Network conditions: \+50 ms latency each way/)
      expect(stderr).toMatch(new RegExp(`127\\.0\\.0\\.1:${target} is watched on 127\\.0\\.0\\.1:${port}`))
    } finally {
      child.kill('SIGTERM')
      echo.close()
    }
  }, 45_000)
})
