// Lesson "Backend ↔ frontend: one dashboard request": four actors on real sockets. The dashboard
// (the lesson's HTTP client, as a browser's fetch) asks the API; the API (node:http) is itself a
// client of Redis (the installed redis-server, RESP) and of PostgreSQL (PGlite, wire protocol v3);
// JSON goes back; then updates arrive over SSE. Every leg goes through its own tap.
import http from 'node:http'
import net from 'node:net'
import pg from 'pg'
import Redis from 'ioredis'
import type { LabEvent, ParamValues, PduEvent } from '../../../../shared/events'
import type { ClientHint } from '../../../../shared/scene'
import { ConnectionAgent } from '../../net/agent'
import { LOOPBACK } from '../../net/ports'
import { PGLITE_LABEL, startPglite } from '../../protocols/pgsql/server'
import { REDIS_SPEC } from '../../protocols/resp/server'
import { EventStreamClient } from '../../protocols/sse/client'
import { installLine, startInstalled, type InstalledServer } from '../../servers/installed'
import type { Actor } from '../../tap/actors'
import { clientFile } from '../client-files'
import type { SceneContext } from '../context'
import { ok, runAction, runScript, type SceneDef, type SceneRun } from '../types'
import { cacheKey, startDashboardApi, type ApiOptions } from './api'
import { ACTIONS, API_PORT, CHECKPOINTS, PG_PORT, REDIS_PORT, SEED_SQL, dashboardInfo, type DashboardLesson } from './info'

const API: Actor = { node: 'api', label: 'API (node:http)' }
const BROWSER: Actor = { node: 'browser', label: 'Dashboard' }

/** A socket that, once connected, tells the taps it belongs to `actor` (for clients that connect themselves). */
function claimingSocket(ctx: SceneContext, actor: Actor): net.Socket {
  const s = new net.Socket()
  const done = ctx.actors.expect()
  s.once('connect', () => {
    ctx.claimSocket(s, actor)
    done()
  })
  s.once('close', done)
  ctx.onStop(() => {
    s.destroy()
  })
  return s
}

/** Whether PGlite repeated ParameterStatus messages right after a CommandComplete (see the note). */
function parameterStatusAfterQuery(events: readonly LabEvent[]): boolean {
  const last = new Map<string, unknown>()
  for (const e of events) {
    if (e.kind !== 'pdu' || e.protocol !== 'pgsql' || e.dir !== 's2c') continue
    if (e.keys?.type === 'ParameterStatus' && last.get(e.conn) === 'CommandComplete') return true
    if (e.keys?.type !== 'ParameterStatus') last.set(e.conn, e.keys?.type)
  }
  return false
}

const ms = (n: number): string => `${n < 10 ? n.toFixed(1) : Math.round(n)} ms`

/** The latest GET /api/metricas on the API port and its answer, with the time between them. */
function lastRequest(events: readonly LabEvent[], apiConns: Set<string>): { req: PduEvent; res: PduEvent; ms: number } | null {
  const pdus = events.filter((e): e is PduEvent => e.kind === 'pdu' && apiConns.has(e.conn) && !e.modeled)
  for (let i = pdus.length - 1; i >= 0; i--) {
    const p = pdus[i]
    if (p.dir === 'c2s' && String(p.keys?.path ?? '').startsWith('/api/metricas')) {
      const res = pdus.slice(i + 1).find((r) => r.conn === p.conn && r.dir === 's2c' && typeof r.keys?.status === 'number')
      return res ? { req: p, res, ms: res.t - p.t } : null
    }
  }
  return null
}

export const dashboard: SceneDef = {
  info: dashboardInfo,

  async start(ctx, params) {
    // PostgreSQL and Redis start together.
    const pgStarting = startPglite({
      seed: SEED_SQL,
      maxConnections: 16,
      onRefuse: (r) =>
        ctx.note(
          'pg.refused',
          {
            en: `The Postgres port closed a connection (client port ${r.clientPort}): ${r.reason}. That is Postgres' own check (the postmaster logs it and closes, without an answer); PGlite's socket server lacks it, so Wirelab's guard in front of it applies it. PostgreSQL keeps serving.`,
            pt: `A porta do Postgres fechou uma conexão (porta do cliente ${r.clientPort}): ${r.reason}. É a verificação do próprio Postgres (o postmaster registra e fecha, sem resposta); o servidor de socket do PGlite não a tem, então o guarda do Wirelab na frente dele a aplica. O PostgreSQL continua atendendo.`
          },
          'warn'
        ),
      onProgress: () =>
        ctx.note('pg.initdb', {
          en: `First start of ${PGLITE_LABEL.en} on this computer: running initdb in WebAssembly and loading the sales table (a few seconds, once). Later starts copy the prepared data folder and take about half a second.`,
          pt: `Primeiro início do ${PGLITE_LABEL.pt} neste computador: initdb em WebAssembly e carga da tabela de vendas (alguns segundos, uma vez só). Os próximos inícios copiam a pasta de dados pronta e levam cerca de meio segundo.`
        })
    })
    const redisStarting = startInstalled(REDIS_SPEC).catch((err: Error) => err)
    let pgsrv: Awaited<typeof pgStarting>
    try {
      pgsrv = await pgStarting
    } catch (err) {
      const r = await redisStarting
      if (!(r instanceof Error)) await r.stop()
      const msg = err instanceof Error ? err.message : String(err)
      throw new Error(`PostgreSQL (PGlite) could not start: ${msg}. Check that the @electric-sql/pglite package is installed (npm install) and that the disk has room for its data folder.`, { cause: err })
    }
    ctx.onStop(() => pgsrv.stop())
    ctx.note('pg.ready', {
      en: `${PGLITE_LABEL.en}: Postgres ${pgsrv.version}, ready in ${(pgsrv.startedInMs / 1000).toFixed(1)} s (${pgsrv.cold ? 'first start, data folder prepared' : 'warm start from the prepared data folder'}). It is the real Postgres engine, run inside this app; its socket server lets several clients connect at once (multiplexed onto one backend).`,
      pt: `${PGLITE_LABEL.pt}: Postgres ${pgsrv.version}, pronto em ${(pgsrv.startedInMs / 1000).toFixed(1)} s (${pgsrv.cold ? 'primeiro início, pasta de dados preparada' : 'início rápido a partir da pasta de dados pronta'}). É o motor real do Postgres, rodando dentro deste app; o servidor de socket aceita vários clientes ao mesmo tempo (multiplexados num só backend).`
    })
    const started = await redisStarting
    let redisSrv: InstalledServer | null = null
    if (started instanceof Error) {
      const missing = started.name === 'NotInstalled'
      ctx.note(
        'redis.missing',
        missing
          ? {
              en: `Redis is not installed on this computer, so the cache leg is missing: every request goes straight to Postgres. Install it (${installLine(REDIS_SPEC)}) and restart the lesson to see RESP on port ${REDIS_PORT}.`,
              pt: `O Redis não está instalado neste computador, então falta a parte do cache: toda requisição vai direto ao Postgres. Instale (${installLine(REDIS_SPEC)}) e reinicie a aula para ver o RESP na porta ${REDIS_PORT}.`
            }
          : {
              en: `Redis did not start (${started.message.split('\n')[0]}), so the cache leg is missing: every request goes straight to Postgres.`,
              pt: `O Redis não iniciou (${started.message.split('\n')[0]}), então falta a parte do cache: toda requisição vai direto ao Postgres.`
            },
        'warn'
      )
    } else {
      redisSrv = started
      ctx.onStop(() => started.stop())
    }

    // The API first (its node is the server the dashboard talks to), then the taps it is a client of.
    const deps: ApiOptions = { db: null as unknown as pg.Client, cache: null, ttl: Number(params.ttl), sse: { intervalMs: 1000, retryMs: 1000 } }
    const api = await startDashboardApi(deps)
    ctx.own(api)
    const apiTap = await ctx.tcpTap({ name: 'http', preferredPort: API_PORT, target: { host: LOOPBACK, port: api.port }, dissector: 'http-api', server: API })
    const pgTap = await ctx.tcpTap({ name: 'pgsql', preferredPort: PG_PORT, target: { host: LOOPBACK, port: pgsrv.port }, dissector: 'pgsql', server: { node: 'postgres', label: 'PostgreSQL (PGlite)' } })
    const redisTap = redisSrv
      ? await ctx.tcpTap({ name: 'redis', preferredPort: REDIS_PORT, target: { host: LOOPBACK, port: redisSrv.port }, dissector: 'resp', server: { node: 'redis', label: `Redis ${redisSrv.version ?? ''}`.trim() } })
      : null

    // The API's own connections: one to Postgres (like a pool of one), one to Redis.
    const db = new pg.Client({ host: LOOPBACK, port: pgTap.port.port, user: 'postgres', database: 'postgres', application_name: 'dashboard-api', stream: () => claimingSocket(ctx, API) })
    db.on('error', () => undefined)
    await db.connect()
    ctx.onStop(() => db.end().catch(() => undefined))
    deps.db = db
    const resp = String(params.resp) === '2' ? 2 : 3
    if (redisTap) {
      // ioredis 6 speaks RESP3 unless told otherwise; its CLIENT SETINFO (Redis 7.2+) and INFO ready
      // check are turned off so the wire holds only what the cache needs.
      const cache = new Redis({ host: LOOPBACK, port: redisTap.port.port, lazyConnect: true, protocol: resp, enableReadyCheck: false, disableClientInfo: true, retryStrategy: () => null, maxRetriesPerRequest: 1 })
      cache.on('error', () => undefined)
      const done = ctx.actors.expect()
      cache.once('connect', () => {
        const s = (cache as unknown as { stream?: net.Socket }).stream
        if (s?.localPort) ctx.claimSocket(s, API)
        done()
      })
      await cache.connect().finally(done)
      ctx.onStop(() => {
        cache.disconnect()
      })
      deps.cache = cache
      ctx.note('redis.ready', {
        en: `Redis ${redisSrv?.version ?? ''} (the one installed on this computer) started in ${redisSrv?.startedInMs} ms on a hidden port behind the tap. The API's ioredis client speaks ${resp === 3 ? 'RESP3: it opened with HELLO 3, and Redis answered with a RESP3 map' : 'RESP2 (configured on purpose: no HELLO)'}.`,
        pt: `Redis ${redisSrv?.version ?? ''} (o instalado neste computador) iniciou em ${redisSrv?.startedInMs} ms numa porta escondida atrás do tap. O cliente ioredis da API fala ${resp === 3 ? 'RESP3: começou com HELLO 3 e o Redis respondeu com um mapa RESP3' : 'RESP2 (configurado de propósito: sem HELLO)'}.`
      })
    }

    const apiPort = apiTap.port.port
    const agent = new ConnectionAgent(() => ctx.connectTcp(BROWSER, apiPort), 1)
    ctx.onStop(() => agent.destroy())
    const apiConns = (): Set<string> => new Set(ctx.session.events.filter((e) => e.kind === 'conn.open' && e.tap === 'http').map((e) => (e as { conn: string }).conn))

    const get = (path: string): Promise<{ status: number; cache: string; body: string }> =>
      new Promise((resolve, reject) => {
        const req = http.get({ host: LOOPBACK, port: apiPort, path, agent, headers: { Accept: 'application/json' } }, (res) => {
          const chunks: Buffer[] = []
          res.on('data', (c: Buffer) => chunks.push(c))
          res.on('end', () => resolve({ status: res.statusCode ?? 0, cache: String(res.headers['x-cache'] ?? ''), body: Buffer.concat(chunks).toString() }))
          res.on('error', reject)
        })
        req.on('error', reject)
      })

    let explainedArtefact = false
    const request = async (data: string): Promise<Record<string, unknown>> => {
      const r = await get(`/api/metricas?data=${encodeURIComponent(data)}`)
      const t = lastRequest(ctx.session.events, apiConns())
      const took = t ? ms(t.ms) : '?'
      if (r.cache === 'HIT')
        ctx.note('dash.hit', {
          en: `Cache hit: the API asked Redis (GET ${cacheKey(data)}), got the JSON it stored, and answered in ${took} — Postgres was never asked.`,
          pt: `Acerto no cache: a API perguntou ao Redis (GET ${cacheKey(data)}), recebeu o JSON que tinha guardado e respondeu em ${took} — o Postgres nem foi consultado.`
        })
      else if (r.cache === 'MISS') {
        ctx.note('dash.miss', {
          en: `Cache miss: Redis answered nil, so the API ran the SQL in Postgres (Parse/Bind/Execute; RowDescription says each column's type, DataRow carries the values), stored the JSON in Redis with SET … EX ${deps.ttl}, and answered in ${took}.`,
          pt: `Falha no cache: o Redis respondeu nil, então a API rodou o SQL no Postgres (Parse/Bind/Execute; o RowDescription diz o tipo de cada coluna, o DataRow traz os valores), guardou o JSON no Redis com SET … EX ${deps.ttl} e respondeu em ${took}.`
        })
        if (!explainedArtefact && parameterStatusAfterQuery(ctx.session.events)) {
          explainedArtefact = true
          ctx.note('pg.parameterstatus', {
            en: 'After CommandComplete, PGlite repeats six ParameterStatus messages. A real Postgres sends ParameterStatus at start-up and again only when a reported setting changes; these come from PGlite (one in-process backend that its socket server shares between connections), not from the query.',
            pt: 'Depois do CommandComplete, o PGlite repete seis mensagens ParameterStatus. Um Postgres de verdade manda ParameterStatus no início e de novo só quando uma configuração informada muda; estas vêm do PGlite (um backend dentro do processo, que o servidor de socket divide entre as conexões), não da consulta.'
          })
        }
      } else
        ctx.note('dash.nocache', {
          en: `No Redis here: the API went straight to Postgres and answered in ${took}.`,
          pt: `Sem Redis aqui: a API foi direto ao Postgres e respondeu em ${took}.`
        })
      return { status: r.status, cache: r.cache, ms: t?.ms, json: JSON.parse(r.body) as unknown }
    }

    const flush = async (data: string): Promise<number> => {
      if (!deps.cache) return 0
      return deps.cache.del(cacheKey(data))
    }

    const updates = async (n: number): Promise<unknown[]> => {
      ctx.note('dash.sse', {
        en: 'Live updates: the dashboard opens GET /api/stream/updates with "Accept: text/event-stream" (like EventSource). The answer never ends: the API pushes a "data:" event every second.',
        pt: 'Atualizações ao vivo: o dashboard abre GET /api/stream/updates com "Accept: text/event-stream" (como o EventSource). A resposta não acaba: a API empurra um evento "data:" a cada segundo.'
      })
      const es = new EventStreamClient(() => ctx.connectTcp(BROWSER, apiPort), 'localhost', '/api/stream/updates', 1000)
      try {
        await es.open()
        await es.until(() => es.events.length >= n, `${n} updates`, 1000 * (n + 5))
        return es.events.map((e) => JSON.parse(e.data) as unknown)
      } finally {
        await es.close()
      }
    }

    const tour = async (data: string, n: number): Promise<Record<string, unknown>> => {
      if (deps.cache) {
        ctx.note('dash.flush', {
          en: `First the cache is cleared (DEL ${cacheKey(data)}), so the first request has to go all the way to Postgres.`,
          pt: `Primeiro o cache é limpo (DEL ${cacheKey(data)}), para que a primeira requisição tenha de ir até o Postgres.`
        })
        await flush(data)
      }
      const first = await request(data)
      const second = await ctx.checkpoint(CHECKPOINTS.cache, () => request(data), (events) => {
        const used = new Set(
          events
            .filter((e): e is PduEvent => e.kind === 'pdu' && !e.modeled && (e.protocol === 'pgsql' || e.protocol === 'resp'))
            .map((e) => e.protocol)
        )
        const answer = used.has('pgsql') && used.has('resp') ? 'both' : used.has('resp') ? 'redis' : used.has('pgsql') ? 'postgres' : 'none'
        return {
          answer: [answer],
          explain: {
            en: answer === 'redis' ? 'Only Redis: GET found the JSON stored by the first request (its TTL had not run out), so no SQL was sent.' : `The API talked to: ${[...used].join(', ') || 'nobody'}.`,
            pt: answer === 'redis' ? 'Só o Redis: o GET encontrou o JSON guardado pela primeira requisição (o TTL ainda não tinha acabado), então nenhum SQL foi enviado.' : `A API falou com: ${[...used].join(', ') || 'ninguém'}.`
          }
        }
      })
      if (typeof first.ms === 'number' && typeof second.ms === 'number' && second.cache === 'HIT')
        ctx.note('dash.saved', {
          en: `Same request, same JSON: ${ms(first.ms)} through Postgres, ${ms(second.ms)} from the cache — ${ms(first.ms - second.ms)} saved, and one database query fewer.`,
          pt: `Mesma requisição, mesmo JSON: ${ms(first.ms)} passando pelo Postgres, ${ms(second.ms)} vindo do cache — ${ms(first.ms - second.ms)} a menos, e uma consulta a menos no banco.`
        })
      const pushed = await updates(n)
      return { first, second, updates: pushed }
    }

    const hints = (): ClientHint[] => {
      const out: ClientHint[] = [
        { title: { en: 'curl: the dashboard request', pt: 'curl: a requisição do dashboard' }, command: `curl -i 'http://127.0.0.1:${apiPort}/api/metricas?data=2024-03-01'` },
        { title: { en: 'curl: the SSE updates', pt: 'curl: as atualizações SSE' }, command: `curl -N http://127.0.0.1:${apiPort}/api/stream/updates` },
        { title: { en: 'psql: the same SQL', pt: 'psql: o mesmo SQL' }, command: `psql -h 127.0.0.1 -p ${pgTap.port.port} -U postgres -c "SELECT loja, count(*), sum(valor) FROM vendas WHERE data = '2024-03-01' GROUP BY loja"` },
        {
          title: { en: 'Python (psycopg): the query with a parameter', pt: 'Python (psycopg): a consulta com parâmetro' },
          command: 'python3 postgres_query.py',
          file: { name: 'postgres_query.py', language: 'python', content: clientFile('postgres_query.py', { HOST: '127.0.0.1', PORT: pgTap.port.port }) }
        }
      ]
      if (redisTap)
        out.push(
          { title: { en: 'redis-cli: what the API cached', pt: 'redis-cli: o que a API guardou' }, command: `redis-cli -p ${redisTap.port.port} GET metricas:2024-03-01` },
          { title: { en: 'redis-cli: time left in the cache', pt: 'redis-cli: tempo que falta no cache' }, command: `redis-cli -p ${redisTap.port.port} TTL metricas:2024-03-01` },
          {
            title: { en: 'Python (redis-py, RESP2): cache-aside', pt: 'Python (redis-py, RESP2): cache-aside' },
            command: 'python3 redis_cache.py',
            file: { name: 'redis_cache.py', language: 'python', content: clientFile('redis_cache.py', { HOST: '127.0.0.1', PORT: redisTap.port.port, API_PORT: apiPort }) }
          }
        )
      return out
    }

    const settings = (args: ParamValues): { data: string; n: number } => {
      if (args.ttl !== undefined) deps.ttl = Number(args.ttl)
      return { data: String(args.data ?? params.data), n: Number(args.updates ?? params.updates) }
    }
    const lesson: DashboardLesson = {
      tour: async (args) => {
        const { data, n } = settings(args)
        return ok(undefined, await tour(data, n))
      },
      request: async (args) => ok(undefined, await request(settings(args).data)),
      flush: async (args) => ok(undefined, { deleted: await flush(settings(args).data) }),
      updates: async (args) => ok(undefined, { updates: await updates(settings(args).n) })
    }
    const run: SceneRun = {
      ports: [apiTap.port, pgTap.port, ...(redisTap ? [redisTap.port] : [])],
      hints,
      action: (id, args) => runAction(ACTIONS, lesson, id, args),
      script: () => runScript(ACTIONS, lesson, params)
    }
    return run
  }
}
