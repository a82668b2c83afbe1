// Watch mode with the course's own Python servers and clients (unmodified except for the port),
// Python's http.server with curl, and a real mosquitto broker behind the tap; network conditions
// imposed on the real traffic and logged.
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import dgram from 'node:dgram'
import net from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import type { FaultEvent, LabEvent, NoteEvent, PduEvent } from '../../../../shared/events'
import { Lab } from '../../lab'
import { freePort, portAccepts } from '../../servers/installed'
import { isListening } from '../../net/proc-net'
import { waitForEvents } from '../../testing/events'

const PY = '/usr/bin/python3'
const run = promisify(execFile)
const clients = path.join(__dirname, '..', '..', '..', '..', '..', 'resources', 'clients')
const work = mkdtempSync(path.join(tmpdir(), 'wirelab-watch-'))

/** The course's script with only its PORT line changed. */
function script(name: string, port: number): string {
  const src = readFileSync(path.join(clients, name), 'utf8')
  const out = src.replace(/^PORT = \d+/m, `PORT = ${port}`)
  expect(out).not.toBe(src)
  const file = path.join(work, `${port}-${name}`)
  writeFileSync(file, out)
  return file
}

const children: ChildProcess[] = []
const labs: Lab[] = []
afterEach(async () => {
  for (const c of children.splice(0)) c.kill('SIGKILL')
  for (const l of labs.splice(0)) await l.stop()
})

async function waitUntil(check: () => boolean | Promise<boolean>, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

function startPython(args: string[], port: number, proto: 'tcp' | 'udp' = 'tcp'): Promise<ChildProcess> {
  const child = spawn(PY, ['-u', ...args], { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] })
  children.push(child)
  return waitUntil(() => isListening(port, proto) === true, `${args.join(' ')} to listen`).then(() => child)
}

async function watch(params: Record<string, unknown>, faults?: unknown): Promise<{ lab: Lab; port: number }> {
  const lab = new Lab({ ephemeralPorts: true })
  labs.push(lab)
  if (faults) lab.setFaults(faults)
  const status = await lab.start('watch', params)
  return { lab, port: status.ports[0].port }
}

const notes = (events: readonly LabEvent[]): NoteEvent[] => events.filter((e): e is NoteEvent => e.kind === 'note')
const pdus = (events: readonly LabEvent[], protocol: string): PduEvent[] =>
  events.filter((e): e is PduEvent => e.kind === 'pdu' && e.protocol === protocol)
const text = (events: readonly LabEvent[], dir: 'c2s' | 's2c'): string =>
  events
    .filter((e) => e.kind === 'bytes' && e.dir === dir)
    .map((e) => (e.kind === 'bytes' ? new TextDecoder().decode(e.data) : ''))
    .join('')

describe('watch mode', () => {
  it("the course's tcp_server.py behind the tap: tcp_client.py gets its echo, both directions are logged", async () => {
    const target = await freePort()
    await startPython([script('tcp_server.py', target)], target)
    const { lab, port } = await watch({ target: `127.0.0.1:${target}` })
    const { stdout } = await run(PY, [script('tcp_client.py', port)], { timeout: 10_000 })
    expect(stdout).toContain('Eco recebido: Ola, mundo')
    const events = await waitForEvents(lab.session, (ev) => text(ev, 's2c') === 'Ola, mundo')
    expect(text(events, 'c2s')).toBe('Ola, mundo')
    const open = events.find((e) => e.kind === 'conn.open')
    expect(open && open.kind === 'conn.open' && open.server.port).toBe(port)
    const server = events.find((e) => e.kind === 'node' && e.label === `Your server :${target}`)
    expect(server).toBeDefined()
    expect(notes(events).some((n) => n.key === 'watch.recognised' && /TCP payload/.test(n.text.en))).toBe(true)
    expect(pdus(events, 'tcp').some((p) => p.dir === 's2c' && !p.modeled)).toBe(true)
  })

  it("the course's udp_server.py behind the tap: udp_client.py gets its echo", async () => {
    const target = await freePort()
    await startPython([script('udp_server.py', target)], target, 'udp')
    const { lab, port } = await watch({ target: `127.0.0.1:${target}`, transport: 'udp' })
    const { stdout } = await run(PY, [script('udp_client.py', port)], { timeout: 10_000 })
    expect(stdout).toContain('Eco recebido: Ola, UDP!')
    const events = await waitForEvents(lab.session, (ev) => text(ev, 's2c') === 'Ola, UDP!')
    expect(text(events, 'c2s')).toBe('Ola, UDP!')
    expect(pdus(events, 'udp')).toHaveLength(2)
  })

  it('python3 -m http.server behind the tap is recognised as HTTP; curl through it yields http PDUs', async () => {
    const target = await freePort()
    writeFileSync(path.join(work, 'hello.txt'), 'Ola do servidor\n')
    await startPython(['-m', 'http.server', String(target), '--bind', '127.0.0.1'], target)
    const { lab, port } = await watch({ target: `127.0.0.1:${target}` })
    const { stdout } = await run('curl', ['-s', `http://127.0.0.1:${port}/hello.txt`], { timeout: 10_000 })
    expect(stdout).toBe('Ola do servidor\n')
    const events = await waitForEvents(lab.session, (ev) => pdus(ev, 'http').length >= 2)
    const http = pdus(events, 'http')
    expect(http[0].dir).toBe('c2s')
    expect(http[0].summary).toMatch(/GET \/hello\.txt/)
    expect(http.some((p) => p.dir === 's2c' && /200/.test(p.summary))).toBe(true)
    expect(notes(events).find((n) => n.key === 'watch.recognised')?.text.en).toMatch(/HTTP\/1\.1, from the client's first bytes/)
  })

  it('a mosquitto broker behind the tap is recognised as MQTT', async () => {
    const target = await freePort()
    const conf = path.join(work, `mosquitto-${target}.conf`)
    writeFileSync(conf, `listener ${target} 127.0.0.1\nallow_anonymous true\npersistence false\n`)
    const broker = spawn('mosquitto', ['-c', conf], { stdio: 'ignore' })
    children.push(broker)
    await waitUntil(() => portAccepts(target), 'mosquitto')
    const { lab, port } = await watch({ target: `127.0.0.1:${target}` })
    await run('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(port), '-t', 'sala/temperatura', '-m', '23.5', '-q', '1'], { timeout: 10_000 })
    const events = await waitForEvents(lab.session, (ev) => pdus(ev, 'mqtt').some((p) => /PUBACK/.test(p.summary)))
    const mqtt = pdus(events, 'mqtt').map((p) => p.summary)
    expect(mqtt[0]).toMatch(/CONNECT/)
    expect(mqtt.some((s) => /PUBLISH/.test(s) && /sala\/temperatura/.test(s))).toBe(true)
    expect(notes(events).find((n) => n.key === 'watch.recognised')?.text.en).toMatch(/MQTT, from the client's first bytes \(certainty 1\.00\)/)
  })

  it('decode-as overrides the recognition', async () => {
    const target = await freePort()
    await startPython(['-m', 'http.server', String(target), '--bind', '127.0.0.1'], target)
    const { lab, port } = await watch({ target: `127.0.0.1:${target}`, decodeAs: 'tcp' })
    await run('curl', ['-s', '-o', '/dev/null', `http://127.0.0.1:${port}/`], { timeout: 10_000 })
    const events = await waitForEvents(lab.session, (ev) => pdus(ev, 'tcp').some((p) => p.dir === 's2c' && !p.modeled))
    expect(pdus(events, 'http')).toHaveLength(0)
    expect(notes(events).find((n) => n.key === 'watch.recognised')?.text.en).toMatch(/as you chose/)
  })

  it('a target that is not listening: the note says so, with the command that starts the course server', async () => {
    const target = await freePort()
    const { lab, port } = await watch({ target: `127.0.0.1:${target}` })
    expect(notes(lab.session.events).some((n) => n.key === 'watch.started' && /Nothing listens/.test(n.text.en))).toBe(true)
    await run(PY, [script('tcp_client.py', port)], { timeout: 10_000 }).catch(() => undefined)
    const events = await waitForEvents(lab.session, (ev) => notes(ev).some((n) => n.key === 'tap.refused'))
    const refused = notes(events).find((n) => n.key === 'tap.refused')
    expect(refused?.text.en).toMatch(/nothing is listening on 127\.0\.0\.1:\d+ \(connection refused\)/)
    expect(refused?.level).toBe('error')

    const known = new Lab({ ephemeralPorts: true })
    labs.push(known)
    await known.start('watch', { target: '127.0.0.1:65432', listen: 0 })
    const text65432 = [...notes(known.session.events)].map((n) => n.text.en).join('\n')
    if (isListening(65432) === false) expect(text65432).toMatch(/python3 tcp_server\.py/)
  })

  it('refuses a target outside this machine unless classroom mode is on', async () => {
    const lab = new Lab({ ephemeralPorts: true })
    labs.push(lab)
    await expect(lab.start('watch', { target: '192.0.2.10:80' })).rejects.toThrow(/not this machine.*classroom/)
  })

  it('--latency 200 adds at least 400 ms to the echo round trip, and every delay is logged', async () => {
    const echo = net.createServer((c) => c.pipe(c))
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r))
    const target = (echo.address() as net.AddressInfo).port
    try {
      const { lab, port } = await watch({ target: `127.0.0.1:${target}` })
      const socket = net.connect({ host: '127.0.0.1', port })
      await new Promise((r) => socket.once('connect', r))
      const roundTrip = async (msg: string): Promise<number> => {
        const t0 = performance.now()
        socket.write(msg)
        await new Promise((r) => socket.once('data', r))
        return performance.now() - t0
      }
      await roundTrip('warm-up') // the first round trip also pays for the tap's connection upstream
      const plain = await roundTrip('Ola, mundo')
      lab.setFaults({ latencyMs: 200 })
      const slow = await roundTrip('Ola, mundo')
      socket.destroy()
      // 200 ms each way is at least 400 ms on top of whatever the machine needs (a busy machine
      // may need more for the plain round trip too, so the bound is on the slow one).
      expect(slow).toBeGreaterThan(plain)
      expect(slow).toBeGreaterThanOrEqual(398)
      const delays = lab.session.events.filter((e): e is FaultEvent => e.kind === 'fault' && e.fault === 'delay')
      expect(delays.map((d) => d.dir).sort()).toEqual(['c2s', 's2c'])
      expect(delays.every((d) => (d.ms ?? 0) >= 199 && d.length === 10)).toBe(true)
      expect(notes(lab.session.events).some((n) => /\+200 ms latency each way/.test(n.text.en))).toBe(true)
    } finally {
      echo.close()
    }
  })

  it('--loss 50 on UDP drops about half the datagrams, each drop logged, none of them delivered', async () => {
    // A counting UDP server: every datagram it gets is echoed, so delivered = replies.
    const server = dgram.createSocket('udp4')
    let received = 0
    server.on('message', (m, r) => {
      received++
      server.send(m, r.port, r.address)
    })
    await new Promise<void>((r) => server.bind(0, '127.0.0.1', r))
    const target = server.address().port
    try {
      const { lab, port } = await watch({ target: `127.0.0.1:${target}`, transport: 'udp' }, { lossPct: 50 })
      const client = dgram.createSocket('udp4')
      await new Promise<void>((r) => client.bind(0, '127.0.0.1', r))
      const N = 200
      for (let i = 0; i < N; i++) {
        client.send(`d${i}`, port, '127.0.0.1')
        if (i % 20 === 19) await new Promise((r) => setTimeout(r, 5))
      }
      const events = await waitForEvents(lab.session, (ev) => ev.filter((e) => e.kind === 'bytes' && e.dir === 'c2s').length === N)
      await new Promise((r) => setTimeout(r, 200))
      client.close()
      const drops = events.filter((e): e is FaultEvent => e.kind === 'fault' && e.fault === 'drop')
      const c2sDrops = drops.filter((d) => d.dir === 'c2s').length
      // 200 fair coin flips: 100 ± 21 covers more than 99.7 % of runs.
      expect(c2sDrops).toBeGreaterThan(70)
      expect(c2sDrops).toBeLessThan(130)
      expect(received).toBe(N - c2sDrops)
      // Replies cross the lossy tap too: those lost on the way back are logged as well.
      const s2c = events.filter((e) => e.kind === 'bytes' && e.dir === 's2c').length
      expect(s2c).toBe(received)
    } finally {
      server.close()
    }
  })

  it('"cut" resets both sides of an open connection and says who did it', async () => {
    const target = await freePort()
    await startPython([script('tcp_server.py', target)], target)
    const { lab, port } = await watch({ target: `127.0.0.1:${target}` })
    const py = spawn(PY, ['-c', `import socket,time\ns=socket.create_connection(('127.0.0.1',${port}))\ns.sendall(b'x')\nprint(s.recv(10))\ntime.sleep(5)`])
    children.push(py)
    await waitForEvents(lab.session, (ev) => text(ev, 's2c') === 'x')
    const r = await lab.action('cut')
    expect(r.ok).toBe(true)
    expect(r.data).toEqual({ cut: 1 })
    const events = lab.session.events
    expect(events.some((e) => e.kind === 'fault' && e.fault === 'cut')).toBe(true)
    expect(events.some((e) => e.kind === 'conn.close' && e.how === 'cut' && e.by === 'wirelab')).toBe(true)
  })

  it('the test message runs under its checkpoint, answered from the real bytes', async () => {
    const target = await freePort()
    await startPython([script('tcp_server.py', target)], target)
    const { lab } = await watch({ target: `127.0.0.1:${target}` })
    const r = await lab.action('send', { message: 'Ola, mundo' })
    expect(r).toMatchObject({ ok: true, data: { reply: 'Ola, mundo' } })
    const cps = lab.session.events.filter((e) => e.kind === 'checkpoint')
    expect(cps.map((c) => (c.kind === 'checkpoint' ? c.state : ''))).toEqual(['ask', 'answer'])
    const answer = cps[1]
    expect(answer.kind === 'checkpoint' && answer.answer).toEqual(['same'])
    expect(answer.kind === 'checkpoint' && answer.explain?.en).toMatch(/10 bytes went .* and 10 came back/)
  })
})
