// The RabbitMQ lesson as data: parameters, actions (the moments and the free-form controls),
// ports, views and checkpoints. Seed 004, "Padrão: Message Broker (RabbitMQ)".
import type { ActionDef, CheckpointInfo, ParamDef, SceneInfo } from '../../../../shared/scene'
import { AMQP_PORT } from '../../../../shared/protocols/amqp'

const SOURCE = 'seed 004, "Padrão: Message Broker (RabbitMQ)"'

const p = {
  name: { id: 'name', label: { en: 'Client name', pt: 'Nome do cliente' }, type: 'string', default: '' } satisfies ParamDef,
  exchange: {
    id: 'exchange',
    label: { en: 'Exchange', pt: 'Exchange (troca)' },
    type: 'string',
    default: 'sensores.topic',
    help: { en: 'Empty: the default exchange, which routes to the queue named by the routing key.', pt: 'Vazio: a exchange por omissão, que encaminha para a fila com o nome da routing key.' }
  } satisfies ParamDef,
  exchangeType: {
    id: 'type',
    label: { en: 'Exchange type', pt: 'Tipo de exchange' },
    type: 'select',
    default: 'topic',
    options: [
      { value: 'direct', label: { en: 'direct: the key must be equal', pt: 'direct: a chave tem de ser igual' } },
      { value: 'fanout', label: { en: 'fanout: every bound queue', pt: 'fanout: todas as filas ligadas' } },
      { value: 'topic', label: { en: 'topic: * one word, # zero or more', pt: 'topic: * uma palavra, # zero ou mais' } }
    ]
  } satisfies ParamDef,
  queue: { id: 'queue', label: { en: 'Queue', pt: 'Fila' }, type: 'string', default: 'tarefas' } satisfies ParamDef,
  key: {
    id: 'key',
    label: { en: 'Routing key', pt: 'Routing key' },
    type: 'string',
    default: 'sala.101.temp',
    help: { en: 'Words separated by dots, e.g. sala.101.temp.', pt: 'Palavras separadas por pontos, p. ex. sala.101.temp.' }
  } satisfies ParamDef,
  bindingKey: {
    id: 'key',
    label: { en: 'Binding key', pt: 'Chave de ligação (binding key)' },
    type: 'string',
    default: 'sala.*.temp',
    help: { en: 'Topic exchanges: * matches one word, # zero or more.', pt: 'Exchanges topic: * corresponde a uma palavra, # a zero ou mais.' }
  } satisfies ParamDef,
  message: { id: 'message', label: { en: 'Message', pt: 'Mensagem' }, type: 'string', default: '21.5' } satisfies ParamDef,
  durable: { id: 'durable', label: { en: 'Durable', pt: 'Durável' }, type: 'boolean', default: false } satisfies ParamDef,
  persistent: { id: 'persistent', label: { en: 'Persistent message (delivery mode 2)', pt: 'Mensagem persistente (delivery mode 2)' }, type: 'boolean', default: false } satisfies ParamDef,
  prefetch: { id: 'prefetch', label: { en: 'Prefetch', pt: 'Prefetch' }, type: 'number', default: 1, min: 1, max: 100 } satisfies ParamDef,
  ackDelay: {
    id: 'ackDelayMs',
    label: { en: 'Work per message (ms before the ack)', pt: 'Trabalho por mensagem (ms antes do ack)' },
    type: 'number',
    default: 200,
    min: 0,
    max: 10_000
  } satisfies ParamDef
}

const actions: ActionDef[] = [
  {
    id: 'route-three-ways',
    primary: true,
    label: { en: 'One message, three exchange types', pt: 'Uma mensagem, três tipos de exchange' },
    help: {
      en: 'Declares a direct, a fanout and a topic exchange bound to the same three queues, and publishes sala.101.temp to each.',
      pt: 'Declara uma exchange direct, uma fanout e uma topic ligadas às mesmas três filas, e publica sala.101.temp em cada uma.'
    }
  },
  {
    id: 'work-queue',
    label: { en: 'Two workers share a queue (prefetch 1)', pt: 'Dois workers partilham uma fila (prefetch 1)' },
    help: { en: 'Six tasks on one queue, two consumers with prefetch 1: they take turns.', pt: 'Seis tarefas numa fila, dois consumidores com prefetch 1: revezam-se.' }
  },
  {
    id: 'prefetch-hog',
    label: { en: 'A slow worker with a big prefetch hogs messages', pt: 'Um worker lento com prefetch grande açambarca mensagens' },
    help: {
      en: 'Ten tasks, a slow worker with prefetch 10 and a fast one with prefetch 1; then both with prefetch 1.',
      pt: 'Dez tarefas, um worker lento com prefetch 10 e um rápido com prefetch 1; depois ambos com prefetch 1.'
    }
  },
  {
    id: 'nack-requeue',
    label: { en: 'Nack: back to the queue', pt: 'Nack: de volta à fila' },
    help: { en: 'A worker refuses a message (nack, requeue): the broker delivers it again, marked redelivered.', pt: 'Um worker recusa uma mensagem (nack, requeue): o broker volta a entregá-la, marcada como redelivered.' }
  },
  {
    id: 'durable-restart',
    label: { en: 'Durable vs transient: restart the broker', pt: 'Durável vs transitório: reiniciar o broker' },
    help: {
      en: 'A persistent message in a durable queue survives a RabbitMQ restart; a transient one, and a queue that is not durable, do not. Live broker only.',
      pt: 'Uma mensagem persistente numa fila durável sobrevive a um reinício do RabbitMQ; uma transitória, e uma fila não durável, não. Só com o broker ao vivo.'
    }
  },
  { id: 'add-producer', label: { en: 'Add producer', pt: 'Adicionar produtor' }, params: [{ ...p.name, default: 'Sensor' }] },
  { id: 'add-consumer', label: { en: 'Add consumer', pt: 'Adicionar consumidor' }, params: [{ ...p.name, default: 'Worker C' }, p.queue, p.prefetch, p.ackDelay] },
  { id: 'remove-client', label: { en: 'Remove client', pt: 'Remover cliente' }, params: [p.name] },
  { id: 'declare-exchange', label: { en: 'Declare exchange', pt: 'Declarar exchange' }, params: [{ ...p.exchange, default: 'minha.exchange', help: undefined }, p.exchangeType, p.durable] },
  { id: 'declare-queue', label: { en: 'Declare queue', pt: 'Declarar fila' }, params: [p.queue, p.durable] },
  { id: 'bind', label: { en: 'Bind queue to exchange', pt: 'Ligar fila à exchange' }, params: [p.queue, { ...p.exchange, help: undefined }, p.bindingKey] },
  {
    id: 'publish',
    label: { en: 'Publish', pt: 'Publicar' },
    params: [{ ...p.name, help: { en: 'Producer to use (empty: the first one).', pt: 'Produtor a usar (vazio: o primeiro).' } }, p.exchange, p.key, p.message, p.persistent]
  },
  { id: 'nack-next', label: { en: 'Next message: nack and requeue', pt: 'Próxima mensagem: nack e requeue' }, params: [{ ...p.name, default: 'Worker A' }] },
  { id: 'restart-broker', label: { en: 'Restart RabbitMQ', pt: 'Reiniciar o RabbitMQ' } },
  { id: 'reset', label: { en: 'Remove all clients, exchanges and queues', pt: 'Remover todos os clientes, exchanges e filas' } }
]

export const CHECKPOINTS = {
  topic: {
    id: 'topic-routing',
    action: 'route-three-ways',
    question: {
      en: 'Through the topic exchange, which queues will get the message with routing key sala.101.temp?',
      pt: 'Através da exchange topic, que filas vão receber a mensagem com routing key sala.101.temp?'
    },
    choices: [
      { id: 'q.painel-101', label: { en: 'q.painel-101 (bound with sala.101.*)', pt: 'q.painel-101 (ligada com sala.101.*)' } },
      { id: 'q.historico', label: { en: 'q.historico (bound with *.*.temp)', pt: 'q.historico (ligada com *.*.temp)' } },
      { id: 'q.alarmes', label: { en: 'q.alarmes (bound with alarme.#)', pt: 'q.alarmes (ligada com alarme.#)' } }
    ],
    source: SOURCE
  },
  workQueue: {
    id: 'work-queue-turns',
    action: 'work-queue',
    question: { en: 'Worker A got “tarefa 1”. Who gets “tarefa 2”?', pt: 'O Worker A recebeu a “tarefa 1”. Quem recebe a “tarefa 2”?' },
    choices: [
      { id: 'Worker A', label: { en: 'Worker A again', pt: 'O Worker A outra vez' } },
      { id: 'Worker B', label: { en: 'Worker B', pt: 'O Worker B' } },
      { id: 'both', label: { en: 'Both (a copy each)', pt: 'Ambos (uma cópia cada)' } }
    ],
    source: SOURCE
  },
  durable: {
    id: 'durable-survives',
    action: 'durable-restart',
    question: { en: 'RabbitMQ restarts. Which messages are still there afterwards?', pt: 'O RabbitMQ reinicia. Que mensagens continuam lá depois?' },
    choices: [
      { id: 'pedido 1', label: { en: '“pedido 1”: persistent, in a durable queue', pt: '“pedido 1”: persistente, numa fila durável' } },
      { id: 'pedido 2', label: { en: '“pedido 2”: transient, in a durable queue', pt: '“pedido 2”: transitória, numa fila durável' } },
      { id: 'cache 1', label: { en: '“cache 1”: persistent, in a queue that is not durable', pt: '“cache 1”: persistente, numa fila não durável' } }
    ],
    source: SOURCE
  }
} satisfies Record<string, CheckpointInfo>

export const INFO: SceneInfo = {
  id: 'rabbitmq',
  group: 'mensageria',
  title: { en: 'RabbitMQ: exchanges and queues', pt: 'RabbitMQ: exchanges e filas' },
  summary: {
    en: 'A real RabbitMQ on port 5672 (AMQP 0-9-1): producers publish to an exchange, the exchange routes by type and binding to queues, consumers take messages from the queues and ack them.',
    pt: 'Um RabbitMQ real na porta 5672 (AMQP 0-9-1): os produtores publicam numa exchange, a exchange encaminha para as filas segundo o tipo e as ligações, os consumidores retiram as mensagens das filas e confirmam-nas (ack).'
  },
  goal: {
    en: 'Smart server, simple clients: the producer only names an exchange and a routing key; direct needs the exact key, fanout copies to every bound queue, topic matches * (one word) and # (zero or more). Consumers sharing a queue take turns, prefetch limits how many unacked messages each holds, a nack puts a message back, and only a persistent message in a durable queue survives a restart.',
    pt: 'Servidor inteligente, clientes simples: o produtor só indica uma exchange e uma routing key; direct exige a chave exata, fanout copia para todas as filas ligadas, topic usa * (uma palavra) e # (zero ou mais). Consumidores que partilham uma fila revezam-se, o prefetch limita quantas mensagens sem ack cada um guarda, um nack devolve a mensagem, e só uma mensagem persistente numa fila durável sobrevive a um reinício.'
  },
  params: [
    {
      id: 'broker',
      label: { en: 'Broker', pt: 'Broker' },
      type: 'select',
      default: 'auto',
      options: [
        { value: 'auto', label: { en: 'RabbitMQ installed here (else the recording)', pt: 'O RabbitMQ instalado aqui (senão a gravação)' } },
        { value: 'installed', label: { en: 'RabbitMQ installed here, only (say so if it is not)', pt: 'Só o RabbitMQ instalado aqui (avisa se não estiver)' } },
        { value: 'external', label: { en: 'A RabbitMQ I run (Docker…) at the address below', pt: 'Um RabbitMQ que eu corro (Docker…) no endereço abaixo' } },
        { value: 'recorded', label: { en: 'The recorded session', pt: 'A sessão gravada' } }
      ]
    },
    {
      id: 'address',
      label: { en: 'Your RabbitMQ (host:port)', pt: 'O seu RabbitMQ (host:porta)' },
      type: 'string',
      default: '127.0.0.1:5673',
      help: {
        en: 'For "A RabbitMQ I run": docker run -d -p 5673:5672 rabbitmq:3. Wirelab listens on 5672 and forwards to it.',
        pt: 'Para "Um RabbitMQ que eu corro": docker run -d -p 5673:5672 rabbitmq:3. O Wirelab escuta na 5672 e encaminha para ele.'
      }
    }
  ],
  actions,
  views: ['topology', 'sequence', 'bytes', 'packets'],
  ports: [{ name: 'amqp', transport: 'tcp', preferred: AMQP_PORT }],
  checkpoints: Object.values(CHECKPOINTS),
  installedServer: 'RabbitMQ'
}
