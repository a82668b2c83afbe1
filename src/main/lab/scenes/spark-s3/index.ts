// Lesson "Spark reads Parquet from S3": a real S3-compatible server (fauxqs, from npm) holding real
// Parquet files (hyparquet-writer), behind a tap on the course's port; a reader that makes the
// requests Spark's S3 connector makes (driver: HEAD + LIST; one task per file on N executors, each
// with its own connection: HEAD, footer Range GET, column-chunk Range GETs); the tap throttling with
// S3's own 503 SlowDown; and a multipart upload. Every request goes through the AWS SDK.
import net from 'node:net'
import { createHash } from 'node:crypto'
import { CreateBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3'
import type { LabEvent, ParamValues, PduEvent } from '../../../../shared/events'
import { formatBytes } from '../../../../shared/protocols/s3'
import type { ClientHint } from '../../../../shared/scene'
import { LOOPBACK } from '../../net/ports'
import { writeVendas, type DatasetOptions, DEFAULT_DATASET } from '../../protocols/s3/parquet-dataset'
import { bigParquet, multipartUpload } from '../../protocols/s3/multipart'
import { aggregate, s3Client, sparkRead } from '../../protocols/s3/reader'
import { FAUXQS_LABEL, startS3Server } from '../../protocols/s3/server'
import { newThrottlePolicy, throttleInterceptor } from '../../protocols/s3/throttle'
import { clientFile } from '../client-files'
import { ok, runAction, runScript, type SceneDef, type SceneRun } from '../types'
import { ACTIONS, BUCKET, CHECKPOINTS, QUERIES, S3_PORT, TABLE, sparkS3Info, type SparkS3Lesson } from './info'

const pdusOf = (events: readonly LabEvent[]): PduEvent[] => events.filter((e): e is PduEvent => e.kind === 'pdu' && !e.modeled)
const pct = (a: number, b: number): string => `${((100 * a) / Math.max(1, b)).toFixed(1)}%`

export const sparkS3: SceneDef = {
  info: sparkS3Info,

  async start(ctx, params) {
    ctx.note('s3.server', {
      en: `Starting ${FAUXQS_LABEL.en}. Real S3 is HTTPS on port 443; S3-compatible servers on a laptop (MinIO) listen on ${S3_PORT}, in plain HTTP, so every byte can be read here.`,
      pt: `Iniciando ${FAUXQS_LABEL.pt}. O S3 de verdade é HTTPS na porta 443; servidores compatíveis com S3 num notebook (MinIO) escutam na ${S3_PORT}, em HTTP puro, então cada byte pode ser lido aqui.`
    })
    const srv = await startS3Server()
    ctx.own(srv)
    const hidden = `http://${LOOPBACK}:${srv.port}`
    const direct = s3Client(hidden, () => new Promise<net.Socket>((resolve, reject) => {
      const s = net.connect(srv.port, LOOPBACK, () => resolve(s))
      s.once('error', reject)
    }))
    ctx.onStop(() => direct.destroy())
    await direct.send(new CreateBucketCommand({ Bucket: BUCKET }))

    // The data lake, written as Parquet and uploaded straight to the server (set-up, not through the tap).
    let dataset: DatasetOptions | null = null
    let sizes: { key: string; size: number }[] = []
    const ensureDataset = async (rowGroups: number): Promise<void> => {
      if (dataset?.rowGroupsPerFile === rowGroups) return
      const o = { ...DEFAULT_DATASET, rowGroupsPerFile: rowGroups }
      const files = writeVendas(o)
      for (const f of files) await direct.send(new PutObjectCommand({ Bucket: BUCKET, Key: f.key, Body: f.bytes }))
      dataset = o
      sizes = files.map((f) => ({ key: f.key, size: f.bytes.length }))
      ctx.note('s3.dataset', {
        en: `The table "${TABLE}": ${files.length} Parquet files (one per day, Hive-style folders data=…), ${o.rowsPerFile.toLocaleString('en')} sales each in ${rowGroups} row group${rowGroups > 1 ? 's' : ''}, 6 columns, ${formatBytes(sizes.reduce((n, f) => n + f.size, 0))} in all.`,
        pt: `A tabela "${TABLE}": ${files.length} arquivos Parquet (um por dia, pastas no estilo Hive data=…), ${o.rowsPerFile.toLocaleString('pt-BR')} vendas cada, em ${rowGroups} row group${rowGroups > 1 ? 's' : ''}, 6 colunas, ${formatBytes(sizes.reduce((n, f) => n + f.size, 0))} no total.`
      })
    }
    await ensureDataset(Number(params.rowGroups))

    const policy = newThrottlePolicy(`/${BUCKET}/${TABLE}/`)
    const counter = { n: 0, seen: new Map<string, number>() }
    const tap = await ctx.tcpTap({
      name: 's3',
      preferredPort: S3_PORT,
      target: { host: LOOPBACK, port: srv.port },
      dissector: 's3',
      server: { node: 's3', label: 'S3 (fauxqs)' },
      intercept: () => throttleInterceptor(policy, counter)
    })
    const port = tap.port.port
    const endpoint = `http://${LOOPBACK}:${port}`
    const client = (node: string, label: string, connections = 1): S3Client => {
      const c = s3Client(endpoint, () => ctx.connectTcp({ node, label }, port), connections)
      ctx.onStop(() => c.destroy())
      return c
    }

    const read = async (query: string, executors: number, rowGroups: number): Promise<Record<string, unknown>> => {
      const q = QUERIES[query] ?? QUERIES['loja,valor']
      await ensureDataset(rowGroups)
      ctx.note('s3.read', {
        en: `${q.sql}  →  spark.read.parquet("s3a://${BUCKET}/${TABLE}").select(${q.columns.map((c) => `"${c}"`).join(', ')}). First the driver: S3 has no folders, so it asks whether "${TABLE}" is an object (HEAD → 404) and then lists the prefix "${TABLE}/" (ListObjectsV2): partition discovery.`,
        pt: `${q.sql}  →  spark.read.parquet("s3a://${BUCKET}/${TABLE}").select(${q.columns.map((c) => `"${c}"`).join(', ')}). Primeiro o driver: o S3 não tem pastas, então ele pergunta se "${TABLE}" é um objeto (HEAD → 404) e depois lista o prefixo "${TABLE}/" (ListObjectsV2): a descoberta de partições.`
      })
      const driver = client('spark-driver', 'Spark driver')
      const execs = Array.from({ length: executors }, (_, i) => client(`executor-${i + 1}`, `Executor ${i + 1}`))
      try {
        const res = await sparkRead({
          bucket: BUCKET,
          prefix: TABLE,
          columns: q.columns,
          driver,
          executors: execs,
          onStage(stage, detail) {
            if (stage === 'reading')
              ctx.note('s3.tasks', {
                en: `${detail}, one task each, on ${executors} executor${executors > 1 ? 's' : ''} (each with its own HTTP connection). Each task opens its file (HEAD: its length), reads the last 8 KB with an explicit Range (the footer: schema, row groups, where every column chunk starts and ends), then asks only for the chunks of ${q.columns.join(' and ')}.`,
                pt: `${detail}, uma task cada, em ${executors} executor${executors > 1 ? 's' : ''} (cada um com a sua conexão HTTP). Cada task abre o seu arquivo (HEAD: o tamanho), lê os últimos 8 KB com um Range explícito (o rodapé: esquema, row groups, onde começa e acaba cada column chunk) e depois pede só os chunks de ${q.columns.join(' e ')}.`
              })
          }
        })
        const top = aggregate(res.rows, q.columns).slice(0, 3)
        const answer = top.map((r) => (q.columns.includes('valor') ? `${r.group}: R$ ${r.value.toLocaleString('pt-BR', { minimumFractionDigits: 2 })}` : `${r.group}: ${r.count}`)).join(' · ')
        ctx.note('s3.done', {
          en: `Done: ${formatBytes(res.fetched)} of ${formatBytes(res.total)} crossed the wire (${pct(res.fetched, res.total)}), in ${res.files.reduce((n, f) => n + f.ranges.length, 0)} ranged GETs. The rest of each file was never sent. Answer: ${answer}.`,
          pt: `Pronto: ${formatBytes(res.fetched)} de ${formatBytes(res.total)} passaram pela rede (${pct(res.fetched, res.total)}), em ${res.files.reduce((n, f) => n + f.ranges.length, 0)} GETs com Range. O resto de cada arquivo nunca foi enviado. Resposta: ${answer}.`
        })
        return { fetched: res.fetched, total: res.total, requests: res.files.reduce((n, f) => n + f.ranges.length, 0), files: res.files.map((f) => ({ key: f.key, executor: f.executor + 1, ranges: f.ranges })), answer: top }
      } finally {
        for (const c of [driver, ...execs]) c.destroy()
      }
    }

    /** Share of object bytes the 206 answers of a step carried. */
    const share = (events: readonly LabEvent[]): number => {
      const got = pdusOf(events).filter((p) => p.dir === 's2c' && p.keys?.status === 206)
      const bytes = got.reduce((n, p) => n + Number(p.keys?.contentLast) - Number(p.keys?.contentFirst) + 1, 0)
      return bytes / Math.max(1, sizes.reduce((n, f) => n + f.size, 0))
    }

    const throttled = async (query: string, executors: number, rowGroups: number): Promise<Record<string, unknown>> => {
      ctx.note('s3.throttle', {
        en: 'Now the tap plays S3 under load: one request in three on the prefix gets "503 Slow Down" with the XML error code SlowDown — S3’s real throttling answer (the course notes say 429; S3 does not use 429). The AWS SDK treats it as throttling: it waits a random time (backoff with jitter) and retries, with "amz-sdk-request: attempt=2" on the wire.',
        pt: 'Agora o tap faz o papel de um S3 sobrecarregado: uma requisição em cada três no prefixo recebe "503 Slow Down" com o código de erro XML SlowDown — a resposta real do S3 quando limita (as notas do curso dizem 429; o S3 não usa 429). O SDK da AWS trata isso como limitação: espera um tempo aleatório (backoff com jitter) e tenta de novo, com "amz-sdk-request: attempt=2" no fio.'
      })
      policy.on = true
      policy.every = 3
      const before = policy.injected
      try {
        const from = ctx.session.size
        const r = await read(query, executors, rowGroups)
        const n = policy.injected - before
        // The waits the SDK chose, measured on the wire: from each 503 to the retry on that connection.
        const steps = pdusOf(ctx.session.events.slice(from))
        const waits: number[] = []
        for (const p of steps.filter((x) => x.dir === 's2c' && x.keys?.injected)) {
          const retry = steps.find((x) => x.conn === p.conn && x.dir === 'c2s' && x.seq > p.seq)
          if (retry) waits.push(retry.t - p.t)
        }
        const span = waits.length ? `${Math.round(Math.min(...waits))}–${Math.round(Math.max(...waits))} ms` : '–'
        ctx.note('s3.throttled', {
          en: `S3 (here, the tap) answered "503 Slow Down" ${n} times; each time the SDK waited a random ${span} (backoff with jitter) and retried, and every retry got its bytes. The read still finished — a little later.`,
          pt: `O S3 (aqui, o tap) respondeu "503 Slow Down" ${n} vezes; a cada vez o SDK esperou um tempo aleatório de ${span} (backoff com jitter) e tentou de novo, e cada nova tentativa recebeu os bytes. A leitura terminou assim mesmo — um pouco mais tarde.`
        })
        return { ...r, throttled: n, waits }
      } finally {
        policy.on = false
      }
    }

    const write = async (): Promise<Record<string, unknown>> => {
      const key = `${TABLE}_historico/part-00000.parquet`
      ctx.note('s3.write', {
        en: `df.write.parquet("s3a://${BUCKET}/${TABLE}_historico"): an 11 MB file goes up as a multipart upload. Initiate (POST ?uploads → UploadId), then the parts in parallel on three connections (PUT ?partNumber=N; S3 wants every part but the last to be at least 5 MiB), then Complete with the list of parts.`,
        pt: `df.write.parquet("s3a://${BUCKET}/${TABLE}_historico"): um arquivo de 11 MB sobe como upload multipart. Iniciar (POST ?uploads → UploadId), depois as partes em paralelo em três conexões (PUT ?partNumber=N; o S3 exige que toda parte menos a última tenha pelo menos 5 MiB) e por fim Complete com a lista das partes.`
      })
      const writer = client('spark-writer', 'Spark writer (task)', 3)
      try {
        const res = await multipartUpload(writer, BUCKET, key, bigParquet())
        ctx.note('s3.etag', {
          en: `Complete answered ETag ${res.etag}: not the MD5 of the file but an MD5 of the ${res.parts} parts’ MD5s, with "-${res.parts}" for the number of parts. That is how you can tell a multipart object.`,
          pt: `O Complete respondeu ETag ${res.etag}: não é o MD5 do arquivo, e sim um MD5 dos MD5 das ${res.parts} partes, com "-${res.parts}" para o número de partes. É assim que se reconhece um objeto multipart.`
        })
        return { ...res }
      } finally {
        writer.destroy()
      }
    }

    const hints = (): ClientHint[] => {
      const ep = `--endpoint-url http://127.0.0.1:${port} --no-sign-request --region us-east-1`
      const first = sizes[0]?.key ?? `${TABLE}/part-00000.parquet`
      return [
        { title: { en: 'AWS CLI: list the table', pt: 'AWS CLI: listar a tabela' }, command: `aws s3 ls s3://${BUCKET}/${TABLE}/ --recursive ${ep}` },
        { title: { en: 'AWS CLI: the last 8 bytes (footer length + PAR1)', pt: 'AWS CLI: os últimos 8 bytes (tamanho do rodapé + PAR1)' }, command: `aws s3api get-object --bucket ${BUCKET} --key '${first}' --range bytes=-8 fim.bin ${ep} && xxd fim.bin` },
        { title: { en: 'AWS CLI: copy one file', pt: 'AWS CLI: copiar um arquivo' }, command: `aws s3 cp 's3://${BUCKET}/${first}' . ${ep}` },
        { title: { en: 'curl: a Range GET', pt: 'curl: um GET com Range' }, command: `curl -s -r 0-3 http://127.0.0.1:${port}/${BUCKET}/${first} | xxd` },
        {
          title: { en: 'Python (boto3): list, then read only the footer', pt: 'Python (boto3): listar e ler só o rodapé' },
          command: 'python3 s3_range_get.py',
          file: { name: 's3_range_get.py', language: 'python', content: clientFile('s3_range_get.py', { HOST: '127.0.0.1', PORT: port }) }
        }
      ]
    }

    const settings = (args: ParamValues): [string, number, number] => [
      String(args.query ?? params.query),
      Number(args.executors ?? params.executors),
      Number(args.rowGroups ?? params.rowGroups)
    ]
    const lesson: SparkS3Lesson = {
      async read(args) {
        const [query, executors, rowGroups] = settings(args)
        return ok(
            undefined,
            await ctx.checkpoint(CHECKPOINTS.pruning, () => read(query, executors, rowGroups), (events) => {
              const s = share(events)
              const answer = s > 0.9 ? 'all' : s > 0.4 ? 'half' : s > 0.08 ? 'part' : 'footer'
              return {
                answer: [answer],
                explain: {
                  en: `${pct(s, 1)} of the bytes of the files crossed the wire: each footer (one ranged GET per file) and the column chunks of ${QUERIES[query]?.columns.join(', ') ?? query}. Parquet stores each column of a row group contiguously, so a column is a byte range.`,
                  pt: `${pct(s, 1)} dos bytes dos arquivos passaram pela rede: cada rodapé (um GET com Range por arquivo) e os column chunks de ${QUERIES[query]?.columns.join(', ') ?? query}. O Parquet guarda cada coluna de um row group em bytes contíguos, então uma coluna é uma faixa de bytes.`
                }
              }
            })
        )
      },
      async throttle(args) {
        const [query, executors, rowGroups] = settings(args)
        return ok(
            undefined,
            await ctx.checkpoint(CHECKPOINTS.throttling, () => throttled(query, executors, rowGroups), (events) => {
              const injected = pdusOf(events).filter((p) => p.dir === 's2c' && p.keys?.injected)
              const status = injected[0]?.keys?.status
              const retries = pdusOf(events).filter((p) => p.dir === 'c2s' && Number(p.keys?.attempt) > 1).length
              return {
                answer: [String(status ?? '503')],
                explain: {
                  en: `${injected.length} requests got "HTTP/1.1 ${status} Slow Down" (error code SlowDown) and ${retries} retries followed, each after a random wait. S3 throttles with 503, not 429.`,
                  pt: `${injected.length} requisições receberam "HTTP/1.1 ${status} Slow Down" (código SlowDown) e vieram ${retries} novas tentativas, cada uma depois de uma espera aleatória. O S3 limita com 503, não com 429.`
                }
              }
            })
        )
      },
      async write() {
        return ok(
            undefined,
            await ctx.checkpoint(CHECKPOINTS.etag, write, (events, res) => {
              // The parts' ETags (their MD5s) in part order, from the UploadPart answers on the wire.
              const parts = pdusOf(events)
                .filter((p) => p.dir === 's2c' && p.keys?.s3 === 'UploadPart' && p.keys.etag)
                .sort((a, b) => Number(a.keys?.partNumber) - Number(b.keys?.partNumber))
                .map((p) => Buffer.from(String(p.keys?.etag).replace(/"/g, ''), 'hex'))
              const combined = `"${createHash('md5').update(Buffer.concat(parts)).digest('hex')}-${parts.length}"`
              return {
                answer: [combined === res.etag ? 'md5-of-md5s' : 'md5'],
                explain: {
                  en: `ETag ${res.etag}: ${res.parts} parts, so "-${res.parts}". Each UploadPart answer carried that part’s MD5 as its ETag; MD5 of those ${parts.length} MD5s = ${combined}.`,
                  pt: `ETag ${res.etag}: ${res.parts} partes, daí o "-${res.parts}". Cada resposta de UploadPart trouxe o MD5 da parte como ETag; o MD5 desses ${parts.length} MD5 = ${combined}.`
                }
              }
            })
        )
      }
    }
    const run: SceneRun = {
      ports: [tap.port],
      hints,
      action: (id, args) => runAction(ACTIONS, lesson, id, args),
      script: () => runScript(ACTIONS, lesson, params)
    }
    return run
  }
}
