// JSON-safe form of events: byte arrays become base64 strings. Used by the WebSocket bridge,
// the Electron bridge, the CLI's --jsonl output and session files alike.
import type { BytesEvent, LabEvent, PduEvent } from './events'

export type WireEvent =
  | Exclude<LabEvent, BytesEvent | PduEvent>
  | (Omit<BytesEvent, 'data'> & { data: string })
  | (Omit<PduEvent, 'data'> & { data: string })

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const B64_INDEX = new Int16Array(128).fill(-1)
for (let i = 0; i < B64.length; i++) B64_INDEX[B64.charCodeAt(i)] = i

export function toBase64(bytes: Uint8Array): string {
  let out = ''
  let i = 0
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2]
    out += B64[n >> 18] + B64[(n >> 12) & 63] + B64[(n >> 6) & 63] + B64[n & 63]
  }
  if (i < bytes.length) {
    const rest = bytes.length - i
    const n = (bytes[i] << 16) | (rest === 2 ? bytes[i + 1] << 8 : 0)
    out += B64[n >> 18] + B64[(n >> 12) & 63] + (rest === 2 ? B64[(n >> 6) & 63] : '=') + '='
  }
  return out
}

/** Decodes base64 (standard or URL alphabet, padding optional). Throws on invalid input. */
export function fromBase64(text: string): Uint8Array {
  const clean = text.replace(/[\s=]+/g, '').replace(/-/g, '+').replace(/_/g, '/')
  if (clean.length % 4 === 1) throw new Error('invalid base64 length')
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4))
  let o = 0
  let acc = 0
  let bits = 0
  for (let i = 0; i < clean.length; i++) {
    const c = clean.charCodeAt(i)
    const v = c < 128 ? B64_INDEX[c] : -1
    if (v < 0) throw new Error(`invalid base64 character at ${i}`)
    acc = (acc << 6) | v
    bits += 6
    if (bits >= 8) {
      bits -= 8
      out[o++] = (acc >> bits) & 0xff
    }
  }
  return out.subarray(0, o)
}

export function toWire(event: LabEvent): WireEvent {
  // `data` and `fields` are read explicitly: events decoded from the binary log keep them in the
  // record (prototype getters), which a spread alone would not copy.
  if (event.kind === 'pdu') return { ...event, fields: event.fields, data: toBase64(event.data) }
  if (event.kind === 'bytes') return { ...event, data: toBase64(event.data) }
  return event
}

export function fromWire(event: WireEvent): LabEvent {
  if (event.kind === 'bytes' || event.kind === 'pdu') return { ...event, data: fromBase64(event.data) }
  return event
}

/** A saved session: the same JSON `wirelab run --out` writes and the app opens. */
export interface SessionFile {
  format: 'wirelab-session'
  version: 1
  created: string
  scene?: string
  events: WireEvent[]
}

export function isSessionFile(value: unknown): value is SessionFile {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Partial<SessionFile>
  return v.format === 'wirelab-session' && v.version === 1 && Array.isArray(v.events)
}
