// Lesson "Thrift RPC" as data: parameters, actions, ports, checkpoints; and the course's Python
// client for "use your own client" (resources/clients/thrift_client.py, host and port filled in).
import type { ParamValues } from '../../../../shared/events'
import type { ActionResult, CheckpointInfo, SceneInfo } from '../../../../shared/scene'
import {
  THRIFT_PORT,
  type ThriftProtocolName,
  type ThriftTransportName
} from '../../../../shared/protocols/thrift'
import { clientScript } from '../client-scripts'
import { actionDefs, ok, type LessonAction } from '../types'

export const CURL_CHECKPOINT: CheckpointInfo = {
  id: 'curl-thrift',
  action: 'curl',
  source: 'seed 001, "Checkpoint: Teste seu Entendimento", question 2',
  question: {
    en: 'curl http://127.0.0.1:9083/ — the Metastore speaks binary Thrift, not HTTP. What does curl print?',
    pt: 'curl http://127.0.0.1:9083/ — o Metastore fala Thrift binário, não HTTP. O que o curl imprime?'
  },
  choices: [
    {
      id: 'http-error',
      label: { en: 'An HTTP error (400 Bad Request)', pt: 'Um erro HTTP (400 Bad Request)' }
    },
    { id: 'garbage', label: { en: 'Binary garbage', pt: 'Lixo binário' } },
    {
      id: 'empty',
      label: { en: 'curl: (52) Empty reply from server', pt: 'curl: (52) Empty reply from server' }
    },
    {
      id: 'hang',
      label: { en: 'Nothing: it waits until its timeout', pt: 'Nada: espera até o tempo limite' }
    }
  ]
}

/** What the lesson's actions do, on its running servers (index.ts). */
export interface ThriftLesson {
  calls(db: string, table: string): Promise<unknown>
  getTable(db: string, table: string): Promise<unknown>
  curl(): Promise<unknown>
  contrast(): Promise<ActionResult>
}

/** The database and table the actions ask for, with the lesson's defaults. */
const names = (args: ParamValues): { db: string; table: string } => ({
  db: String(args.dbname ?? 'vendas'),
  table: String(args.tbl_name ?? 'pedidos')
})

/** The lesson's actions, declared once: info.actions, what each does, the default script (calls, then curl). */
export const ACTIONS: readonly LessonAction<ThriftLesson>[] = [
  {
    id: 'calls',
    script: true,
    run: async (l, a) => ok(undefined, await l.calls(names(a).db, names(a).table)),
    label: { en: 'Call the metastore', pt: 'Chamar o metastore' },
    help: {
      en: 'get_all_databases, get_table, and get_table for a table that does not exist.',
      pt: 'get_all_databases, get_table, e get_table de uma tabela que não existe.'
    },
    primary: true
  },
  {
    id: 'get-table',
    run: async (l, a) => ok(undefined, await l.getTable(names(a).db, names(a).table)),
    label: { en: 'get_table(database, table)', pt: 'get_table(banco, tabela)' }
  },
  {
    id: 'curl',
    script: true,
    run: async (l) => ok(undefined, await l.curl()),
    label: { en: 'curl at the Thrift port', pt: 'curl na porta Thrift' }
  },
  {
    id: 'curl-contrast',
    run: (l) => l.contrast(),
    label: { en: 'curl at other binary ports', pt: 'curl em outras portas binárias' },
    help: {
      en: 'The same curl at a lenient Thrift reader and at the course’s other binary servers.',
      pt: 'O mesmo curl num leitor Thrift tolerante e nos outros servidores binários do curso.'
    }
  }
]

export const THRIFT_INFO: SceneInfo = {
  id: 'thrift',
  group: 'rpc',
  title: { en: 'Thrift RPC (Hive Metastore)', pt: 'Thrift RPC (Hive Metastore)' },
  summary: {
    en: 'A Hive-Metastore-like Thrift service on 9083: calls and replies laid open field by field, with the names from the IDL — then curl sent at the binary port.',
    pt: 'Um serviço Thrift como o Hive Metastore na 9083: chamadas e respostas abertas campo a campo, com os nomes do IDL — e depois o curl na porta binária.'
  },
  goal: {
    en: 'An IDL (hms.thrift) is the contract; on the wire only field ids and types travel, so a reader needs the IDL to name them. A binary port does not speak HTTP: a strict server closes on it.',
    pt: 'Um IDL (hms.thrift) é o contrato; no fio só viajam ids e tipos de campo, então quem lê precisa do IDL para nomeá-los. Uma porta binária não fala HTTP: um servidor estrito fecha a conexão.'
  },
  params: [
    {
      id: 'protocol',
      label: { en: 'Protocol', pt: 'Protocolo' },
      type: 'select',
      default: 'binary',
      options: [
        { value: 'binary', label: { en: 'Binary (Hive)', pt: 'Binário (Hive)' } },
        { value: 'compact', label: { en: 'Compact', pt: 'Compacto' } }
      ]
    },
    {
      id: 'transport',
      label: { en: 'Transport', pt: 'Transporte' },
      type: 'select',
      default: 'buffered',
      options: [
        { value: 'buffered', label: { en: 'Buffered (Hive)', pt: 'Buffered (Hive)' } },
        { value: 'framed', label: { en: 'Framed (4-byte length)', pt: 'Framed (tamanho de 4 bytes)' } }
      ]
    },
    {
      id: 'strict',
      label: { en: 'Strict reader (as Hive)', pt: 'Leitor estrito (como o Hive)' },
      type: 'boolean',
      default: true,
      help: {
        en: 'Off: the library default, which reads a message without a version word — and waits forever for curl.',
        pt: 'Desligado: o padrão da biblioteca, que lê mensagens sem a palavra de versão — e espera o curl para sempre.'
      }
    },
    { id: 'dbname', label: { en: 'Database', pt: 'Banco' }, type: 'string', default: 'vendas' },
    { id: 'tbl_name', label: { en: 'Table', pt: 'Tabela' }, type: 'string', default: 'pedidos' }
  ],
  actions: actionDefs(ACTIONS),
  views: ['thrift', 'bytes', 'sequence'],
  ports: [{ name: 'thrift', transport: 'tcp', preferred: THRIFT_PORT }],
  checkpoints: [CURL_CHECKPOINT]
}

/**
 * The course's Python client (resources/clients/thrift_client.py, written for binary over a buffered
 * transport on 127.0.0.1:9083), for this server's address, port, protocol and transport.
 */
export function thriftClientPy(
  host: string,
  port: number,
  protocol: ThriftProtocolName,
  transport: ThriftTransportName
): string {
  let text = clientScript('thrift_client.py', { host, port }, THRIFT_PORT)
  if (protocol === 'compact') text = text.replaceAll('TBinaryProtocol', 'TCompactProtocol')
  if (transport === 'framed') text = text.replaceAll('TBufferedTransport', 'TFramedTransport')
  return text
}
