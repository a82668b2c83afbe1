// One gRPC message unwrapped, from the log: the TCP chunks that carried its bytes, the HTTP/2 DATA
// frame(s) it sits in, the 5-byte length prefix and the protobuf fields. Each layer names the byte
// ranges of the layer inside it, so the view can highlight them.
import type { BytesEvent, Field, LabEvent, PduEvent } from '@shared/events'
import { GRPC_FIELDS, parseSegments } from '@shared/protocols/grpc'

export interface FramePiece {
  /** The http2 DATA frame PDU. */
  frame: PduEvent
  /** The message's bytes in this frame (frame-relative). */
  start: number
  end: number
  /** Where the DATA payload starts in the frame (after the 9-byte header and any pad length). */
  payloadStart: number
}

export interface ChunkPiece {
  chunk: BytesEvent
  /** The frame's bytes inside this chunk (chunk-relative). */
  frameStart: number
  frameEnd: number
  /** The message's own bytes inside this chunk (chunk-relative). */
  start: number
  end: number
}

export interface Unwrapped {
  message: PduEvent
  frames: FramePiece[]
  chunks: ChunkPiece[]
  /** The protobuf fields, message-relative (already shifted past the 5-byte prefix). */
  protobuf: Field[]
  prefix: { flag: Field | undefined; length: Field | undefined }
}

const messageKind = (p: PduEvent): boolean => p.protocol === 'grpc' && p.keys?.grpc === 'message'
const isMessage = (e: LabEvent): e is PduEvent => e.kind === 'pdu' && messageKind(e)

/** The message to unwrap: the selected one (or the DATA frame's first), else the latest. */
export function pickMessage(events: readonly LabEvent[], selectedSeq: number | null): PduEvent | null {
  if (selectedSeq !== null) {
    const sel = events.find((e) => e.kind === 'pdu' && e.seq === selectedSeq) as PduEvent | undefined
    if (sel && messageKind(sel)) return sel
    if (sel?.protocol === 'http2' && sel.keys?.type === 'DATA') {
      const inside = events.find(
        (e): e is PduEvent =>
          isMessage(e) &&
          e.conn === sel.conn &&
          e.dir === sel.dir &&
          parseSegments(String(e.keys?.segments)).some(
            (s) => s.offset >= sel.offset && s.offset < sel.offset + sel.data.length
          )
      )
      if (inside) return inside
    }
    if (sel?.protocol === 'grpc') {
      const same = events.filter(
        (e): e is PduEvent => isMessage(e) && e.conn === sel.conn && e.keys?.streamId === sel.keys?.streamId
      )
      const after = same.find((e) => e.seq > sel.seq) ?? same.at(-1)
      if (after) return after
    }
  }
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]
    if (isMessage(e) && !e.malformed) return e
  }
  return null
}

export function unwrap(events: readonly LabEvent[], message: PduEvent): Unwrapped {
  const segments = parseSegments(String(message.keys?.segments ?? ''))
  const frames: FramePiece[] = []
  const chunks: ChunkPiece[] = []
  for (const seg of segments) {
    if (seg.offset < 0) continue
    const frame = events.find(
      (e): e is PduEvent =>
        e.kind === 'pdu' &&
        e.protocol === 'http2' &&
        e.conn === message.conn &&
        e.dir === message.dir &&
        e.keys?.type === 'DATA' &&
        e.offset >= 0 &&
        e.offset <= seg.offset &&
        seg.offset < e.offset + e.data.length
    )
    if (!frame) continue
    const data = frame.fields
      .find((f) => f.id === 'http2.payload')
      ?.children?.find((f) => f.id === 'http2.data.data')
    frames.push({
      frame,
      start: seg.offset - frame.offset,
      end: seg.offset - frame.offset + seg.length,
      payloadStart: data?.start ?? 9
    })
    const fStart = frame.offset
    const fEnd = frame.offset + frame.data.length
    for (const e of events) {
      if (e.kind !== 'bytes' || e.conn !== message.conn || e.dir !== message.dir) continue
      const cStart = e.offset
      const cEnd = e.offset + e.data.length
      if (cEnd <= fStart || cStart >= fEnd || chunks.some((c) => c.chunk.seq === e.seq)) continue
      chunks.push({
        chunk: e,
        frameStart: Math.max(fStart, cStart) - cStart,
        frameEnd: Math.min(fEnd, cEnd) - cStart,
        start: Math.max(seg.offset, cStart) - cStart,
        end: Math.max(Math.max(seg.offset, cStart), Math.min(seg.offset + seg.length, cEnd)) - cStart
      })
    }
  }
  const top = message.fields.find((f) => f.id === GRPC_FIELDS.message)
  const kids = top?.children ?? []
  return {
    message,
    frames,
    chunks,
    protobuf: kids.find((f) => f.id === GRPC_FIELDS.messageData)?.children ?? [],
    prefix: {
      flag: kids.find((f) => f.id === GRPC_FIELDS.compressedFlag),
      length: kids.find((f) => f.id === GRPC_FIELDS.messageLength)
    }
  }
}
