// The RabbitMQ lesson's predict-then-reveal questions: each is asked before its moment's real
// traffic and answered from the frames (moments.ts).
import type { CheckpointInfo } from '../../../../shared/scene'

const SOURCE = 'seed 004, "Padrão: Message Broker (RabbitMQ)"'

export const CHECKPOINTS = {
  topic: {
    id: 'topic-routing',
    action: 'route-three-ways',
    question: {
      en: 'Through the topic exchange, which queues will get the message with routing key sala.101.temp?',
      pt: 'Através da exchange topic, que filas vão receber a mensagem com routing key sala.101.temp?'
    },
    choices: [
      {
        id: 'q.painel-101',
        label: { en: 'q.painel-101 (bound with sala.101.*)', pt: 'q.painel-101 (vinculada com sala.101.*)' }
      },
      {
        id: 'q.historico',
        label: { en: 'q.historico (bound with *.*.temp)', pt: 'q.historico (vinculada com *.*.temp)' }
      },
      {
        id: 'q.alarmes',
        label: { en: 'q.alarmes (bound with alarme.#)', pt: 'q.alarmes (vinculada com alarme.#)' }
      }
    ],
    source: SOURCE
  },
  workQueue: {
    id: 'work-queue-turns',
    action: 'work-queue',
    question: {
      en: 'Worker A got “tarefa 1”. Who gets “tarefa 2”?',
      pt: 'O Worker A recebeu a “tarefa 1”. Quem recebe a “tarefa 2”?'
    },
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
    question: {
      en: 'RabbitMQ restarts. Which messages are still there afterwards?',
      pt: 'O RabbitMQ reinicia. Que mensagens continuam lá depois?'
    },
    choices: [
      {
        id: 'pedido 1',
        label: {
          en: '“pedido 1”: persistent, in a durable queue',
          pt: '“pedido 1”: persistente, numa fila durável'
        }
      },
      {
        id: 'pedido 2',
        label: {
          en: '“pedido 2”: transient, in a durable queue',
          pt: '“pedido 2”: transitória, numa fila durável'
        }
      },
      {
        id: 'cache 1',
        label: {
          en: '“cache 1”: persistent, in a queue that is not durable',
          pt: '“cache 1”: persistente, numa fila não durável'
        }
      }
    ],
    source: SOURCE
  }
} satisfies Record<string, CheckpointInfo>
