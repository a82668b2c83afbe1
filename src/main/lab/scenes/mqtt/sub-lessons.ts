// The MQTT lesson's sub-lessons (seed 004): fan-out, wildcards, QoS 0/1/2 side by side, a retained
// message, the Last Will, a persistent session, keep-alive, an MQTT 5 client, and a load test.
// Each sets up its clients, narrates, makes the real traffic and returns what it observed.
import type { ActionResult } from '../../../../shared/scene'
import { ok } from '../types'
import { withTimeout, type Member, type MqttLesson } from './lesson'

export async function demo(
  l: MqttLesson,
  topic: string,
  payload: string,
  qos: 0 | 1 | 2,
  retain: boolean
): Promise<ActionResult> {
  await l.closeAll()
  const pub = await l.add('Sensor A', 'pub')
  await l.add('Dashboard', 'sub', [{ filter: 'home/#', qos: 1 }])
  await l.add('Living room', 'sub', [{ filter: 'home/livingroom/+', qos: 2 }])
  await l.add('Temperatures', 'sub', [{ filter: 'home/+/temperature', qos: 0 }])
  await l.add('Kitchen', 'sub', [{ filter: 'home/kitchen/#', qos: 1 }])
  l.note(
    'mqtt.demo',
    `Sensor A publishes "${payload}" on ${topic} (QoS ${qos}). It does not know who listens: the broker delivers a copy to each subscription whose filter matches.`,
    `O Sensor A publica "${payload}" em ${topic} (QoS ${qos}). Não sabe quem escuta: o broker entrega uma cópia a cada assinatura cujo filtro corresponde.`
  )
  await l.publishAsked(pub, topic, payload, qos, retain)
  return ok(undefined, { delivered: l.subscribersFor(topic) })
}

export async function wildcards(l: MqttLesson): Promise<ActionResult> {
  await l.closeAll()
  const pub = await l.add('Building', 'pub')
  await l.add('Room 102 lights (+)', 'sub', [{ filter: 'building/+/room102/light', qos: 0 }])
  await l.add('Floor 1 (#)', 'sub', [{ filter: 'building/floor1/#', qos: 0 }])
  await l.add('Exact topic', 'sub', [{ filter: 'building/floor1/room102/light', qos: 0 }])
  l.note(
    'mqtt.wildcards',
    '+ matches exactly one level (building/+/room102/light); # matches any number of levels, including none (building/floor1/#).',
    '+ corresponde a exatamente um nível (building/+/room102/light); # corresponde a qualquer número de níveis, incluindo nenhum (building/floor1/#).'
  )
  const topics = [
    'building/floor1/room102/light',
    'building/floor2/room102/light',
    'building/floor1/room101/door',
    'building/floor1',
    'building/floor2/room102/light/brightness'
  ]
  for (const t of topics) await l.publish(pub, t, 'on', 0)
  return ok(undefined, { matrix: Object.fromEntries(topics.map((t) => [t, l.subscribersFor(t)])) })
}

export async function qosCompare(l: MqttLesson): Promise<ActionResult> {
  await l.closeAll()
  const pub = await l.add('Publisher', 'pub')
  await l.add('Subscriber QoS 2', 'sub', [{ filter: 'lab/qos/+', qos: 2 }])
  await l.add('Subscriber QoS 1 (lab/#)', 'sub', [{ filter: 'lab/#', qos: 1 }])
  l.note(
    'mqtt.qos',
    'QoS is per leg. QoS 0: one PUBLISH. QoS 1: PUBLISH + PUBACK. QoS 2: PUBLISH, PUBREC, PUBREL, PUBCOMP. The broker delivers at most the QoS the subscription was granted.',
    'O QoS é por trecho. QoS 0: um PUBLISH. QoS 1: PUBLISH + PUBACK. QoS 2: PUBLISH, PUBREC, PUBREL, PUBCOMP. O broker entrega no máximo o QoS concedido à assinatura.'
  )
  for (const q of [0, 1, 2] as const) await l.publish(pub, `lab/qos/${q}`, `QoS ${q}`, q)
  return ok()
}

export async function retained(l: MqttLesson): Promise<ActionResult> {
  await l.closeAll()
  const pub = await l.add('Thermostat', 'pub')
  await l.publish(pub, 'home/livingroom/setpoint', '21', 1, true)
  l.note(
    'mqtt.retained',
    'The PUBLISH had RETAIN=1: the broker keeps it as the topic’s last known value and hands it to anyone who subscribes later, with RETAIN=1.',
    'O PUBLISH tinha RETAIN=1: o broker o guarda como o último valor do tópico e o entrega a quem assinar mais tarde, com RETAIN=1.'
  )
  const late = await l.add('Late subscriber', 'sub')
  const got = new Promise<string>((resolve) =>
    late.client.once('message', (_t, m, packet) => resolve(`${m.toString()} retain=${packet.retain}`))
  )
  late.filters.push({ filter: 'home/livingroom/setpoint', qos: 1 })
  await late.client.subscribeAsync('home/livingroom/setpoint', { qos: 1 })
  const received = await withTimeout(got, 3000, 'the retained message did not arrive')
  await l.settle()
  // Clear the retained value so the lesson can be replayed from a clean broker.
  await pub.client.publishAsync('home/livingroom/setpoint', '', { qos: 1, retain: true })
  return ok(undefined, { received })
}

export async function will(l: MqttLesson): Promise<ActionResult> {
  await l.closeAll()
  const watcher = await l.add('Status monitor', 'sub', [{ filter: 'device/+/status', qos: 1 }])
  const dev = await l.connect('Device 123', 'pub', {
    clientId: 'device-123',
    will: { topic: 'device/123/status', payload: Buffer.from('offline'), qos: 1, retain: false }
  })
  await dev.client.publishAsync('device/123/status', 'online', { qos: 1 })
  await l.settle()
  l.note(
    'mqtt.will.kill',
    'Device 123 registered a Last Will in its CONNECT. Now its socket is destroyed (TCP reset), without DISCONNECT: the broker publishes the will for it.',
    'O Device 123 registrou um Last Will no CONNECT. Agora o socket é destruído (reset TCP), sem DISCONNECT: o broker publica o testamento em nome dele.'
  )
  const got = new Promise<string>((resolve) =>
    watcher.client.on('message', (t, m) => {
      if (t === 'device/123/status' && m.toString() === 'offline') resolve(m.toString())
    })
  )
  dev.socket.resetAndDestroy()
  const will = await withTimeout(got, 5000, 'the Last Will was not published')
  await l.settle()
  return ok(undefined, { will })
}

export async function persistent(l: MqttLesson): Promise<ActionResult> {
  await l.closeAll()
  const node = 'sub:logger'
  // Start from no stored session (a clean connect discards one left by an earlier run).
  const fresh = await l.connect('Logger', 'sub', { clientId: 'logger-persistent', clean: true }, node)
  await fresh.client.endAsync()
  fresh.socket.destroy()
  const pub = await l.add('Sensor', 'pub')
  const opts = { clientId: 'logger-persistent', clean: false }
  const first = await l.connect('Logger', 'sub', opts, node)
  await first.client.subscribeAsync('lab/log/#', { qos: 1 })
  await first.client.endAsync()
  first.socket.destroy()
  l.note(
    'mqtt.persistent.offline',
    'Logger connected with clean session off, subscribed to lab/log/# (QoS 1) and went offline. The broker keeps its session and queues QoS 1 messages for it.',
    'O Logger se conectou com clean session desligado, assinou lab/log/# (QoS 1) e ficou offline. O broker guarda a sessão e enfileira as mensagens QoS 1.'
  )
  for (let i = 1; i <= 3; i++) await pub.client.publishAsync(`lab/log/${i}`, `reading ${i}`, { qos: 1 })
  const received: string[] = []
  let allIn = (): void => undefined
  const arrived = new Promise<void>((resolve) => (allIn = resolve))
  // Listen before CONNECT: the queued messages follow the CONNACK immediately.
  const back = await l.connect('Logger', 'sub', opts, node, (c) =>
    c.on('message', (_t, msg) => {
      received.push(msg.toString())
      if (received.length === 3) allIn()
    })
  )
  const m: Member = {
    name: 'Logger',
    role: 'sub',
    node,
    client: back.client,
    socket: back.socket,
    filters: [{ filter: 'lab/log/#', qos: 1 }]
  }
  l.members.set('Logger', m)
  await withTimeout(arrived, 5000, 'the queued messages did not arrive')
  await l.settle()
  l.note(
    'mqtt.persistent.back',
    `Logger reconnected: CONNACK says session present = ${back.sessionPresent ? 1 : 0}, and the ${received.length} messages queued while it was offline arrived.`,
    `O Logger voltou: o CONNACK diz sessão presente = ${back.sessionPresent ? 1 : 0}, e chegaram as ${received.length} mensagens em fila enquanto esteve offline.`
  )
  return ok(undefined, { sessionPresent: back.sessionPresent, received })
}

export async function keepalive(l: MqttLesson): Promise<ActionResult> {
  const c = await l.connect('Quiet sensor', 'pub', { keepalive: 1 })
  l.note(
    'mqtt.keepalive',
    'Quiet sensor asked for a 1 s keep-alive and has nothing to say: it sends PINGREQ, the broker answers PINGRESP, so both know the connection is alive.',
    'O Quiet sensor pediu keep-alive de 1 s e não tem nada a dizer: envia PINGREQ, o broker responde PINGRESP, e ambos sabem que a conexão está viva.'
  )
  await withTimeout(
    new Promise<void>((resolve) =>
      c.client.on('packetreceive', (pkt) => pkt.cmd === 'pingresp' && resolve())
    ),
    5000,
    'no PINGRESP'
  )
  await c.client.endAsync()
  c.socket.destroy()
  return ok()
}

export async function mqtt5(l: MqttLesson): Promise<ActionResult> {
  const c = l.connect('MQTT 5 client', 'pub', { protocolVersion: 5 })
  let reason: string
  try {
    const r = await c
    await r.client.endAsync()
    r.socket.destroy()
    reason = 'accepted'
  } catch (err) {
    reason = err instanceof Error ? err.message : String(err)
  }
  l.note(
    'mqtt.v5',
    `An MQTT 5 CONNECT (protocol level 5) gets: ${reason}. aedes 1.2 speaks MQTT 3.1 and 3.1.1 only; it answers in the 3.1.1 format with return code 1 and closes the connection.`,
    `Um CONNECT MQTT 5 (nível de protocolo 5) recebe: ${reason}. O aedes 1.2 só fala MQTT 3.1 e 3.1.1; responde no formato 3.1.1 com o código 1 e fecha a conexão.`,
    'warn'
  )
  return ok(undefined, { reason })
}

export async function burst(
  l: MqttLesson,
  count: number,
  rate: number,
  subscribers: number
): Promise<ActionResult> {
  await l.closeAll()
  const pub = await l.add('Fast sensor', 'pub')
  for (let i = 1; i <= subscribers; i++)
    await l.add(`Sub ${i}`, 'sub', [{ filter: i % 2 ? 'load/#' : `load/${i % 4}/+`, qos: 0 }])
  const topicOf = (n: number): string => `load/${n % 4}/value`
  const arrived = l.deliveriesOf(
    Array.from({ length: count }, (_, n) => ({ topic: topicOf(n), payload: String(n) }))
  )
  const started = performance.now()
  const perTick = Math.max(1, Math.round(rate / 100))
  let sent = 0
  while (sent < count) {
    const tickStart = performance.now()
    for (let k = 0; k < perTick && sent < count; k++, sent++)
      pub.client.publish(topicOf(sent), String(sent), { qos: 0 })
    const due = started + (sent / rate) * 1000
    await new Promise((r) =>
      setTimeout(r, Math.max(0, due - performance.now(), tickStart + 1 - performance.now()))
    )
  }
  await withTimeout(arrived, 60_000, 'not every delivery arrived')
  const seconds = (performance.now() - started) / 1000
  await l.settle()
  l.note(
    'mqtt.burst',
    `${count} messages in ${seconds.toFixed(2)} s (${Math.round(count / seconds)}/s) to ${subscribers} subscribers.`,
    `${count} mensagens em ${seconds.toFixed(2)} s (${Math.round(count / seconds)}/s) para ${subscribers} assinantes.`
  )
  return ok(undefined, { count, seconds })
}
