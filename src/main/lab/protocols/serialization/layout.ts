// What every serialization dissector returns, and how a top-level record is split into fields:
// one top-level field per record field (carrying the logical key as `<protocol>.<key>`), plus the
// framing bytes (headers, separators, terminators), so that the top-level ranges tile the message.
import type { Field, Malformed } from '../../../../shared/events'
import { field } from '../../dissect/fields'
import { malformedField, show } from '../common/codec-fields'

export { idKey, plural } from '../common/codec-fields'
import { DissectError } from '../../dissect/error'

export interface Layout {
  /** Protocol id the PDU carries: json, protobuf, avro, msgpack, cbor, thrift. */
  protocol: string
  summary: string
  fields: Field[]
  malformed?: Malformed
  /** The values the tree states, by logical key (for tests and action results). */
  value: Record<string, unknown>
}


/** Runs a top-level walker; a DissectError becomes a malformed field from the failing item to the end. */
export function walkTopLevel(
  protocol: string,
  bytes: Uint8Array,
  walk: (fields: Field[], value: Record<string, unknown>) => void,
  describe: (fields: Field[], value: Record<string, unknown>) => string
): Layout {
  const fields: Field[] = []
  const value: Record<string, unknown> = {}
  let malformed: Malformed | undefined
  try {
    walk(fields, value)
  } catch (err) {
    const e =
      err instanceof DissectError
        ? err
        : new DissectError(err instanceof Error ? err.message : String(err), 0, bytes.length)
    // The failing item starts where the last complete top-level field ended.
    const at = fields.reduce((m, f) => Math.max(m, f.end), 0)
    const start = Math.min(at, bytes.length)
    malformed = { reason: e.message, start, end: bytes.length }
    if (start < bytes.length || bytes.length === 0)
      fields.push(malformedField(protocol, e.message, start, bytes.length))
    else fields.push(malformedField(protocol, e.message, start, start))
  }
  const summary = malformed ? `Malformed ${protocol}: ${malformed.reason}` : describe(fields, value)
  return { protocol, summary, fields, value, ...(malformed ? { malformed } : {}) }
}


/** A map entry (MessagePack, CBOR): the key's field and the value's field under one parent named after the key. */
export function mapEntry(
  key: { value: unknown; field: Field },
  value: { value: unknown; field: Field },
  start: number,
  end: number,
  id: string
): { key: unknown; value: unknown; field: Field } {
  const name = `${typeof key.value === 'string' ? key.value : show(key.value)} ${value.field.name.replace(/^Value /, '')}`
  return {
    key: key.value,
    value: value.value,
    field: field(name, start, end, show(value.value), { id, children: [key.field, value.field] })
  }
}
