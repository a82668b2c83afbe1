// Payload validation at the bridge: every command rejects malformed payloads with InvalidRequest,
// and arbitrary JSON never makes the validator throw anything else.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { COMMAND_NAMES } from '../shared/api'
import { InvalidRequest, validateRequest } from '../shared/validate'
import { INVALID } from './lab/testing/invalid-requests'

describe('validateRequest', () => {
  it('has invalid examples for every command, and rejects each of them', () => {
    expect(Object.keys(INVALID).sort()).toEqual([...COMMAND_NAMES].sort())
    for (const c of COMMAND_NAMES)
      for (const bad of INVALID[c])
        expect(() => validateRequest(c, bad), `${c} ${JSON.stringify(bad)?.slice(0, 80)}`).toThrow(
          InvalidRequest
        )
  })

  it('accepts valid payloads', () => {
    for (const c of [
      'host:info',
      'scene:list',
      'scene:stop',
      'scene:status',
      'session:clear',
      'net:cut'
    ] as const) {
      expect(() => validateRequest(c, null)).not.toThrow()
      expect(() => validateRequest(c, undefined)).not.toThrow()
    }
    expect(() =>
      validateRequest('scene:start', { scene: 'tcp-udp-echo', params: { message: 'Ola', n: 3, on: true } })
    ).not.toThrow()
    expect(() => validateRequest('scene:action', { action: 'send-tcp' })).not.toThrow()
    expect(() => validateRequest('session:follow', { from: 10 })).not.toThrow()
    expect(() => validateRequest('session:follow', {})).not.toThrow()
    expect(() => validateRequest('session:range', { mark: 0, span: 5000 })).not.toThrow()
    expect(() => validateRequest('session:save', { format: 'pcap', name: 'echo-2026.pcap' })).not.toThrow()
    expect(() => validateRequest('net:faults', {})).not.toThrow()
    expect(() => validateRequest('capture:frames', {})).not.toThrow()
    expect(() => validateRequest('capture:frames', { on: true })).not.toThrow()
    expect(() => validateRequest('net:faults', { set: { latencyMs: { c2s: 100 }, lossPct: 30 } })).not.toThrow()
  })

  it('any JSON value either passes or fails with InvalidRequest (never a crash)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...COMMAND_NAMES), fc.jsonValue(), (c, v) => {
        try {
          validateRequest(c, v)
        } catch (err) {
          return err instanceof InvalidRequest
        }
        return true
      }),
      { numRuns: 3000, seed: 7 }
    )
  })
})
