// Lesson "Sync vs async, and buffers" as data.
import type { ParamValues } from '../../../../shared/events'
import type { ActionResult, CheckpointInfo, SceneInfo } from '../../../../shared/scene'
import { actionDefs, type LessonAction } from '../types'

export const BUFFERS_PORT = 65435

export const SENDERS = [
  { id: 'blocking', node: 'sender-blocking', label: 'Blocking sender (waits for drain)' },
  { id: 'nonblocking', node: 'sender-nonblocking', label: 'Non-blocking sender (keeps writing)' }
] as const
export type SenderId = (typeof SENDERS)[number]['id']

export const KEEPS_GOING_CHECKPOINT: CheckpointInfo = {
  id: 'buffers-keeps-going',
  action: 'run',
  source: 'seed 003, "Comunicação Assíncrona" and "Implementação com Filas (Buffers)"',
  question: {
    en: 'The receiver stops reading. The non-blocking sender keeps calling write(). Where do its bytes go?',
    pt: 'O receptor para de ler. O emissor não bloqueante continua chamando write(). Para onde vão os bytes?'
  },
  choices: [
    { id: 'error', label: { en: 'write() fails with an error', pt: 'write() falha com um erro' } },
    { id: 'dropped', label: { en: 'They are dropped on the way', pt: 'São descartados no caminho' } },
    { id: 'sender-memory', label: { en: 'They pile up in the sender’s own memory', pt: 'Ficam acumulados na memória do próprio emissor' } },
    { id: 'receiver', label: { en: 'The receiver’s kernel keeps taking them all', pt: 'O kernel do receptor continua aceitando todos' } }
  ]
}


/** What the lesson's action does, on its running receiver (index.ts). */
export interface BuffersLesson {
  run(args: ParamValues): Promise<ActionResult>
}

/** The lesson's one action, declared once: info.actions, what it does, the default script. */
export const ACTIONS: readonly LessonAction<BuffersLesson>[] = [
  { id: 'run', label: { en: 'Send to a slow receiver', pt: 'Enviar a um receptor lento' }, primary: true, script: true, run: (l, a) => l.run(a) }
]

export const BUFFERS_INFO: SceneInfo = {
  id: 'buffers',
  group: 'fundamentos',
  title: { en: 'Sync vs async, and buffers', pt: 'Síncrono vs assíncrono, e buffers' },
  summary: {
    en: 'A fast sender and a slow receiver on real TCP: the queues on each side fill, the receiver’s window closes, a blocking sender stops while a non-blocking one keeps going — then everything drains.',
    pt: 'Um emissor rápido e um receptor lento em TCP real: as filas de cada lado enchem, a janela do receptor fecha, um emissor bloqueante para enquanto um não bloqueante continua — depois tudo escoa.'
  },
  goal: {
    en: 'send() and receive() work through queues (buffers) on each side. When the receiver does not read, its queue fills and its window closes; the sender’s queue fills next; then a blocking send waits, and a non-blocking one buffers in its own memory.',
    pt: 'send() e receive() trabalham sobre filas (buffers) de cada lado. Quando o receptor não lê, a fila dele enche e a janela fecha; depois enche a fila do emissor; então um send bloqueante espera, e um não bloqueante guarda na própria memória.'
  },
  params: [
    { id: 'total', label: { en: 'Bytes each sender writes (MB)', pt: 'Bytes que cada emissor escreve (MB)' }, type: 'number', default: 8, min: 1, max: 64, step: 1 },
    { id: 'pause', label: { en: 'Receiver does not read for (ms)', pt: 'Receptor sem ler durante (ms)' }, type: 'number', default: 2000, min: 0, max: 20000, step: 100 },
    { id: 'rate', label: { en: 'Then it reads (KB/s)', pt: 'Depois lê (KB/s)' }, type: 'number', default: 2048, min: 16, max: 65536, step: 16 }
  ],
  actions: actionDefs(ACTIONS),
  views: ['buffers', 'sequence', 'bytes'],
  ports: [{ name: 'receiver', transport: 'tcp', preferred: BUFFERS_PORT }],
  checkpoints: [KEEPS_GOING_CHECKPOINT]
}
