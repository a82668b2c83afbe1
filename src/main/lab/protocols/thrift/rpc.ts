// Thrift RPC on the npm `thrift` library's own protocols and transports, driven by the IDL instead
// of generated code: values are read and written field by field through its TProtocol (exactly
// the calls generated code makes), and a processor dispatches calls to a handler by method name.
import thrift, { type TProcessor, type TProtocol, type TProtocolCtor, type TTransport, type TTransportCtor } from 'thrift'
import type { ThriftProtocolName, ThriftTransportName } from '../../../../shared/protocols/thrift'
import { TTYPE, type IdlField, type IdlType, type ThriftIdl } from './idl'

const { Thrift } = thrift

/**
 * The binary protocol with strict reads, as Hive Metastore configures it
 * (`new TBinaryProtocol.Factory(true, true, …)`): a message must start with the version word
 * 0x8001, so anything else (an HTTP request) is rejected at once instead of being read as a length.
 */
class StrictBinaryProtocol extends thrift.TBinaryProtocol {
  constructor(trans: TTransport) {
    super(trans, true, true)
  }
}

export function protocolCtor(name: ThriftProtocolName, strict = true): TProtocolCtor {
  if (name === 'compact') return thrift.TCompactProtocol
  return strict ? (StrictBinaryProtocol as unknown as TProtocolCtor) : thrift.TBinaryProtocol
}

export function transportCtor(name: ThriftTransportName): TTransportCtor {
  return name === 'framed' ? thrift.TFramedTransport : thrift.TBufferedTransport
}

/** A declared exception a handler throws: its IDL type name and field values. */
export class IdlException extends Error {
  constructor(
    readonly type: string,
    readonly fields: Record<string, unknown>
  ) {
    super(`${type}: ${String(fields.message ?? '')}`)
  }
}

export function readValue(p: TProtocol, idl: ThriftIdl, t: IdlType): unknown {
  switch (t.kind) {
    case 'void':
      return undefined
    case 'base':
      switch (t.name) {
        case 'bool':
          return p.readBool()
        case 'byte':
          return p.readByte()
        case 'i16':
          return p.readI16()
        case 'i32':
          return p.readI32()
        case 'i64':
          return p.readI64().toNumber(true)
        case 'double':
          return p.readDouble()
        case 'string':
          return p.readString()
        case 'binary':
          return new Uint8Array(p.readBinary())
      }
      break
    case 'struct':
      return readStruct(p, idl, idl.struct(t.name).fields)
    case 'list':
    case 'set': {
      const { size } = t.kind === 'list' ? p.readListBegin() : p.readSetBegin()
      const out: unknown[] = []
      for (let i = 0; i < size; i++) out.push(readValue(p, idl, t.elem))
      if (t.kind === 'list') p.readListEnd()
      else p.readSetEnd()
      return out
    }
    case 'map': {
      const { size } = p.readMapBegin()
      const out: Record<string, unknown> = {}
      for (let i = 0; i < size; i++) {
        const k = readValue(p, idl, t.key)
        out[String(k)] = readValue(p, idl, t.value)
      }
      p.readMapEnd()
      return out
    }
  }
  return undefined
}

/** Reads a struct of `fields`; unknown ids and ids of the wrong type are skipped, as generated code does. */
export function readStruct(p: TProtocol, idl: ThriftIdl, fields: IdlField[]): Record<string, unknown> {
  p.readStructBegin()
  const out: Record<string, unknown> = {}
  for (;;) {
    const { ftype, fid } = p.readFieldBegin()
    if (ftype === TTYPE.STOP) break
    const f = fields.find((x) => x.id === fid)
    if (f && idl.ttype(f.type) === ftype) out[f.name] = readValue(p, idl, f.type)
    else p.skip(ftype)
    p.readFieldEnd()
  }
  p.readStructEnd()
  return out
}

export function writeValue(p: TProtocol, idl: ThriftIdl, t: IdlType, v: unknown): void {
  switch (t.kind) {
    case 'void':
      return
    case 'base':
      switch (t.name) {
        case 'bool':
          return p.writeBool(Boolean(v))
        case 'byte':
          return p.writeByte(Number(v))
        case 'i16':
          return p.writeI16(Number(v))
        case 'i32':
          return p.writeI32(Number(v))
        case 'i64':
          return p.writeI64(Number(v))
        case 'double':
          return p.writeDouble(Number(v))
        case 'string':
          return p.writeString(String(v))
        case 'binary':
          return p.writeBinary(v instanceof Uint8Array ? Buffer.from(v) : Buffer.from(String(v)))
      }
      return
    case 'struct':
      return writeStruct(p, idl, t.name, idl.struct(t.name).fields, (v ?? {}) as Record<string, unknown>)
    case 'list':
    case 'set': {
      const items = Array.isArray(v) ? v : []
      if (t.kind === 'list') p.writeListBegin(idl.ttype(t.elem), items.length)
      else p.writeSetBegin(idl.ttype(t.elem), items.length)
      for (const it of items) writeValue(p, idl, t.elem, it)
      if (t.kind === 'list') p.writeListEnd()
      else p.writeSetEnd()
      return
    }
    case 'map': {
      const entries = Object.entries((v ?? {}) as Record<string, unknown>)
      p.writeMapBegin(idl.ttype(t.key), idl.ttype(t.value), entries.length)
      for (const [k, val] of entries) {
        writeValue(p, idl, t.key, t.key.kind === 'base' && t.key.name !== 'string' ? Number(k) : k)
        writeValue(p, idl, t.value, val)
      }
      p.writeMapEnd()
    }
  }
}

/** Writes the fields of `value` that are set (null and undefined are left out, as optional fields are). */
export function writeStruct(
  p: TProtocol,
  idl: ThriftIdl,
  name: string,
  fields: IdlField[],
  value: Record<string, unknown>
): void {
  p.writeStructBegin(name)
  for (const f of fields) {
    const v = value[f.name]
    if (v === undefined || v === null) continue
    p.writeFieldBegin(f.name, idl.ttype(f.type), f.id)
    writeValue(p, idl, f.type, v)
    p.writeFieldEnd()
  }
  p.writeFieldStop()
  p.writeStructEnd()
}

export type ThriftHandler = Record<string, (...args: unknown[]) => unknown>

/**
 * Dispatches each CALL to `handler[method](...params)`; its return value is the REPLY's `success`,
 * a thrown IdlException of a declared type becomes that exception field, anything else a
 * TApplicationException. Reading is synchronous (the library's server retries on a short read);
 * the reply may come later.
 */
export class IdlProcessor implements TProcessor {
  constructor(
    private readonly idl: ThriftIdl,
    private readonly handler: ThriftHandler
  ) {}

  process(input: TProtocol, output: TProtocol): void {
    const { fname, rseqid } = input.readMessageBegin()
    const m = this.idl.methods.get(fname)
    if (!m) {
      input.skip(TTYPE.STRUCT)
      input.readMessageEnd()
      const x = new Thrift.TApplicationException(Thrift.TApplicationExceptionType.UNKNOWN_METHOD, `Unknown function ${fname}`)
      output.writeMessageBegin(fname, Thrift.MessageType.EXCEPTION, rseqid)
      x.write(output)
      output.writeMessageEnd()
      output.flush()
      return
    }
    const args = readStruct(input, this.idl, m.params)
    input.readMessageEnd()
    const call = async (): Promise<unknown> => this.handler[fname]?.(...m.params.map((p) => args[p.name]))
    const replied = call()
    if (m.oneway) {
      replied.catch(() => undefined)
      return
    }
    const resultFields = this.idl.resultFields(m)
    const reply = (value: Record<string, unknown>): void => {
      output.writeMessageBegin(fname, Thrift.MessageType.REPLY, rseqid)
      writeStruct(output, this.idl, `${this.idl.service}_${fname}_result`, resultFields, value)
      output.writeMessageEnd()
      output.flush()
    }
    replied.then(
      (success) => reply({ success }),
      (err: unknown) => {
        const declared = err instanceof IdlException ? m.throws.find((t) => t.type.kind === 'struct' && t.type.name === err.type) : undefined
        if (declared && err instanceof IdlException) return reply({ [declared.name]: err.fields })
        const x = new Thrift.TApplicationException(
          Thrift.TApplicationExceptionType.INTERNAL_ERROR,
          err instanceof Error ? err.message : String(err)
        )
        output.writeMessageBegin(fname, Thrift.MessageType.EXCEPTION, rseqid)
        x.write(output)
        output.writeMessageEnd()
        output.flush()
      }
    )
  }
}
