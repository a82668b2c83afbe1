// MediaRecorder writes WebM as a live stream: the Segment has an unknown size and its Info has no
// Duration, so players and ffprobe cannot tell how long the video is. This adds the Duration
// element (EBML id 0x4489, a float in TimecodeScale units) to Segment ▸ Info.

const ID_SEGMENT = 0x18538067
const ID_INFO = 0x1549a966
const ID_TIMECODE_SCALE = 0x2ad7b1
const ID_DURATION = 0x4489
const ID_SEEK_HEAD = 0x114d9b74
const ID_SEEK_POSITION = 0x53ac

interface Vint {
  value: number
  length: number
  /** All value bits set: "unknown size". */
  unknown: boolean
}

function readVint(b: Uint8Array, at: number, keepMarker: boolean): Vint | null {
  if (at >= b.length) return null
  const first = b[at]
  let length = 1
  while (length <= 8 && !(first & (0x80 >> (length - 1)))) length++
  if (length > 8 || at + length > b.length) return null
  let value = keepMarker ? first : first & (0xff >> length)
  let allOnes = (first & (0xff >> length)) === 0xff >> length
  for (let i = 1; i < length; i++) {
    value = value * 256 + b[at + i]
    if (b[at + i] !== 0xff) allOnes = false
  }
  return { value, length, unknown: !keepMarker && allOnes }
}

interface Element {
  id: number
  /** Offset of the element's id. */
  start: number
  sizeAt: number
  sizeLength: number
  dataStart: number
  /** Data size, or -1 if unknown. */
  size: number
}

function readElement(b: Uint8Array, at: number): Element | null {
  const id = readVint(b, at, true)
  if (!id) return null
  const size = readVint(b, at + id.length, false)
  if (!size) return null
  return {
    id: id.value,
    start: at,
    sizeAt: at + id.length,
    sizeLength: size.length,
    dataStart: at + id.length + size.length,
    size: size.unknown ? -1 : size.value
  }
}

function encodeSize(value: number, length: number): Uint8Array | null {
  if (value >= 2 ** (7 * length) - 1) return null
  const out = new Uint8Array(length)
  let v = value
  for (let i = length - 1; i >= 0; i--) {
    out[i] = v % 256
    v = Math.floor(v / 256)
  }
  out[0] |= 0x80 >> (length - 1)
  return out
}

/** The Duration element stored in Segment ▸ Info, in milliseconds (null if absent). */
export function webmDurationMs(b: Uint8Array): number | null {
  const info = findInfo(b)
  if (!info) return null
  let scale = 1_000_000
  let duration: number | null = null
  for (let at = info.dataStart; at < info.dataStart + info.size;) {
    const e = readElement(b, at)
    if (!e || e.size < 0) break
    const v = new DataView(b.buffer, b.byteOffset + e.dataStart, e.size)
    if (e.id === ID_TIMECODE_SCALE) {
      scale = 0
      for (let i = 0; i < e.size; i++) scale = scale * 256 + v.getUint8(i)
    }
    if (e.id === ID_DURATION)
      duration = e.size === 8 ? v.getFloat64(0) : e.size === 4 ? v.getFloat32(0) : null
    at = e.dataStart + e.size
  }
  return duration === null ? null : (duration * scale) / 1_000_000
}

function findSegment(b: Uint8Array): Element | null {
  // EBML header, then the Segment.
  const header = readElement(b, 0)
  if (!header || header.size < 0) return null
  const segment = readElement(b, header.dataStart + header.size)
  return segment && segment.id === ID_SEGMENT ? segment : null
}

/** Top-level children of the Segment up to and including Info (and any SeekHead before it). */
function segmentHead(b: Uint8Array): { segment: Element; info: Element; seekHeads: Element[] } | null {
  const segment = findSegment(b)
  if (!segment) return null
  const end = segment.size < 0 ? b.length : Math.min(b.length, segment.dataStart + segment.size)
  const seekHeads: Element[] = []
  for (let at = segment.dataStart; at < end;) {
    const e = readElement(b, at)
    if (!e) return null
    if (e.id === ID_INFO) return e.size < 0 ? null : { segment, info: e, seekHeads }
    if (e.size < 0) return null
    if (e.id === ID_SEEK_HEAD) seekHeads.push(e)
    at = e.dataStart + e.size
  }
  return null
}

function findInfo(b: Uint8Array): Element | null {
  return segmentHead(b)?.info ?? null
}

/** Adds `delta` to every SeekHead position that points past `after` (positions are relative to the Segment's data). */
function shiftSeekPositions(b: Uint8Array, seekHeads: Element[], after: number, delta: number): boolean {
  for (const sh of seekHeads) {
    for (let at = sh.dataStart; at < sh.dataStart + sh.size;) {
      const seek = readElement(b, at)
      if (!seek || seek.size < 0) return false
      for (let p = seek.dataStart; p < seek.dataStart + seek.size;) {
        const e = readElement(b, p)
        if (!e || e.size < 0) return false
        if (e.id === ID_SEEK_POSITION) {
          let v = 0
          for (let i = 0; i < e.size; i++) v = v * 256 + b[e.dataStart + i]
          if (v > after) {
            v += delta
            if (v >= 2 ** (8 * e.size)) return false
            for (let i = e.size - 1; i >= 0; i--) {
              b[e.dataStart + i] = v % 256
              v = Math.floor(v / 256)
            }
          }
        }
        p = e.dataStart + e.size
      }
      at = seek.dataStart + seek.size
    }
  }
  return true
}

/**
 * Returns the WebM with `durationMs` written into Segment ▸ Info (replacing an existing Duration).
 * Returns the input unchanged if it is not a WebM this can patch.
 */
export function withWebmDuration(input: Uint8Array, durationMs: number): Uint8Array {
  const head = segmentHead(input)
  // Only live-written files (unknown Segment size, as MediaRecorder writes them): a file with a
  // known size has its own Duration and Cues, which inserting bytes would break.
  if (!head || head.segment.size >= 0) return input
  const b = input.slice()
  const { info, segment } = head
  const infoEnd = info.dataStart + info.size
  let scale = 1_000_000
  const kept: Uint8Array[] = []
  for (let at = info.dataStart; at < infoEnd;) {
    const e = readElement(b, at)
    if (!e || e.size < 0) return b
    if (e.id === ID_TIMECODE_SCALE) {
      scale = 0
      for (let i = 0; i < e.size; i++) scale = scale * 256 + b[e.dataStart + i]
    }
    if (e.id !== ID_DURATION) kept.push(b.subarray(at, e.dataStart + e.size))
    at = e.dataStart + e.size
  }
  const duration = new Uint8Array(11)
  duration[0] = 0x44
  duration[1] = 0x89
  duration[2] = 0x88 // size 8
  new DataView(duration.buffer).setFloat64(3, (durationMs * 1_000_000) / scale)
  const body = kept.reduce((n, k) => n + k.length, 0) + duration.length
  const size = encodeSize(body, info.sizeLength) ?? encodeSize(body, 8)
  if (!size) return b
  const delta = info.sizeAt - info.start + size.length + body - (infoEnd - info.start)
  if (!shiftSeekPositions(b, head.seekHeads, info.start - segment.dataStart, delta)) return input
  const idBytes = b.subarray(info.start, info.sizeAt)
  const out = new Uint8Array(info.start + idBytes.length + size.length + body + (b.length - infoEnd))
  let o = 0
  const put = (part: Uint8Array): void => {
    out.set(part, o)
    o += part.length
  }
  put(b.subarray(0, info.start))
  put(idBytes)
  put(size)
  for (const k of kept) put(k)
  put(duration)
  put(b.subarray(infoEnd))
  return out
}
