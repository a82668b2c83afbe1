// Lesson "HTTP/1.1 vs HTTP/2 race" (seeds 000 and 001, multiplexing): the same resources fetched
// over HTTP/1.1 with a browser-like limit of 6 connections (a connection carries one request at
// a time, so the rest queue behind: head-of-line blocking) and over ONE HTTP/2 connection, at the
// same time, with real timings.
import http from 'node:http'
import type { ClientHint } from '../../../../shared/scene'
import { router, startHttpServer, tilesHandler, type TileOptions } from '../../protocols/http/server'
import { request, tappedAgent } from '../../protocols/http/client'
import { startH2cServer } from '../../protocols/http2/server'
import { closeSession, get, openSession } from '../../protocols/http2/client'
import { ok, type SceneDef, type SceneRun } from '../types'
import { WINNER, revealWinner } from './checkpoints'
import { named } from '../../tap/actors'

export interface SideResult {
  protocol: 'http/1.1' | 'h2'
  connections: number
  ms: number
  completed: number
  retried: number
  failed: number
}

export const httpRace: SceneDef = {
  info: {
    id: 'http-race',
    group: 'web',
    title: { en: 'HTTP/1.1 vs HTTP/2 race', pt: 'Corrida HTTP/1.1 vs HTTP/2' },
    summary: {
      en: 'The same resources over HTTP/1.1 (at most 6 connections, one request at a time on each) and over one HTTP/2 connection (every request at once, as streams). Real timings.',
      pt: 'Os mesmos recursos por HTTP/1.1 (no máximo 6 conexões, uma requisição de cada vez em cada uma) e por uma única conexão HTTP/2 (todas as requisições de uma vez, como streams). Tempos reais.'
    },
    goal: {
      en: 'With HTTP/1.1 a connection answers one request at a time, so requests queue behind slow ones (head-of-line blocking) and browsers open up to 6 connections. HTTP/2 multiplexes every request on one connection.',
      pt: 'No HTTP/1.1 uma conexão responde a uma requisição de cada vez: as requisições ficam na fila atrás das lentas (head-of-line blocking) e os navegadores abrem até 6 conexões. O HTTP/2 multiplexa todas as requisições numa conexão.'
    },
    params: [
      { id: 'count', label: { en: 'Resources', pt: 'Recursos' }, type: 'number', default: 24, min: 1, max: 200, step: 1 },
      { id: 'size', label: { en: 'Bytes per resource', pt: 'Bytes por recurso' }, type: 'number', default: 8000, min: 10, max: 1_000_000, step: 1000 },
      { id: 'delay', label: { en: 'Server delay per resource (ms)', pt: 'Atraso do servidor por recurso (ms)' }, type: 'number', default: 50, min: 0, max: 5000, step: 10 },
      { id: 'connections', label: { en: 'HTTP/1.1 connections', pt: 'Conexões HTTP/1.1' }, type: 'number', default: 6, min: 1, max: 32, step: 1 },
      { id: 'maxStreams', label: { en: 'HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS', pt: 'SETTINGS_MAX_CONCURRENT_STREAMS (HTTP/2)' }, type: 'number', default: 100, min: 1, max: 1000, step: 1 },
      { id: 'window', label: { en: 'HTTP/2 initial window (bytes)', pt: 'Janela inicial HTTP/2 (bytes)' }, type: 'number', default: 65_535, min: 1024, max: 2_147_483_647, step: 1024 },
      {
        id: 'lose',
        label: { en: 'Lose one response', pt: 'Perder uma resposta' },
        type: 'boolean',
        default: false,
        help: {
          en: 'The server aborts resource 5 once: HTTP/2 resets only that stream (RST_STREAM), HTTP/1.1 loses the whole connection. Both clients retry it.',
          pt: 'O servidor aborta o recurso 5 uma vez: o HTTP/2 reinicia só esse stream (RST_STREAM), o HTTP/1.1 perde a conexão inteira. Os dois clientes pedem o recurso de novo.'
        }
      }
    ],
    actions: [{ id: 'race', label: { en: 'Start the race', pt: 'Começar a corrida' }, primary: true }],
    views: ['race', 'streams', 'packets'],
    ports: [
      { name: 'http', transport: 'tcp', preferred: 8000 },
      { name: 'h2c', transport: 'tcp', preferred: 8080 }
    ],
    tagline: { en: 'The same resources over HTTP/1.1 and HTTP/2, timed for real', pt: 'Os mesmos recursos por HTTP/1.1 e HTTP/2, com tempos reais' },
    protocols: ['http', 'http2', 'tcp'],
    checkpoints: [WINNER]
  },

  async start(ctx, params) {
    let h1Tiles: TileOptions = { size: 0, delayMs: 0 }
    let h2Tiles: TileOptions = { size: 0, delayMs: 0 }
    const h1 = await startHttpServer(tilesHandler(() => h1Tiles))
    ctx.own(h1.server)
    ctx.onStop(() => h1.server.closeAllConnections())
    let h2 = await startH2cServer(router(tilesHandler(() => h2Tiles)), { maxConcurrentStreams: Number(params.maxStreams) })
    let h2MaxStreams = Number(params.maxStreams)
    ctx.onStop(() => new Promise<void>((r) => h2.server.close(() => r())))
    let h2Target = { port: h2.port }
    const h1Tap = await ctx.tcpTap({
      name: 'http',
      preferredPort: 8000,
      target: { host: '127.0.0.1', port: h1.port },
      dissector: 'http',
      server: named('race-h1-server', { en: 'HTTP/1.1 server', pt: 'Servidor HTTP/1.1' })
    })
    // The h2 tap forwards to whichever h2 server is current (SETTINGS_MAX_CONCURRENT_STREAMS is fixed per server).
    const h2Tap = await ctx.tcpTap({
      name: 'h2c',
      preferredPort: 8080,
      target: { host: '127.0.0.1', get port() { return h2Target.port } },
      dissector: 'http2',
      server: named('race-h2-server', { en: 'HTTP/2 server', pt: 'Servidor HTTP/2' })
    })

    const raceH1 = async (count: number, connections: number): Promise<SideResult> => {
      const agent: http.Agent = tappedAgent(ctx, named('race-h1-client', { en: 'HTTP/1.1 client', pt: 'Cliente HTTP/1.1' }), h1Tap.port.port, connections)
      let retried = 0
      let failed = 0
      const t0 = performance.now()
      await Promise.all(
        Array.from({ length: count }, async (_, i) => {
          for (let attempt = 0; attempt < 2; attempt++) {
            try {
              const r = await request(agent, h1Tap.port.port, { method: 'GET', path: `/tiles/${i + 1}` })
              if (r.status === 200) return
            } catch {
              // the connection was cut: try again (on another connection)
            }
            if (attempt === 0) retried++
          }
          failed++
        })
      )
      const ms = performance.now() - t0
      agent.destroy()
      return { protocol: 'http/1.1', connections: Math.min(connections, count) + retried, ms, completed: count - failed, retried, failed }
    }

    const raceH2 = async (count: number, window: number): Promise<SideResult> => {
      const session = await openSession(ctx, named('race-h2-client', { en: 'HTTP/2 client', pt: 'Cliente HTTP/2' }), h2Tap.port.port, { initialWindowSize: window })
      let retried = 0
      let failed = 0
      const t0 = performance.now()
      let ms: number
      try {
        await Promise.all(
          Array.from({ length: count }, async (_, i) => {
            let r = await get(session, `/tiles/${i + 1}`)
            if (r.error || r.status !== 200) {
              retried++
              r = await get(session, `/tiles/${i + 1}`)
            }
            if (r.error || r.status !== 200) failed++
          })
        )
        ms = performance.now() - t0
      } finally {
        await closeSession(session)
      }
      return { protocol: 'h2', connections: 1, ms, completed: count - failed, retried, failed }
    }

    const hints = (): ClientHint[] => [
      { title: { en: 'curl over HTTP/1.1', pt: 'curl por HTTP/1.1' }, command: `curl -s -o /dev/null -w '%{time_total}s\\n' http://127.0.0.1:${h1Tap.port.port}/tiles/[1-24]` },
      { title: { en: 'nghttp over HTTP/2, 24 streams', pt: 'nghttp por HTTP/2, 24 streams' }, command: `nghttp -ns ${Array.from({ length: 24 }, (_, i) => `http://127.0.0.1:${h2Tap.port.port}/tiles/${i + 1}`).join(' ')}` }
    ]

    const run: SceneRun = {
      ports: [h1Tap.port, h2Tap.port],
      hints,
      async action(_id, args) {
        const count = Number(args.count)
        const lose = Boolean(args.lose)
        const base = { size: Number(args.size), delayMs: Number(args.delay) }
        h1Tiles = { ...base, lose: new Set(lose ? [Math.min(5, count)] : []) }
        h2Tiles = { ...base, lose: new Set(lose ? [Math.min(5, count)] : []) }
        if (Number(args.maxStreams) !== h2MaxStreams) {
          const old = h2
          h2 = await startH2cServer(router(tilesHandler(() => h2Tiles)), { maxConcurrentStreams: Number(args.maxStreams) })
          h2MaxStreams = Number(args.maxStreams)
          h2Target = { port: h2.port }
          old.server.close()
        }
        ctx.note('race.start', {
          en: `Go: ${count} resources (${base.size} bytes, ${base.delayMs} ms server delay each) over HTTP/1.1 with ${Number(args.connections)} connections and over one HTTP/2 connection.`,
          pt: `Partida: ${count} recursos (${base.size} bytes, ${base.delayMs} ms de atraso cada) por HTTP/1.1 com ${Number(args.connections)} conexões e por uma conexão HTTP/2.`
        })
        const [a, b] = await ctx.checkpoint(
          WINNER,
          () => Promise.all([raceH1(count, Number(args.connections)), raceH2(count, Number(args.window))]),
          revealWinner
        )
        const winner = a.ms <= b.ms ? 'HTTP/1.1' : 'HTTP/2'
        ctx.note('race.done', {
          en: `HTTP/1.1: ${a.completed}/${count} in ${a.ms.toFixed(1)} ms over ${a.connections} connections. HTTP/2: ${b.completed}/${count} in ${b.ms.toFixed(1)} ms over 1 connection. ${winner} finished first.`,
          pt: `HTTP/1.1: ${a.completed}/${count} em ${a.ms.toFixed(1)} ms com ${a.connections} conexões. HTTP/2: ${b.completed}/${count} em ${b.ms.toFixed(1)} ms numa conexão. ${winner} terminou primeiro.`
        })
        const { c2s, s2c } = ctx.faults().latencyMs
        if (c2s + s2c > 0)
          ctx.note('race.latency', {
            en: `The network adds ${c2s + s2c} ms to every round trip. HTTP/1.1 pays it for each connection's set-up and then once per request on each of its ${a.connections} connections, one request at a time; HTTP/2 sends every request at once on its single connection and pays it about once.`,
            pt: `A rede acrescenta ${c2s + s2c} ms a cada ida e volta. O HTTP/1.1 paga isso no estabelecimento de cada conexão e depois uma vez por requisição em cada uma das suas ${a.connections} conexões, uma requisição de cada vez; o HTTP/2 envia todas as requisições de uma vez na sua única conexão e paga isso mais ou menos uma vez.`
          })
        return ok(undefined, { h1: a, h2: b })
      },
      async script() {
        await run.action('race', params)
      }
    }
    return run
  }
}
