// The RabbitMQ lesson's actions, declared once (the MQTT lesson is the model): this table gives
// `info.actions`, what each action does on the live broker, and the default script (`script: true`,
// in order; the restart only on the RabbitMQ Wirelab started). The recorded session replays the
// same ids (index.ts).
import type { ParamValues } from '../../../../shared/events'
import type { ParamDef } from '../../../../shared/scene'
import type { ExchangeType } from '../../protocols/amqp/client'
import { fail, ok, type LessonAction } from '../types'
import type { LiveBroker } from './broker'
import type { RabbitLesson } from './lesson'
import type { Moments } from './moments'

/** What the actions act on: the lesson's clients, its moments and the broker. */
export interface Live {
  lesson: RabbitLesson
  moments: Moments
  broker: LiveBroker
}

const str = (a: ParamValues, k: string): string => String(a[k] ?? '').trim()

const p = {
  name: {
    id: 'name',
    label: { en: 'Client name', pt: 'Nome do cliente' },
    type: 'string',
    default: ''
  } satisfies ParamDef,
  exchange: {
    id: 'exchange',
    label: { en: 'Exchange', pt: 'Exchange (troca)' },
    type: 'string',
    default: 'sensores.topic',
    help: {
      en: 'Empty: the default exchange, which routes to the queue named by the routing key.',
      pt: 'Vazio: a exchange padrão, que encaminha para a fila com o nome da routing key.'
    }
  } satisfies ParamDef,
  exchangeType: {
    id: 'type',
    label: { en: 'Exchange type', pt: 'Tipo de exchange' },
    type: 'select',
    default: 'topic',
    options: [
      {
        value: 'direct',
        label: { en: 'direct: the key must be equal', pt: 'direct: a chave tem de ser igual' }
      },
      { value: 'fanout', label: { en: 'fanout: every bound queue', pt: 'fanout: todas as filas vinculadas' } },
      {
        value: 'topic',
        label: { en: 'topic: * one word, # zero or more', pt: 'topic: * uma palavra, # zero ou mais' }
      }
    ]
  } satisfies ParamDef,
  queue: {
    id: 'queue',
    label: { en: 'Queue', pt: 'Fila' },
    type: 'string',
    default: 'tarefas'
  } satisfies ParamDef,
  key: {
    id: 'key',
    label: { en: 'Routing key', pt: 'Routing key' },
    type: 'string',
    default: 'sala.101.temp',
    help: {
      en: 'Words separated by dots, e.g. sala.101.temp.',
      pt: 'Palavras separadas por pontos, p. ex. sala.101.temp.'
    }
  } satisfies ParamDef,
  bindingKey: {
    id: 'key',
    label: { en: 'Binding key', pt: 'Chave de vínculo (binding key)' },
    type: 'string',
    default: 'sala.*.temp',
    help: {
      en: 'Topic exchanges: * matches one word, # zero or more.',
      pt: 'Exchanges topic: * corresponde a uma palavra, # a zero ou mais.'
    }
  } satisfies ParamDef,
  message: {
    id: 'message',
    label: { en: 'Message', pt: 'Mensagem' },
    type: 'string',
    default: '21.5'
  } satisfies ParamDef,
  durable: {
    id: 'durable',
    label: { en: 'Durable', pt: 'Durável' },
    type: 'boolean',
    default: false
  } satisfies ParamDef,
  persistent: {
    id: 'persistent',
    label: { en: 'Persistent message (delivery mode 2)', pt: 'Mensagem persistente (delivery mode 2)' },
    type: 'boolean',
    default: false
  } satisfies ParamDef,
  prefetch: {
    id: 'prefetch',
    label: { en: 'Prefetch', pt: 'Prefetch' },
    type: 'number',
    default: 1,
    min: 1,
    max: 100
  } satisfies ParamDef,
  ackDelay: {
    id: 'ackDelayMs',
    label: { en: 'Work per message (ms before the ack)', pt: 'Trabalho por mensagem (ms antes do ack)' },
    type: 'number',
    default: 200,
    min: 0,
    max: 10_000
  } satisfies ParamDef
}

export const ACTIONS: readonly LessonAction<Live>[] = [
  {
    id: 'route-three-ways',
    primary: true,
    label: { en: 'One message, three exchange types', pt: 'Uma mensagem, três tipos de exchange' },
    help: {
      en: 'Declares a direct, a fanout and a topic exchange bound to the same three queues, and publishes sala.101.temp to each.',
      pt: 'Declara uma exchange direct, uma fanout e uma topic vinculadas às mesmas três filas, e publica sala.101.temp em cada uma.'
    },
    script: true,
    run: (l) => l.moments.routeThreeWays()
  },
  {
    id: 'work-queue',
    label: {
      en: 'Two workers share a queue (prefetch 1)',
      pt: 'Dois workers compartilham uma fila (prefetch 1)'
    },
    help: {
      en: 'Six tasks on one queue, two consumers with prefetch 1: they take turns.',
      pt: 'Seis tarefas numa fila, dois consumidores com prefetch 1: eles se revezam.'
    },
    script: true,
    run: (l) => l.moments.workQueue()
  },
  {
    id: 'prefetch-hog',
    label: {
      en: 'A slow worker with a big prefetch hogs messages',
      pt: 'Um worker lento com prefetch grande monopoliza mensagens'
    },
    help: {
      en: 'Ten tasks, a slow worker with prefetch 10 and a fast one with prefetch 1; then both with prefetch 1.',
      pt: 'Dez tarefas, um worker lento com prefetch 10 e um rápido com prefetch 1; depois ambos com prefetch 1.'
    },
    script: true,
    run: (l) => l.moments.prefetchHog()
  },
  {
    id: 'nack-requeue',
    label: { en: 'Nack: back to the queue', pt: 'Nack: de volta à fila' },
    help: {
      en: 'A worker refuses a message (nack, requeue): the broker delivers it again, marked redelivered.',
      pt: 'Um worker recusa uma mensagem (nack, requeue): o broker a entrega de novo, marcada como redelivered.'
    },
    script: true,
    run: (l) => l.moments.nackRequeue()
  },
  {
    id: 'durable-restart',
    label: {
      en: 'Durable vs transient: restart the broker',
      pt: 'Durável vs transitório: reiniciar o broker'
    },
    help: {
      en: 'A persistent message in a durable queue survives a RabbitMQ restart; a transient one, and a queue that is not durable, do not. Live broker only.',
      pt: 'Uma mensagem persistente numa fila durável sobrevive a um reinício do RabbitMQ; uma transitória, e uma fila não durável, não. Só com o broker ao vivo.'
    },
    script: true,
    run: (l) => l.moments.durableRestart()
  },
  {
    id: 'add-producer',
    label: { en: 'Add producer', pt: 'Adicionar produtor' },
    params: [{ ...p.name, default: 'Sensor' }],
    kind: 'control',
    run: async (l, a) => {
      await l.lesson.addProducer(str(a, 'name') || 'Sensor')
      return ok()
    }
  },
  {
    id: 'add-consumer',
    label: { en: 'Add consumer', pt: 'Adicionar consumidor' },
    params: [{ ...p.name, default: 'Worker C' }, p.queue, p.prefetch, p.ackDelay],
    kind: 'control',
    run: async (l, a) => {
      await l.lesson.addConsumer(
        str(a, 'name') || 'Worker',
        str(a, 'queue') || 'tarefas',
        Number(a.prefetch ?? 1),
        Number(a.ackDelayMs ?? 0)
      )
      return ok()
    }
  },
  {
    id: 'remove-client',
    label: { en: 'Remove client', pt: 'Remover cliente' },
    params: [p.name],
    kind: 'control',
    run: async (l, a) =>
      (await l.lesson.remove(str(a, 'name')))
        ? ok()
        : fail({
            en: `No client called "${str(a, 'name')}".`,
            pt: `Não há nenhum cliente chamado "${str(a, 'name')}".`
          })
  },
  {
    id: 'declare-exchange',
    label: { en: 'Declare exchange', pt: 'Declarar exchange' },
    params: [{ ...p.exchange, default: 'minha.exchange', help: undefined }, p.exchangeType, p.durable],
    kind: 'control',
    run: async (l, a) => {
      await l.lesson.declareExchange(
        str(a, 'exchange'),
        (str(a, 'type') || 'topic') as ExchangeType,
        a.durable === true
      )
      return ok()
    }
  },
  {
    id: 'declare-queue',
    label: { en: 'Declare queue', pt: 'Declarar fila' },
    params: [p.queue, p.durable],
    kind: 'control',
    run: async (l, a) => {
      await l.lesson.declareQueue(str(a, 'queue'), a.durable === true)
      return ok()
    }
  },
  {
    id: 'bind',
    label: { en: 'Bind queue to exchange', pt: 'Vincular fila à exchange' },
    params: [p.queue, { ...p.exchange, help: undefined }, p.bindingKey],
    kind: 'control',
    run: async (l, a) => {
      await l.lesson.bind(str(a, 'queue'), str(a, 'exchange'), str(a, 'key'))
      return ok()
    }
  },
  {
    id: 'publish',
    label: { en: 'Publish', pt: 'Publicar' },
    params: [
      {
        ...p.name,
        help: { en: 'Producer to use (empty: the first one).', pt: 'Qual produtor usar (vazio: o primeiro).' }
      },
      p.exchange,
      p.key,
      p.message,
      p.persistent
    ],
    kind: 'control',
    run: async (l, a) => {
      const queues = await l.lesson.publish(
        l.lesson.producer(str(a, 'name') || undefined),
        str(a, 'exchange'),
        str(a, 'key'),
        str(a, 'message'),
        a.persistent === true
      )
      return ok(undefined, { queues })
    }
  },
  {
    id: 'nack-next',
    label: { en: 'Next message: nack and requeue', pt: 'Próxima mensagem: nack e requeue' },
    params: [{ ...p.name, default: 'Worker A' }],
    kind: 'control',
    run: async (l, a) => {
      const m = l.lesson.members.get(str(a, 'name'))
      if (!m || m.role !== 'consumer')
        return fail({
          en: `No consumer called "${str(a, 'name')}".`,
          pt: `Não há nenhum consumidor chamado "${str(a, 'name')}".`
        })
      m.nackNext++
      return ok()
    }
  },
  {
    id: 'restart-broker',
    label: { en: 'Restart RabbitMQ', pt: 'Reiniciar o RabbitMQ' },
    kind: 'control',
    run: async (l) => {
      if (!l.broker.restart)
        return fail({
          en: 'Only the RabbitMQ Wirelab started can be restarted from here.',
          pt: 'Só o RabbitMQ que o Wirelab iniciou pode ser reiniciado daqui.'
        })
      await l.moments.restart()
      return ok()
    }
  },
  {
    id: 'reset',
    label: {
      en: 'Remove all clients, exchanges and queues',
      pt: 'Remover todos os clientes, exchanges e filas'
    },
    kind: 'control',
    run: async (l) => {
      await l.lesson.reset()
      return ok()
    }
  }
]
