// `wirelab serve` of the RabbitMQ and ZeroMQ lessons with the course's own kind of clients: the
// pika and pyzmq scripts shipped in resources/clients (run by Debian's /usr/bin/python3, which
// sees python3-pika and python3-zmq), tshark reading the exported pcap, and the RabbitMQ lesson on
// a machine where PATH has no rabbitmq-server.
import { execFile, spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import type { LabEvent, PduEvent } from '../shared/events'
import { amqpArgumentId, AMQP } from '../shared/protocols/amqp'
import type { SessionFile } from '../shared/wire'
import { findField } from './lab/dissect/fields'
import { clientScript } from './lab/scenes/client-scripts'
import { ROOT, serve, WIRELAB } from './cli-test-support'

const run = promisify(execFile)
/** The port each script is written for (the course's); the served one replaces it. */
const COURSE_PORTS: Record<string, number> = { 'rabbitmq_producer.py': 5672, 'rabbitmq_consumer.py': 5672, 'zmq_req.py': 5555, 'zmq_sub.py': 5556, 'zmq_worker.py': 5557 }
const PY = '/usr/bin/python3'

const pdus = (events: readonly LabEvent[], protocol: string): PduEvent[] => events.filter((e): e is PduEvent => e.kind === 'pdu' && e.protocol === protocol)

/** Writes a resources/clients script with the served port filled in; returns its path. */
function script(name: string, port: number): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'wirelab-py-'))
  const file = path.join(dir, name)
  writeFileSync(file, clientScript(name, { port }, COURSE_PORTS[name]))
  return file
}

/** Runs a Python script to completion; resolves with its stdout. */
function python(file: string, args: string[] = [], timeout = 30_000): { done: Promise<string> } {
  const child = spawn(PY, [file, ...args])
  let out = ''
  let err = ''
  child.stdout.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr.on('data', (d: Buffer) => (err += d.toString()))
  const timer = setTimeout(() => child.kill('SIGKILL'), timeout)
  return {
    done: new Promise((resolve, reject) =>
      child.once('exit', (code) => {
        clearTimeout(timer)
        if (code === 0) resolve(out)
        else reject(new Error(`${path.basename(file)} exited with ${code}: ${err || out}`))
      })
    )
  }
}

describe('wirelab serve rabbitmq with Python pika clients', () => {
  it('a pika consumer and producer go through it; the stream holds Basic.Publish and Basic.Deliver with routing key and body; tshark counts the same frames', async () => {
    const s = await serve('rabbitmq', ['--set', 'broker=installed'])
    const amqpPort = s.ready.ports.amqp
    let wire: SessionFile['events']
    try {
      expect(amqpPort).toBeGreaterThan(0)
      const consumer = python(script('rabbitmq_consumer.py', amqpPort), ['2'])
      await s.until((ev) => pdus(ev, 'amqp').some((p) => p.keys?.method === 'Basic.Consume-Ok'), 30_000, 'the consumer to start consuming')
      const produced = await python(script('rabbitmq_producer.py', amqpPort), ['quick']).done
      expect(produced).toContain('Publicado sala.101.temp: 21.5')
      const consumed = await consumer.done
      expect(consumed).toContain('Recebido sala.101.temp: 21.5')
      expect(consumed).toContain('Recebido sala.102.temp: 19.0')
      expect(consumed).not.toContain('umid')
      await s.until((ev) => pdus(ev, 'amqp').filter((p) => p.keys?.method === 'Connection.Close-Ok').length >= 2, 15_000, 'both clients to close')
      const amqp = pdus(s.events, 'amqp')
      expect(amqp.filter((p) => p.malformed)).toEqual([])
      for (const method of ['Basic.Publish', 'Basic.Deliver']) {
        const p = amqp.find((x) => x.keys?.method === method && x.keys.routingKey === 'sala.101.temp')
        expect(p, method).toBeDefined()
        expect(findField(p!.fields, amqpArgumentId('routingKey'))?.value).toBe('"sala.101.temp"')
        expect(findField(p!.fields, AMQP.payload)?.value).toBe('«21.5»')
        expect(p!.keys?.body).toBe('21.5')
      }
      expect(amqp.find((p) => p.keys?.method === 'Queue.Declare')?.keys?.queue).toBe('leituras')
      // The pika clients appear as actors named by what they say they are.
      const labels = s.events.filter((e) => e.kind === 'node' && e.external).map((e) => (e.kind === 'node' ? e.label : ''))
      expect(labels.filter((l) => /^Pika Python Client Library/.test(l))).toHaveLength(2)
      wire = s.wire
    } finally {
      expect(await s.stop()).toBe(0)
    }
    // The exported pcap, read by tshark's own AMQP dissector: the same frames, in the same order.
    const dir = mkdtempSync(path.join(tmpdir(), 'wirelab-amqp-'))
    const file = path.join(dir, 'rabbitmq.wirelab')
    const session: SessionFile = { format: 'wirelab-session', version: 1, created: new Date().toISOString(), scene: 'rabbitmq', events: wire }
    writeFileSync(file, JSON.stringify(session))
    await run(process.execPath, [WIRELAB, 'export', file, '--pcap', path.join(dir, 'rabbitmq.pcap')], { cwd: ROOT })
    const { stdout } = await run('tshark', ['-r', path.join(dir, 'rabbitmq.pcap'), '-d', `tcp.port==${amqpPort},amqp`, '-Y', 'amqp', '-T', 'fields', '-e', 'amqp.type', '-e', 'amqp.method.class', '-e', 'amqp.method.method'], { maxBuffer: 32 << 20 })
    const theirs = stdout
      .trim()
      .split('\n')
      .flatMap((line) => line.split('\t')[0].split(','))
      .filter(Boolean)
    const ours = pdus(wire.map((w) => ({ ...w, data: new Uint8Array() }) as LabEvent), 'amqp').filter((p) => p.keys?.frame !== 'protocol-header')
    expect(theirs.length).toBe(ours.reduce((n, p) => n + Number(p.keys?.frames ?? 0), 0))
    const typesOurs = ours.flatMap((p) => {
      const n = Number(p.keys?.frames)
      const kind = p.keys?.frame === 'method' ? 1 : p.keys?.frame === 'header' ? 2 : p.keys?.frame === 'body' ? 3 : 8
      return kind === 1 && n > 1 ? ['1', '2', ...Array.from({ length: n - 2 }, () => '3')] : [String(kind)]
    })
    expect([...theirs].sort()).toEqual([...typesOurs].sort())
  }, 180_000)

  it('with no rabbitmq-server on PATH, opens the recorded session, labelled, and says how to get the live one', async () => {
    const env = { ...process.env, PATH: path.dirname(process.execPath), WIRELAB_ONLY_PATH: '1' }
    const s = await serve('rabbitmq', [], env, 30_000)
    try {
      expect(s.ready.ports).toEqual({})
      // The ready line comes first; the lesson's own events follow it on the stream.
      await s.until((ev) => ev.some((e) => e.kind === 'note' && e.key === 'rabbitmq.recorded'), 15_000, 'the recorded-session note')
      const broker = s.events.find((e) => e.kind === 'node' && e.node === 'rabbitmq')
      expect(broker?.kind === 'node' && broker.label).toMatch(/^RabbitMQ 3\.\d+\.\d+ \(recorded\)$/)
      const note = s.events.find((e) => e.kind === 'note' && e.key === 'rabbitmq.recorded')
      expect(note?.kind === 'note' && note.text.en).toMatch(/RabbitMQ is not installed on this machine\. This is a session recorded from a real RabbitMQ 3\.\d+\.\d+/)
      expect(note?.kind === 'note' && note.text.en).toContain('sudo apt install rabbitmq-server')
      expect(note?.kind === 'note' && note.text.pt).toContain('brew install rabbitmq')
    } finally {
      expect(await s.stop()).toBe(0)
    }
    expect(s.stderr()).toContain('wirelab: try  sudo apt install rabbitmq-server')
  }, 60_000)
})

describe('wirelab serve zeromq with Python pyzmq sockets', () => {
  it('a pyzmq REQ gets its replies; a pyzmq SUB receives only its topic; greeting, READY and SUBSCRIBE are dissected', async () => {
    const s = await serve('zeromq')
    try {
      const { ports } = s.ready
      expect(ports).toMatchObject({ 'zmq-rep': expect.any(Number), 'zmq-pub': expect.any(Number), 'zmq-push': expect.any(Number) })
      const replies = await python(script('zmq_req.py', ports['zmq-rep'])).done
      expect(replies).toContain('Resposta: eco: Ola do Python 0')
      expect(replies).toContain('Resposta: eco: Ola do Python 2')
      const sub = await python(script('zmq_sub.py', ports['zmq-pub']), ['sensor.temp', '2']).done
      const got = sub.split('\n').filter((l) => l.startsWith('Recebido:'))
      expect(got).toHaveLength(2)
      expect(got.every((l) => /^Recebido: sensor\.temp \d+\.\d$/.test(l))).toBe(true)
      await s.until((ev) => ev.filter((e) => e.kind === 'conn.close').length >= 2, 15_000, 'both sockets to close')
      const zmtp = pdus(s.events, 'zmtp')
      expect(zmtp.filter((p) => p.malformed)).toEqual([])
      expect(zmtp.filter((p) => p.keys?.kind === 'greeting')).toHaveLength(4)
      expect(zmtp.filter((p) => p.keys?.command === 'READY' && p.dir === 'c2s').map((p) => p.keys?.socketType).sort()).toEqual(['REQ', 'SUB'])
      expect(zmtp.filter((p) => p.keys?.command === 'SUBSCRIBE').map((p) => [p.dir, p.keys?.topic])).toEqual([['c2s', 'sensor.temp']])
      // On the wire to the SUB: only sensor.temp, although the publisher also published sensor.umid and alarme.
      const subConn = zmtp.find((p) => p.keys?.command === 'SUBSCRIBE')!.conn
      const sent = zmtp.filter((p) => p.conn === subConn && p.dir === 's2c' && p.keys?.kind === 'message').map((p) => String(p.keys?.first))
      expect(sent.length).toBeGreaterThanOrEqual(2)
      expect(new Set(sent)).toEqual(new Set(['sensor.temp']))
      const labels = s.events.filter((e) => e.kind === 'node' && e.external).map((e) => (e.kind === 'node' ? e.label : ''))
      expect(labels.some((l) => /^REQ socket 127\.0\.0\.1:\d+$/.test(l))).toBe(true)
      expect(labels.some((l) => /^SUB socket 127\.0\.0\.1:\d+$/.test(l))).toBe(true)
    } finally {
      expect(await s.stop()).toBe(0)
    }
  }, 60_000)
})
