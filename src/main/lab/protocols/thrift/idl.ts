// A Thrift IDL, parsed once with @creditkarma/thrift-parser into what the lesson needs: the types
// the server and client read and write, and the field names the dissector shows (Wireshark's
// Thrift dissector shows only field ids). The lesson's IDL (`resources/thrift/hms.thrift`) is
// embedded so every host (app, CLI, tests) has it; a test keeps the two equal.
import { parse, SyntaxType, type FieldDefinition, type FunctionType } from '@creditkarma/thrift-parser'
import type { ThriftNames } from '../common/thrift-struct'
import { resourceText } from '../../resources'

/** Thrift wire types (TType). */
export const TTYPE = {
  STOP: 0,
  BOOL: 2,
  BYTE: 3,
  DOUBLE: 4,
  I16: 6,
  I32: 8,
  I64: 10,
  STRING: 11,
  STRUCT: 12,
  MAP: 13,
  SET: 14,
  LIST: 15
} as const

export type IdlType =
  | { kind: 'void' }
  | { kind: 'base'; name: 'bool' | 'byte' | 'i16' | 'i32' | 'i64' | 'double' | 'string' | 'binary' }
  | { kind: 'struct'; name: string }
  | { kind: 'list' | 'set'; elem: IdlType }
  | { kind: 'map'; key: IdlType; value: IdlType }

export interface IdlField {
  id: number
  name: string
  type: IdlType
}

export interface IdlStruct {
  name: string
  exception: boolean
  fields: IdlField[]
}

export interface IdlMethod {
  name: string
  params: IdlField[]
  returns: IdlType
  throws: IdlField[]
  oneway: boolean
}

const BASE: Partial<Record<SyntaxType, Extract<IdlType, { kind: 'base' }>['name']>> = {
  [SyntaxType.BoolKeyword]: 'bool',
  [SyntaxType.ByteKeyword]: 'byte',
  [SyntaxType.I8Keyword]: 'byte',
  [SyntaxType.I16Keyword]: 'i16',
  [SyntaxType.I32Keyword]: 'i32',
  [SyntaxType.I64Keyword]: 'i64',
  [SyntaxType.DoubleKeyword]: 'double',
  [SyntaxType.StringKeyword]: 'string',
  [SyntaxType.BinaryKeyword]: 'binary'
}

const BASE_TTYPE: Record<Extract<IdlType, { kind: 'base' }>['name'], number> = {
  bool: TTYPE.BOOL,
  byte: TTYPE.BYTE,
  i16: TTYPE.I16,
  i32: TTYPE.I32,
  i64: TTYPE.I64,
  double: TTYPE.DOUBLE,
  string: TTYPE.STRING,
  binary: TTYPE.STRING
}

export class ThriftIdl {
  readonly structs = new Map<string, IdlStruct>()
  readonly methods = new Map<string, IdlMethod>()
  service = ''
  private readonly namesCache = new Map<string, ThriftNames>()

  /** The wire type of an IDL type. */
  ttype(t: IdlType): number {
    switch (t.kind) {
      case 'void':
        return TTYPE.STOP
      case 'base':
        return BASE_TTYPE[t.name]
      case 'struct':
        return TTYPE.STRUCT
      case 'list':
        return TTYPE.LIST
      case 'set':
        return TTYPE.SET
      case 'map':
        return TTYPE.MAP
    }
  }

  struct(name: string): IdlStruct {
    const s = this.structs.get(name)
    if (!s) throw new Error(`the IDL has no struct or exception named ${name}`)
    return s
  }

  /** The struct a field's value holds (directly or as elements / map values), if any. */
  private structOf(t: IdlType): string | undefined {
    if (t.kind === 'struct') return t.name
    if (t.kind === 'list' || t.kind === 'set') return this.structOf(t.elem)
    if (t.kind === 'map') return this.structOf(t.value)
    return undefined
  }

  private fieldNames(fields: IdlField[]): ThriftNames {
    const out: ThriftNames = {}
    for (const f of fields) {
      const inner = this.structOf(f.type)
      out[f.id] = inner ? { name: f.name, struct: this.structNames(inner) } : f.name
    }
    return out
  }

  /** Field names of a struct, nested structs included (one shared object per struct, so recursion is fine). */
  structNames(name: string): ThriftNames {
    const cached = this.namesCache.get(name)
    if (cached) return cached
    const out: ThriftNames = {}
    this.namesCache.set(name, out)
    Object.assign(out, this.fieldNames(this.structs.get(name)?.fields ?? []))
    return out
  }

  /** The fields of `<method>_args`. */
  argsFields(m: IdlMethod): IdlField[] {
    return m.params
  }

  /** The fields of `<method>_result`: 0 = success (unless void), then the declared exceptions. */
  resultFields(m: IdlMethod): IdlField[] {
    return [...(m.returns.kind === 'void' ? [] : [{ id: 0, name: 'success', type: m.returns }]), ...m.throws]
  }

  /** Field names of a message body: `<method>_args` for calls, `<method>_result` for replies. */
  bodyNames(method: string, reply: boolean): ThriftNames {
    const m = this.methods.get(method)
    if (!m) return {}
    return this.fieldNames(reply ? this.resultFields(m) : this.argsFields(m))
  }

  /** One line per method, as the IDL declares it (for narration and hints). */
  signature(method: string): string {
    const m = this.methods.get(method)
    if (!m) return method
    const show = (t: IdlType): string =>
      t.kind === 'void'
        ? 'void'
        : t.kind === 'base' || t.kind === 'struct'
          ? t.name
          : t.kind === 'map'
            ? `map<${show(t.key)}, ${show(t.value)}>`
            : `${t.kind}<${show(t.elem)}>`
    const params = m.params.map((p) => `${p.id}: ${show(p.type)} ${p.name}`).join(', ')
    return `${show(m.returns)} ${m.name}(${params})`
  }
}

/** Parses IDL text. Throws with the parser's messages (line and column) when it is not valid Thrift. */
export function parseIdl(text: string): ThriftIdl {
  const doc = parse(text)
  if (doc.type === SyntaxType.ThriftErrors)
    throw new Error(
      `invalid Thrift IDL: ${doc.errors.map((e) => `${e.message} (line ${e.loc.start.line}, column ${e.loc.start.column})`).join('; ')}`
    )
  const idl = new ThriftIdl()
  const typedefs = new Map<string, FunctionType>()
  const enums = new Set<string>()
  for (const s of doc.body) {
    if (s.type === SyntaxType.TypedefDefinition) typedefs.set(s.name.value, s.definitionType)
    if (s.type === SyntaxType.EnumDefinition) enums.add(s.name.value)
  }
  const typeOf = (t: FunctionType, depth = 0): IdlType => {
    if (depth > 32) throw new Error('invalid Thrift IDL: typedefs nest too deeply')
    if (t.type === SyntaxType.VoidKeyword) return { kind: 'void' }
    const base = BASE[t.type]
    if (base) return { kind: 'base', name: base }
    if (t.type === SyntaxType.ListType) return { kind: 'list', elem: typeOf(t.valueType, depth + 1) }
    if (t.type === SyntaxType.SetType) return { kind: 'set', elem: typeOf(t.valueType, depth + 1) }
    if (t.type === SyntaxType.MapType)
      return { kind: 'map', key: typeOf(t.keyType, depth + 1), value: typeOf(t.valueType, depth + 1) }
    if (t.type === SyntaxType.Identifier) {
      const def = typedefs.get(t.value)
      if (def) return typeOf(def, depth + 1)
      if (enums.has(t.value)) return { kind: 'base', name: 'i32' }
      return { kind: 'struct', name: t.value }
    }
    throw new Error(`invalid Thrift IDL: unsupported type ${t.type}`)
  }
  const fields = (list: FieldDefinition[], where: string): IdlField[] =>
    list.map((f, i) => {
      // Thrift numbers fields without an id -1, -2… (and warns); do the same.
      const id = f.fieldID ? f.fieldID.value : -(i + 1)
      return { id, name: f.name.value, type: typeOf(f.fieldType) }
    }).filter((f, i, all) => {
      if (all.findIndex((g) => g.id === f.id) !== i) throw new Error(`invalid Thrift IDL: ${where} repeats field id ${f.id}`)
      return true
    })
  for (const s of doc.body) {
    if (
      s.type === SyntaxType.StructDefinition ||
      s.type === SyntaxType.ExceptionDefinition ||
      s.type === SyntaxType.UnionDefinition
    )
      idl.structs.set(s.name.value, {
        name: s.name.value,
        exception: s.type === SyntaxType.ExceptionDefinition,
        fields: fields(s.fields, s.name.value)
      })
  }
  const service = doc.body.find((s) => s.type === SyntaxType.ServiceDefinition)
  if (service?.type === SyntaxType.ServiceDefinition) {
    idl.service = service.name.value
    for (const f of service.functions)
      idl.methods.set(f.name.value, {
        name: f.name.value,
        params: fields(f.fields, f.name.value),
        returns: typeOf(f.returnType),
        throws: fields(f.throws, `${f.name.value} throws`),
        oneway: f.oneway
      })
  }
  return idl
}

/** `resources/thrift/hms.thrift`: the lesson's Hive-Metastore-like service, as text. */
export const hmsThriftText = (): string => resourceText('thrift', 'hms.thrift')

let hms: ThriftIdl | undefined
/** The lesson's IDL, parsed once. */
export function hmsIdl(): ThriftIdl {
  hms ??= parseIdl(hmsThriftText())
  return hms
}
