// Lesson "REST vs gRPC vs GraphQL" as data (seed 001, "Comparativo: REST vs gRPC vs GraphQL").
import type { ParamValues } from '../../../../shared/events'
import type { ActionDef, ActionResult, CheckpointInfo, SceneInfo } from '../../../../shared/scene'
import { actionDefs, type LessonAction } from '../types'
import { COMPARE_PORTS, SCREEN_QUERY } from '../../../../shared/lessons/api-compare'

export const CHECKPOINTS = {
  smallest: {
    id: 'compare-smallest',
    action: 'fetch',
    question: {
      en: 'Three clients fetch the same screen (a sensor’s location and its latest values), each on a new connection. Which one RECEIVES the fewest bytes from its server, headers and set-up included?',
      pt: 'Três clientes buscam a mesma tela (o local de um sensor e seus valores mais recentes), cada um numa conexão nova. Qual deles RECEBE menos bytes do servidor, cabeçalhos e preparação incluídos?'
    },
    choices: [
      { id: 'rest', label: { en: 'REST (GET, JSON)', pt: 'REST (GET, JSON)' } },
      {
        id: 'graphql',
        label: { en: 'GraphQL (POST, only the fields asked for)', pt: 'GraphQL (POST, só os campos solicitados)' }
      },
      { id: 'grpc', label: { en: 'gRPC (HTTP/2, Protobuf)', pt: 'gRPC (HTTP/2, Protobuf)' } }
    ],
    source: 'seed 001, "Comparativo: REST vs gRPC vs GraphQL"'
  },
  nPlusOne: {
    id: 'compare-n-plus-1',
    action: 'n-plus-1',
    question: {
      en: 'The screen now shows the latest reading of EVERY sensor (there are 3). How many HTTP requests does the REST client make?',
      pt: 'A tela agora mostra a leitura mais recente de CADA sensor (são 3). Quantas requisições HTTP o cliente REST faz?'
    },
    choices: [
      { id: '1', label: { en: '1', pt: '1' } },
      { id: '3', label: { en: '3', pt: '3' } },
      { id: '4', label: { en: '4', pt: '4' } },
      { id: '6', label: { en: '6', pt: '6' } }
    ]
  },
  errors: {
    id: 'compare-errors-200',
    action: 'errors',
    question: {
      en: 'A GraphQL query asks for a sensor that does not exist, and so does a gRPC call. What HTTP status do they get?',
      pt: 'Uma query GraphQL pede um sensor que não existe, e uma chamada gRPC também. Que status HTTP elas recebem?'
    },
    choices: [
      {
        id: '200',
        label: {
          en: '200 OK (the error is in the body or the trailers)',
          pt: '200 OK (o erro vem no corpo ou nos trailers)'
        }
      },
      { id: '404', label: { en: '404 Not Found', pt: '404 Not Found' } },
      { id: '500', label: { en: '500 Internal Server Error', pt: '500 Internal Server Error' } }
    ]
  }
} satisfies Record<string, CheckpointInfo>

/** The lesson's steps, one per action (the scene's `start` builds them on its servers and clients). */
export type CompareLesson = Record<CompareLessonActionId, (args: ParamValues) => Promise<ActionResult>>
type CompareLessonActionId = 'fetch' | 'repeat' | 'n-plus-1' | 'errors' | 'streaming' | 'query'

/** What people see of each action; `run` calls the step of the same id. */
const ACTION_DEFS: (ActionDef & { id: CompareLessonActionId })[] = [
  {
    id: 'fetch',
    label: { en: 'Fetch the screen three ways', pt: 'Buscar a tela dos três jeitos' },
    help: {
      en: 'REST GET /sensores/A1, a GraphQL query for local and leituras { valor }, and gRPC GetSensor, each on a new connection.',
      pt: 'REST GET /sensores/A1, uma query GraphQL por local e leituras { valor }, e gRPC GetSensor, cada um numa conexão nova.'
    },
    primary: true
  },
  {
    id: 'repeat',
    label: { en: 'Repeat on the same connections', pt: 'Repetir nas mesmas conexões' },
    help: {
      en: 'The same three calls again: no new connections; gRPC’s headers shrink (HPACK), HTTP/1.1 repeats them in full.',
      pt: 'As mesmas três chamadas de novo: sem conexões novas; os cabeçalhos do gRPC encolhem (HPACK), o HTTP/1.1 os repete inteiros.'
    }
  },
  {
    id: 'n-plus-1',
    label: { en: 'Every sensor’s latest reading (N+1)', pt: 'A leitura mais recente de cada sensor (N+1)' },
    help: {
      en: 'REST: the list, then one request per sensor. GraphQL: one query.',
      pt: 'REST: a lista, depois uma requisição por sensor. GraphQL: uma query.'
    }
  },
  {
    id: 'errors',
    label: { en: 'Errors: status codes and media types', pt: 'Erros: códigos de status e tipos de mídia' },
    help: {
      en: 'An unknown sensor and a malformed request in each API; GraphQL with both Accept media types.',
      pt: 'Um sensor desconhecido e uma requisição malformada em cada API; GraphQL com os dois tipos de mídia no Accept.'
    }
  },
  {
    id: 'streaming',
    label: { en: 'Live readings: streaming vs polling', pt: 'Leituras ao vivo: streaming vs polling' },
    help: {
      en: 'gRPC StreamLeituras (one request, three messages), REST polling three times, and a GraphQL subscription over plain HTTP.',
      pt: 'gRPC StreamLeituras (uma requisição, três mensagens), REST consultando três vezes, e uma subscription GraphQL em HTTP simples.'
    }
  },
  {
    id: 'query',
    label: { en: 'Run my GraphQL query', pt: 'Executar minha query GraphQL' },
    help: {
      en: 'POSTs the query box to /graphql with the chosen Accept header.',
      pt: 'Envia a caixa de query por POST para /graphql com o Accept escolhido.'
    }
  }
]

/** The default script (`wirelab run`) performs these, in this order. */
const SCRIPT: CompareLessonActionId[] = ['fetch', 'repeat']

export const ACTIONS: readonly LessonAction<CompareLesson>[] = ACTION_DEFS.map((d) => ({
  ...d,
  script: SCRIPT.includes(d.id),
  run: (lesson, args) => lesson[d.id](args)
}))

export const compareInfo: SceneInfo = {
  id: 'api-compare',
  group: 'rpc',
  title: { en: 'REST vs gRPC vs GraphQL', pt: 'REST vs gRPC vs GraphQL' },
  summary: {
    en: 'The same data (a sensor and its latest readings) fetched three ways from real servers: REST/JSON over HTTP/1.1, GraphQL over HTTP and gRPC. Bytes, round trips and connections side by side; over-fetching, N+1, HPACK, and where each puts its errors.',
    pt: 'Os mesmos dados (um sensor e suas leituras mais recentes) buscados de três jeitos em servidores reais: REST/JSON sobre HTTP/1.1, GraphQL sobre HTTP e gRPC. Bytes, idas e voltas e conexões lado a lado; over-fetching, N+1, HPACK e onde cada um põe seus erros.'
  },
  goal: {
    en: 'REST returns whole resources (over-fetching) and needs one request per related resource (N+1); GraphQL sends a bigger request but gets exactly the fields it names; gRPC sends binary Protobuf over HTTP/2, and repeat calls shrink thanks to HPACK. Errors travel differently: status codes, JSON errors with 200, grpc-status in trailers.',
    pt: 'O REST devolve recursos inteiros (over-fetching) e precisa de uma requisição por recurso relacionado (N+1); o GraphQL manda uma requisição maior mas recebe exatamente os campos que nomeia; o gRPC manda Protobuf binário sobre HTTP/2, e chamadas repetidas encolhem graças ao HPACK. Os erros viajam de jeitos diferentes: códigos de status, erros JSON com 200, grpc-status nos trailers.'
  },
  params: [
    {
      id: 'sensor',
      label: { en: 'Sensor id', pt: 'Id do sensor' },
      type: 'string',
      default: 'A1',
      help: { en: 'A1, B2 or C3.', pt: 'A1, B2 ou C3.' }
    },
    {
      id: 'query',
      label: { en: 'GraphQL query (the query box)', pt: 'Query GraphQL (a caixa de query)' },
      type: 'text',
      default: SCREEN_QUERY,
      help: {
        en: 'Sent by "Run my GraphQL query". Try adding fields: modelo, bateria, leituras { timestamp }.',
        pt: 'Enviada por "Executar minha query GraphQL". Experimente acrescentar campos: modelo, bateria, leituras { timestamp }.'
      }
    },
    {
      id: 'accept',
      label: { en: 'GraphQL Accept header', pt: 'Cabeçalho Accept do GraphQL' },
      type: 'select',
      default: 'application/graphql-response+json',
      options: [
        {
          value: 'application/graphql-response+json',
          label: {
            en: 'application/graphql-response+json (the spec’s)',
            pt: 'application/graphql-response+json (o da especificação)'
          }
        },
        {
          value: 'application/json',
          label: { en: 'application/json (legacy)', pt: 'application/json (legado)' }
        }
      ]
    }
  ],
  actions: actionDefs(ACTIONS),
  views: ['compare', 'sequence', 'bytes', 'packets'],
  ports: [
    { name: 'http', transport: 'tcp', preferred: COMPARE_PORTS.http },
    { name: 'grpc', transport: 'tcp', preferred: COMPARE_PORTS.grpc }
  ],
  checkpoints: Object.values(CHECKPOINTS)
}
