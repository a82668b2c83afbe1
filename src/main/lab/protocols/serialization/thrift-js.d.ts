// The parts of the `thrift` package (CommonJS, untyped) the lessons use: the binary and compact
// protocols over buffered and framed transports, and its TCP server, with no generated code.
declare module 'thrift' {
  export interface ThriftInt64 {
    toNumber(allowImprecise?: boolean): number
    toString(radix?: number): string
  }
  export interface TTransport {
    flush(): void
    commitPosition(): void
    rollbackPosition(): void
  }
  export interface TProtocol {
    writeMessageBegin(name: string, type: number, seqid: number): void
    writeMessageEnd(): void
    readMessageBegin(): { fname: string; mtype: number; rseqid: number }
    readMessageEnd(): void
    flush(): void
    writeByte(v: number): void
    writeBinary(v: Buffer | Uint8Array): void
    writeMapBegin(ktype: number, vtype: number, size: number): void
    writeMapEnd(): void
    writeSetBegin(etype: number, size: number): void
    writeSetEnd(): void
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
  export interface TBufferedTransportCtor {
    new (buffer?: Buffer, callback?: (msg: Buffer, seqid?: number) => void): TTransport
    receiver(
      callback: (transport: TTransport, seqid?: number) => void,
      seqid?: number
    ): (data: Buffer) => void
  }
  export interface TProtocolCtor {
    new (transport: TTransport, strictRead?: boolean, strictWrite?: boolean): TProtocol
  }
  export type TTransportReceiver = (
    callback: (transport: TTransport, seqid?: number) => void,
    seqid?: number,
    maxLength?: number
  ) => (data: Buffer) => void
  export interface TTransportCtor {
    new (buffer?: Buffer, callback?: (msg: Buffer, seqid?: number) => void): TTransport
    receiver: TTransportReceiver
    DEFAULT_MAX_LENGTH: number
  }
  export interface TProcessor {
    process(input: TProtocol, output: TProtocol): void
  }
  export interface TApplicationException extends Error {
    type: number
    write(output: TProtocol): void
    read(input: TProtocol): void
  }
  const thrift: {
    TBufferedTransport: TBufferedTransportCtor & TTransportCtor
    TFramedTransport: TTransportCtor
    TBinaryProtocol: TProtocolCtor
    TCompactProtocol: TProtocolCtor
    InputBufferUnderrunError: new () => Error
    createMultiplexServer(
      processor: TProcessor,
      options?: { transport?: TTransportCtor; protocol?: TProtocolCtor; maxLength?: number }
    ): import('node:net').Server
    Thrift: {
      MessageType: Record<'CALL' | 'REPLY' | 'EXCEPTION' | 'ONEWAY', number>
      TApplicationExceptionType: Record<'UNKNOWN' | 'UNKNOWN_METHOD' | 'INTERNAL_ERROR' | 'PROTOCOL_ERROR', number>
      TApplicationException: new (type?: number, message?: string) => TApplicationException
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
