// The REST vs gRPC vs GraphQL lesson's vocabulary, shared by its engine and its view: which actor
// is which API's client, the notes that open each step (the view measures the events after
// them), and what the lesson's "screen" needs from the data (to tell over-fetching apart).

export const API_IDS = ['rest', 'graphql', 'grpc'] as const
export type ApiId = (typeof API_IDS)[number]

/** Node id of each API's built-in client. */
export const API_CLIENT: Record<ApiId, string> = {
  rest: 'rest-client',
  graphql: 'graphql-client',
  grpc: 'grpc-client'
}

export const API_LABEL: Record<ApiId, string> = { rest: 'REST', graphql: 'GraphQL', grpc: 'gRPC' }

/** Note keys that open each step of the lesson. */
export const STEP = {
  fetch: 'compare.fetch',
  repeat: 'compare.repeat',
  nPlusOne: 'compare.n-plus-1',
  errors: 'compare.errors',
  streaming: 'compare.streaming',
  query: 'compare.query'
} as const
export type StepKey = (typeof STEP)[keyof typeof STEP]

/**
 * The screen: a sensor's location and its latest temperature values. JSON paths (array elements
 * as `[]`) of what it uses; anything else in a response was not asked for.
 */
export const SCREEN_NEEDS = ['local', 'leituras[].valor'] as const

/** The GraphQL query that asks for exactly what the screen needs. */
export const SCREEN_QUERY = '{ sensor(id: "A1") { local leituras(ultimas: 3) { valor } } }'

/** The REST path the screen calls. */
export const SCREEN_PATH = '/sensores/A1'

/** Ports of the lesson: the HTTP server (REST and /graphql) and the gRPC server. */
export const COMPARE_PORTS = { http: 8000, grpc: 50051 } as const
