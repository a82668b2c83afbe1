// The ZeroMQ lesson's actions, declared once (the MQTT lesson is the model): this table gives
// `info.actions`, what each action does, and the default script (`script: true`, in order).
import type { ParamValues } from '../../../../shared/events'
import type { ParamDef } from '../../../../shared/scene'
import { fail, ok, type LessonAction } from '../types'
import type { ZmqLesson } from './lesson'
import type { Moments } from './moments'

/** What the actions act on: the lesson's sockets and its moments. */
export interface Live {
  lesson: ZmqLesson
  moments: Moments
}

const str = (a: ParamValues, k: string): string => String(a[k] ?? '').trim()

const p = {
  name: {
    id: 'name',
    label: { en: 'Socket name', pt: 'Nome do socket' },
    type: 'string',
    default: ''
  } satisfies ParamDef,
  topic: {
    id: 'topic',
    label: { en: 'Subscription (topic prefix)', pt: 'Assinatura (prefixo do tópico)' },
    type: 'string',
    default: 'sensor.temp',
    help: {
      en: 'A SUB receives messages whose first frame starts with these bytes; empty: everything.',
      pt: 'Um SUB recebe as mensagens cujo primeiro frame começa com estes bytes; vazio: tudo.'
    }
  } satisfies ParamDef,
  message: {
    id: 'message',
    label: { en: 'Message (topic, space, value)', pt: 'Mensagem (tópico, espaço, valor)' },
    type: 'string',
    default: 'sensor.temp 21.5'
  } satisfies ParamDef,
  request: {
    id: 'message',
    label: { en: 'Request', pt: 'Requisição' },
    type: 'string',
    default: 'Ola'
  } satisfies ParamDef,
  jobs: {
    id: 'jobs',
    label: { en: 'Jobs', pt: 'Tarefas' },
    type: 'number',
    default: 9,
    min: 1,
    max: 200
  } satisfies ParamDef
}

export const ACTIONS: readonly LessonAction<Live>[] = [
  {
    id: 'pub-sub',
    primary: true,
    label: { en: 'PUB/SUB without a broker', pt: 'PUB/SUB sem broker' },
    help: {
      en: 'A publisher and three subscribers that connect straight to it. Each SUBSCRIBE travels upstream; the publisher sends each subscriber only what it asked for.',
      pt: 'Um publisher e três assinantes que se conectam diretamente a ele. Cada SUBSCRIBE viaja no sentido do publisher; o publisher envia a cada assinante só o que ele pediu.'
    },
    script: true,
    run: (l) => l.moments.pubSub()
  },
  {
    id: 'compare-mqtt',
    label: { en: 'The same with MQTT’s broker', pt: 'O mesmo com o broker MQTT' },
    help: {
      en: 'The same subscriptions and messages through a real MQTT broker: the broker filters and fans out.',
      pt: 'As mesmas assinaturas e mensagens através de um broker MQTT real: é o broker que filtra e distribui.'
    },
    script: true,
    run: (l) => l.moments.compareMqtt()
  },
  {
    id: 'slow-joiner',
    label: {
      en: 'The slow joiner: messages lost before subscribing',
      pt: 'O “slow joiner”: mensagens perdidas antes de assinar'
    },
    help: {
      en: 'The publisher starts sending while a subscriber is still connecting: what it sends before the SUBSCRIBE arrives is lost for that subscriber. Counted.',
      pt: 'O publisher começa a enviar enquanto um assinante ainda está se conectando: o que envia antes de o SUBSCRIBE chegar se perde para esse assinante. Contado.'
    },
    script: true,
    run: (l) => l.moments.slowJoiner()
  },
  {
    id: 'req-rep',
    label: { en: 'REQ/REP: strict lockstep', pt: 'REQ/REP: passo a passo estrito' },
    help: {
      en: 'Three requests and replies, then a second request before the reply: libzmq refuses it.',
      pt: 'Três requisições e respostas, depois uma segunda requisição antes da resposta: a libzmq a recusa.'
    },
    script: true,
    run: (l) => l.moments.reqRep()
  },
  {
    id: 'push-pull',
    label: {
      en: 'PUSH/PULL: jobs to a pool of workers',
      pt: 'PUSH/PULL: tarefas para um conjunto de workers'
    },
    help: {
      en: 'A ventilator pushes nine jobs to three workers: fair-queued, in turn.',
      pt: 'Um ventilador envia nove tarefas a três workers: distribuídas em rodízio.'
    },
    params: [p.jobs],
    script: true,
    run: (l, a) => l.moments.pushPull(Number(a.jobs ?? 9))
  },
  {
    id: 'add-subscriber',
    label: { en: 'Add subscriber', pt: 'Adicionar assinante' },
    params: [{ ...p.name, default: 'Painel' }, p.topic],
    kind: 'control',
    run: async (l, a) => {
      await l.lesson.addSubscriber(str(a, 'name') || 'Painel', [String(a.topic ?? '')])
      return ok()
    }
  },
  {
    id: 'publish',
    label: { en: 'Publish', pt: 'Publicar' },
    params: [p.message],
    kind: 'control',
    run: async (l, a) => {
      await l.lesson.publish(str(a, 'message') || 'sensor.temp 21.5')
      return ok()
    }
  },
  {
    id: 'request',
    label: { en: 'Send a request', pt: 'Enviar uma requisição' },
    params: [p.request],
    kind: 'control',
    run: async (l, a) => {
      const client = l.lesson.members.get('Cliente') ?? (await l.lesson.addRequester('Cliente'))
      return ok(undefined, { reply: await l.lesson.request(client, str(a, 'message') || 'Ola') })
    }
  },
  {
    id: 'add-worker',
    label: { en: 'Add worker', pt: 'Adicionar worker' },
    params: [{ ...p.name, default: 'Worker 4' }],
    kind: 'control',
    run: async (l, a) => {
      await l.lesson.addWorker(str(a, 'name') || 'Worker')
      return ok()
    }
  },
  {
    id: 'send-jobs',
    label: { en: 'Push jobs', pt: 'Enviar tarefas' },
    params: [p.jobs],
    kind: 'control',
    run: async (l, a) => {
      await l.moments.sendJobs(Number(a.jobs ?? 9))
      return ok()
    }
  },
  {
    id: 'remove-client',
    label: { en: 'Remove socket', pt: 'Remover socket' },
    params: [p.name],
    kind: 'control',
    run: async (l, a) =>
      (await l.lesson.remove(str(a, 'name')))
        ? ok()
        : fail({
            en: `No socket called "${str(a, 'name')}".`,
            pt: `Não há nenhum socket chamado "${str(a, 'name')}".`
          })
  },
  {
    id: 'reset',
    label: { en: 'Close every built-in socket', pt: 'Fechar todos os sockets' },
    kind: 'control',
    run: async (l) => {
      await l.lesson.removeAll()
      return ok()
    }
  }
]
