// The ZeroMQ lesson as data. Seed 004, "Padrão: Sem Broker (ZeroMQ / ØMQ)": REQ/REP, PUB/SUB
// without a broker (next to MQTT's broker), PUSH/PULL to a pool of workers.
import type { ActionDef, CheckpointInfo, ParamDef, SceneInfo } from '../../../../shared/scene'
import { ZMQ_PORTS } from '../../../../shared/protocols/zmtp'

const SOURCE = 'seed 004, "Padrão: Sem Broker (ZeroMQ / ØMQ)"'

const p = {
  name: { id: 'name', label: { en: 'Socket name', pt: 'Nome do socket' }, type: 'string', default: '' } satisfies ParamDef,
  topic: {
    id: 'topic',
    label: { en: 'Subscription (topic prefix)', pt: 'Subscrição (prefixo do tópico)' },
    type: 'string',
    default: 'sensor.temp',
    help: { en: 'A SUB receives messages whose first frame starts with these bytes; empty: everything.', pt: 'Um SUB recebe as mensagens cujo primeiro frame começa por estes bytes; vazio: tudo.' }
  } satisfies ParamDef,
  message: { id: 'message', label: { en: 'Message (topic, space, value)', pt: 'Mensagem (tópico, espaço, valor)' }, type: 'string', default: 'sensor.temp 21.5' } satisfies ParamDef,
  request: { id: 'message', label: { en: 'Request', pt: 'Pedido' }, type: 'string', default: 'Ola' } satisfies ParamDef,
  jobs: { id: 'jobs', label: { en: 'Jobs', pt: 'Tarefas' }, type: 'number', default: 9, min: 1, max: 200 } satisfies ParamDef
}

const actions: ActionDef[] = [
  {
    id: 'pub-sub',
    primary: true,
    label: { en: 'PUB/SUB without a broker', pt: 'PUB/SUB sem broker' },
    help: {
      en: 'A publisher and three subscribers that connect straight to it. Each SUBSCRIBE travels upstream; the publisher sends each subscriber only what it asked for.',
      pt: 'Um publisher e três subscritores que se ligam diretamente a ele. Cada SUBSCRIBE viaja para montante; o publisher envia a cada subscritor só o que ele pediu.'
    }
  },
  {
    id: 'compare-mqtt',
    label: { en: 'The same with MQTT’s broker', pt: 'O mesmo com o broker MQTT' },
    help: { en: 'The same subscriptions and messages through a real MQTT broker: the broker filters and fans out.', pt: 'As mesmas subscrições e mensagens através de um broker MQTT real: é o broker que filtra e distribui.' }
  },
  {
    id: 'slow-joiner',
    label: { en: 'The slow joiner: messages lost before subscribing', pt: 'O “slow joiner”: mensagens perdidas antes de subscrever' },
    help: {
      en: 'The publisher starts sending while a subscriber is still connecting: what it sends before the SUBSCRIBE arrives is lost for that subscriber. Counted.',
      pt: 'O publisher começa a enviar enquanto um subscritor ainda se está a ligar: o que envia antes de o SUBSCRIBE chegar perde-se para esse subscritor. Contado.'
    }
  },
  {
    id: 'req-rep',
    label: { en: 'REQ/REP: strict lockstep', pt: 'REQ/REP: passo a passo estrito' },
    help: { en: 'Three requests and replies, then a second request before the reply: libzmq refuses it.', pt: 'Três pedidos e respostas, depois um segundo pedido antes da resposta: a libzmq recusa-o.' }
  },
  {
    id: 'push-pull',
    label: { en: 'PUSH/PULL: jobs to a pool of workers', pt: 'PUSH/PULL: tarefas para um conjunto de workers' },
    help: { en: 'A ventilator pushes nine jobs to three workers: fair-queued, in turn.', pt: 'Um ventilador envia nove tarefas a três workers: distribuídas à vez.' },
    params: [p.jobs]
  },
  { id: 'add-subscriber', label: { en: 'Add subscriber', pt: 'Adicionar subscritor' }, params: [{ ...p.name, default: 'Painel' }, p.topic] },
  { id: 'publish', label: { en: 'Publish', pt: 'Publicar' }, params: [p.message] },
  { id: 'request', label: { en: 'Send a request', pt: 'Enviar um pedido' }, params: [p.request] },
  { id: 'add-worker', label: { en: 'Add worker', pt: 'Adicionar worker' }, params: [{ ...p.name, default: 'Worker 4' }] },
  { id: 'send-jobs', label: { en: 'Push jobs', pt: 'Enviar tarefas' }, params: [p.jobs] },
  { id: 'remove-client', label: { en: 'Remove socket', pt: 'Remover socket' }, params: [p.name] },
  { id: 'reset', label: { en: 'Close every built-in socket', pt: 'Fechar todos os sockets' } }
]

export const CHECKPOINTS = {
  filtering: {
    id: 'where-filtering',
    action: 'pub-sub',
    question: {
      en: 'The publisher sends sensor.temp, sensor.umid and alarme. “Painel temp” subscribed to sensor.temp only. Which messages travel on its connection?',
      pt: 'O publisher envia sensor.temp, sensor.umid e alarme. O “Painel temp” só subscreveu sensor.temp. Que mensagens viajam na ligação dele?'
    },
    choices: [
      { id: 'matching', label: { en: 'Only sensor.temp: the publisher filters', pt: 'Só sensor.temp: é o publisher que filtra' } },
      { id: 'all', label: { en: 'All three: the subscriber filters', pt: 'As três: é o subscritor que filtra' } },
      { id: 'none', label: { en: 'None: there is no broker to route them', pt: 'Nenhuma: não há broker para as encaminhar' } }
    ],
    source: SOURCE
  },
  slowJoiner: {
    id: 'slow-joiner-loss',
    action: 'slow-joiner',
    question: {
      en: 'A subscriber connects and, at the same moment, the publisher sends 30 numbered ticks. How many does the subscriber get?',
      pt: 'Um subscritor liga-se e, no mesmo instante, o publisher envia 30 ticks numerados. Quantos recebe o subscritor?'
    },
    choices: [
      { id: 'all', label: { en: 'All 30', pt: 'Todos os 30' } },
      { id: 'lost-first', label: { en: 'The first ones are lost', pt: 'Os primeiros perdem-se' } },
      { id: 'none', label: { en: 'None', pt: 'Nenhum' } }
    ],
    source: SOURCE
  },
  fairQueue: {
    id: 'push-pull-split',
    action: 'push-pull',
    question: { en: 'Nine jobs, three connected workers. How does PUSH split them?', pt: 'Nove tarefas, três workers ligados. Como é que o PUSH as reparte?' },
    choices: [
      { id: 'turns', label: { en: 'Three each, in turn', pt: 'Três para cada, à vez' } },
      { id: 'first', label: { en: 'All to the first worker', pt: 'Todas para o primeiro worker' } },
      { id: 'copies', label: { en: 'Every worker gets all nine', pt: 'Cada worker recebe as nove' } }
    ],
    source: SOURCE
  }
} satisfies Record<string, CheckpointInfo>

export const INFO: SceneInfo = {
  id: 'zeromq',
  group: 'mensageria',
  title: { en: 'ZeroMQ: patterns without a broker', pt: 'ZeroMQ: padrões sem broker' },
  summary: {
    en: 'Real ZeroMQ sockets (libzmq) on ports 5555–5557: REQ/REP in lockstep, PUB/SUB where subscribers connect straight to the publisher, PUSH/PULL sharing jobs among workers. Smart clients, no server in the middle.',
    pt: 'Sockets ZeroMQ reais (libzmq) nas portas 5555–5557: REQ/REP passo a passo, PUB/SUB em que os subscritores se ligam diretamente ao publisher, PUSH/PULL a repartir tarefas entre workers. Clientes inteligentes, sem servidor no meio.'
  },
  goal: {
    en: 'ZeroMQ is a library, not a broker: sockets with patterns. Over TCP a SUB sends its SUBSCRIBE upstream and the publisher filters; messages sent before a subscriber’s SUBSCRIBE arrives are lost (the slow joiner); PUSH fair-queues jobs; REQ must get its reply before the next request.',
    pt: 'O ZeroMQ é uma biblioteca, não um broker: sockets com padrões. Sobre TCP um SUB envia o SUBSCRIBE para montante e é o publisher que filtra; as mensagens enviadas antes de o SUBSCRIBE de um subscritor chegar perdem-se (o “slow joiner”); o PUSH reparte tarefas à vez; o REQ tem de receber a resposta antes do próximo pedido.'
  },
  params: [],
  actions,
  views: ['patterns', 'sequence', 'bytes', 'packets'],
  ports: [
    { name: 'zmq-rep', transport: 'tcp', preferred: ZMQ_PORTS.reqrep },
    { name: 'zmq-pub', transport: 'tcp', preferred: ZMQ_PORTS.pubsub },
    { name: 'zmq-push', transport: 'tcp', preferred: ZMQ_PORTS.pushpull },
    { name: 'mqtt', transport: 'tcp', preferred: 1883 }
  ],
  checkpoints: Object.values(CHECKPOINTS)
}
