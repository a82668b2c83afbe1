// The note that opens each step of the comparison lesson (pt-BR and en).
import type { Localized } from '../../../../shared/events'
import { STEP, type StepKey } from '../../../../shared/lessons/api-compare'

export const STEP_NOTES: Record<StepKey, (sensor: string) => Localized> = {
  [STEP.fetch]: (s) => ({
    en: `The same screen three ways, each on a new connection: REST GET /sensores/${s} returns the whole sensor; GraphQL POSTs a query naming local and leituras { valor }; gRPC calls GetSensor over HTTP/2.`,
    pt: `A mesma tela de três jeitos, cada um numa conexão nova: REST GET /sensores/${s} devolve o sensor inteiro; o GraphQL envia por POST uma query nomeando local e leituras { valor }; o gRPC chama GetSensor sobre HTTP/2.`
  }),
  [STEP.repeat]: () => ({
    en: 'The same three calls again on the connections already open: HTTP/1.1 sends its headers in full every time; HTTP/2’s HPACK sends most of gRPC’s headers as 1-byte indexes into its table.',
    pt: 'As mesmas três chamadas de novo nas conexões já abertas: o HTTP/1.1 manda os cabeçalhos inteiros toda vez; o HPACK do HTTP/2 manda a maioria dos cabeçalhos do gRPC como índices de 1 byte na sua tabela.'
  }),
  [STEP.nPlusOne]: () => ({
    en: 'Every sensor’s latest reading: REST gets the list, then one request per sensor (N+1 requests, each waiting for the one before); GraphQL names the nested fields in ONE query. gRPC would need a method designed for this screen.',
    pt: 'A leitura mais recente de cada sensor: o REST pega a lista e depois faz uma requisição por sensor (N+1 requisições, cada uma esperando a anterior); o GraphQL nomeia os campos aninhados numa ÚNICA query. O gRPC precisaria de um método feito para esta tela.'
  }),
  [STEP.errors]: () => ({
    en: 'Errors: GraphQL with an unknown sensor (a field error) and a wrong argument type (a request error), each with Accept: application/json and application/graphql-response+json; REST 404 and 400; gRPC NOT_FOUND.',
    pt: 'Erros: GraphQL com um sensor desconhecido (erro de campo) e um argumento de tipo errado (erro de requisição), cada um com Accept: application/json e application/graphql-response+json; REST 404 e 400; gRPC NOT_FOUND.'
  }),
  [STEP.streaming]: (s) => ({
    en: `Live readings of ${s}: gRPC StreamLeituras sends three messages on one stream after one request; REST asks three times (polling); GraphQL subscriptions do not run over plain HTTP (they need WebSocket or SSE).`,
    pt: `Leituras ao vivo de ${s}: o gRPC StreamLeituras manda três mensagens num stream depois de uma requisição; o REST pergunta três vezes (polling); subscriptions GraphQL não rodam em HTTP simples (precisam de WebSocket ou SSE).`
  }),
  [STEP.query]: () => ({
    en: 'Your GraphQL query, POSTed to /graphql: the response carries exactly the fields it names.',
    pt: 'A sua query GraphQL, enviada por POST para /graphql: a resposta traz exatamente os campos que ela nomeia.'
  })
}
