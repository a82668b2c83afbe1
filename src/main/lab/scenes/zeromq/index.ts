// Lesson "ZeroMQ: patterns without a broker" (seed 004, "Padrão: Sem Broker (ZeroMQ / ØMQ)"):
// real libzmq sockets (the zeromq package) behind taps on 5555 (REP), 5556 (PUB) and 5557 (PUSH),
// built-in REQ, SUB and PULL sockets, and a real MQTT broker on 1883 for the side-by-side.
import type { ClientHint } from '../../../../shared/scene'
import { ZMQ_PORTS } from '../../../../shared/protocols/zmtp'
import { startBroker } from '../../protocols/mqtt/server'
import { scriptHint } from '../client-scripts'
import type { SceneContext } from '../context'
import { runAction, runScript, type SceneDef } from '../types'
import { ACTIONS, type Live } from './actions'
import { INFO } from './info'
import { bindServers, ZmqLesson } from './lesson'
import { Moments } from './moments'
import { labelOutsideClients } from '../outside-clients'

export const zeromq: SceneDef = {
  info: INFO,
  async start(ctx) {
    const bound = await bindServers()
    ctx.onStop(() => {
      for (const s of [bound.rep, bound.pub, bound.push]) s.close()
    })
    const tap = (name: string, preferred: number, port: number, node: string, label: string): ReturnType<SceneContext['tcpTap']> =>
      ctx.tcpTap({ name, preferredPort: preferred, target: { host: '127.0.0.1', port }, dissector: 'zmtp', server: { node, label }, externalLabel: 'ZeroMQ socket' })
    const rep = await tap('zmq-rep', ZMQ_PORTS.reqrep, bound.hidden.rep, 'zmq-rep', 'REP socket (server)')
    const pub = await tap('zmq-pub', ZMQ_PORTS.pubsub, bound.hidden.pub, 'zmq-pub', 'PUB socket (publisher)')
    const push = await tap('zmq-push', ZMQ_PORTS.pushpull, bound.hidden.push, 'zmq-push', 'PUSH socket (ventilator)')
    const broker = await startBroker({ specQos: true })
    ctx.onStop(() => broker.close())
    const mqtt = await ctx.tcpTap({
      name: 'mqtt',
      preferredPort: 1883,
      target: { host: '127.0.0.1', port: broker.port },
      dissector: 'mqtt',
      server: { node: 'mqtt-broker', label: 'MQTT broker (aedes)', role: 'broker' },
      externalLabel: 'MQTT client'
    })
    labelOutsideClients(ctx, (p) => (p.protocol === 'zmtp' && p.keys?.command === 'READY' && typeof p.keys.socketType === 'string' ? `${p.keys.socketType} socket` : undefined))
    const lesson = new ZmqLesson(ctx, { ...bound, ports: { rep: rep.port.port, pub: pub.port.port, push: push.port.port, mqtt: mqtt.port.port } })
    const moments = new Moments(ctx, lesson)
    const ports = lesson.servers.ports

    const hints = (): ClientHint[] => [
      scriptHint({ en: 'REQ client (Python pyzmq)', pt: 'Cliente REQ (Python pyzmq)' }, 'zmq_req.py', { port: ports.rep }, ZMQ_PORTS.reqrep),
      scriptHint({ en: 'SUB subscriber (Python pyzmq)', pt: 'Assinante SUB (Python pyzmq)' }, 'zmq_sub.py', { port: ports.pub }, ZMQ_PORTS.pubsub, 'python3 zmq_sub.py sensor.temp'),
      scriptHint({ en: 'PULL worker (Python pyzmq)', pt: 'Worker PULL (Python pyzmq)' }, 'zmq_worker.py', { port: ports.push }, ZMQ_PORTS.pushpull),
      { title: { en: 'Install pyzmq', pt: 'Instalar o pyzmq' }, command: 'pip install pyzmq   # Debian/Ubuntu: sudo apt install python3-zmq' },
      { title: { en: 'MQTT, for comparison (mosquitto_sub)', pt: 'MQTT, para comparar (mosquitto_sub)' }, command: `mosquitto_sub -h 127.0.0.1 -p ${ports.mqtt} -t 'sensor/#' -v` }
    ]

    const live: Live = { lesson, moments }
    return {
      ports: [rep.port, pub.port, push.port, mqtt.port],
      hints,
      action: (id, args) => runAction(ACTIONS, live, id, args),
      script: () => runScript(ACTIONS, live, {}),
      stop: () => lesson.removeAll()
    }
  }
}
