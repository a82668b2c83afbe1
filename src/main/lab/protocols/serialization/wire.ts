// "On the wire": TCP is a byte stream with no message boundaries, so each encoded message travels
// in a small frame — 1 byte naming the format, 1 byte naming the schema variant, a 4-byte
// big-endian length, then the message (like gRPC's 5-byte prefix or Thrift's framed transport).
// The receiving server decodes it with the real library and answers with a JSON frame.
import net from 'node:net'
import { field, hexByte } from '../../dissect/fields'
import { framed } from '../../dissect/reassembly'
import type { Direction } from '../../../../shared/events'
import type { DissectorDef } from '../../dissect/types'
import { shiftFields } from '../../dissect/fields'
import { LOOPBACK } from '../../net/ports'
import { decodeWithLibrary } from './library-decode'
import { dissectFormat } from './formats'
import {
  FORMATS,
  FORMAT_LABELS,
  protocolOf,
  type FormatId,
  type SchemaOptions,
  type TemperaturaType
} from './record'

export const HEADER = 6
export const MAX_FRAME = 1 << 20

const TYPES: TemperaturaType[] = ['double', 'float', 'int32']

/** Schema variant in one byte: bits 0-1 temperatura type, bit 2 `unidade` added, bit 3 renumbered. */
export function schemaByte(o: SchemaOptions): number {
  return TYPES.indexOf(o.temperaturaType ?? 'double') | (o.addUnidade ? 4 : 0) | (o.renumber ? 8 : 0)
}

export function schemaFromByte(b: number): SchemaOptions {
  return { temperaturaType: TYPES[b & 3] ?? 'double', addUnidade: (b & 4) !== 0, renumber: (b & 8) !== 0 }
}

export function frame(format: FormatId, o: SchemaOptions, message: Uint8Array): Uint8Array {
  const out = new Uint8Array(HEADER + message.length)
  out[0] = FORMATS.indexOf(format)
  out[1] = schemaByte(o)
  new DataView(out.buffer).setUint32(2, message.length)
  out.set(message, HEADER)
  return out
}

function describeSchema(o: SchemaOptions): string {
  return [
    `temperatura ${o.temperaturaType ?? 'double'}`,
    o.addUnidade ? '+unidade (v2)' : '',
    o.renumber ? 'renumbered' : ''
  ]
    .filter(Boolean)
    .join(', ')
}

/** A frame header whose format and schema bytes are known and whose length fits what arrived. */
export function looksLikeFrame(first: Uint8Array, _dir: Direction): number {
  if (first.length < HEADER || first[0] >= FORMATS.length || first[1] > 15) return 0
  const n = new DataView(first.buffer, first.byteOffset, HEADER).getUint32(2)
  return n <= MAX_FRAME && first.length >= HEADER + n ? 0.5 : 0
}

export const serializationWire: DissectorDef = {
  id: 'serialization-wire',
  name: 'Framed serialized messages',
  transport: 'tcp',
  ports: [9091],
  looksLike: looksLikeFrame,
  create: () =>
    framed<null>({
      protocol: 'serialization-wire',
      maxPdu: MAX_FRAME + HEADER,
      state: () => null,
      pduLength(buf) {
        if (buf[0] >= FORMATS.length)
          return { malformed: `unknown format byte ${hexByte(buf[0])} (0–${FORMATS.length - 1})` }
        if (buf.length < HEADER) return 'more'
        const n = new DataView(buf.buffer, buf.byteOffset, HEADER).getUint32(2)
        if (n > MAX_FRAME) return { malformed: `frame of ${n} bytes exceeds ${MAX_FRAME}` }
        return HEADER + n
      },
      decode(pdu) {
        const format = FORMATS[pdu[0]]
        const o = schemaFromByte(pdu[1])
        const message = pdu.subarray(HEADER)
        const layout = dissectFormat(format, message, o)
        const header = field('Frame header', 0, HEADER, `${FORMAT_LABELS[format]}, ${message.length} bytes`, {
          id: 'frame.header',
          children: [
            field('Format', 0, 1, `${pdu[0]} = ${FORMAT_LABELS[format]}`, { id: 'frame.format' }),
            field('Schema variant', 1, 2, `${hexByte(pdu[1])}: ${describeSchema(o)}`, { id: 'frame.schema' }),
            field('Length (uint32, big-endian)', 2, HEADER, `${message.length}`, { id: 'frame.length' })
          ]
        })
        return {
          protocol: protocolOf(format),
          summary: `${FORMAT_LABELS[format]} in a frame: ${layout.summary}`,
          fields: [header, ...shiftFields(layout.fields, HEADER)],
          keys: {
            format,
            size: message.length,
            fields: 'temperatura,sensor,timestamp,historico,unidade',
            ...(format.startsWith('thrift') ? { variant: format.slice(7) } : {})
          },
          ...(layout.malformed
            ? {
                malformed: {
                  ...layout.malformed,
                  start: layout.malformed.start + HEADER,
                  end: layout.malformed.end + HEADER
                }
              }
            : {})
        }
      }
    })
}

/** Splits a byte stream into frames (the receiving server's side). */
export class FrameReader {
  private buf = new Uint8Array(0)

  push(chunk: Uint8Array): {
    frames: { format: FormatId; schema: SchemaOptions; message: Uint8Array }[]
    error?: string
  } {
    const next = new Uint8Array(this.buf.length + chunk.length)
    next.set(this.buf)
    next.set(chunk, this.buf.length)
    this.buf = next
    const frames: { format: FormatId; schema: SchemaOptions; message: Uint8Array }[] = []
    while (this.buf.length > 0) {
      if (this.buf[0] >= FORMATS.length)
        return { frames, error: `unknown format byte ${hexByte(this.buf[0])}` }
      if (this.buf.length < HEADER) break
      const n = new DataView(this.buf.buffer, this.buf.byteOffset, HEADER).getUint32(2)
      if (n > MAX_FRAME) return { frames, error: `frame of ${n} bytes is too large` }
      if (this.buf.length < HEADER + n) break
      frames.push({
        format: FORMATS[this.buf[0]],
        schema: schemaFromByte(this.buf[1]),
        message: this.buf.slice(HEADER, HEADER + n)
      })
      this.buf = this.buf.slice(HEADER + n)
    }
    return { frames }
  }
}

const jsonSafe = (v: unknown): unknown =>
  JSON.parse(
    JSON.stringify(v, (_k, x: unknown) =>
      typeof x === 'bigint' ? x.toString() : x instanceof Uint8Array ? Array.from(x) : x
    )
  )

/** The receiving server: decodes each frame with the real library and answers with a JSON frame. */
export function startReceiver(): Promise<{ server: net.Server; port: number }> {
  const server = net.createServer((socket) => {
    const reader = new FrameReader()
    socket.on('error', () => undefined)
    socket.on('data', (chunk) => {
      const { frames, error } = reader.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength))
      for (const f of frames) {
        let reply: unknown
        try {
          reply = {
            ok: true,
            format: f.format,
            decoded: jsonSafe(decodeWithLibrary(f.format, f.message, f.schema))
          }
        } catch (err) {
          reply = { ok: false, format: f.format, error: err instanceof Error ? err.message : String(err) }
        }
        socket.write(frame('json', {}, new TextEncoder().encode(JSON.stringify(reply))))
      }
      if (error) {
        socket.end(frame('json', {}, new TextEncoder().encode(JSON.stringify({ ok: false, error }))))
      }
    })
    socket.on('end', () => socket.end())
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, LOOPBACK, () => {
      server.off('error', reject)
      resolve({ server, port: (server.address() as net.AddressInfo).port })
    })
  })
}

/** Sends frames on an open socket, waits for one reply frame per message, then closes. */
export function exchange(socket: net.Socket, frames: Uint8Array[]): Promise<unknown[]> {
  return new Promise((resolve, reject) => {
    const reader = new FrameReader()
    const replies: unknown[] = []
    const timer = setTimeout(() => {
      socket.destroy()
      reject(new Error(`no reply from the receiver after 5 s (${replies.length}/${frames.length})`))
    }, 5000)
    socket.on('data', (chunk) => {
      const { frames: got } = reader.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength))
      for (const f of got) replies.push(JSON.parse(new TextDecoder().decode(f.message)))
      if (replies.length >= frames.length) {
        clearTimeout(timer)
        socket.end()
      }
    })
    socket.once('close', () => {
      clearTimeout(timer)
      resolve(replies)
    })
    socket.once('error', (err) => {
      clearTimeout(timer)
      reject(err)
    })
    for (const f of frames) socket.write(f)
  })
}
