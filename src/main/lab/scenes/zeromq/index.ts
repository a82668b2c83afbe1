// Lesson "ZeroMQ: patterns without a broker" (seed 004, "Padrão: Sem Broker (ZeroMQ / ØMQ)"):
// real libzmq sockets (the zeromq package) behind taps on 5555 (REP), 5556 (PUB) and 5557 (PUSH),
// built-in REQ, SUB and PULL sockets, and a real MQTT broker on 1883 for the side-by-side.
import type { ClientHint } from '../../../../shared/scene'
import type { ParamValues } from '../../../../shared/events'
import { ZMQ_PORTS } from '../../../../shared/protocols/zmtp'
import { startBroker } from '../../protocols/mqtt/server'
import { clientScript } from '../client-scripts'
import type { SceneContext } from '../context'
import { fail, ok, type SceneDef, type SceneRun } from '../types'
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
      {
        title: { en: 'REQ client (Python pyzmq)', pt: 'Cliente REQ (Python pyzmq)' },
        command: 'python3 zmq_req.py',
        file: { name: 'zmq_req.py', language: 'python', content: clientScript('zmq_req.py', { port: ports.rep }, ZMQ_PORTS.reqrep) }
      },
      {
        title: { en: 'SUB subscriber (Python pyzmq)', pt: 'Subscritor SUB (Python pyzmq)' },
        command: 'python3 zmq_sub.py sensor.temp',
        file: { name: 'zmq_sub.py', language: 'python', content: clientScript('zmq_sub.py', { port: ports.pub }, ZMQ_PORTS.pubsub) }
      },
      {
        title: { en: 'PULL worker (Python pyzmq)', pt: 'Worker PULL (Python pyzmq)' },
        command: 'python3 zmq_worker.py',
        file: { name: 'zmq_worker.py', language: 'python', content: clientScript('zmq_worker.py', { port: ports.push }, ZMQ_PORTS.pushpull) }
      },
      { title: { en: 'Install pyzmq', pt: 'Instalar o pyzmq' }, command: 'pip install pyzmq   # Debian/Ubuntu: sudo apt install python3-zmq' },
      { title: { en: 'MQTT, for comparison (mosquitto_sub)', pt: 'MQTT, para comparar (mosquitto_sub)' }, command: `mosquitto_sub -h 127.0.0.1 -p ${ports.mqtt} -t 'sensor/#' -v` }
    ]

    const action = async (id: string, a: ParamValues): Promise<ReturnType<typeof ok>> => {
      const s = (k: string): string => String(a[k] ?? '').trim()
      switch (id) {
        case 'pub-sub':
          return moments.pubSub()
        case 'compare-mqtt':
          return moments.compareMqtt()
        case 'slow-joiner':
          return moments.slowJoiner()
        case 'req-rep':
          return moments.reqRep()
        case 'push-pull':
          return moments.pushPull(Number(a.jobs ?? 9))
        case 'add-subscriber':
          await lesson.addSubscriber(s('name') || 'Painel', [String(a.topic ?? '')])
          return ok()
        case 'publish':
          await lesson.publish(s('message') || 'sensor.temp 21.5')
          return ok()
        case 'request': {
          const client = lesson.members.get('Cliente') ?? (await lesson.addRequester('Cliente'))
          return ok(undefined, { reply: await lesson.request(client, s('message') || 'Ola') })
        }
        case 'add-worker':
          await lesson.addWorker(s('name') || 'Worker')
          return ok()
        case 'send-jobs':
          await moments.sendJobs(Number(a.jobs ?? 9))
          return ok()
        case 'remove-client':
          return (await lesson.remove(s('name'))) ? ok() : fail({ en: `No socket called "${s('name')}".`, pt: `Não há nenhum socket chamado "${s('name')}".` })
        case 'reset':
          await lesson.removeAll()
          return ok()
        default:
          return fail({ en: `Unknown action "${id}".`, pt: `Ação desconhecida "${id}".` })
      }
    }
    const run: SceneRun = {
      ports: [rep.port, pub.port, push.port, mqtt.port],
      hints,
      action,
      async script() {
        for (const id of ['req-rep', 'pub-sub', 'compare-mqtt', 'slow-joiner', 'push-pull']) {
          const r = await action(id, { jobs: 9 })
          if (!r.ok) throw new Error(`${id}: ${r.message?.en ?? 'failed'}`)
        }
      },
      stop: () => lesson.removeAll()
    }
    return run
  }
}
