// Over-fetching field by field, on the responses the real servers sent in the comparison lesson.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { STEP } from '@shared/lessons/api-compare'
import { measureStep } from '@shared/lessons/api-compare-measure'
import { Lab } from '../../../../main/lab/lab'
import { jsonLeaves, keyBytes, overFetch, protobufLeaves, tagBytes } from './model'

describe('comparison model on real responses', () => {
  const lab = new Lab({ ephemeralPorts: true })
  beforeAll(async () => {
    await lab.start('api-compare', {})
    await lab.action('fetch', {})
  })
  afterAll(() => lab.stop())

  it('REST carries fields the screen did not ask for; GraphQL only those it asked for; gRPC all of them, in binary', () => {
    const f = measureStep(lab.session.events, STEP.fetch)
    const rest = overFetch(jsonLeaves(f.rest.responses[0]), f.rest.bodies[0])
    expect(rest.leaves.map((l) => l.path)).toEqual([
      'id',
      'local',
      'modelo',
      'unidade',
      'firmware',
      'bateria',
      'leituras.valor',
      'leituras.timestamp',
      'leituras.valor',
      'leituras.timestamp',
      'leituras.valor',
      'leituras.timestamp'
    ])
    expect(rest.leaves.filter((l) => l.needed).map((l) => l.path)).toEqual([
      'local',
      'leituras.valor',
      'leituras.valor',
      'leituras.valor'
    ])
    expect(rest.unasked).toBeGreaterThan(rest.body / 3)
    const gql = overFetch(jsonLeaves(f.graphql.responses[0]), f.graphql.bodies[0])
    expect(gql.leaves.map((l) => l.path)).toEqual([
      'local',
      'leituras.valor',
      'leituras.valor',
      'leituras.valor'
    ])
    expect(gql.unasked).toBe(0)
    const grpc = overFetch(protobufLeaves(f.grpc.responses[0]), f.grpc.bodies[0])
    expect(grpc.leaves.map((l) => l.path)).toEqual(rest.leaves.map((l) => l.path))
    expect(grpc.leaves.every((l) => l.fieldPath.length > 0 && l.bytes > 0)).toBe(true)
    // Names travel in JSON; protobuf sends field numbers.
    expect(keyBytes(f.rest.responses[0])).toBeGreaterThan(50)
    expect(tagBytes(f.grpc.responses[0])).toBeLessThan(keyBytes(f.rest.responses[0]) / 3)
  })
})
