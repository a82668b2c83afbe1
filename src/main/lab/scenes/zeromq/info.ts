// The ZeroMQ lesson as data. Seed 004, "Padrão: Sem Broker (ZeroMQ / ØMQ)": REQ/REP, PUB/SUB
// without a broker (next to MQTT's broker), PUSH/PULL to a pool of workers. Actions in actions.ts,
// checkpoints in checkpoints.ts.
import type { SceneInfo } from '../../../../shared/scene'
import { ZMQ_PORTS } from '../../../../shared/protocols/zmtp'
import { actionDefs } from '../types'
import { ACTIONS } from './actions'
import { CHECKPOINTS } from './checkpoints'

export const INFO: SceneInfo = {
  id: 'zeromq',
  group: 'mensageria',
  title: { en: 'ZeroMQ: patterns without a broker', pt: 'ZeroMQ: padrões sem broker' },
  summary: {
    en: 'Real ZeroMQ sockets (libzmq) on ports 5555–5557: REQ/REP in lockstep, PUB/SUB where subscribers connect straight to the publisher, PUSH/PULL sharing jobs among workers. Smart clients, no server in the middle.',
    pt: 'Sockets ZeroMQ reais (libzmq) nas portas 5555–5557: REQ/REP passo a passo, PUB/SUB em que os assinantes se conectam diretamente ao publisher, PUSH/PULL repartindo tarefas entre workers. Clientes inteligentes, sem servidor no meio.'
  },
  goal: {
    en: 'ZeroMQ is a library, not a broker: sockets with patterns. Over TCP a SUB sends its SUBSCRIBE upstream and the publisher filters; messages sent before a subscriber’s SUBSCRIBE arrives are lost (the slow joiner); PUSH fair-queues jobs; REQ must get its reply before the next request.',
    pt: 'O ZeroMQ é uma biblioteca, não um broker: sockets com padrões. Sobre TCP um SUB envia o SUBSCRIBE no sentido do publisher e é o publisher que filtra; as mensagens enviadas antes de o SUBSCRIBE de um assinante chegar se perdem (o “slow joiner”); o PUSH reparte tarefas em rodízio; o REQ tem de receber a resposta antes da próxima requisição.'
  },
  params: [],
  actions: actionDefs(ACTIONS),
  views: ['patterns', 'sequence', 'bytes', 'packets'],
  ports: [
    { name: 'zmq-rep', transport: 'tcp', preferred: ZMQ_PORTS.reqrep },
    { name: 'zmq-pub', transport: 'tcp', preferred: ZMQ_PORTS.pubsub },
    { name: 'zmq-push', transport: 'tcp', preferred: ZMQ_PORTS.pushpull },
    { name: 'mqtt', transport: 'tcp', preferred: 1883 }
  ],
  checkpoints: Object.values(CHECKPOINTS)
}
