// Thrift structs as the serialization lesson shows them: one top-level field per struct field,
// walked by the common Thrift walker (protocols/common/thrift-struct.ts).
import { ByteReader } from '../common/reader'
import { DissectError } from '../../dissect/error'
import { ThriftWalker, type ThriftNames, type ThriftVariant } from '../common/thrift-struct'
import { plural, walkTopLevel, type Layout } from './layout'

export type { ThriftNames, ThriftVariant }

/** Dissects one Thrift struct; `names` maps field ids to names (from the IDL), when known. */
export function dissectThrift(
  bytes: Uint8Array,
  variant: ThriftVariant,
  names: ThriftNames = {}
): Layout {
  const c = new ByteReader(bytes)
  const w = new ThriftWalker(c, variant, names)
  return walkTopLevel(
    'thrift',
    bytes,
    (fields, value) => {
      const obj = w.struct(fields, 'thrift', 0, true)
      Object.assign(value, obj)
      if (c.pos < bytes.length)
        throw new DissectError(`${bytes.length - c.pos} bytes after the STOP byte`, c.pos, bytes.length)
    },
    (fields) => `Thrift ${variant} struct: ${plural(fields.length - 1, 'field')}, ${bytes.length} bytes`
  )
}
