// Lesson "Blocking vs async servers" as data: parameters, actions, ports, the checkpoint.
import type { ParamValues } from '../../../../shared/events'
import type { ActionResult, CheckpointInfo, SceneInfo } from '../../../../shared/scene'
import type { IoModel } from '../../protocols/echo/io-models'
import { actionDefs, type LessonAction } from '../types'

/** Public ports: the seed's echo port for the blocking server, the next two for the others. */
export const IO_PORTS: Record<IoModel, number> = { blocking: 65432, threads: 65433, 'event-loop': 65434 }
export const IO_MODELS: IoModel[] = ['blocking', 'threads', 'event-loop']
export const IO_NODES: Record<IoModel, string> = {
  blocking: 'srv-blocking',
  threads: 'srv-threads',
  'event-loop': 'srv-loop'
}

export const LAST_REPLY_CHECKPOINT: CheckpointInfo = {
  id: 'blocking-last-reply',
  action: 'race',
  source: 'seed 004, "O Problema: I/O Blocante": "todos os outros clientes têm de esperar"',
  question: {
    en: 'All clients connect at once and each request takes the same work. When does the blocking server’s last client get its reply?',
    pt: 'Todos os clientes se conectam ao mesmo tempo e cada requisição leva o mesmo trabalho. Quando o último cliente do servidor bloqueante recebe a resposta?'
  },
  // Replaced at ask time with the run's numbers (delay, number of clients).
  choices: [
    {
      id: 'one',
      label: {
        en: 'After one request’s work, like the others',
        pt: 'Depois do trabalho de uma requisição, como os outros'
      }
    },
    { id: 'two', label: { en: 'After two requests’ work', pt: 'Depois do trabalho de duas requisições' } },
    {
      id: 'all',
      label: {
        en: 'After every client’s work, one after another',
        pt: 'Depois do trabalho de todos, um após o outro'
      }
    },
    { id: 'never', label: { en: 'Never: it is refused', pt: 'Nunca: é recusado' } }
  ]
}

/** What the lesson's actions do, on its running servers (index.ts); arguments default to the lesson's parameters. */
export interface IoLesson {
  race(args: ParamValues): Promise<ActionResult>
  one(args: ParamValues): Promise<ActionResult>
}

/** The lesson's actions, declared once: info.actions, what each does, the default script (the race). */
export const ACTIONS: readonly LessonAction<IoLesson>[] = [
  {
    id: 'race',
    script: true,
    run: (l, a) => l.race(a),
    label: { en: 'All clients connect at once', pt: 'Todos os clientes conectam de uma vez' },
    primary: true
  },
  {
    id: 'one',
    run: (l, a) => l.one(a),
    label: { en: 'One client to each server', pt: 'Um cliente para cada servidor' }
  }
]

export const BLOCKING_INFO: SceneInfo = {
  id: 'blocking-async',
  group: 'fundamentos',
  title: { en: 'Blocking vs async servers', pt: 'Servidores bloqueantes vs assíncronos' },
  summary: {
    en: 'Three real echo servers side by side — blocking, a thread per client, an event loop — and several clients connecting at once. The kernel’s accept queue, sampled live.',
    pt: 'Três servidores de eco reais lado a lado — bloqueante, uma thread por cliente, um event loop — e vários clientes conectando ao mesmo tempo. A fila de accept do kernel, medida ao vivo.'
  },
  goal: {
    en: 'A blocking server serves one client at a time; the rest wait in the kernel’s accept queue (backlog), and beyond it their SYN is dropped and retried. Threads cost memory; an event loop interleaves many clients on one thread.',
    pt: 'Um servidor bloqueante atende um cliente de cada vez; os outros esperam na fila de accept do kernel (backlog), e além dela o SYN é descartado e repetido. Threads custam memória; um event loop intercala muitos clientes numa thread.'
  },
  params: [
    {
      id: 'clients',
      label: { en: 'Clients at once', pt: 'Clientes ao mesmo tempo' },
      type: 'number',
      default: 5,
      min: 1,
      max: 20,
      step: 1
    },
    {
      id: 'delay',
      label: { en: 'Work per request (ms)', pt: 'Trabalho por requisição (ms)' },
      type: 'number',
      default: 1000,
      min: 50,
      max: 5000,
      step: 50
    },
    {
      id: 'backlog',
      label: { en: 'listen() backlog', pt: 'backlog do listen()' },
      type: 'number',
      default: 4,
      min: 1,
      max: 128,
      step: 1,
      help: {
        en: 'The accept queue’s size. Linux queues backlog + 1 connections; more SYNs are dropped and retried after about 1 s. Try 2.',
        pt: 'O tamanho da fila de accept. O Linux enfileira backlog + 1 conexões; SYNs a mais são descartados e repetidos após cerca de 1 s. Experimente 2.'
      }
    },
    {
      id: 'implementation',
      label: { en: 'Servers', pt: 'Servidores' },
      type: 'select',
      default: 'node',
      options: [
        { value: 'node', label: { en: 'Node (built in)', pt: 'Node (embutido)' } },
        {
          value: 'python',
          label: {
            en: 'The course’s tcp_server.py and asyncio_server.py',
            pt: 'tcp_server.py e asyncio_server.py do curso'
          }
        }
      ],
      help: {
        en: 'Python needs python3 on this machine; the thread-per-client server stays Node.',
        pt: 'Python precisa do python3 nesta máquina; o servidor de uma thread por cliente continua em Node.'
      }
    }
  ],
  actions: actionDefs(ACTIONS),
  views: ['servers', 'packets', 'bytes'],
  ports: IO_MODELS.map((m) => ({ name: m, transport: 'tcp' as const, preferred: IO_PORTS[m] })),
  checkpoints: [LAST_REPLY_CHECKPOINT]
}
