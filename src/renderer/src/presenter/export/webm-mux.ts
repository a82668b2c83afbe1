// A minimal WebM (Matroska) writer for encoded video frames (VP8/VP9 from WebCodecs): EBML header,
// Segment ▸ Info (with Duration) ▸ Tracks ▸ Clusters of SimpleBlocks. Timestamps are the frames'
// own (variable frame rate), so the video keeps the pace at which it was drawn.

export interface EncodedFrame {
  /** Presentation time in milliseconds from the start of the video. */
  timestampMs: number
  key: boolean
  data: Uint8Array
}

export interface WebmVideo {
  codec: 'V_VP8' | 'V_VP9'
  width: number
  height: number
  frames: EncodedFrame[]
  /** Total duration in milliseconds (≥ the last frame's timestamp). */
  durationMs: number
  app?: string
}

type Part = Uint8Array

function idBytes(id: number): Part {
  const out: number[] = []
  for (let v = id; v > 0; v = Math.floor(v / 256)) out.unshift(v % 256)
  return Uint8Array.from(out)
}

/** Data sizes are written on 8 bytes: simple, and any size fits. */
function sizeBytes(size: number): Part {
  const out = new Uint8Array(8)
  let v = size
  for (let i = 7; i >= 1; i--) {
    out[i] = v % 256
    v = Math.floor(v / 256)
  }
  out[0] = 0x01
  return out
}

function concat(parts: Part[]): Part {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let o = 0
  for (const p of parts) {
    out.set(p, o)
    o += p.length
  }
  return out
}

function el(id: number, ...children: Part[]): Part {
  const body = concat(children)
  return concat([idBytes(id), sizeBytes(body.length), body])
}

function uint(id: number, value: number): Part {
  const out: number[] = []
  for (let v = Math.floor(value); v > 0; v = Math.floor(v / 256)) out.unshift(v % 256)
  return el(id, Uint8Array.from(out.length ? out : [0]))
}

function float(id: number, value: number): Part {
  const b = new Uint8Array(8)
  new DataView(b.buffer).setFloat64(0, value)
  return el(id, b)
}

function str(id: number, value: string): Part {
  return el(id, new TextEncoder().encode(value))
}

function simpleBlock(relMs: number, key: boolean, data: Uint8Array): Part {
  const head = new Uint8Array(4)
  head[0] = 0x81 // track 1
  new DataView(head.buffer).setInt16(1, relMs)
  head[3] = key ? 0x80 : 0x00
  return el(0xa3, head, data)
}

/** Writes the frames as a WebM file. The first frame must be a key frame. */
export function muxWebm(v: WebmVideo): Uint8Array {
  const app = v.app ?? 'Wirelab'
  const header = el(
    0x1a45dfa3,
    uint(0x4286, 1),
    uint(0x42f7, 1),
    uint(0x42f2, 4),
    uint(0x42f3, 8),
    str(0x4282, 'webm'),
    uint(0x4287, 4),
    uint(0x4285, 2)
  )
  const info = el(
    0x1549a966,
    uint(0x2ad7b1, 1_000_000),
    str(0x4d80, app),
    str(0x5741, app),
    float(0x4489, v.durationMs)
  )
  const tracks = el(
    0x1654ae6b,
    el(
      0xae,
      uint(0xd7, 1),
      uint(0x73c5, 1),
      uint(0x83, 1),
      str(0x86, v.codec),
      uint(0x9c, 0),
      el(0xe0, uint(0xb0, v.width), uint(0xba, v.height))
    )
  )
  const clusters: Part[] = []
  let blocks: Part[] = []
  let clusterStart = 0
  const close = (): void => {
    if (blocks.length) clusters.push(el(0x1f43b675, uint(0xe7, clusterStart), ...blocks))
    blocks = []
  }
  for (const f of v.frames) {
    const t = Math.max(0, Math.round(f.timestampMs))
    if (!blocks.length || f.key || t - clusterStart > 30_000) {
      close()
      clusterStart = t
    }
    blocks.push(simpleBlock(t - clusterStart, f.key, f.data))
  }
  close()
  return concat([header, el(0x18538067, info, tracks, ...clusters)])
}
