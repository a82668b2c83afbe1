// The sensors as a GraphQL schema (graphql-js), over the same data the REST API and the gRPC
// service serve. An unknown sensor id is a field error (data.sensor is null, with an error beside
// it); a query that does not parse or does not match the schema is a request error.
import { GraphQLError, buildSchema, type GraphQLSchema } from 'graphql'
import { SENSORES, findSensor, withLatest, type SensorRecord } from '../common/sensor-data'

export const SENSOR_SDL = `type Leitura {
  valor: Float!
  timestamp: Int!
}

type Sensor {
  id: ID!
  local: String!
  modelo: String!
  unidade: String!
  firmware: String!
  bateria: Int!
  leituras(ultimas: Int = 3): [Leitura!]!
}

type Query {
  sensor(id: ID!): Sensor
  sensores: [Sensor!]!
}

type Subscription {
  leituras(sensor: ID!): Leitura!
}
`

let schema: GraphQLSchema | null = null

export function sensorSchema(): GraphQLSchema {
  return (schema ??= buildSchema(SENSOR_SDL))
}

/** A sensor as the default resolvers see it: `leituras` takes its argument. */
function node(s: SensorRecord): Record<string, unknown> {
  return { ...s, leituras: ({ ultimas }: { ultimas: number }) => withLatest(s, ultimas).leituras }
}

/** Root resolvers (graphql-js calls the functions with the field's arguments). */
export const rootValue = {
  sensor({ id }: { id: string }): Record<string, unknown> {
    const s = findSensor(id)
    if (!s) throw new GraphQLError(`sensor "${id}" não encontrado`, { extensions: { code: 'NOT_FOUND' } })
    return node(s)
  },
  sensores(): Record<string, unknown>[] {
    return SENSORES.map(node)
  }
}
