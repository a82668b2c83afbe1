// Lesson "Spark reads Parquet from S3" (seed 000 §2 "Por debaixo dos panos: Spark conectando ao
// S3", seed 001 §3.1 "Quando o Spark lê do S3"): its description as data, and its checkpoints.
import type { ParamValues } from '../../../../shared/events'
import type { ActionResult, CheckpointInfo, SceneInfo } from '../../../../shared/scene'
import { actionDefs, type LessonAction } from '../types'

export const S3_PORT = 9000
export const BUCKET = 'datalake'
export const TABLE = 'vendas'

/** The queries on offer: the columns each one touches. */
export const QUERIES: Record<string, { columns: string[]; sql: string }> = {
  'loja,valor': { columns: ['loja', 'valor'], sql: 'SELECT loja, sum(valor) FROM vendas GROUP BY loja' },
  produto: { columns: ['produto'], sql: 'SELECT produto, count(*) FROM vendas GROUP BY produto' },
  'data,valor': { columns: ['data', 'valor'], sql: 'SELECT data, sum(valor) FROM vendas GROUP BY data' },
  all: { columns: ['id_venda', 'data', 'loja', 'produto', 'cliente', 'valor'], sql: 'SELECT * FROM vendas' }
}

export const CHECKPOINTS: Record<'pruning' | 'throttling' | 'etag', CheckpointInfo> = {
  pruning: {
    id: 'pruning',
    action: 'read',
    question: {
      en: 'The query touches 2 of the 6 columns. How much of the files will cross the wire?',
      pt: 'A consulta usa 2 das 6 colunas. Quanto dos arquivos vai passar pela rede?'
    },
    choices: [
      { id: 'all', label: { en: 'All of every file', pt: 'Todo o arquivo, de cada arquivo' } },
      { id: 'half', label: { en: 'About half', pt: 'Mais ou menos metade' } },
      { id: 'part', label: { en: 'Well under half: the footers and those columns only', pt: 'Bem menos da metade: só os rodapés e essas colunas' } },
      { id: 'footer', label: { en: 'Only the footers', pt: 'Só os rodapés' } }
    ],
    source: 'seed 001, §3.1 "Quando o Spark lê do S3" (column pruning)'
  },
  throttling: {
    id: 'throttling',
    action: 'throttle',
    question: {
      en: 'Too many requests on one prefix. What does S3 answer?',
      pt: 'Requisições demais num mesmo prefixo. O que o S3 responde?'
    },
    choices: [
      { id: '429', label: { en: '429 Too Many Requests', pt: '429 Too Many Requests' } },
      { id: '503', label: { en: '503 Slow Down', pt: '503 Slow Down' } },
      { id: '500', label: { en: '500 Internal Error', pt: '500 Internal Error' } },
      { id: 'drop', label: { en: 'It drops the connection', pt: 'Derruba a conexão' } }
    ],
    source: 'seed 001, §3.1 ("SlowDown (429)": S3 really answers 503)'
  },
  etag: {
    id: 'etag',
    action: 'write',
    question: {
      en: 'The file went up in 3 parts. What ETag does S3 give the finished object?',
      pt: 'O arquivo subiu em 3 partes. Que ETag o S3 dá ao objeto pronto?'
    },
    choices: [
      { id: 'md5', label: { en: 'The MD5 of the whole file', pt: 'O MD5 do arquivo inteiro' } },
      { id: 'md5-of-md5s', label: { en: 'An MD5 of the parts’ MD5s, then "-3"', pt: 'Um MD5 dos MD5 das partes, e "-3"' } },
      { id: 'upload-id', label: { en: 'The UploadId', pt: 'O UploadId' } },
      { id: 'last-part', label: { en: 'The ETag of the last part', pt: 'O ETag da última parte' } }
    ],
    source: 'seed 000, §2 "Escrita (Multipart Upload)"'
  }
}

/** What the running lesson does for each action (built in `start`). */
export interface SparkS3Lesson {
  read(args: ParamValues): Promise<ActionResult>
  throttle(args: ParamValues): Promise<ActionResult>
  write(): Promise<ActionResult>
}

/** The lesson's actions; `wirelab run` performs the read and the throttled read. */
export const ACTIONS: readonly LessonAction<SparkS3Lesson>[] = [
  { id: 'read', label: { en: 'spark.read.parquet(…).select(…)', pt: 'spark.read.parquet(…).select(…)' }, primary: true, script: true, run: (l, args) => l.read(args) },
  { id: 'throttle', label: { en: 'Read while S3 throttles (503 SlowDown)', pt: 'Ler com o S3 limitando (503 SlowDown)' }, script: true, run: (l, args) => l.throttle(args) },
  { id: 'write', label: { en: 'df.write: multipart upload (11 MB)', pt: 'df.write: upload multipart (11 MB)' }, run: (l) => l.write() }
]

export const sparkS3Info: SceneInfo = {
  id: 'spark-s3',
  group: 'dados',
  title: { en: 'Spark reads Parquet from S3', pt: 'Spark lê Parquet do S3' },
  summary: {
    en: 'spark.read.parquet("s3a://datalake/vendas") is plain HTTP: a listing, a ranged GET for each file’s footer, then ranged GETs for only the columns the query needs, from several executors at once. Real Parquet files on a real S3-compatible server, read the way Spark’s S3 connector (S3A) does.',
    pt: 'spark.read.parquet("s3a://datalake/vendas") é HTTP puro: uma listagem, um GET com Range para o rodapé de cada arquivo e depois GETs com Range só das colunas que a consulta usa, de vários executors ao mesmo tempo. Arquivos Parquet reais num servidor compatível com S3 real, lidos como o conector S3 do Spark (S3A) lê.'
  },
  goal: {
    en: 'S3 is an object store behind an HTTP API, not a file system. Parquet keeps its metadata at the end of the file, so a reader fetches the footer first and then only the byte ranges of the columns it needs: most of the file never crosses the wire. S3 throttles with 503 Slow Down, and clients retry with backoff.',
    pt: 'O S3 é um armazenamento de objetos atrás de uma API HTTP, não um sistema de arquivos. O Parquet guarda os metadados no fim do arquivo, então quem lê busca primeiro o rodapé e depois só as faixas de bytes das colunas de que precisa: a maior parte do arquivo nunca passa pela rede. O S3 limita com 503 Slow Down, e os clientes tentam de novo com espera (backoff).'
  },
  params: [
    {
      id: 'query',
      label: { en: 'Query', pt: 'Consulta' },
      type: 'select',
      default: 'loja,valor',
      options: Object.entries(QUERIES).map(([value, q]) => ({ value, label: { en: q.sql, pt: q.sql } }))
    },
    { id: 'executors', label: { en: 'Executors', pt: 'Executors' }, type: 'number', default: 3, min: 1, max: 6 },
    {
      id: 'rowGroups',
      label: { en: 'Row groups per file', pt: 'Row groups por arquivo' },
      type: 'number',
      default: 4,
      min: 1,
      max: 8,
      help: { en: 'The files are written again when this changes.', pt: 'Os arquivos são escritos de novo quando isto muda.' }
    }
  ],
  actions: actionDefs(ACTIONS),
  views: ['bytemap', 'lanes', 'bytes'],
  ports: [{ name: 's3', transport: 'tcp', preferred: S3_PORT }],
  checkpoints: Object.values(CHECKPOINTS)
}
