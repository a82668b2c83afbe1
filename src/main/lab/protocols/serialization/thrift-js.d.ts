// The parts of the `thrift` package (CommonJS, untyped) the serialization lesson uses: the binary
// and compact protocols over a buffered transport, with no generated code.
declare module 'thrift' {
  interface ThriftInt64 {
    toNumber(allowImprecise?: boolean): number
    toString(radix?: number): string
  }
  interface TTransport {
    flush(): void
  }
  interface TProtocol {
    writeStructBegin(name: string): void
    writeStructEnd(): void
    writeFieldBegin(name: string, type: number, id: number): void
    writeFieldEnd(): void
    writeFieldStop(): void
    writeListBegin(etype: number, size: number): void
    writeListEnd(): void
    writeBool(v: boolean): void
    writeI16(v: number): void
    writeI32(v: number): void
    writeI64(v: number | ThriftInt64): void
    writeDouble(v: number): void
    writeString(v: string): void
    readStructBegin(): { fname: string }
    readStructEnd(): void
    readFieldBegin(): { fname: string | null; ftype: number; fid: number }
    readFieldEnd(): void
    readListBegin(): { etype: number; size: number }
    readListEnd(): void
    readMapBegin(): { ktype: number; vtype: number; size: number }
    readMapEnd(): void
    readSetBegin(): { etype: number; size: number }
    readSetEnd(): void
    readBool(): boolean
    readByte(): number
    readI16(): number
    readI32(): number
    readI64(): ThriftInt64
    readDouble(): number
    readString(): string
    readBinary(): Buffer
    skip(type: number): void
  }
  interface TBufferedTransportCtor {
    new (buffer?: Buffer, callback?: (msg: Buffer, seqid?: number) => void): TTransport
    receiver(
      callback: (transport: TTransport, seqid?: number) => void,
      seqid?: number
    ): (data: Buffer) => void
  }
  interface TProtocolCtor {
    new (transport: TTransport): TProtocol
  }
  const thrift: {
    TBufferedTransport: TBufferedTransportCtor
    TBinaryProtocol: TProtocolCtor
    TCompactProtocol: TProtocolCtor
    Thrift: {
      Type: Record<
        | 'STOP'
        | 'VOID'
        | 'BOOL'
        | 'BYTE'
        | 'I08'
        | 'DOUBLE'
        | 'I16'
        | 'I32'
        | 'I64'
        | 'STRING'
        | 'UTF7'
        | 'STRUCT'
        | 'MAP'
        | 'SET'
        | 'LIST'
        | 'UTF8'
        | 'UTF16',
        number
      >
    }
  }
  export default thrift
}
