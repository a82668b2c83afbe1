// The RabbitMQ lesson against the RabbitMQ installed on this machine (.ci/run installs it), started
// once for the whole file: routing by exchange type agrees with the shared matcher, workers take
// turns, prefetch, nack/requeue, durable vs transient across a restart, garbage on the AMQP port,
// the recorded session regenerated and replayed, and a broker that dies mid-lesson.
import { readdirSync, readFileSync } from 'node:fs'
import net from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LabEvent, NoteEvent, PduEvent } from '../../../../shared/events'
import { AMQP_TOPICS, topicMatches } from '../../../../shared/topic-match'
import { rangeProblems } from '../../dissect/fields'
import { Lab } from '../../lab'
import { findInstalled, markedProcesses } from '../../servers/installed'
import { isLoopback, LISTEN, socketsOf, waitForEvents } from '../../testing/events'
import { RABBITMQ } from '../../protocols/amqp/server'
import { recordActions } from './record-session'

const amqp = (events: readonly LabEvent[]): PduEvent[] => events.filter((e): e is PduEvent => e.kind === 'pdu' && e.protocol === 'amqp')
const since = (lab: Lab, from: number): readonly LabEvent[] => lab.session.events.slice(from)

/** Body → labels of the clients it was delivered to (Basic.Deliver frames on their connections). */
function delivered(events: readonly LabEvent[], all: readonly LabEvent[]): Map<string, string[]> {
  const labels = new Map<string, string>()
  for (const e of all) if (e.kind === 'node') labels.set(e.node, e.label)
  const owner = new Map<string, string>()
  for (const e of all) if (e.kind === 'conn.open') owner.set(e.conn, labels.get(e.from) ?? e.from)
  const out = new Map<string, string[]>()
  for (const p of amqp(events).filter((x) => x.keys?.method === 'Basic.Deliver')) {
    const key = `${String(p.keys?.exchange)} ${String(p.keys?.body)}`
    out.set(key, [...(out.get(key) ?? []), owner.get(p.conn) ?? '?'])
  }
  return out
}

let lab: Lab
let port = 0

beforeAll(async () => {
  expect(findInstalled(RABBITMQ), 'rabbitmq-server must be installed (.ci/run installs it)').not.toBeNull()
  lab = new Lab({ ephemeralPorts: true })
  const status = await lab.start('rabbitmq', { broker: 'installed' })
  port = status.ports[0].port
}, 90_000)

afterAll(async () => {
  await lab?.stop()
}, 30_000)

describe('RabbitMQ lesson on a real RabbitMQ', () => {
  it('started RabbitMQ privately, narrated the start and put a tap in front of it', () => {
    const notes = lab.session.events.filter((e): e is NoteEvent => e.kind === 'note')
    expect(notes.some((n) => n.key === 'rabbitmq.starting')).toBe(true)
    expect(notes.find((n) => n.key === 'rabbitmq.ready')?.text.en).toMatch(/^RabbitMQ 3\.\d+\.\d+ started in \d+\.\d s on a private port; Wirelab listens on \d+/)
    expect(port).not.toBe(5672)
    const broker = lab.session.events.find((e) => e.kind === 'node' && e.node === 'rabbitmq')
    expect(broker?.kind === 'node' && broker.label).toMatch(/^RabbitMQ 3\./)
  })

  it('routes one message three ways, exactly as the bindings say (and as the shared matcher predicts)', async () => {
    const from = lab.session.size
    const r = await lab.action('route-three-ways')
    expect(r.ok, JSON.stringify(r.message)).toBe(true)
    const got = delivered(since(lab, from), lab.session.events)
    expect(got.get('sensores.direct 21.5')).toEqual(['Painel 101'])
    expect([...(got.get('sensores.fanout 21.5') ?? [])].sort()).toEqual(['Alarmes', 'Histórico', 'Painel 101'])
    expect([...(got.get('sensores.topic 21.5') ?? [])].sort()).toEqual(['Histórico', 'Painel 101'])
    // The matcher the topology view uses agrees with RabbitMQ.
    const topic = { 'Painel 101': 'sala.101.*', Histórico: '*.*.temp', Alarmes: 'alarme.#' }
    expect(Object.entries(topic).filter(([, k]) => topicMatches(k, 'sala.101.temp', AMQP_TOPICS)).map(([n]) => n).sort()).toEqual(['Histórico', 'Painel 101'])
    const answer = since(lab, from).find((e) => e.kind === 'checkpoint' && e.state === 'answer')
    expect(answer?.kind === 'checkpoint' && answer.answer).toEqual(['q.historico', 'q.painel-101'])
    for (const p of amqp(since(lab, from))) {
      expect(p.malformed, p.summary).toBeUndefined()
      expect(rangeProblems(p.fields, p.data.length)).toEqual([])
    }
    const publish = amqp(since(lab, from)).find((p) => p.keys?.method === 'Basic.Publish' && p.keys.exchange === 'sensores.topic')
    expect(publish?.keys).toMatchObject({ routingKey: 'sala.101.temp', body: '21.5', frames: 3 })
  }, 60_000)

  it('two workers with prefetch 1 take turns on one queue', async () => {
    const r = await lab.action('work-queue')
    expect(r.ok).toBe(true)
    expect(r.data).toEqual({ received: { 'Worker A': ['tarefa 1', 'tarefa 3', 'tarefa 5'], 'Worker B': ['tarefa 2', 'tarefa 4', 'tarefa 6'] } })
  }, 60_000)

  it('a slow worker with prefetch 10 holds more tasks than with prefetch 1', async () => {
    const from = lab.session.size
    const r = await lab.action('prefetch-hog')
    expect(r.ok).toBe(true)
    const d = r.data as { prefetch10: { slow: number; fast: number }; prefetch1: { slow: number; fast: number } }
    expect(d.prefetch10.slow + d.prefetch10.fast).toBe(10)
    expect(d.prefetch10.slow).toBeGreaterThan(d.prefetch1.slow)
    expect(d.prefetch1.slow).toBeLessThanOrEqual(2)
    expect(amqp(since(lab, from)).filter((p) => p.keys?.method === 'Basic.Qos').map((p) => p.keys?.prefetchCount)).toEqual([10, 1, 1])
  }, 60_000)

  it('a nack with requeue brings the message back, marked redelivered', async () => {
    const from = lab.session.size
    const r = await lab.action('nack-requeue')
    expect(r.ok).toBe(true)
    const frames = amqp(since(lab, from))
    expect(frames.some((p) => p.keys?.method === 'Basic.Nack' && p.keys.requeue === true)).toBe(true)
    const deliveries = frames.filter((p) => p.keys?.method === 'Basic.Deliver' && p.keys.body === 'pedido 42')
    expect(deliveries.map((p) => p.keys?.redelivered)).toEqual([false, true])
  }, 60_000)

  it('only the persistent message in the durable queue survives a restart', async () => {
    const from = lab.session.size
    const r = await lab.action('durable-restart')
    expect(r.ok, JSON.stringify(r.message)).toBe(true)
    expect(r.data).toEqual({ found: ['pedido 1'], tempExists: false })
    const frames = amqp(since(lab, from))
    expect(frames.some((p) => p.keys?.method === 'Connection.Close' && p.keys.replyCode === 320)).toBe(true)
    expect(frames.some((p) => p.keys?.method === 'Channel.Close' && p.keys.replyCode === 404)).toBe(true)
    // After the restart, the passive declare finds the durable queue with one message.
    expect(frames.findLast((p) => p.keys?.method === 'Queue.Declare-Ok' && p.keys.queue === 'pedidos.duraveis')?.keys?.messageCount).toBe(1)
  }, 90_000)

  it('garbage and a truncated frame on the AMQP port are malformed PDUs; the broker keeps serving', async () => {
    const from = lab.session.size
    for (const junk of [Buffer.from('GET / HTTP/1.1\r\n\r\n'), Buffer.from('AMQP\x00\x00\x09\x01\x01\x00\x00\x00\x00\x00\x50\x00\x0a')]) {
      await new Promise<void>((resolve) => {
        const s = net.connect({ host: '127.0.0.1', port }, () => s.end(junk))
        s.on('error', () => resolve())
        s.on('close', () => resolve())
        s.resume()
      })
    }
    const events = await waitForEvents(lab.session, (ev) => amqp(ev.slice(from)).filter((p) => p.malformed).length >= 2, 10_000)
    const bad = amqp(events.slice(from)).filter((p) => p.malformed)
    expect(bad[0].malformed?.reason).toMatch(/frame type 0x47/)
    expect(bad.some((p) => /truncated/.test(p.malformed?.reason ?? ''))).toBe(true)
    // RabbitMQ answered the wrong protocol header with its own, as the specification says.
    expect(amqp(events.slice(from)).some((p) => p.dir === 's2c' && p.keys?.frame === 'protocol-header')).toBe(true)
    const r = await lab.action('nack-requeue')
    expect(r.ok).toBe(true)
  }, 60_000)

  it('regenerates the recorded session from the live broker, labelled with its version', async () => {
    const rec = await recordActions(lab, ['nack-requeue'])
    expect(rec.server).toEqual({ name: 'RabbitMQ', version: expect.stringMatching(/^3\.\d+\.\d+$/) })
    const events = rec.actions['nack-requeue']
    expect(events.some((e) => e.kind === 'pdu' && e.protocol === 'amqp' && e.keys?.method === 'Basic.Nack')).toBe(true)
    expect(events.some((e) => e.kind === 'scene')).toBe(false)
  }, 60_000)

  it('taps a RabbitMQ someone already runs, given its host:port (here: this lesson’s own port)', async () => {
    const other = new Lab({ ephemeralPorts: true })
    try {
      const status = await other.start('rabbitmq', { broker: 'external', address: `127.0.0.1:${port}` })
      const broker = other.session.events.find((e) => e.kind === 'node' && e.node === 'rabbitmq')
      expect(broker?.kind === 'node' && broker.label).toBe(`RabbitMQ at 127.0.0.1:${port}`)
      expect(status.ports[0].port).not.toBe(port)
      const r = await other.action('work-queue')
      expect(r.data).toEqual({ received: { 'Worker A': ['tarefa 1', 'tarefa 3', 'tarefa 5'], 'Worker B': ['tarefa 2', 'tarefa 4', 'tarefa 6'] } })
      // Restarting someone else's broker is not Wirelab's to do: it says so.
      const restart = await other.action('durable-restart')
      expect(restart.ok).toBe(false)
      expect(restart.message?.en).toMatch(/restart it yourself/)
    } finally {
      await other.stop()
    }
    // An address where nothing listens: a clear refusal to start.
    const none = new Lab({ ephemeralPorts: true })
    await expect(none.start('rabbitmq', { broker: 'external', address: '127.0.0.1:1' })).rejects.toThrow(/nothing accepts connections on 127\.0\.0\.1:1\. Start your RabbitMQ first/)
  }, 60_000)

  it.runIf(process.platform === 'linux')('RabbitMQ, its helpers and its port mapper (epmd) listen on 127.0.0.1 only', () => {
    const [beam] = brokerPids()
    const mark = readFileSync(`/proc/${beam}/environ`, 'utf8')
      .split('\0')
      .find((v) => v.startsWith('WIRELAB_SERVER='))!
      .slice('WIRELAB_SERVER='.length)
    const pids = markedProcesses(mark)
    const comms = pids.map((pid) => readFileSync(`/proc/${pid}/comm`, 'utf8').trim())
    expect(comms).toEqual(expect.arrayContaining(['beam.smp', 'epmd']))
    const listening = pids.flatMap((pid) => socketsOf(pid)).filter((x) => x.proto.startsWith('tcp') && x.state === LISTEN)
    expect(listening.length).toBeGreaterThanOrEqual(3) // AMQP, Erlang distribution, epmd
    expect(listening.filter((x) => !isLoopback(x.local))).toEqual([])
  })

  it('says what happened and what to do when RabbitMQ dies mid-lesson, and keeps the log', async () => {
    const pids = brokerPids()
    expect(pids.length).toBeGreaterThan(0)
    const before = lab.session.size
    for (const pid of pids) process.kill(pid, 'SIGKILL')
    const events = await waitForEvents(lab.session, (ev) => ev.some((e) => e.kind === 'note' && e.key === 'rabbitmq.died'), 20_000)
    const died = events.find((e): e is NoteEvent => e.kind === 'note' && e.key === 'rabbitmq.died')!
    expect(died.level).toBe('error')
    expect(died.text.en).toMatch(/RabbitMQ stopped on its own \((signal SIGKILL|exit code \d+)\)\. Its last output: .*What to do: start the lesson again/)
    const r = await lab.action('work-queue')
    expect(r.ok).toBe(false)
    expect(r.message?.en).toMatch(/RabbitMQ stopped on its own/)
    expect(lab.session.events.slice(0, before).every((e, i) => e.seq === i + 1)).toBe(true)
  }, 60_000)
})

/** The broker's Erlang VM: the beam.smp started by this test process (through the server's start script). */
function brokerPids(): number[] {
  const stat = (pid: string): { comm: string; ppid: number } | null => {
    try {
      const m = /^\d+ \((.*)\) \S (\d+)/.exec(readFileSync(`/proc/${pid}/stat`, 'utf8'))
      return m ? { comm: m[1], ppid: Number(m[2]) } : null
    } catch {
      return null
    }
  }
  const ours = (pid: number): boolean => {
    for (let p = pid, i = 0; p > 1 && i < 6; i++) {
      const s = stat(String(p))
      if (!s) return false
      if (s.ppid === process.pid) return true
      p = s.ppid
    }
    return false
  }
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p) && stat(p)?.comm.startsWith('beam'))
    .map(Number)
    .filter(ours)
}
