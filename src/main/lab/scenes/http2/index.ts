// Lesson "HTTP/2 multiplexing" (seeds 000 and 001: "vários pedidos na mesma conexão TCP"): a real
// node:http2 server in cleartext (h2c) and a client that asks for N resources at once on ONE
// connection. Every frame is dissected: preface, SETTINGS, HEADERS with HPACK, interleaved DATA,
// WINDOW_UPDATE, PING, GOAWAY.
import type { ActionResult, ClientHint } from '../../../../shared/scene'
import type { ParamValues } from '../../../../shared/events'
import { credentials } from '../../protocols/common/credentials'
import { router, tilesHandler, type TileOptions } from '../../protocols/http/server'
import { startH2TlsServer, startH2cServer } from '../../protocols/http2/server'
import { closeSession, get, openSession } from '../../protocols/http2/client'
import { ok, type SceneDef, type SceneRun } from '../types'
import { CONNECTIONS, connectionsQuestion, revealConnections } from './checkpoints'
import { named } from '../../tap/actors'

export const H2C_PORT = 8080
export const H2_TLS_PORT = 8443

export const http2Scene: SceneDef = {
  info: {
    id: 'http2',
    group: 'web',
    title: { en: 'HTTP/2 multiplexing', pt: 'Multiplexação HTTP/2' },
    summary: {
      en: 'N resources requested at once on ONE TCP connection: each request is a stream, its frames interleave with the others, headers are compressed with HPACK, and flow control meters the data.',
      pt: 'N recursos requisitados ao mesmo tempo na MESMA conexão TCP: cada requisição é um stream, seus frames se intercalam com os dos outros, os cabeçalhos são comprimidos com HPACK e o controle de fluxo regula os dados.'
    },
    goal: {
      en: 'HTTP/2 allows multiplexing: many requests on the same TCP connection, with no opening and closing of connections. One connection, many streams, frames interleaved; header compression; flow control.',
      pt: 'O HTTP/2 permite multiplexação: várias requisições na mesma conexão TCP, eliminando o "abre e fecha" de conexões. Uma conexão, muitos streams, frames intercalados; compressão de cabeçalhos; controle de fluxo.'
    },
    params: [
      { id: 'streams', label: { en: 'Concurrent requests (streams)', pt: 'Requisições simultâneas (streams)' }, type: 'number', default: 8, min: 1, max: 64, step: 1 },
      { id: 'size', label: { en: 'Bytes per resource', pt: 'Bytes por recurso' }, type: 'number', default: 6000, min: 10, max: 1_000_000, step: 1000 },
      {
        id: 'piece',
        label: { en: 'Server writes in pieces of (bytes)', pt: 'O servidor escreve em pedaços de (bytes)' },
        type: 'number',
        default: 1500,
        min: 0,
        max: 1_000_000,
        step: 500,
        help: { en: '0 writes each body at once.', pt: '0 escreve cada corpo de uma vez.' }
      },
      { id: 'delay', label: { en: 'Server delay per resource (ms)', pt: 'Atraso do servidor por recurso (ms)' }, type: 'number', default: 0, min: 0, max: 10_000, step: 10 },
      {
        id: 'window',
        label: { en: 'Client initial window (SETTINGS_INITIAL_WINDOW_SIZE)', pt: 'Janela inicial do cliente (SETTINGS_INITIAL_WINDOW_SIZE)' },
        type: 'number',
        default: 65_535,
        min: 1024,
        max: 2_147_483_647,
        step: 1024
      },
      {
        id: 'maxStreams',
        label: { en: 'Server SETTINGS_MAX_CONCURRENT_STREAMS', pt: 'SETTINGS_MAX_CONCURRENT_STREAMS do servidor' },
        type: 'number',
        default: 100,
        min: 1,
        max: 1000,
        step: 1
      }
    ],
    actions: [
      {
        id: 'fetch',
        label: { en: 'Fetch N resources on one connection', pt: 'Pedir N recursos numa conexão' },
        help: { en: 'Opens one HTTP/2 connection, sends a PING, requests /tiles/1…N at once, then closes with GOAWAY.', pt: 'Abre uma conexão HTTP/2, envia um PING, pede /tiles/1…N de uma vez e fecha com GOAWAY.' },
        primary: true
      },
      {
        id: 'fetch-tls',
        label: { en: 'Fetch over TLS (h2, port 8443)', pt: 'Pedir por TLS (h2, porta 8443)' },
        help: {
          en: 'The same requests over TLS: ALPN "h2" in the ClientHello, then records Wirelab decrypts with its key log, and the HTTP/2 frames inside.',
          pt: 'As mesmas requisições por TLS: ALPN "h2" no ClientHello, depois registros que o Wirelab decifra com o seu key log, e os frames HTTP/2 lá dentro.'
        }
      },
      {
        id: 'cancel',
        label: { en: 'Cancel a request (RST_STREAM)', pt: 'Cancelar uma requisição (RST_STREAM)' },
        help: { en: 'Requests /tiles/1 and cancels it: the stream ends with RST_STREAM, the connection stays up.', pt: 'Pede /tiles/1 e cancela a requisição: o stream termina com RST_STREAM, a conexão continua.' }
      }
    ],
    views: ['streams', 'bytes', 'packets'],
    ports: [
      { name: 'h2c', transport: 'tcp', preferred: H2C_PORT },
      { name: 'h2', transport: 'tcp', preferred: H2_TLS_PORT }
    ],
    tagline: { en: 'Many requests on one connection: streams, interleaved frames, HPACK', pt: 'Várias requisições numa conexão: streams, frames intercalados, HPACK' },
    protocols: ['http2', 'tcp', 'tls'],
    checkpoints: [CONNECTIONS]
  },

  async start(ctx, params) {
    let tiles: TileOptions = { size: Number(params.size), delayMs: Number(params.delay), piece: Number(params.piece) }
    const { server, port: hidden } = await startH2cServer(
      router(tilesHandler(() => tiles)),
      { maxConcurrentStreams: Number(params.maxStreams) }
    )
    ctx.own(server)
    const tap = await ctx.tcpTap({
      name: 'h2c',
      preferredPort: H2C_PORT,
      target: { host: '127.0.0.1', port: hidden },
      dissector: 'http2',
      server: named('h2-server', { en: 'HTTP/2 server (h2c)', pt: 'Servidor HTTP/2 (h2c)' })
    })
    const port = tap.port.port
    const actor = named('h2-client', { en: 'HTTP/2 client', pt: 'Cliente HTTP/2' })
    const creds = await credentials()
    const secure = await startH2TlsServer(router(tilesHandler(() => tiles)), creds, { maxConcurrentStreams: Number(params.maxStreams) })
    ctx.own(secure.server)
    const tlsTap = await ctx.tcpTap({
      name: 'h2',
      preferredPort: H2_TLS_PORT,
      target: { host: '127.0.0.1', port: secure.port },
      dissector: 'h2-tls',
      server: named('h2-tls-server', { en: 'HTTP/2 server (TLS, h2)', pt: 'Servidor HTTP/2 (TLS, h2)' })
    })
    const tlsPort = tlsTap.port.port

    const hints = (): ClientHint[] => [
      { title: { en: 'curl, HTTP/2 without TLS (prior knowledge)', pt: 'curl, HTTP/2 sem TLS (prior knowledge)' }, command: `curl -v --http2-prior-knowledge http://127.0.0.1:${port}/items/1` },
      {
        title: { en: 'curl: three resources on one connection', pt: 'curl: três recursos numa conexão' },
        command: `curl --http2-prior-knowledge --parallel --parallel-immediate -o /dev/null -o /dev/null -o /dev/null http://127.0.0.1:${port}/tiles/[1-3]`
      },
      { title: { en: 'curl over TLS (ALPN h2; -k accepts the lesson certificate)', pt: 'curl por TLS (ALPN h2; -k aceita o certificado da aula)' }, command: `curl -v -k --http2 https://127.0.0.1:${tlsPort}/items/1` },
      { title: { en: 'nghttp: frames as they go (-v), several streams', pt: 'nghttp: os frames (-v), vários streams' }, command: `nghttp -nv http://127.0.0.1:${port}/tiles/1 http://127.0.0.1:${port}/tiles/2 http://127.0.0.1:${port}/tiles/3` }
    ]

    const perform = async (id: string, args: ParamValues): Promise<ActionResult> => {
      tiles = { size: Number(args.size), delayMs: Number(args.delay), piece: Number(args.piece) }
      const overTls = id === 'fetch-tls'
      const session = overTls
        ? await openSession(ctx, named('h2-tls-client', { en: 'HTTP/2 client (TLS)', pt: 'Cliente HTTP/2 (TLS)' }), tlsPort, { initialWindowSize: Number(args.window), tls: { ca: creds.cert } })
        : await openSession(ctx, actor, port, { initialWindowSize: Number(args.window) })
      try {
        if (id === 'cancel') {
          const stream = session.request({ ':method': 'GET', ':path': '/tiles/1' })
          stream.on('error', () => undefined)
          await new Promise<void>((resolve) => stream.once('ready', () => resolve()))
          stream.close(8 /* CANCEL */)
          await new Promise<void>((resolve) => stream.once('close', () => resolve()))
          ctx.note('http2.cancel', {
            en: `Stream ${stream.id} was cancelled with RST_STREAM (CANCEL); the connection itself stays open.`,
            pt: `O stream ${stream.id} foi cancelado com RST_STREAM (CANCEL); a conexão continua aberta.`
          })
          return ok(undefined, { streamId: stream.id })
        }
        const n = Number(args.streams)
        ctx.note('http2.fetch', {
          en: `One TCP connection, ${n} requests at once: each request is a stream (1, 3, 5, …) and their DATA frames interleave on the wire.`,
          pt: `Uma conexão TCP, ${n} requisições ao mesmo tempo: cada requisição é um stream (1, 3, 5, …) e seus frames DATA se intercalam no fio.`
        })
        await new Promise<void>((resolve) => session.ping(() => resolve()))
        const t0 = performance.now()
        const results = await Promise.all(Array.from({ length: n }, (_, i) => get(session, `/tiles/${i + 1}`)))
        const ms = performance.now() - t0
        const failed = results.filter((r) => r.error || r.status !== 200)
        ctx.note('http2.done', {
          en: `${n - failed.length} of ${n} responses complete in ${ms.toFixed(1)} ms on one connection (streams ${results.map((r) => r.streamId).join(', ')}).`,
          pt: `${n - failed.length} de ${n} respostas completas em ${ms.toFixed(1)} ms numa só conexão (streams ${results.map((r) => r.streamId).join(', ')}).`
        })
        return ok(undefined, { ms, streams: results.map((r) => ({ id: r.streamId, path: r.path, status: r.status, bytes: r.bytes, error: r.error })) })
      } finally {
        await closeSession(session)
      }
    }

    const run: SceneRun = {
      ports: [tap.port, tlsTap.port],
      hints,
      action: (id, args) =>
        id === 'cancel' ? perform(id, args) : ctx.checkpoint(connectionsQuestion(Number(args.streams)), () => perform(id, args), revealConnections),
      async script() {
        await run.action('fetch', params)
      }
    }
    return run
  }
}
