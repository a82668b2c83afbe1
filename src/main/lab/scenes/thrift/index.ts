// Lesson "Thrift RPC" (seeds 000 and 001: the IDL, Hive Metastore on 9083, "you can't curl the
// Metastore"): a ThriftHiveMetastore on npm thrift behind the tap, its calls dissected with the
// IDL's field names, and the curl moment — what a strict server really does with `GET `.
import type { ActionResult, ClientHint } from '../../../../shared/scene'
import type { ThriftProtocolName, ThriftTransportName } from '../../../../shared/protocols/thrift'
import { ThriftRpcClient, type ThriftOutcome } from '../../protocols/thrift/client'
import { hmsIdl, hmsThriftText } from '../../protocols/thrift/idl'
import { hmsHandler } from '../../protocols/thrift/hms'
import { startThriftServer } from '../../protocols/thrift/server'
import { ianaLookup } from '../../net/iana'
import { ok, runAction, runScript, type SceneDef } from '../types'
import { CURL_CONTRASTS } from './contrast'
import { curlAt, curlExplained, type CurlResult } from './curl'
import { ACTIONS, CURL_CHECKPOINT, THRIFT_INFO, thriftClientPy, type ThriftLesson } from './info'

/** A reply in a few words: `Table vendas.pedidos (s3a://…)`, a list, or the exception. */
function show(o: ThriftOutcome): string {
  if (!o.ok) return `${o.exception}: ${String(o.fields.message ?? '')}`
  const v = o.value as { tableName?: string; dbName?: string; sd?: { location?: string } } | undefined
  if (v && typeof v === 'object' && v.tableName) return `Table ${v.dbName}.${v.tableName} (${v.sd?.location ?? ''})`
  const text = JSON.stringify(o.value) ?? 'void'
  return text.length > 60 ? text.slice(0, 59) + '…' : text
}

/** The checkpoint's answer from curl's exit code. */
export function curlChoice(exit: number): string {
  return exit === 52 || exit === 56 ? 'empty' : exit === 28 ? 'hang' : exit === 1 ? 'garbage' : 'http-error'
}

export const thriftScene: SceneDef = {
  info: THRIFT_INFO,

  async start(ctx, params) {
    const idl = hmsIdl()
    const protocol = String(params.protocol) as ThriftProtocolName
    const transport = String(params.transport) as ThriftTransportName
    const strict = params.strict !== false
    const server = await startThriftServer({
      idl,
      handler: hmsHandler(),
      protocol,
      transport,
      strict,
      onReject: (message) =>
        ctx.note('thrift.reject', {
          en: `The Thrift server rejected what it read ("${message}") and closed that connection. It keeps serving everyone else.`,
          pt: `O servidor Thrift rejeitou o que leu ("${message}") e fechou essa conexão. Continua atendendo os demais.`
        })
    })
    ctx.own(server.server)
    const tap = await ctx.tcpTap({
      name: 'thrift',
      preferredPort: THRIFT_INFO.ports[0].preferred,
      target: { host: '127.0.0.1', port: server.port },
      dissector: 'thrift',
      server: { node: 'metastore', label: 'Hive Metastore (Thrift)' }
    })
    const port = tap.port.port
    const iana = ianaLookup(9083)
    ctx.note('thrift.ready', {
      en: `ThriftHiveMetastore listens on ${port} (${protocol} protocol, ${transport} transport, ${strict ? 'strict' : 'lenient'} reader). 9083 is Hive's port by convention only: IANA registers it as "${iana?.name ?? 'unassigned'}".`,
      pt: `O ThriftHiveMetastore escuta na ${port} (protocolo ${protocol === 'binary' ? 'binário' : 'compacto'}, transporte ${transport}, leitor ${strict ? 'estrito' : 'tolerante'}). A 9083 é do Hive só por convenção: a IANA a registra como "${iana?.name ?? 'não atribuída'}".`
    })

    const connect = async (): Promise<ThriftRpcClient> => {
      const socket = await ctx.connectTcp({ node: 'spark', label: 'Spark (Thrift client)' }, port)
      socket.on('error', () => undefined)
      return new ThriftRpcClient(socket, idl, protocol, transport)
    }

    const calls = async (db: string, table: string): Promise<ThriftOutcome[]> => {
      ctx.note('thrift.calls', {
        en: `Spark asks the metastore for its databases, then for ${db}.${table}: each call is a CALL message (method name, seqid, the arguments struct) and a REPLY.`,
        pt: `O Spark pede ao metastore os bancos, depois ${db}.${table}: cada chamada é uma mensagem CALL (nome do método, seqid, o struct de argumentos) e uma REPLY.`
      })
      const client = await connect()
      const out = [await client.call('get_all_databases'), await client.call('get_table', { dbname: db, tbl_name: table })]
      ctx.note('thrift.missing', {
        en: `Now a table that does not exist: get_table("${db}", "clientes"). The IDL declares NoSuchObjectException as field 2 of the result (o2).`,
        pt: `Agora uma tabela que não existe: get_table("${db}", "clientes"). O IDL declara NoSuchObjectException como campo 2 do resultado (o2).`
      })
      out.push(await client.call('get_table', { dbname: db, tbl_name: 'clientes' }))
      ctx.note('thrift.names', {
        en: `Replies: ${out.map(show).join(' · ')}. On the wire each field is only an id and a type; the names come from hms.thrift (Wireshark shows "Field Header #1 T_STRING").`,
        pt: `Respostas: ${out.map(show).join(' · ')}. No fio cada campo é só um id e um tipo; os nomes vêm do hms.thrift (o Wireshark mostra "Field Header #1 T_STRING").`
      })
      return out
    }

    const curl = async (): Promise<CurlResult> =>
      ctx.checkpoint(
        CURL_CHECKPOINT,
        async () => {
          ctx.note('thrift.curl', {
            en: `curl http://127.0.0.1:${port}/ sends an HTTP request, "GET / HTTP/1.1…", to a port that expects Thrift.`,
            pt: `curl http://127.0.0.1:${port}/ envia uma requisição HTTP, "GET / HTTP/1.1…", a uma porta que espera Thrift.`
          })
          const r = await curlAt(ctx, port, 'metastore')
          ctx.note('thrift.curl.result', curlExplained(r), r.exit === 52 || r.exit === 28 ? 'info' : 'warn')
          return r
        },
        (_events, r) => ({
          answer: [curlChoice(r.exit)],
          explain: {
            en: `${r.message}. The server read "GET " as the i32 0x47455420 = 1,195,725,856. ${strict ? 'Its top bit is not set, so it is no version word: the strict reader refused it and closed.' : 'The lenient reader took it as the length of a method name and waits for 1.2 GB.'}`,
            pt: `${r.message}. O servidor leu "GET " como o i32 0x47455420 = 1.195.725.856. ${strict ? 'O bit mais alto não está ligado, então não é palavra de versão: o leitor estrito recusou e fechou.' : 'O leitor tolerante o tomou como o tamanho do nome do método e espera 1,2 GB.'}`
          }
        })
      )

    const contrast = async (): Promise<ActionResult> => {
      const results: Record<string, string> = {}
      for (const c of CURL_CONTRASTS) {
        const srv = await c.start()
        try {
          const t = await ctx.tcpTap({
            name: `curl-${c.id}`,
            preferredPort: 0,
            target: { host: '127.0.0.1', port: srv.port },
            dissector: c.dissector,
            server: { node: `contrast-${c.id}`, label: `${c.label.en} (course port ${c.port})` }
          })
          ctx.note(`thrift.contrast.${c.id}`, {
            en: `curl at ${c.label.en} (the course's port ${c.port}; here ${t.port.port}).`,
            pt: `curl em ${c.label.pt} (porta do curso ${c.port}; aqui ${t.port.port}).`
          })
          const r = await curlAt(ctx, t.port.port, c.id, c.id === 'thrift-lenient' ? 3 : 5)
          results[c.id] = r.message
          ctx.note(`thrift.contrast.${c.id}.result`, curlExplained(r))
          await t.close()
        } finally {
          await srv.close()
        }
      }
      return ok(undefined, results)
    }

    const hints = (): ClientHint[] => [
      {
        title: { en: 'The IDL (save it next to the client)', pt: 'O IDL (salve-o ao lado do cliente)' },
        command: 'thrift --gen py hms.thrift',
        file: { name: 'hms.thrift', language: 'shell', content: hmsThriftText() }
      },
      {
        title: { en: 'Python client generated from the IDL', pt: 'Cliente Python gerado do IDL' },
        command: 'python3 thrift_client.py',
        file: { name: 'thrift_client.py', language: 'python', content: thriftClientPy('127.0.0.1', port, protocol, transport) }
      },
      { title: { en: 'curl at a binary port', pt: 'curl numa porta binária' }, command: `curl http://127.0.0.1:${port}/` }
    ]

    const lesson: ThriftLesson = {
      calls,
      getTable: async (db, table) => (await connect()).call('get_table', { dbname: db, tbl_name: table }),
      curl,
      contrast
    }

    return {
      ports: [tap.port],
      hints,
      action: (id, args) => runAction(ACTIONS, lesson, id, args),
      script: () => runScript(ACTIONS, lesson, params)
    }
  }
}
