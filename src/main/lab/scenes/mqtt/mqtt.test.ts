import { afterEach, describe, expect, it } from 'vitest'
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import type { LabEvent, PduEvent } from '../../../../shared/events'
import { Lab } from '../../lab'
import { has, waitForEvents } from '../../testing/events'
import { rangeProblems } from '../../dissect/fields'
import { topicMatches } from '../../../../shared/protocols/mqtt-topic'

const mqttPdus = (events: readonly LabEvent[]): PduEvent[] => events.filter((e): e is PduEvent => e.kind === 'pdu' && e.protocol === 'mqtt')

/** Who each connection belongs to: conn id → node label. */
function owners(events: readonly LabEvent[]): Map<string, string> {
  const labels = new Map<string, string>()
  for (const e of events) if (e.kind === 'node') labels.set(e.node, e.label)
  const out = new Map<string, string>()
  for (const e of events) if (e.kind === 'conn.open') out.set(e.conn, labels.get(e.from) ?? e.from)
  return out
}

/** topic → labels of the clients that received a PUBLISH on it from the broker. */
function deliveries(events: readonly LabEvent[]): Map<string, Set<string>> {
  const who = owners(events)
  const out = new Map<string, Set<string>>()
  for (const p of mqttPdus(events)) {
    if (p.keys?.type !== 'PUBLISH') continue
    const topic = String(p.keys.topic)
    if (!out.has(topic)) out.set(topic, new Set())
    if (p.dir === 's2c') out.get(topic)!.add(who.get(p.conn)!)
  }
  return out
}

/** The MQTT packet types on one connection, in order, as "dir TYPE[qos]". */
function flow(events: readonly LabEvent[], conn: string): string[] {
  return mqttPdus(events)
    .filter((p) => p.conn === conn)
    .map((p) => `${p.dir === 'c2s' ? '→' : '←'} ${String(p.keys?.type)}${p.keys?.type === 'PUBLISH' ? ` q${String(p.keys.qos)}` : ''}`)
}

function connOf(events: readonly LabEvent[], label: string): string[] {
  return [...owners(events)].filter(([, l]) => l === label).map(([c]) => c)
}

let lab: Lab | null = null
const children: ChildProcess[] = []
afterEach(async () => {
  for (const c of children.splice(0)) c.kill()
  await lab?.stop()
  lab = null
})

async function start(params: Record<string, unknown> = {}): Promise<{ lab: Lab; port: number }> {
  lab = new Lab({ ephemeralPorts: true })
  const status = await lab.start('mqtt', params)
  return { lab, port: status.ports[0].port }
}

describe('MQTT lesson with a real broker and real clients', () => {
  it('delivers by wildcard exactly as the specification says', async () => {
    const { lab } = await start()
    const r = await lab.action('wildcards')
    expect(r.ok).toBe(true)
    const got = deliveries(lab.session.events)
    const subs = { 'Room 102 lights (+)': 'building/+/room102/light', 'Floor 1 (#)': 'building/floor1/#', 'Exact topic': 'building/floor1/room102/light' }
    const expected: Record<string, string[]> = {
      'building/floor1/room102/light': ['Room 102 lights (+)', 'Floor 1 (#)', 'Exact topic'],
      'building/floor2/room102/light': ['Room 102 lights (+)'],
      'building/floor1/room101/door': ['Floor 1 (#)'],
      'building/floor1': ['Floor 1 (#)'], // # also matches the parent level
      'building/floor2/room102/light/brightness': [] // + is exactly one level
    }
    for (const [topic, who] of Object.entries(expected)) {
      expect([...(got.get(topic) ?? [])].sort(), topic).toEqual([...who].sort())
      // The matcher the engine (and the view) uses agrees with the broker.
      expect(Object.entries(subs).filter(([, f]) => topicMatches(f, topic)).map(([n]) => n).sort(), topic).toEqual([...who].sort())
    }
    for (const p of mqttPdus(lab.session.events)) {
      expect(p.malformed).toBeUndefined()
      expect(rangeProblems(p.fields, p.data.length)).toEqual([])
      expect(p.keys?.type).toBeTruthy()
    }
  })

  it('shows each QoS flow on each leg, and downgrades to the granted QoS', async () => {
    const { lab } = await start()
    expect((await lab.action('qos-compare')).ok).toBe(true)
    const ev = await waitForEvents(lab.session, (e) => mqttPdus(e).filter((p) => p.keys?.type === 'PUBCOMP').length === 2)
    const [pub] = connOf(ev, 'Publisher')
    expect(flow(ev, pub)).toEqual(['→ CONNECT', '← CONNACK', '→ PUBLISH q0', '→ PUBLISH q1', '← PUBACK', '→ PUBLISH q2', '← PUBREC', '→ PUBREL', '← PUBCOMP'])
    const [q2] = connOf(ev, 'Subscriber QoS 2')
    expect(flow(ev, q2)).toEqual(['→ CONNECT', '← CONNACK', '→ SUBSCRIBE', '← SUBACK', '← PUBLISH q0', '← PUBLISH q1', '→ PUBACK', '← PUBLISH q2', '→ PUBREC', '← PUBREL', '→ PUBCOMP'])
    // Packet ids pair each exchange on its own leg.
    const legIds = mqttPdus(ev).filter((p) => p.conn === q2 && ['PUBREC', 'PUBREL', 'PUBCOMP'].includes(String(p.keys?.type))).map((p) => p.keys?.packetId)
    const q2Publish = mqttPdus(ev).find((p) => p.conn === q2 && p.keys?.type === 'PUBLISH' && p.keys.qos === 2)
    expect(new Set(legIds)).toEqual(new Set([q2Publish?.keys?.packetId]))
    // lab/# was granted QoS 1: the QoS 2 message arrives at QoS 1 with a PUBACK.
    const [q1] = connOf(ev, 'Subscriber QoS 1 (lab/#)')
    expect(flow(ev, q1)).toEqual(['→ CONNECT', '← CONNACK', '→ SUBSCRIBE', '← SUBACK', '← PUBLISH q0', '← PUBLISH q1', '→ PUBACK', '← PUBLISH q1', '→ PUBACK'])
  })

  it('without the specification fix, shows what aedes really does on a wildcard subscription', async () => {
    const { lab } = await start({ specQos: false })
    expect((await lab.action('qos-compare')).ok).toBe(true)
    const ev = await waitForEvents(lab.session, (e) => mqttPdus(e).filter((p) => p.keys?.type === 'PUBCOMP').length === 3)
    const [q1] = connOf(ev, 'Subscriber QoS 1 (lab/#)')
    const delivered = mqttPdus(ev).find((p) => p.conn === q1 && p.dir === 's2c' && p.keys?.topic === 'lab/qos/2')
    // aedes 1.2 compares the subscription by topic name only, so "lab/#" (granted 1) gets QoS 2.
    expect(delivered?.keys?.qos).toBe(2)
  })

  it('hands a retained message to a late subscriber', async () => {
    const { lab } = await start()
    const r = await lab.action('retained')
    expect(r.ok).toBe(true)
    expect(r.data).toEqual({ received: '21 retain=true' })
    const [late] = connOf(lab.session.events, 'Late subscriber')
    const got = mqttPdus(lab.session.events).filter((p) => p.conn === late && p.keys?.type === 'PUBLISH')
    expect(got.map((p) => [p.dir, p.keys?.topic, p.keys?.retain, p.keys?.payload])).toEqual([['s2c', 'home/livingroom/setpoint', true, '21']])
    const sub = mqttPdus(lab.session.events).findIndex((p) => p.conn === late && p.keys?.type === 'SUBSCRIBE')
    expect(mqttPdus(lab.session.events).findIndex((p) => p === got[0])).toBeGreaterThan(sub)
  })

  it('publishes the Last Will when a client’s socket is destroyed without DISCONNECT', async () => {
    const { lab } = await start()
    expect((await lab.action('will')).ok).toBe(true)
    const ev = lab.session.events
    const [dev] = connOf(ev, 'Device 123')
    expect(flow(ev, dev)).toEqual(['→ CONNECT', '← CONNACK', '→ PUBLISH q1', '← PUBACK'])
    const connect = mqttPdus(ev).find((p) => p.conn === dev && p.keys?.type === 'CONNECT')
    expect(connect?.keys).toMatchObject({ willTopic: 'device/123/status', willPayload: 'offline', willQos: 1 })
    const close = ev.find((e) => e.kind === 'conn.close' && e.conn === dev)
    expect(close).toMatchObject({ by: 'client', how: 'rst' })
    const [mon] = connOf(ev, 'Status monitor')
    const will = mqttPdus(ev).find((p) => p.conn === mon && p.dir === 's2c' && p.keys?.payload === 'offline')
    expect(will?.keys?.topic).toBe('device/123/status')
    expect(will!.seq).toBeGreaterThan(close!.seq)
  })

  it('queues QoS 1 messages for a persistent session while it is offline', async () => {
    const { lab } = await start()
    const r = await lab.action('persistent')
    expect(r.ok).toBe(true)
    expect(r.data).toEqual({ sessionPresent: true, received: ['reading 1', 'reading 2', 'reading 3'] })
    const ev = lab.session.events
    const [fresh, first, back] = connOf(ev, 'Logger')
    expect(flow(ev, fresh)).toEqual(['→ CONNECT', '← CONNACK', '→ DISCONNECT'])
    expect(flow(ev, first)).toEqual(['→ CONNECT', '← CONNACK', '→ SUBSCRIBE', '← SUBACK', '→ DISCONNECT'])
    const backFlow = flow(ev, back)
    expect(backFlow.slice(0, 2)).toEqual(['→ CONNECT', '← CONNACK'])
    expect(backFlow.filter((x) => x === '← PUBLISH q1')).toHaveLength(3)
    expect(backFlow.filter((x) => x === '→ PUBACK')).toHaveLength(3)
    const connack = mqttPdus(ev).find((p) => p.conn === back && p.keys?.type === 'CONNACK')
    expect(connack?.keys?.sessionPresent).toBe(true)
  })

  it('shows keep-alive pings and the refusal of an MQTT 5 client', async () => {
    const { lab } = await start()
    expect((await lab.action('keepalive')).ok).toBe(true)
    const [quiet] = connOf(lab.session.events, 'Quiet sensor')
    expect(flow(lab.session.events, quiet).slice(0, 4)).toEqual(['→ CONNECT', '← CONNACK', '→ PINGREQ', '← PINGRESP'])
    const r = await lab.action('mqtt5')
    expect(r.ok).toBe(true)
    const [v5] = connOf(lab.session.events, 'MQTT 5 client')
    const pdus = mqttPdus(lab.session.events).filter((p) => p.conn === v5)
    expect(pdus[0].keys).toMatchObject({ type: 'CONNECT', version: 5 })
    expect(pdus[1].keys).toMatchObject({ type: 'CONNACK', returnCode: 1 })
    expect(pdus[1].summary).toMatch(/unacceptable protocol version/)
    expect(String((r.data as { reason: string }).reason)).toMatch(/Unacceptable protocol version/i)
  })

  it('lets people add, name and remove publishers and subscribers', async () => {
    const { lab } = await start()
    expect((await lab.action('add-subscriber', { name: 'Ana', filter: 'home/+/temperature', qos: '1' })).ok).toBe(true)
    expect((await lab.action('add-subscriber', { name: 'Bruno', filter: 'home/kitchen/#', qos: '0' })).ok).toBe(true)
    expect((await lab.action('add-subscriber', { name: 'Bad', filter: 'home/#/x' })).ok).toBe(false)
    expect((await lab.action('add-publisher', { name: 'Sala' })).ok).toBe(true)
    const r = await lab.action('publish', { name: 'Sala', topic: 'home/livingroom/temperature', payload: '23', qos: '1' })
    expect(r.data).toEqual({ delivered: ['Ana'] })
    expect([...(deliveries(lab.session.events).get('home/livingroom/temperature') ?? [])]).toEqual(['Ana'])
    expect((await lab.action('remove-client', { name: 'Ana' })).ok).toBe(true)
    const [ana] = connOf(lab.session.events, 'Ana')
    await waitForEvents(lab.session, (e) => e.some((x) => x.kind === 'conn.close' && x.conn === ana))
    expect(flow(lab.session.events, ana).at(-1)).toBe('→ DISCONNECT')
  })
})

describe.skipIf(!has('mosquitto_sub') || !has('mosquitto_pub'))('mosquitto clients through the broker (needs mosquitto-clients)', () => {
  it('carries mosquitto_pub to mosquitto_sub, and both appear in the session by client id', async () => {
    const { lab, port } = await start()
    const sub = spawn('mosquitto_sub', ['-h', '127.0.0.1', '-p', String(port), '-t', 'home/#', '-v', '-C', '1', '-q', '1', '-i', 'aluno-sub'])
    children.push(sub)
    const subClosed = once(sub, 'close') as Promise<[number]>
    let out = ''
    sub.stdout.on('data', (d: Buffer) => (out += d.toString()))
    await waitForEvents(lab.session, (e) => mqttPdus(e).some((p) => p.keys?.type === 'SUBACK'))
    const pub = spawn('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(port), '-t', 'home/livingroom/temperature', '-m', '23.1', '-q', '1', '-i', 'aluno-pub'])
    children.push(pub)
    const [code] = await subClosed
    expect(code).toBe(0)
    expect(out.trim()).toBe('home/livingroom/temperature 23.1')
    const ev = await waitForEvents(lab.session, (e) => e.filter((x) => x.kind === 'conn.close').length >= 2)
    const labels = ev.filter((e) => e.kind === 'node' && e.external).map((e) => (e.kind === 'node' ? e.label : ''))
    expect(labels.some((l) => l.startsWith('aluno-sub (127.0.0.1:'))).toBe(true)
    expect(labels.some((l) => l.startsWith('aluno-pub (127.0.0.1:'))).toBe(true)
    const types = mqttPdus(ev).map((p) => `${p.dir} ${String(p.keys?.type)}`)
    expect(types).toEqual(expect.arrayContaining(['c2s SUBSCRIBE', 's2c SUBACK', 'c2s PUBLISH', 's2c PUBACK', 's2c PUBLISH', 'c2s PUBACK', 'c2s DISCONNECT']))
    expect(mqttPdus(ev).filter((p) => p.malformed)).toEqual([])
  })
})

describe.skipIf(!has('mosquitto_pub'))('a broker with a user name and password (needs mosquitto-clients)', () => {
  it('refuses a client without them, accepts one with them, and its own clients log in', async () => {
    const { lab, port } = await start({ username: 'turma', password: 's3gredo' })
    const run = async (extra: string[]): Promise<number> => {
      const p = spawn('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(port), '-t', 'home/x', '-m', '1', ...extra])
      children.push(p)
      const [code] = (await once(p, 'close')) as [number]
      return code
    }
    expect(await run(['-i', 'sem-senha'])).not.toBe(0)
    expect(await run(['-i', 'com-senha', '-u', 'turma', '-P', 's3gredo'])).toBe(0)
    const connacks = mqttPdus(lab.session.events).filter((p) => p.keys?.type === 'CONNACK').map((p) => p.keys?.returnCode)
    expect(connacks).toEqual([4, 0])
    const r = await lab.action('demo')
    expect(r.ok).toBe(true)
    expect(lab.status()?.hints[0].command).toContain("-u turma -P s3gredo")
    const connects = mqttPdus(lab.session.events).filter((p) => p.keys?.type === 'CONNECT' && String(p.keys.clientId).startsWith('wirelab-'))
    expect(connects.length).toBe(5)
    expect(connects.every((p) => p.keys?.username === 'turma')).toBe(true)
  })
})

describe('classroom mode', () => {
  it('warns, with the address to share, when the broker listens beyond 127.0.0.1', async () => {
    // 127.0.0.2 is still loopback: the test never leaves the machine, but takes the classroom path.
    lab = new Lab({ ephemeralPorts: true, host: '127.0.0.2' })
    const status = await lab.start('mqtt', { username: 'turma', password: 'x' })
    const note = lab.session.events.find((e) => e.kind === 'note' && e.key === 'mqtt.classroom')
    expect(note).toMatchObject({ level: 'warn' })
    expect(note?.kind === 'note' && note.text.en).toMatch(/Anyone on this network can publish and subscribe with the user name and password/)
    expect(status.ports[0].host).toBe('127.0.0.2')
    expect((await lab.action('demo')).ok).toBe(true)
    expect(mqttPdus(lab.session.events).filter((p) => p.dir === 's2c' && p.keys?.type === 'PUBLISH')).toHaveLength(3)
  })
})

describe.skipIf(!has('/usr/bin/python3'))('the seed’s paho-mqtt subscriber (needs python3 with paho-mqtt)', () => {
  it('receives what a built-in publisher sends', { timeout: 30_000 }, async () => {
    const { lab, port } = await start()
    const script = `
import paho.mqtt.client as mqtt, sys
def on_connect(client, userdata, flags, rc):
    client.subscribe("myhome/livingroom/temperature")
def on_subscribe(client, userdata, mid, granted_qos):
    print("subscribed", flush=True)
def on_message(client, userdata, msg):
    print(f"Tópico: {msg.topic} | Mensagem: {msg.payload.decode()}", flush=True)
    client.disconnect()
client = mqtt.Client(client_id="paho-aluno")
client.on_connect = on_connect
client.on_subscribe = on_subscribe
client.on_message = on_message
client.connect("127.0.0.1", ${port}, 60)
client.loop_forever()
`
    const py = spawn('/usr/bin/python3', ['-W', 'ignore', '-c', script])
    children.push(py)
    // Listen from the start: the script may finish before the publish action returns.
    const closed = once(py, 'close') as Promise<[number]>
    let err = ''
    py.stderr.on('data', (d: Buffer) => (err += d.toString()))
    py.once('exit', (code) => code && console.error(`python exited ${code}: ${err}`))
    let out = ''
    py.stdout.on('data', (d: Buffer) => (out += d.toString()))
    // Subscribed once the broker's SUBACK to the script is in the session.
    await waitForEvents(lab.session, (e) => mqttPdus(e).some((p) => p.keys?.type === 'SUBACK'), 15_000)
    await lab.action('publish', { name: 'Sensor', topic: 'myhome/livingroom/temperature', payload: '21.7', qos: '0' })
    const late = setTimeout(() => console.error('still waiting for the script; session:', mqttPdus(lab.session.events).map((p) => `${p.conn} ${p.summary}`)), 10_000)
    const [code] = await closed
    clearTimeout(late)
    expect(code).toBe(0)
    expect(out).toContain('Tópico: myhome/livingroom/temperature | Mensagem: 21.7')
    expect(lab.session.events.some((e) => e.kind === 'node' && e.label.startsWith('paho-aluno ('))).toBe(true)
  })
})
