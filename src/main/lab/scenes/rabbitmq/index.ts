// Lesson "RabbitMQ: exchanges and queues" (seed 004, "Padrão: Message Broker (RabbitMQ)"): a
// real RabbitMQ behind a tap on 5672 (the one installed here, started privately; or one the
// person runs; or the session recorded from a real one), amqplib producers and consumers, and the
// moments: one message routed three ways, two workers taking turns, prefetch, nack and requeue,
// durable vs transient across a restart.
import type { ClientHint } from '../../../../shared/scene'
import { AMQP_PORT } from '../../../../shared/protocols/amqp'
import { resourcePath } from '../../resources'
import { scriptHint } from '../client-scripts'
import type { SceneContext } from '../context'
import { fail, ok, runAction, runScript, type SceneDef, type SceneRun } from '../types'
import { ACTIONS, type Live } from './actions'
import { loadRecording, replaySegment } from '../recording'
import { INSTALL, obtainBroker, type BrokerMode, type LiveBroker } from './broker'
import { INFO } from './info'
import { RabbitLesson } from './lesson'
import { Moments } from './moments'
import { labelOutsideClients } from '../outside-clients'

export const BROKER_NODE = 'rabbitmq'
export const RECORDING = (): string => resourcePath('recordings', 'rabbitmq.json.gz')

export const rabbitmq: SceneDef = {
  info: INFO,
  async start(ctx, params) {
    const mode = String(params.broker ?? 'auto') as BrokerMode
    const broker = await obtainBroker(ctx, mode, String(params.address ?? ''))
    if (broker.kind === 'recorded') return recorded(ctx, broker.reason, broker.level)
    return live(ctx, broker)
  }
}

async function live(ctx: SceneContext, broker: LiveBroker): Promise<SceneRun> {
  const tap = await ctx.tcpTap({
    name: 'amqp',
    preferredPort: AMQP_PORT,
    target: { host: broker.host, port: broker.port },
    dissector: 'amqp',
    server: { node: BROKER_NODE, label: broker.label, role: 'broker' },
    externalLabel: 'AMQP client'
  })
  const port = tap.port.port
  labelOutsideClients(ctx, (p) => {
    if (p.protocol !== 'amqp' || p.keys?.method !== 'Connection.Start-Ok') return undefined
    const k = p.keys
    const name = k['clientProperties.connection_name']
    const product = k['clientProperties.product']
    const platform = k['clientProperties.platform']
    return name ? String(name) : product ? `${String(product)}${platform ? ` (${String(platform)})` : ''}` : 'AMQP client'
  })
  const lesson = new RabbitLesson(ctx, broker, port)
  const moments = new Moments(ctx, lesson)
  if (broker.kind === 'installed')
    ctx.note(
      'rabbitmq.ready',
      {
        en: `RabbitMQ ${broker.version ?? ''} started in ${((broker.startedInMs ?? 0) / 1000).toFixed(1)} s on a private port; Wirelab listens on ${port} and shows every frame.`,
        pt: `O RabbitMQ ${broker.version ?? ''} iniciou em ${((broker.startedInMs ?? 0) / 1000).toFixed(1)} s numa porta privada; o Wirelab escuta na ${port} e mostra cada frame.`
      }
    )
  else ctx.note('rabbitmq.external', { en: `Your RabbitMQ at ${broker.host}:${broker.port}, behind Wirelab's port ${port}.`, pt: `O seu RabbitMQ em ${broker.host}:${broker.port}, atrás da porta ${port} do Wirelab.` })

  const hints = (): ClientHint[] => [
    scriptHint({ en: 'Producer (Python pika)', pt: 'Produtor (Python pika)' }, 'rabbitmq_producer.py', { port }, AMQP_PORT),
    scriptHint({ en: 'Consumer (Python pika)', pt: 'Consumidor (Python pika)' }, 'rabbitmq_consumer.py', { port }, AMQP_PORT),
    { title: { en: 'Install pika', pt: 'Instalar o pika' }, command: 'pip install pika   # Debian/Ubuntu: sudo apt install python3-pika' }
  ]

  const live: Live = { lesson, moments, broker }
  // Restarting is for the RabbitMQ Wirelab started: someone else's broker is theirs to restart.
  const scripted = ACTIONS.filter((x) => broker.kind === 'installed' || x.id !== 'durable-restart')
  return {
    ports: [tap.port],
    hints,
    action: (id, args) => runAction(ACTIONS, live, id, args),
    script: () => runScript(scripted, live, {}),
    stop: () => lesson.removeAll()
  }
}

/** No live RabbitMQ: the session recorded from a real one, action by action, labelled. */
async function recorded(ctx: SceneContext, reason: { en: string; pt: string }, level: 'warn' | 'error'): Promise<SceneRun> {
  const rec = loadRecording(RECORDING())
  const { version } = rec.server
  const label = `RabbitMQ ${version} (recorded)`
  ctx.session.append({ kind: 'node', node: BROKER_NODE, label, role: 'broker' })
  ctx.note(
    'rabbitmq.recorded',
    {
      en: `${reason.en} This is a session recorded from a real RabbitMQ ${version} (${rec.recorded.slice(0, 10)}, amqplib ${rec.recordedWith.amqplib ?? '?'}): real bytes, replayed; the lesson's actions replay their part. For the live lesson — ${INSTALL.en}`,
      pt: `${reason.pt} Esta é uma sessão gravada de um RabbitMQ ${version} real (${rec.recorded.slice(0, 10)}, amqplib ${rec.recordedWith.amqplib ?? '?'}): bytes reais, repetidos; as ações da aula repetem a sua parte. Para a aula ao vivo — ${INSTALL.pt}`
    },
    level
  )
  const action = async (id: string): Promise<ReturnType<typeof ok>> => {
    const segment = rec.actions[id]
    if (!segment)
      return fail({
        en: `This is the recorded session: "${id}" needs a live RabbitMQ. ${INSTALL.en}`,
        pt: `Esta é a sessão gravada: "${id}" precisa de um RabbitMQ ao vivo. ${INSTALL.pt}`
      })
    const n = await replaySegment(ctx, segment, { relabel: { [BROKER_NODE]: label } })
    return ok({ en: `Replayed ${n} recorded events.`, pt: `${n} eventos gravados repetidos.` }, { recorded: true, version })
  }
  const hints = (): ClientHint[] => [
    { title: { en: 'Install RabbitMQ (Linux)', pt: 'Instalar o RabbitMQ (Linux)' }, command: 'sudo apt install rabbitmq-server' },
    { title: { en: 'Install RabbitMQ (macOS)', pt: 'Instalar o RabbitMQ (macOS)' }, command: 'brew install rabbitmq' },
    { title: { en: 'Run RabbitMQ in Docker (then choose “A RabbitMQ I run”)', pt: 'Rodar o RabbitMQ em Docker (e escolher “Um RabbitMQ que eu rodo”)' }, command: 'docker run -d --name rabbitmq -p 5673:5672 rabbitmq:3' }
  ]
  return {
    ports: [],
    hints,
    action,
    async script() {
      for (const id of Object.keys(rec.actions)) await action(id)
    }
  }
}
