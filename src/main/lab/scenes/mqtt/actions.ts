// The MQTT lesson's actions, declared once: this table gives the lesson's `info.actions` (what the
// panel and the CLI show), what each action does, and the default script (`script: true`, in
// order). The lesson's panel lists the `step` actions as buttons; the `control` ones are driven by
// its forms (add and remove clients, publish).
import type { ParamValues } from '../../../../shared/events'
import { validFilter, validTopic } from '../../../../shared/protocols/mqtt-topic'
import { fail, ok, type LessonAction } from '../types'
import type { MqttLesson } from './lesson'
import { p, qosOf } from './params'
import {
  burst,
  demo,
  keepalive,
  mqtt5,
  persistent,
  qosCompare,
  retained,
  wildcards,
  will
} from './sub-lessons'

/** What the actions read of their arguments, with the lesson's defaults. */
function argsOf(args: ParamValues): {
  topic: string
  payload: string
  qos: 0 | 1 | 2
  retain: boolean
  name: string
} {
  return {
    topic: String(args.topic ?? 'home/livingroom/temperature'),
    payload: String(args.payload ?? '22.5'),
    qos: qosOf(args.qos),
    retain: args.retain === true,
    name: String(args.name ?? '').trim()
  }
}

export const ACTIONS: readonly LessonAction<MqttLesson>[] = [
  {
    id: 'demo',
    primary: true,
    script: true,
    label: { en: 'Fan-out: 1 publisher, 4 subscribers', pt: 'Distribuição: 1 publisher, 4 assinantes' },
    help: {
      en: 'Starts the seed’s sensor and four subscribers with different filters, then publishes once.',
      pt: 'Inicia o sensor do seed e quatro assinantes com filtros diferentes, e publica uma vez.'
    },
    run: (l, args) => {
      const a = argsOf(args)
      return demo(l, a.topic, a.payload, a.qos, a.retain)
    }
  },
  {
    id: 'add-publisher',
    kind: 'control',
    label: { en: 'Add publisher', pt: 'Adicionar publisher' },
    params: [{ ...p.name, default: 'Sensor' }],
    async run(l, args) {
      const { name } = argsOf(args)
      const m = await l.add(name || `Sensor ${l.count('pub') + 1}`, 'pub')
      return ok({ en: `${m.name} connected.`, pt: `${m.name} conectado.` }, { node: m.node })
    }
  },
  {
    id: 'add-subscriber',
    kind: 'control',
    label: { en: 'Add subscriber', pt: 'Adicionar assinante' },
    params: [{ ...p.name, default: 'Dashboard' }, p.filter, { ...p.qos, default: '1' }],
    async run(l, args) {
      const { name, qos } = argsOf(args)
      const filter = String(args.filter ?? '#').trim()
      if (!validFilter(filter))
        return fail({
          en: `"${filter}" is not a valid topic filter: + must fill a whole level and # must be the last level.`,
          pt: `"${filter}" não é um filtro válido: + ocupa um nível inteiro e # tem de ser o último nível.`
        })
      const m = await l.add(name || `Subscriber ${l.count('sub') + 1}`, 'sub', [{ filter, qos }])
      return ok(
        {
          en: `${m.name} subscribed to ${filter} (QoS ${qos}).`,
          pt: `${m.name} assinou ${filter} (QoS ${qos}).`
        },
        { node: m.node }
      )
    }
  },
  {
    id: 'remove-client',
    kind: 'control',
    label: { en: 'Remove client', pt: 'Remover cliente' },
    params: [p.name],
    async run(l, args) {
      const { name } = argsOf(args)
      return (await l.remove(name))
        ? ok({ en: `${name} disconnected.`, pt: `${name} desconectado.` })
        : fail({ en: `No client named "${name}".`, pt: `Nenhum cliente chamado "${name}".` })
    }
  },
  {
    id: 'publish',
    kind: 'control',
    label: { en: 'Publish', pt: 'Publicar' },
    params: [
      {
        ...p.name,
        help: { en: 'Publisher to use (empty: the first one).', pt: 'Qual publisher usar (vazio: o primeiro).' }
      },
      p.topic,
      p.payload,
      p.qos,
      p.retain
    ],
    async run(l, args) {
      const { name, topic, payload, qos, retain } = argsOf(args)
      if (!validTopic(topic))
        return fail({
          en: `"${topic}" is not a valid topic: a topic name cannot contain + or #.`,
          pt: `"${topic}" não é um tópico válido: um nome de tópico não pode conter + nem #.`
        })
      const m = name ? l.members.get(name) : [...l.members.values()].find((x) => x.role === 'pub')
      const pub = m ?? (await l.ensurePublisher(name || 'Sensor A'))
      await l.publishAsked(pub, topic, payload, qos, retain)
      return ok(undefined, { delivered: l.subscribersFor(topic) })
    }
  },
  {
    id: 'wildcards',
    script: true,
    label: { en: 'Wildcards: + and #', pt: 'Wildcards: + e #' },
    run: (l) => wildcards(l)
  },
  {
    id: 'qos-compare',
    script: true,
    label: { en: 'QoS 0, 1 and 2 side by side', pt: 'QoS 0, 1 e 2 lado a lado' },
    run: (l) => qosCompare(l)
  },
  {
    id: 'retained',
    script: true,
    label: { en: 'Retained message for a late subscriber', pt: 'Mensagem retida para um assinante tardio' },
    run: (l) => retained(l)
  },
  {
    id: 'will',
    script: true,
    label: { en: 'Last Will: kill a client', pt: 'Last Will: matar um cliente' },
    run: (l) => will(l)
  },
  {
    id: 'persistent',
    script: true,
    label: { en: 'Persistent session: offline queue', pt: 'Sessão persistente: fila offline' },
    run: (l) => persistent(l)
  },
  {
    id: 'keepalive',
    script: true,
    label: { en: 'Keep-alive: PINGREQ / PINGRESP', pt: 'Keep-alive: PINGREQ / PINGRESP' },
    run: (l) => keepalive(l)
  },
  {
    id: 'mqtt5',
    script: true,
    label: { en: 'Try an MQTT 5 client', pt: 'Tentar um cliente MQTT 5' },
    run: (l) => mqtt5(l)
  },
  {
    id: 'burst',
    label: { en: 'Load: many messages per second', pt: 'Carga: muitas mensagens por segundo' },
    params: [p.count, p.rate, p.subscribers],
    run: (l, args) =>
      burst(l, Number(args.count ?? 1000), Number(args.rate ?? 1000), Number(args.subscribers ?? 20))
  },
  {
    id: 'reset',
    label: { en: 'Remove all clients', pt: 'Remover todos os clientes' },
    async run(l) {
      await l.closeAll()
      return ok()
    }
  }
]
