// Lesson "REST vs gRPC vs GraphQL" (seed 001's comparison table): one node:http server serving the
// sensors as REST (/sensores…) and as GraphQL (/graphql, graphql-http), the gRPC SensorService, and
// three built-in clients, each its own actor, fetching the same screen. Every step opens with a
// note (`STEP`), so the view and the narration measure exactly that step's events.
import type http from 'node:http'
import type { ParamValues } from '../../../../shared/events'
import type { ClientHint } from '../../../../shared/scene'
import { SCREEN_PATH, STEP, type StepKey } from '../../../../shared/lessons/api-compare'
import { measureStep } from '../../../../shared/lessons/api-compare-measure'
import { startHttpServer } from '../../protocols/http/server'
import { closeAgent, request, tappedAgent, type HttpResult } from '../../protocols/http/client'
import { sensorsApi } from '../../protocols/http/sensors-api'
import { graphqlHandler } from '../../protocols/graphql/server'
import { startSensorServer } from '../../protocols/grpc/server'
import { ok, runAction, runScript, type SceneDef, type SceneRun } from '../types'
import { LessonGrpcClient } from '../grpc-client'
import { grpcHints } from '../grpc-hints'
import { ACTIONS, CHECKPOINTS, compareInfo, type CompareLesson } from './info'
import { figuresLine, revealErrors, revealNPlusOne, revealSmallest } from './checkpoints'
import { STEP_NOTES } from './narration'

export const apiCompare: SceneDef = {
  info: compareInfo,

  async start(ctx, params) {
    const graphql = graphqlHandler()
    const { server, port: hiddenHttp } = await startHttpServer((req, res) => {
      if ((req.url ?? '').startsWith('/graphql')) void graphql(req, res)
      else if (!sensorsApi(req, res)) {
        const body = JSON.stringify({ erro: `${req.url} não existe: use /sensores ou /graphql` })
        res.writeHead(404, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) })
        res.end(body)
      }
    })
    ctx.own(server)
    const grpcServer = await startSensorServer(() => ({ intervalMs: 300 }))
    ctx.own(grpcServer)
    const httpTap = await ctx.tcpTap({
      name: 'http',
      preferredPort: compareInfo.ports[0].preferred,
      target: { host: '127.0.0.1', port: hiddenHttp },
      dissector: 'http',
      server: { node: 'http-server', label: 'HTTP server (REST /sensores + /graphql)' }
    })
    const grpcTap = await ctx.tcpTap({
      name: 'grpc',
      preferredPort: compareInfo.ports[1].preferred,
      target: { host: '127.0.0.1', port: grpcServer.port },
      dissector: 'grpc',
      server: { node: 'grpc-server', label: 'gRPC server (SensorService)' }
    })
    const httpPort = httpTap.port.port
    const grpcPort = grpcTap.port.port

    let restAgent: http.Agent | null = null
    let graphqlAgent: http.Agent | null = null
    const grpcClient = new LessonGrpcClient(ctx, { node: 'grpc-client', label: 'gRPC client' }, grpcPort)
    const rest = (): http.Agent =>
      (restAgent ??= tappedAgent(ctx, { node: 'rest-client', label: 'REST client' }, httpPort, 1))
    const gql = (): http.Agent =>
      (graphqlAgent ??= tappedAgent(ctx, { node: 'graphql-client', label: 'GraphQL client' }, httpPort, 1))
    /** Closes every client's connection, so the next step starts from new ones. */
    const fresh = async (): Promise<void> => {
      if (restAgent) await closeAgent(restAgent)
      if (graphqlAgent) await closeAgent(graphqlAgent)
      restAgent = graphqlAgent = null
      grpcClient.close()
    }
    ctx.onStop(fresh)

    const get = (path: string): Promise<HttpResult> =>
      request(rest(), httpPort, { method: 'GET', path, headers: { accept: 'application/json' } })
    const query = (q: string, accept: string): Promise<HttpResult> =>
      request(gql(), httpPort, {
        method: 'POST',
        path: '/graphql',
        body: JSON.stringify({ query: q }),
        headers: { 'content-type': 'application/json', accept }
      })
    const step = (key: StepKey, args: ParamValues = {}): void =>
      ctx.note(key, STEP_NOTES[key](String(args.sensor ?? 'A1')))
    const figures = (key: StepKey): void =>
      ctx.note('compare.figures', figuresLine(measureStep(ctx.session.events, key)))
    const screen = (sensor: string): string =>
      `{ sensor(id: ${JSON.stringify(sensor)}) { local leituras(ultimas: 3) { valor } } }`

    /** The screen fetched by each API, one after the other. */
    const fetchAll = async (args: ParamValues): Promise<void> => {
      const sensor = String(args.sensor)
      await get(SCREEN_PATH.replace('A1', encodeURIComponent(sensor)))
      await query(screen(sensor), String(args.accept))
      await (await grpcClient.get()).getSensor({ sensor_id: sensor, ultimos_minutos: 3 })
    }

    const steps: CompareLesson = {
      fetch: async (args) => {
        await fresh()
        await ctx.checkpoint(
          CHECKPOINTS.smallest,
          async () => {
            step(STEP.fetch, args)
            await fetchAll(args)
          },
          () => revealSmallest(measureStep(ctx.session.events, STEP.fetch))
        )
        figures(STEP.fetch)
        return ok(undefined, measureSummary(STEP.fetch))
      },
      repeat: async (args) => {
        if (!restAgent) {
          await fresh()
          step(STEP.fetch, args)
          await fetchAll(args)
          figures(STEP.fetch)
        }
        step(STEP.repeat, args)
        await fetchAll(args)
        figures(STEP.repeat)
        return ok(undefined, measureSummary(STEP.repeat))
      },
      'n-plus-1': async (args) => {
        await ctx.checkpoint(
          CHECKPOINTS.nPlusOne,
          async () => {
            step(STEP.nPlusOne, args)
            const list = JSON.parse((await get('/sensores')).body) as { id: string }[]
            for (const s of list) await get(`/sensores/${encodeURIComponent(s.id)}/leituras?ultimas=1`)
            await query('{ sensores { id local leituras(ultimas: 1) { valor } } }', String(args.accept))
          },
          () => revealNPlusOne(measureStep(ctx.session.events, STEP.nPlusOne))
        )
        figures(STEP.nPlusOne)
        return ok(undefined, measureSummary(STEP.nPlusOne))
      },
      errors: async (args) => {
        await ctx.checkpoint(
          CHECKPOINTS.errors,
          async () => {
            step(STEP.errors, args)
            const missing = '{ sensor(id: "ZZ") { local } }'
            const badType = '{ sensor(id: "A1") { leituras(ultimas: "três") { valor } } }'
            await query(missing, 'application/json')
            await query(missing, 'application/graphql-response+json')
            await query(badType, 'application/json')
            await query(badType, 'application/graphql-response+json')
            await get('/sensores/ZZ')
            await get('/sensores/A1?ultimas=tr%C3%AAs')
            await (await grpcClient.get()).getSensor({ sensor_id: 'ZZ', ultimos_minutos: 3 })
          },
          (events) => revealErrors(measureStep(ctx.session.events, STEP.errors), events)
        )
        return ok(undefined, measureSummary(STEP.errors))
      },
      streaming: async (args) => {
        step(STEP.streaming, args)
        const sensor = String(args.sensor)
        const c = await grpcClient.get()
        await c.streamLeituras({ sensor_id: sensor, ultimos_minutos: 3 })
        for (let i = 0; i < 3; i++) {
          await get(`/sensores/${encodeURIComponent(sensor)}/leituras?ultimas=1`)
          if (i < 2) await new Promise((r) => setTimeout(r, 300))
        }
        await query(
          `subscription { leituras(sensor: ${JSON.stringify(sensor)}) { valor } }`,
          'application/graphql-response+json'
        )
        figures(STEP.streaming)
        return ok(undefined, measureSummary(STEP.streaming))
      },
      query: async (args) => {
        step(STEP.query, args)
        const r = await query(String(args.query), String(args.accept))
        return ok(undefined, { status: r.status, contentType: r.headers['content-type'], body: r.body })
      }
    }

    const run: SceneRun = {
      ports: [httpTap.port, grpcTap.port],
      hints: (): ClientHint[] => [
        {
          title: { en: 'REST with curl: the whole sensor', pt: 'REST com curl: o sensor inteiro' },
          command: `curl -v http://127.0.0.1:${httpPort}/sensores/A1`
        },
        {
          title: {
            en: 'GraphQL with curl: only the fields you name',
            pt: 'GraphQL com curl: só os campos que você nomeia'
          },
          command: `curl -v http://127.0.0.1:${httpPort}/graphql -H 'content-type: application/json' -H 'accept: application/graphql-response+json' --data '{"query":"{ sensor(id: \\"A1\\") { local leituras(ultimas: 3) { valor } } }"}'`
        },
        ...grpcHints('127.0.0.1', grpcPort).filter((h) => h.file || /prefix|prefixo/.test(h.title.en))
      ],
      action: (id, args) => runAction(ACTIONS, steps, id, args),
      script: () => runScript(ACTIONS, steps, params),
      stop: fresh
    }

    const measureSummary = (
      key: StepKey
    ): Record<
      string,
      { sent: number; received: number; roundTrips: number; requests: number; newConnections: number }
    > => {
      const f = measureStep(ctx.session.events, key)
      return Object.fromEntries(
        Object.values(f).map((x) => [
          x.api,
          {
            sent: x.sent,
            received: x.received,
            roundTrips: x.roundTrips,
            requests: x.requests,
            newConnections: x.newConnections
          }
        ])
      )
    }
    return run
  }
}
