// A Thrift client on a socket: npm `thrift`'s protocol and transport write each CALL, its receiver
// reassembles the replies, and the IDL says how to read them. Calls are matched to replies by seqid.
import type net from 'node:net'
import thrift, { type TTransport } from 'thrift'
import type { ThriftProtocolName, ThriftTransportName } from '../../../../shared/protocols/thrift'
import type { ThriftIdl } from './idl'
import { protocolCtor, readStruct, transportCtor, writeStruct } from './rpc'

const { Thrift } = thrift

export type ThriftOutcome =
  | { ok: true; value: unknown }
  /** A declared exception (e.g. NoSuchObjectException) or a TApplicationException. */
  | { ok: false; exception: string; fields: Record<string, unknown> }

export class ThriftRpcClient {
  private seqid = 0
  private readonly pending = new Map<number, { method: string; resolve(o: ThriftOutcome): void; reject(e: Error): void }>()

  constructor(
    private readonly socket: net.Socket,
    private readonly idl: ThriftIdl,
    private readonly protocol: ThriftProtocolName,
    private readonly transport: ThriftTransportName
  ) {
    const Proto = protocolCtor(protocol)
    const receive = transportCtor(transport).receiver((trans: TTransport) => {
      for (;;) {
        const p = new Proto(trans)
        try {
          const { fname, mtype, rseqid } = p.readMessageBegin()
          const waiting = this.pending.get(rseqid)
          if (mtype === Thrift.MessageType.EXCEPTION) {
            const x = new Thrift.TApplicationException()
            x.read(p)
            p.readMessageEnd()
            trans.commitPosition()
            this.settle(rseqid, { ok: false, exception: 'TApplicationException', fields: { message: x.message, type: x.type } })
            continue
          }
          const m = this.idl.methods.get(waiting?.method ?? fname)
          const result = readStruct(p, this.idl, m ? this.idl.resultFields(m) : [])
          p.readMessageEnd()
          trans.commitPosition()
          const thrown = m?.throws.find((t) => result[t.name] !== undefined)
          this.settle(
            rseqid,
            thrown
              ? {
                  ok: false,
                  exception: thrown.type.kind === 'struct' ? thrown.type.name : thrown.name,
                  fields: result[thrown.name] as Record<string, unknown>
                }
              : { ok: true, value: result.success }
          )
        } catch (err) {
          if (err instanceof thrift.InputBufferUnderrunError) {
            trans.rollbackPosition()
            return
          }
          throw err
        }
      }
    })
    socket.on('data', (chunk: Buffer) => {
      try {
        receive(chunk)
      } catch (err) {
        this.failAll(err instanceof Error ? err : new Error(String(err)))
      }
    })
    socket.on('close', () => this.failAll(new Error('the connection closed before the reply')))
    socket.on('error', (err) => this.failAll(err))
  }

  private settle(seqid: number, outcome: ThriftOutcome): void {
    const p = this.pending.get(seqid)
    if (!p) return
    this.pending.delete(seqid)
    p.resolve(outcome)
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err)
    this.pending.clear()
  }

  /** Sends one CALL and resolves with its REPLY (or rejects if the connection ends first). */
  call(method: string, args: Record<string, unknown> = {}, timeoutMs = 5000): Promise<ThriftOutcome> {
    const m = this.idl.methods.get(method)
    if (!m) return Promise.reject(new Error(`the IDL has no method ${method}`))
    const seqid = ++this.seqid
    const out = new (transportCtor(this.transport))(undefined, (buf: Buffer) => this.socket.write(buf))
    const p = new (protocolCtor(this.protocol))(out)
    return new Promise<ThriftOutcome>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(seqid)
        reject(new Error(`no reply to ${method} within ${timeoutMs} ms`))
      }, timeoutMs)
      this.pending.set(seqid, {
        method,
        resolve: (o) => {
          clearTimeout(timer)
          resolve(o)
        },
        reject: (e) => {
          clearTimeout(timer)
          reject(e)
        }
      })
      p.writeMessageBegin(method, Thrift.MessageType.CALL, seqid)
      writeStruct(p, this.idl, `${this.idl.service}_${method}_args`, m.params, args)
      p.writeMessageEnd()
      p.flush()
    })
  }
}
