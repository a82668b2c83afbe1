// The comparison lesson's checkpoint answers and its figures line, read from the step's events.
import type { LabEvent, Localized } from '../../../../shared/events'
import { API_IDS, API_LABEL, type ApiId } from '../../../../shared/lessons/api-compare'
import type { ApiFigures } from '../../../../shared/lessons/api-compare-measure'

type Reveal = { answer: string[]; explain: Localized }

export function figuresLine(f: Record<ApiId, ApiFigures>): Localized {
  const one = (x: ApiFigures, pt: boolean): string =>
    `${API_LABEL[x.api]}: ${x.sent} B ${pt ? 'enviados' : 'sent'}, ${x.received} B ${pt ? 'recebidos' : 'received'}, ${x.roundTrips} ${pt ? (x.roundTrips === 1 ? 'ida e volta' : 'idas e voltas') : x.roundTrips === 1 ? 'round trip' : 'round trips'}, ${x.requests} ${pt ? (x.requests === 1 ? 'requisição' : 'requisições') : x.requests === 1 ? 'request' : 'requests'}, ${x.newConnections} ${pt ? (x.newConnections === 1 ? 'conexão nova' : 'conexões novas') : x.newConnections === 1 ? 'new connection' : 'new connections'}`
  return {
    en: API_IDS.map((a) => one(f[a], false)).join(' · '),
    pt: API_IDS.map((a) => one(f[a], true)).join(' · ')
  }
}

export function revealSmallest(f: Record<ApiId, ApiFigures>): Reveal {
  const least = Math.min(...API_IDS.map((a) => f[a].received))
  const answer = API_IDS.filter((a) => f[a].received === least)
  const list = (pt: boolean): string =>
    API_IDS.map(
      (a) =>
        `${API_LABEL[a]} ${f[a].received} B (${pt ? 'corpo' : 'body'} ${f[a].bodies.reduce((n, b) => n + b, 0)} B)`
    ).join(', ')
  return {
    answer,
    explain: {
      en: `Received: ${list(false)}. REST sends every field of the sensor; GraphQL only the ones asked for, as JSON text; gRPC sends them all too, but as Protobuf with field numbers instead of names, after HTTP/2’s SETTINGS and headers.`,
      pt: `Recebido: ${list(true)}. O REST manda todos os campos do sensor; o GraphQL só os solicitados, em texto JSON; o gRPC também manda todos, mas em Protobuf com números de campo no lugar dos nomes, depois do SETTINGS e dos cabeçalhos do HTTP/2.`
    }
  }
}

export function revealNPlusOne(f: Record<ApiId, ApiFigures>): Reveal {
  const n = f.rest.requests
  return {
    answer: [String(n)],
    explain: {
      en: `REST made ${n} requests (the list, then one per sensor: N+1) in ${f.rest.roundTrips} round trips; GraphQL made ${f.graphql.requests} in ${f.graphql.roundTrips}, naming the nested fields in its query.`,
      pt: `O REST fez ${n} requisições (a lista, depois uma por sensor: N+1) em ${f.rest.roundTrips} idas e voltas; o GraphQL fez ${f.graphql.requests} em ${f.graphql.roundTrips}, nomeando os campos aninhados na query.`
    }
  }
}

export function revealErrors(f: Record<ApiId, ApiFigures>, events: readonly LabEvent[]): Reveal {
  void events
  // The first GraphQL response is the field error; the gRPC call's HTTP status is its :status.
  const graphql = f.graphql.statuses[0]
  const grpc = f.grpc.statuses[0]
  const answer = [...new Set([graphql, grpc].filter((s) => s !== undefined).map(String))]
  return {
    answer,
    explain: {
      en: `GraphQL answered ${graphql} with {"data": {"sensor": null}, "errors": […]}: a field error is part of a successful response. gRPC answered :status ${grpc}, and the failure came in the trailers: grpc-status ${f.grpc.grpcStatuses[0]} (NOT_FOUND). Only REST used 404.`,
      pt: `O GraphQL respondeu ${graphql} com {"data": {"sensor": null}, "errors": […]}: um erro de campo faz parte de uma resposta bem-sucedida. O gRPC respondeu :status ${grpc}, e a falha veio nos trailers: grpc-status ${f.grpc.grpcStatuses[0]} (NOT_FOUND). Só o REST usou 404.`
    }
  }
}
