// Lesson "gRPC" (seeds 000, 001, 003): the course's SensorService on a real grpc-js server behind
// the tap on 50051, a built-in grpc-js client for the four call types and the ways a call ends
// (deadline, NOT_FOUND, cancel, half-close), a bidirectional chat driven one click at a time, and
// what plain HTTP/1.1 gets from the gRPC port. Every frame is dissected as HTTP/2 and, inside,
// as gRPC messages with protobuf fields named from sensor.proto.
import type { ParamValues } from '../../../../shared/events'
import type { ActionResult } from '../../../../shared/scene'
import { startSensorServer, type SensorServerOptions } from '../../protocols/grpc/server'
import type { CallOutcome, ChatCall } from '../../protocols/grpc/client'
import type { LeituraResponse } from '../../protocols/grpc/package'
import { fail, ok, runAction, runScript, type SceneDef, type SceneRun } from '../types'
import { ACTIONS, CHECKPOINTS, GRPC_PORT, grpcInfo, type GrpcLesson } from './info'
import { grpcHints } from '../grpc-hints'
import { LessonGrpcClient, grpcSeen } from '../grpc-client'
import { revealCurl, revealDeadline, revealPrefix, revealStreams } from './checkpoints'
import { http1Probe } from './http1-probe'

const summary = <T>(o: CallOutcome<T>): string =>
  `${o.statusName}${o.details && o.statusName !== 'OK' ? ` (${o.details})` : ''}`

export const grpcScene: SceneDef = {
  info: grpcInfo,

  async start(ctx, params) {
    let serverOptions: SensorServerOptions = { intervalMs: Number(params.interval) }
    const server = await startSensorServer(() => serverOptions)
    ctx.own(server)
    const tap = await ctx.tcpTap({
      name: 'grpc',
      preferredPort: GRPC_PORT,
      target: { host: '127.0.0.1', port: server.port },
      dissector: 'grpc',
      server: { node: 'grpc-server', label: 'gRPC server (grpc-js) · SensorService' }
    })
    const port = tap.port.port
    const client = new LessonGrpcClient(ctx, { node: 'grpc-client', label: 'gRPC client (grpc-js)' }, port)
    let chat: ChatCall | null = null

    ctx.note('grpc.ready', {
      en: `SensorService (sensor.proto) listens on ${port}: GetTemperatura, StreamLeituras, EnviarLeituras, Conversar. Server reflection is on, so tools can list the service without the .proto.`,
      pt: `O SensorService (sensor.proto) escuta na ${port}: GetTemperatura, StreamLeituras, EnviarLeituras, Conversar. A reflexão do servidor está ligada: ferramentas listam o serviço sem o .proto.`
    })

    const request = (args: ParamValues): { sensor_id: string; ultimos_minutos: number } => ({
      sensor_id: String(args.sensor),
      ultimos_minutos: Number(args.readings)
    })

    const unary = async (args: ParamValues): Promise<CallOutcome<unknown>> => {
      const c = await client.get()
      ctx.note('grpc.unary', {
        en: 'Unary: HEADERS opens a stream with :path /SensorService/GetTemperatura, one DATA frame carries the 5-byte prefix and the SensorRequest, and the answer comes back as HEADERS, DATA and trailers (grpc-status).',
        pt: 'Unária: HEADERS abre um stream com :path /SensorService/GetTemperatura, um frame DATA leva o prefixo de 5 bytes e o SensorRequest, e a resposta volta como HEADERS, DATA e trailers (grpc-status).'
      })
      const o = await c.getTemperatura(request(args))
      const t = o.messages[0]
      ctx.note('grpc.unary.done', {
        en: `GetTemperatura → ${t ? `${t.valor} ${t.unidade}` : 'no answer'}, status ${summary(o)}.`,
        pt: `GetTemperatura → ${t ? `${t.valor} ${t.unidade}` : 'sem resposta'}, status ${summary(o)}.`
      })
      return o
    }

    const serverStreaming = async (args: ParamValues): Promise<CallOutcome<unknown>> => {
      const c = await client.get()
      ctx.note('grpc.server-streaming', {
        en: `Server streaming: one request, then ${Number(args.readings)} LeituraResponse messages on the same stream, ${Number(args.interval)} ms apart, each in its own DATA frame; the trailers close it.`,
        pt: `Streaming do servidor: uma requisição, depois ${Number(args.readings)} mensagens LeituraResponse no mesmo stream, a cada ${Number(args.interval)} ms, cada uma no seu frame DATA; os trailers o encerram.`
      })
      const o = await c.streamLeituras(request(args))
      ctx.note('grpc.server-streaming.done', {
        en: `StreamLeituras: ${o.messages.length} readings, status ${summary(o)}.`,
        pt: `StreamLeituras: ${o.messages.length} leituras, status ${summary(o)}.`
      })
      return o
    }

    const clientStreaming = async (args: ParamValues): Promise<CallOutcome<unknown>> => {
      const c = await client.get()
      const n = Number(args.readings)
      const batch: LeituraResponse[] = Array.from({ length: n }, (_, i) => ({
        temperatura: Math.round((22.5 + 0.3 * i) * 10) / 10,
        sensor: String(args.sensor),
        timestamp: 1763812800 + 60 * i,
        historico: []
      }))
      ctx.note('grpc.client-streaming', {
        en: `Client streaming: the client uploads ${n} readings as ${n} messages, then half-closes (END_STREAM); only then does the server answer with one ResumoLeituras.`,
        pt: `Streaming do cliente: o cliente envia ${n} leituras como ${n} mensagens e faz half-close (END_STREAM); só então o servidor responde com um ResumoLeituras.`
      })
      const o = await c.enviarLeituras(batch, { intervalMs: Number(args.interval) })
      const r = o.messages[0]
      ctx.note('grpc.client-streaming.done', {
        en: `EnviarLeituras → ${r ? `${r.quantidade} readings, mean ${r.media}, min ${r.minima}, max ${r.maxima}` : 'no summary'}, status ${summary(o)}.`,
        pt: `EnviarLeituras → ${r ? `${r.quantidade} leituras, média ${r.media}, mín ${r.minima}, máx ${r.maxima}` : 'sem resumo'}, status ${summary(o)}.`
      })
      return o
    }

    const openChat = async (): Promise<ChatCall> => {
      if (chat?.open) return chat
      const c = await client.get()
      chat = c.conversar()
      ctx.note('grpc.bidi.open', {
        en: 'Bidirectional: Conversar opens one stream that stays open both ways. Each message you send is one DATA frame; each answer comes back on the same stream.',
        pt: 'Bidirecional: Conversar abre um stream que fica aberto nos dois sentidos. Cada mensagem enviada é um frame DATA; cada resposta volta no mesmo stream.'
      })
      return chat
    }

    const bidiSend = async (texto: string): Promise<ActionResult> => {
      const call = await openChat()
      const answer = await call.send('aluno', texto)
      ctx.note('grpc.bidi.sent', {
        en: `Sent "${texto.length > 60 ? texto.slice(0, 57) + '…' : texto}" → ${answer ? `"${answer.texto.length > 60 ? answer.texto.slice(0, 57) + '…' : answer.texto}"` : 'no answer yet'}. The stream stays open: send more, half-close or cancel.`,
        pt: `Enviado "${texto.length > 60 ? texto.slice(0, 57) + '…' : texto}" → ${answer ? `"${answer.texto.length > 60 ? answer.texto.slice(0, 57) + '…' : answer.texto}"` : 'ainda sem resposta'}. O stream continua aberto: envie mais, faça half-close ou cancele.`
      })
      return ok(undefined, { answer })
    }

    const bidiEnd = async (how: 'half-close' | 'cancel'): Promise<ActionResult> => {
      if (!chat?.open)
        return fail({
          en: 'No Conversar call is open: send a message first.',
          pt: 'Nenhuma chamada Conversar está aberta: envie uma mensagem primeiro.'
        })
      const from = ctx.session.size
      const o = await (how === 'cancel' ? chat.cancel() : chat.halfClose())
      chat = null
      if (how === 'cancel') await grpcSeen(ctx.session, from, (p) => p.keys?.grpc === 'reset')
      ctx.note(`grpc.bidi.${how}`, {
        en:
          how === 'cancel'
            ? `Cancelled: the client sent RST_STREAM (CANCEL); no trailers, status ${summary(o)}.`
            : `Half-close: the client's END_STREAM said "no more messages"; the server finished and sent its trailers, status ${summary(o)}.`,
        pt:
          how === 'cancel'
            ? `Cancelada: o cliente enviou RST_STREAM (CANCEL); sem trailers, status ${summary(o)}.`
            : `Half-close: o END_STREAM do cliente disse "não há mais mensagens"; o servidor terminou e mandou os trailers, status ${summary(o)}.`
      })
      return ok(undefined, o)
    }

    const bidiRound = async (texto: string): Promise<CallOutcome<unknown>> => {
      const call = await openChat()
      await call.send('aluno', texto)
      return call.halfClose().finally(() => {
        chat = null
      })
    }

    const fourTypes = async (args: ParamValues): Promise<CallOutcome<unknown>[]> =>
      ctx.checkpoint(
        CHECKPOINTS.streams,
        async () => [
          await unary(args),
          await serverStreaming(args),
          await clientStreaming(args),
          await bidiRound(String(args.message))
        ],
        (events) => revealStreams(events)
      )

    const steps: GrpcLesson = {
      'four-types': async (args) => {
        return ok(undefined, await fourTypes(args))
      },
      unary: async (args) => {
        return ok(
          undefined,
          await ctx.checkpoint(
            CHECKPOINTS.prefix,
            () => unary(args),
            (events) => revealPrefix(events)
          )
        )
      },
      'server-streaming': async (args) => {
        return ok(undefined, await serverStreaming(args))
      },
      'client-streaming': async (args) => {
        return ok(undefined, await clientStreaming(args))
      },
      'bidi-send': (args) => bidiSend(String(args.message)),
      'bidi-half-close': () => bidiEnd('half-close'),
      'bidi-cancel': () => bidiEnd('cancel'),
      cancel: async (args) => {
        const c = await client.get()
        const from = ctx.session.size
        const o = await c.streamLeituras(
          { ...request(args), ultimos_minutos: Math.max(3, Number(args.readings)) },
          { cancelAfter: 2 }
        )
        await grpcSeen(ctx.session, from, (p) => p.keys?.grpc === 'reset', 2000)
        ctx.note('grpc.cancel', {
          en: `The client cancelled StreamLeituras after ${o.messages.length} readings: RST_STREAM (CANCEL) ends that stream only; the connection and other calls go on. Status ${summary(o)}.`,
          pt: `O cliente cancelou o StreamLeituras após ${o.messages.length} leituras: RST_STREAM (CANCEL) encerra só aquele stream; a conexão e as outras chamadas continuam. Status ${summary(o)}.`
        })
        return ok(undefined, o)
      },
      deadline: async (args) => {
        const deadlineMs = Number(args.deadline)
        const c = await client.get()
        const o = await ctx.checkpoint(
          CHECKPOINTS.deadline,
          async () => {
            const from = ctx.session.size
            const o = await c.streamLeituras(request(args), { deadlineMs })
            // The client's RST_STREAM or the server's trailers: whichever ended it on the wire.
            await grpcSeen(
              ctx.session,
              from,
              (p) => p.keys?.grpc === 'reset' || (p.keys?.grpc === 'status' && p.keys.status !== 0)
            )
            return o
          },
          (events) => revealDeadline(events, deadlineMs)
        )
        ctx.note('grpc.deadline', {
          en: `Deadline ${deadlineMs} ms, sent to the server as grpc-timeout: ${o.messages.length} readings arrived in time, then ${summary(o)}.`,
          pt: `Prazo de ${deadlineMs} ms, enviado ao servidor como grpc-timeout: ${o.messages.length} leituras chegaram a tempo, depois ${summary(o)}.`
        })
        return ok(undefined, o)
      },
      'not-found': async () => {
        const c = await client.get()
        const o = await c.getTemperatura({ sensor_id: 'ZZ', ultimos_minutos: 0 })
        ctx.note('grpc.not-found', {
          en: `Sensor "ZZ" does not exist: the HTTP status is still 200, and the failure travels in the trailers: grpc-status ${o.status} (${o.statusName}), grpc-message "${o.details}". No response message at all (a trailers-only response).`,
          pt: `O sensor "ZZ" não existe: o status HTTP continua 200, e a falha viaja nos trailers: grpc-status ${o.status} (${o.statusName}), grpc-message "${o.details}". Nenhuma mensagem de resposta (resposta só com trailers).`
        })
        return ok(undefined, o)
      },
      concurrent: async (args) => {
        ctx.note('grpc.concurrent', {
          en: 'Four calls started at once on ONE connection: four streams, their HEADERS and DATA frames interleaved on the wire.',
          pt: 'Quatro chamadas iniciadas juntas numa ÚNICA conexão: quatro streams, seus frames HEADERS e DATA intercalados no fio.'
        })
        const results = await Promise.all([
          unary(args),
          serverStreaming(args),
          clientStreaming(args),
          bidiRound(String(args.message))
        ])
        return ok(undefined, results)
      },
      large: async (args) => {
        const texto = `${String(args.message)} ${'0123456789'.repeat(4000)}`.slice(0, 40_000)
        const own = !chat?.open
        const r = await bidiSend(texto)
        if (own) await bidiEnd('half-close')
        return r
      },
      http1: async () => {
        const r = await ctx.checkpoint(
          CHECKPOINTS.curl,
          () => http1Probe(ctx, port),
          (events) => revealCurl(events)
        )
        ctx.note('grpc.http1', {
          en: `An HTTP/1.1 "GET /" (what plain curl sends) reached the gRPC port. The server answered with ${r.bytes} bytes of HTTP/2 frames (${r.frames}): not text, so curl reports "Received HTTP/0.9 when not allowed". gRPC needs an HTTP/2 client.`,
          pt: `Um "GET /" HTTP/1.1 (o que o curl simples envia) chegou à porta gRPC. O servidor respondeu com ${r.bytes} bytes de frames HTTP/2 (${r.frames}): não é texto, então o curl diz "Received HTTP/0.9 when not allowed". O gRPC precisa de um cliente HTTP/2.`
        })
        return ok(undefined, r)
      }
    }

    const run: SceneRun = {
      ports: [tap.port],
      hints: () => grpcHints('127.0.0.1', port),
      action: (id, args) => {
        serverOptions = { intervalMs: Number(args.interval) }
        return runAction(ACTIONS, steps, id, args)
      },
      script: () => {
        serverOptions = { intervalMs: Number(params.interval) }
        return runScript(ACTIONS, steps, params)
      },
      async stop() {
        if (chat?.open) await Promise.race([chat.cancel(), new Promise((r) => setTimeout(r, 500))])
        client.close()
      }
    }
    return run
  }
}
