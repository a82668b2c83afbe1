// The ZeroMQ lesson's predict-then-reveal questions: each is asked before its moment's real
// traffic and answered from the frames (moments.ts).
import type { CheckpointInfo } from '../../../../shared/scene'

const SOURCE = 'seed 004, "Padrão: Sem Broker (ZeroMQ / ØMQ)"'

export const CHECKPOINTS = {
  filtering: {
    id: 'where-filtering',
    action: 'pub-sub',
    question: {
      en: 'The publisher sends sensor.temp, sensor.umid and alarme. “Painel temp” subscribed to sensor.temp only. Which messages travel on its connection?',
      pt: 'O publisher envia sensor.temp, sensor.umid e alarme. O “Painel temp” só assinou sensor.temp. Que mensagens viajam na conexão dele?'
    },
    choices: [
      {
        id: 'matching',
        label: {
          en: 'Only sensor.temp: the publisher filters',
          pt: 'Só sensor.temp: é o publisher que filtra'
        }
      },
      {
        id: 'all',
        label: { en: 'All three: the subscriber filters', pt: 'As três: é o assinante que filtra' }
      },
      {
        id: 'none',
        label: {
          en: 'None: there is no broker to route them',
          pt: 'Nenhuma: não há broker para encaminhá-las'
        }
      }
    ],
    source: SOURCE
  },
  slowJoiner: {
    id: 'slow-joiner-loss',
    action: 'slow-joiner',
    question: {
      en: 'A subscriber connects and, at the same moment, the publisher sends 30 numbered ticks. How many does the subscriber get?',
      pt: 'Um assinante se conecta e, no mesmo instante, o publisher envia 30 ticks numerados. Quantos recebe o assinante?'
    },
    choices: [
      { id: 'all', label: { en: 'All 30', pt: 'Todos os 30' } },
      { id: 'lost-first', label: { en: 'The first ones are lost', pt: 'Os primeiros se perdem' } },
      { id: 'none', label: { en: 'None', pt: 'Nenhum' } }
    ],
    source: SOURCE
  },
  fairQueue: {
    id: 'push-pull-split',
    action: 'push-pull',
    question: {
      en: 'Nine jobs, three connected workers. How does PUSH split them?',
      pt: 'Nove tarefas, três workers conectados. Como o PUSH as reparte?'
    },
    choices: [
      { id: 'turns', label: { en: 'Three each, in turn', pt: 'Três para cada, em rodízio' } },
      { id: 'first', label: { en: 'All to the first worker', pt: 'Todas para o primeiro worker' } },
      { id: 'copies', label: { en: 'Every worker gets all nine', pt: 'Cada worker recebe as nove' } }
    ],
    source: SOURCE
  }
} satisfies Record<string, CheckpointInfo>
