// Validation of command payloads arriving from a renderer (IPC or WebSocket). The engine never
// trusts what crosses the bridge.
import { COMMAND_NAMES, type CommandName } from './api'

export class InvalidRequest extends Error {}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function checkParams(v: unknown, where: string): void {
  if (v === undefined) return
  if (!isRecord(v)) throw new InvalidRequest(`${where} must be an object`)
  for (const [k, val] of Object.entries(v)) {
    if (k.length > 64) throw new InvalidRequest(`${where}: key too long`)
    if (!['string', 'number', 'boolean'].includes(typeof val))
      throw new InvalidRequest(`${where}.${k} must be a string, number or boolean`)
    if (typeof val === 'string' && val.length > 1_000_000) throw new InvalidRequest(`${where}.${k} too long`)
  }
}

/** An optional non-negative integer property. */
function checkCount(req: Record<string, unknown>, key: string): void {
  const v = req[key]
  if (v === undefined) return
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 2 ** 32)
    throw new InvalidRequest(`${key} must be a non-negative integer`)
}

export function isCommandName(v: unknown): v is CommandName {
  return typeof v === 'string' && (COMMAND_NAMES as readonly string[]).includes(v)
}

/** Throws InvalidRequest when `req` is not a valid request for `channel`. */
export function validateRequest(channel: CommandName, req: unknown): void {
  switch (channel) {
    case 'scene:start':
      if (!isRecord(req) || typeof req.scene !== 'string' || req.scene.length > 100)
        throw new InvalidRequest('scene:start needs { scene: string }')
      checkParams(req.params, 'params')
      return
    case 'scene:action':
      if (!isRecord(req) || typeof req.action !== 'string' || req.action.length > 100)
        throw new InvalidRequest('scene:action needs { action: string }')
      checkParams(req.args, 'args')
      return
    case 'session:follow':
      if (!isRecord(req)) throw new InvalidRequest('session:follow needs an object')
      checkCount(req, 'from')
      checkCount(req, 'tail')
      return
    case 'session:range':
      if (!isRecord(req)) throw new InvalidRequest('session:range needs an object')
      for (const k of ['from', 'to', 'mark', 'span']) checkCount(req, k)
      return
    case 'session:save':
      if (!isRecord(req) || (req.format !== 'wirelab' && req.format !== 'pcap'))
        throw new InvalidRequest("session:save needs { format: 'wirelab' | 'pcap' }")
      if (req.name !== undefined && (typeof req.name !== 'string' || req.name.length > 200 || /[\\/\0]/.test(req.name)))
        throw new InvalidRequest('name must be a file name (no folders), at most 200 characters')
      return
    case 'capture:frames':
      if (!isRecord(req)) throw new InvalidRequest('capture:frames needs an object')
      if (req.on !== undefined && typeof req.on !== 'boolean') throw new InvalidRequest('capture:frames: on must be true or false')
      return
    case 'net:faults': {
      if (!isRecord(req)) throw new InvalidRequest('net:faults needs an object')
      if (req.set === undefined) return
      if (!isRecord(req.set)) throw new InvalidRequest('net:faults: set must be an object')
      for (const [k, v] of Object.entries(req.set)) {
        if (k.length > 32) throw new InvalidRequest('net:faults: key too long')
        if (typeof v === 'number') continue
        if (k === 'latencyMs' && isRecord(v) && Object.values(v).every((x) => typeof x === 'number') && Object.keys(v).length <= 2) continue
        throw new InvalidRequest(`net:faults: ${k} must be a number`)
      }
      return
    }
    default:
      if (req !== null && req !== undefined) throw new InvalidRequest(`${channel} takes no payload`)
  }
}
