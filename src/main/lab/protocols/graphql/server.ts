// GraphQL over HTTP (graphql-http: the GraphQL-over-HTTP spec's reference server) for node:http.
// With `Accept: application/graphql-response+json` a request error is a 400; with
// `application/json` the same error comes back as 200 (the spec keeps that for older clients).
import type http from 'node:http'
import { createHandler } from 'graphql-http/lib/use/http'
import { rootValue, sensorSchema } from './schema'

export function graphqlHandler(): (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void> {
  return createHandler({ schema: sensorSchema(), rootValue })
}
