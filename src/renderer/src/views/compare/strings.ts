// The comparison view's words, in English and Portuguese.
import type { Localized } from '@shared/events'

export const S = {
  empty: {
    en: 'Run “Fetch the screen three ways”: the three APIs appear here side by side.',
    pt: 'Execute “Buscar a tela dos três jeitos”: as três APIs aparecem aqui lado a lado.'
  },
  tabs: {
    fetch: { en: 'The screen', pt: 'A tela' },
    repeat: { en: 'Repeat (HPACK)', pt: 'Repetir (HPACK)' },
    nPlusOne: { en: 'N+1', pt: 'N+1' },
    errors: { en: 'Errors', pt: 'Erros' },
    streaming: { en: 'Streaming', pt: 'Streaming' },
    table: { en: 'The course’s table', pt: 'A tabela do curso' }
  },
  notRun: { en: 'Not run yet: use the action', pt: 'Ainda não executado: use a ação' },
  sent: { en: 'bytes sent', pt: 'bytes enviados' },
  received: { en: 'bytes received', pt: 'bytes recebidos' },
  roundTrips: { en: 'round trips', pt: 'idas e voltas' },
  requests: { en: 'requests', pt: 'requisições' },
  calls: { en: 'calls', pt: 'chamadas' },
  newConns: { en: 'new connections', pt: 'conexões novas' },
  body: { en: 'body', pt: 'corpo' },
  unasked: { en: 'not asked for', pt: 'não pedido' },
  ofBody: { en: 'of the body', pt: 'do corpo' },
  screenNeeds: {
    en: 'The screen shows: local and the latest leituras[].valor. Fields it did not ask for are struck through.',
    pt: 'A tela mostra: local e os leituras[].valor mais recentes. Campos que ela não pediu estão riscados.'
  },
  binary: { en: 'binary: field numbers, no names', pt: 'binário: números de campo, sem nomes' },
  first: { en: '1st call', pt: '1ª chamada' },
  second: { en: '2nd call, same connection', pt: '2ª chamada, mesma conexão' },
  headers: { en: 'request headers', pt: 'cabeçalhos da requisição' },
  hpackNote: {
    en: 'HTTP/1.1 repeats every header byte for byte. HTTP/2’s HPACK sends headers already in its table as 1-byte indexes: gRPC’s second request is a fraction of the first.',
    pt: 'O HTTP/1.1 repete cada cabeçalho byte a byte. O HPACK do HTTP/2 manda os cabeçalhos que já estão na tabela como índices de 1 byte: a segunda requisição do gRPC é uma fração da primeira.'
  },
  nPlusOneNote: {
    en: 'REST: the list first, then one request per sensor, each waiting for the previous one. GraphQL: one query names the nested fields. gRPC: only what its .proto offers (a method per screen).',
    pt: 'REST: primeiro a lista, depois uma requisição por sensor, cada uma esperando a anterior. GraphQL: uma query nomeia os campos aninhados. gRPC: só o que o .proto oferece (um método por tela).'
  },
  noMethod: {
    en: 'no method for this screen in sensor.proto',
    pt: 'não há método para esta tela no sensor.proto'
  },
  errorsNote: {
    en: 'Where each API puts an error: REST in the status code; GraphQL in "errors" (200 with application/json; request errors are 400 with application/graphql-response+json); gRPC in the trailers, under :status 200.',
    pt: 'Onde cada API põe um erro: o REST no código de status; o GraphQL em "errors" (200 com application/json; erros de requisição são 400 com application/graphql-response+json); o gRPC nos trailers, sob :status 200.'
  },
  case: { en: 'Case', pt: 'Caso' },
  accept: { en: 'Accept', pt: 'Accept' },
  status: { en: 'HTTP status', pt: 'Status HTTP' },
  contentType: { en: 'Content-Type', pt: 'Content-Type' },
  where: { en: 'The error', pt: 'O erro' },
  fieldError: { en: 'unknown sensor (field error)', pt: 'sensor desconhecido (erro de campo)' },
  requestError: { en: 'ultimas: "três" (request error)', pt: 'ultimas: "três" (erro de requisição)' },
  restMissing: { en: 'GET /sensores/ZZ', pt: 'GET /sensores/ZZ' },
  restBad: { en: 'GET ?ultimas=três', pt: 'GET ?ultimas=três' },
  grpcMissing: { en: 'GetSensor("ZZ")', pt: 'GetSensor("ZZ")' },
  inBody: { en: 'in the body: "errors"', pt: 'no corpo: "errors"' },
  inStatus: { en: 'in the status code', pt: 'no código de status' },
  inTrailers: { en: 'in the trailers: grpc-status', pt: 'nos trailers: grpc-status' },
  streamingNote: {
    en: 'gRPC: one request, then the server keeps sending on the same stream. REST: the client asks again and again (polling). GraphQL over plain HTTP: subscriptions are refused; they need WebSocket or SSE.',
    pt: 'gRPC: uma requisição, e o servidor continua mandando no mesmo stream. REST: o cliente pergunta de novo e de novo (polling). GraphQL em HTTP simples: subscriptions são recusadas; precisam de WebSocket ou SSE.'
  },
  messages: { en: 'messages back', pt: 'mensagens de volta' },
  refused: { en: 'refused', pt: 'recusada' },
  aspect: { en: 'Aspect', pt: 'Aspecto' },
  measured: { en: 'measured in this run', pt: 'medido nesta execução' },
  tableNote: {
    en: 'Each row of the course’s table (seed 001), with what this run measured on the wire.',
    pt: 'Cada linha da tabela do curso (seed 001), com o que esta execução mediu no fio.'
  }
} satisfies Record<string, Localized | Record<string, Localized>>
