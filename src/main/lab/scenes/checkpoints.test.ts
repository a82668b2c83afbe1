// Every lesson asks before its step's real traffic and answers after it, with the answer read from
// that traffic: each lesson runs for real here (real servers, clients and taps on ephemeral ports)
// and the logged answers are checked against what the course says must happen.
import { afterEach, describe, expect, it } from 'vitest'
import type { CheckpointEvent, LabEvent } from '../../../shared/events'
import { Lab } from '../lab'
import { sceneList } from './index'

let lab: Lab | null = null
afterEach(async () => {
  await lab?.stop()
  lab = null
})

/** Runs one action of a lesson and returns the checkpoint events it logged, ask and answer. */
async function run(scene: string, action: string, args: Record<string, unknown> = {}): Promise<CheckpointEvent[]> {
  lab = new Lab({ ephemeralPorts: true })
  await lab.start(scene)
  const from = lab.session.events.length
  const res = await lab.action(action, args)
  expect(res.ok, JSON.stringify(res.message)).toBe(true)
  const events: readonly LabEvent[] = lab.session.events.slice(from)
  const cps = events.filter((e): e is CheckpointEvent => e.kind === 'checkpoint')
  expect(cps.map((c) => c.state)).toEqual(['ask', 'answer'])
  const [ask, answer] = cps
  expect(answer.run).toBe(ask.run)
  // The step's traffic lies between the question and the answer (a lesson may set things up, such
  // as subscribers connecting, before it asks); nothing of it comes after the answer.
  const traffic = events.filter((e) => e.kind === 'pdu' || e.kind === 'bytes')
  expect(traffic.filter((e) => e.seq > ask.seq && e.seq < answer.seq).length).toBeGreaterThan(0)
  for (const e of traffic) expect(e.seq).toBeLessThan(answer.seq)
  for (const id of answer.answer ?? []) expect(ask.choices.map((c) => c.id)).toContain(id)
  expect(answer.explain?.en.length).toBeGreaterThan(20)
  expect(answer.explain?.pt.length).toBeGreaterThan(20)
  return cps
}

const answerOf = (cps: CheckpointEvent[]): string[] => cps[1].answer ?? []

describe('checkpoints, answered from the real traffic', () => {
  it('every lesson declares at least one checkpoint, for one of its actions', () => {
    for (const s of sceneList()) {
      expect(s.checkpoints?.length, s.id).toBeGreaterThan(0)
      for (const c of s.checkpoints ?? []) {
        expect(s.actions.map((a) => a.id), `${s.id}: ${c.id}`).toContain(c.action)
        expect(c.question.en && c.question.pt).toBeTruthy()
      }
    }
  })

  it('TCP vs UDP echo: a dozen TCP segments for what UDP does in 2 datagrams', async () => {
    expect(answerOf(await run('tcp-udp-echo', 'send-both'))).toEqual(['10+'])
  })

  it('TCP handshake: the server acknowledges 1 + the message length', async () => {
    const cps = await run('tcp-handshake', 'client-closes', { message: 'Ola, mundo' })
    expect(cps[0].question.en).toContain('"Ola, mundo" (10 bytes)')
    expect(answerOf(cps)).toEqual(['11'])
  })

  it('REST: GET /items/3 is a 404', async () => {
    expect(answerOf(await run('rest', 'tour'))).toEqual(['404'])
  })

  it('HTTP/2: every request on one connection', async () => {
    const cps = await run('http2', 'fetch', { streams: 4 })
    expect(cps[0].question.en).toContain('4 resources')
    expect(answerOf(cps)).toEqual(['1'])
  })

  it('HTTP race: the answer is the side whose last response came first', async () => {
    const cps = await run('http-race', 'race', { count: 12, delay: 40, size: 2000 })
    expect(answerOf(cps)).toHaveLength(1)
    expect(cps[1].explain?.en).toMatch(/HTTP\/1\.1 \d+ ms on \d+ connections, HTTP\/2 \d+ ms on 1/)
  })

  it('WebSocket: only client → server frames are masked', async () => {
    expect(answerOf(await run('websocket', 'chat'))).toEqual(['c2s'])
  })

  it('SSE: the stream resumes after Last-Event-ID; an LLM stream is one-way (seed 001, question 3)', async () => {
    expect(answerOf(await run('sse', 'metrics', { interval: 100 }))).toEqual(['resume'])
    await lab?.stop()
    const chat = await run('sse', 'chat')
    expect(chat[0].source).toMatch(/seed 001.*question 3/)
    expect(answerOf(chat)).toEqual(['none'])
  })

  it('TLS: the server name and ALPN are readable on the wire; the path and the body are not', async () => {
    expect(answerOf(await run('tls', 'get')).sort()).toEqual(['alpn', 'sni'])
  })

  it('MQTT: the PUBLISH reaches exactly the subscribers whose filters match', async () => {
    const cps = await run('mqtt', 'demo')
    expect(cps[0].multiple).toBe(true)
    expect(cps[0].choices.map((c) => c.id).sort()).toEqual(['sub:dashboard', 'sub:kitchen', 'sub:living-room', 'sub:temperatures'])
    expect(answerOf(cps).sort()).toEqual(['sub:dashboard', 'sub:living-room', 'sub:temperatures'])
  })

  it('Serialization: Protobuf a third of JSON or less; Avro for an evolving Kafka topic (seed 001, question 4)', async () => {
    expect(answerOf(await run('serialization', 'encode'))).toEqual(['third'])
    const before = lab!.session.events.length
    await lab!.action('evolve-add')
    const evo = lab!.session.events.slice(before).filter((e): e is CheckpointEvent => e.kind === 'checkpoint')
    expect(evo.map((e) => e.state)).toEqual(['ask', 'answer'])
    expect(evo[0].source).toMatch(/seed 001.*question 4/)
    expect(evo[1].answer).toEqual(['avro'])
  })
})
