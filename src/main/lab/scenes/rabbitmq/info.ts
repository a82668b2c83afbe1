// The RabbitMQ lesson as data: parameters, actions (actions.ts), ports, views and checkpoints
// (checkpoints.ts). Seed 004, "Padrão: Message Broker (RabbitMQ)".
import type { SceneInfo } from '../../../../shared/scene'
import { AMQP_PORT } from '../../../../shared/protocols/amqp'
import { actionDefs } from '../types'
import { ACTIONS } from './actions'
import { CHECKPOINTS } from './checkpoints'

export const INFO: SceneInfo = {
  id: 'rabbitmq',
  group: 'mensageria',
  title: { en: 'RabbitMQ: exchanges and queues', pt: 'RabbitMQ: exchanges e filas' },
  summary: {
    en: 'A real RabbitMQ on port 5672 (AMQP 0-9-1): producers publish to an exchange, the exchange routes by type and binding to queues, consumers take messages from the queues and ack them.',
    pt: 'Um RabbitMQ real na porta 5672 (AMQP 0-9-1): os produtores publicam numa exchange, a exchange encaminha para as filas segundo o tipo e os vínculos (bindings), os consumidores retiram as mensagens das filas e as confirmam (ack).'
  },
  goal: {
    en: 'Smart server, simple clients: the producer only names an exchange and a routing key; direct needs the exact key, fanout copies to every bound queue, topic matches * (one word) and # (zero or more). Consumers sharing a queue take turns, prefetch limits how many unacked messages each holds, a nack puts a message back, and only a persistent message in a durable queue survives a restart.',
    pt: 'Servidor inteligente, clientes simples: o produtor só indica uma exchange e uma routing key; direct exige a chave exata, fanout copia para todas as filas vinculadas, topic usa * (uma palavra) e # (zero ou mais). Consumidores que compartilham uma fila se revezam, o prefetch limita quantas mensagens sem ack cada um guarda, um nack devolve a mensagem, e só uma mensagem persistente numa fila durável sobrevive a um reinício.'
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
        { value: 'external', label: { en: 'A RabbitMQ I run (Docker…) at the address below', pt: 'Um RabbitMQ que eu rodo (Docker…) no endereço abaixo' } },
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
        pt: 'Para "Um RabbitMQ que eu rodo": docker run -d -p 5673:5672 rabbitmq:3. O Wirelab escuta na 5672 e encaminha para ele.'
      }
    }
  ],
  actions: actionDefs(ACTIONS),
  views: ['topology', 'sequence', 'bytes', 'packets'],
  ports: [{ name: 'amqp', transport: 'tcp', preferred: AMQP_PORT }],
  checkpoints: Object.values(CHECKPOINTS),
  installedServer: 'RabbitMQ'
}
