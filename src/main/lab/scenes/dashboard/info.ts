// Lesson "Backend ↔ frontend: one dashboard request" (seed 000 §3 "Arquitetura de Aplicação: Back
// End <-> Front End", seed 001 §3.2 "O Fluxo Completo: Backend → Frontend"): data and checkpoints.
import type { ParamValues } from '../../../../shared/events'
import type { ActionResult, CheckpointInfo, SceneInfo } from '../../../../shared/scene'
import { actionDefs, type LessonAction } from '../types'

export const API_PORT = 8000
export const PG_PORT = 5432
export const REDIS_PORT = 6379

/** The sales table the dashboard reads (Postgres), written once into PGlite's prepared folder. */
export const SEED_SQL = `
CREATE TABLE vendas (
  id serial PRIMARY KEY,
  data date NOT NULL,
  loja text NOT NULL,
  produto text NOT NULL,
  valor numeric(10,2) NOT NULL
);
INSERT INTO vendas (data, loja, produto, valor)
SELECT date '2024-03-01' + (i % 3),
       (ARRAY['Centro','Savassi','Pampulha','Barreiro','Venda Nova'])[1 + ((i * 7919) % 23) % 5],
       (ARRAY['Café','Pão de queijo','Bolo de fubá','Suco de laranja','Misto quente','Açaí'])[1 + (i * 11) % 6],
       round((3.5 + ((i * 7919) % 997) / 40.0)::numeric, 2)
FROM generate_series(1, 3000) AS i;
CREATE INDEX vendas_data ON vendas (data);
`

export const CHECKPOINTS: Record<'cache', CheckpointInfo> = {
  cache: {
    id: 'cache',
    action: 'tour',
    question: {
      en: 'The dashboard asks for the same day again, 1 s later. Which servers will the API talk to?',
      pt: 'O dashboard pede o mesmo dia de novo, 1 s depois. Com quais servidores a API vai falar?'
    },
    choices: [
      { id: 'both', label: { en: 'Redis, then Postgres', pt: 'Redis e depois Postgres' } },
      { id: 'redis', label: { en: 'Only Redis', pt: 'Só o Redis' } },
      { id: 'postgres', label: { en: 'Only Postgres', pt: 'Só o Postgres' } },
      { id: 'none', label: { en: 'Neither', pt: 'Nenhum' } }
    ],
    source: 'seed 001, §3.2 "O Fluxo Completo" (cache check in Redis)'
  }
}

/** What the running lesson does for each action (built in `start`). */
export interface DashboardLesson {
  tour(args: ParamValues): Promise<ActionResult>
  request(args: ParamValues): Promise<ActionResult>
  flush(args: ParamValues): Promise<ActionResult>
  updates(args: ParamValues): Promise<ActionResult>
}

/** The lesson's actions; `wirelab run` performs the tour (miss, hit, SSE updates). */
export const ACTIONS: readonly LessonAction<DashboardLesson>[] = [
  { id: 'tour', label: { en: 'Miss, then hit, then live updates', pt: 'Miss, depois hit, depois atualizações' }, primary: true, script: true, run: (l, args) => l.tour(args) },
  { id: 'request', label: { en: 'GET /api/metricas', pt: 'GET /api/metricas' }, run: (l, args) => l.request(args) },
  { id: 'flush', label: { en: 'Clear the cache (DEL)', pt: 'Limpar o cache (DEL)' }, run: (l, args) => l.flush(args) },
  { id: 'updates', label: { en: 'Open /api/stream/updates (SSE)', pt: 'Abrir /api/stream/updates (SSE)' }, run: (l, args) => l.updates(args) }
]

export const dashboardInfo: SceneInfo = {
  id: 'dashboard',
  group: 'dados',
  title: { en: 'Backend ↔ frontend: one dashboard request', pt: 'Backend ↔ frontend: uma requisição do dashboard' },
  summary: {
    en: 'GET /api/metricas from the dashboard fans out into three wire protocols: the API asks Redis (RESP) for a cached answer, on a miss runs SQL in PostgreSQL (wire protocol v3), stores the result in Redis and answers JSON. The same request again comes from the cache. Then updates are pushed over SSE.',
    pt: 'O GET /api/metricas do dashboard se espalha em três protocolos: a API pergunta ao Redis (RESP) se já tem a resposta, se não tem roda o SQL no PostgreSQL (protocolo v3), guarda o resultado no Redis e responde JSON. A mesma requisição, de novo, vem do cache. Depois, atualizações chegam por SSE.'
  },
  goal: {
    en: 'A backend is a client too: one HTTP request becomes a Redis command, an SQL query and their replies, each its own binary or text protocol on its own port, before JSON goes back. A cache turns the second request into one round trip.',
    pt: 'Um backend também é cliente: uma requisição HTTP vira um comando no Redis, uma consulta SQL e as respostas, cada um com o seu protocolo (binário ou texto) na sua porta, antes de o JSON voltar. Um cache transforma a segunda requisição numa ida e volta só.'
  },
  params: [
    { id: 'data', label: { en: 'Day (data=…)', pt: 'Dia (data=…)' }, type: 'string', default: '2024-03-01' },
    { id: 'ttl', label: { en: 'Cache TTL (s)', pt: 'TTL do cache (s)' }, type: 'number', default: 30, min: 1, max: 3600 },
    {
      id: 'resp',
      label: { en: 'ioredis protocol', pt: 'Protocolo do ioredis' },
      type: 'select',
      default: '3',
      options: [
        { value: '3', label: { en: 'RESP3 (ioredis 6 default: HELLO 3)', pt: 'RESP3 (padrão do ioredis 6: HELLO 3)' } },
        { value: '2', label: { en: 'RESP2 (no HELLO)', pt: 'RESP2 (sem HELLO)' } }
      ],
      help: { en: 'Takes effect when the lesson restarts.', pt: 'Vale quando a aula reinicia.' }
    },
    { id: 'updates', label: { en: 'SSE updates', pt: 'Atualizações SSE' }, type: 'number', default: 3, min: 1, max: 20 }
  ],
  actions: actionDefs(ACTIONS),
  views: ['sequence', 'trace', 'bytes'],
  ports: [
    { name: 'http', transport: 'tcp', preferred: API_PORT },
    { name: 'pgsql', transport: 'tcp', preferred: PG_PORT },
    { name: 'redis', transport: 'tcp', preferred: REDIS_PORT }
  ],
  checkpoints: Object.values(CHECKPOINTS)
}
