// A WebM video of the animation, recorded in the renderer: the app is laid out in the recording
// frame at exactly the chosen resolution, a range of steps plays at a steady pace, and frame by
// frame the frame's contents (the views and the caption under them) are drawn as SVG onto a
// canvas. Each canvas frame is encoded with WebCodecs (VP9 or VP8) at the time it was drawn and
// written as WebM here (webm-mux.ts); where WebCodecs is missing, MediaRecorder records the
// canvas instead and the file gets its duration written in (webm-duration.ts).
import { useLab } from '../../store'
import { playRange, stopRange, type StepRange } from '../range-player'
import { setFrame, usePresenter, type FrameSize } from '../presenter-store'
import { downloadBlob } from '../download'
import { sessionFileName } from '../../session-files/session-file'
import { domToSvg, svgImage } from './dom-svg'
import { withWebmDuration } from './webm-duration'
import { muxWebm, type EncodedFrame } from './webm-mux'
import { currentSceneId } from './exports'
import { LocalizedError } from '../notify'
import S from '../strings.json'

export interface VideoOptions extends FrameSize, StepRange {
  /** Playback speed while recording (steps are one flight apart: 0.9 s at 1×). */
  speed: number
  /** Time the last step stays on screen before the video ends. */
  holdMs?: number
}

export interface Video {
  blob: Blob
  name: string
  durationMs: number
  /** Frames drawn and encoded. */
  frames: number
  codec: string
}

/** Where drawn canvas frames go. */
interface Sink {
  codec: string
  /** Takes the canvas as it is now, shown at `tMs` from the start. */
  add(canvas: HTMLCanvasElement, tMs: number): Promise<void>
  finish(durationMs: number): Promise<Uint8Array>
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

const ENCODERS: { codec: string; id: 'V_VP9' | 'V_VP8' }[] = [
  { codec: 'vp09.00.10.08', id: 'V_VP9' },
  { codec: 'vp8', id: 'V_VP8' }
]

async function webCodecsSink(width: number, height: number): Promise<Sink | null> {
  if (typeof VideoEncoder === 'undefined' || typeof VideoFrame === 'undefined') return null
  for (const { codec, id } of ENCODERS) {
    const config: VideoEncoderConfig = {
      codec,
      width,
      height,
      bitrate: Math.round(width * height * 3),
      framerate: 30,
      latencyMode: 'realtime'
    }
    try {
      if (!(await VideoEncoder.isConfigSupported(config)).supported) continue
    } catch {
      continue
    }
    const frames: EncodedFrame[] = []
    let failure: Error | null = null
    const encoder = new VideoEncoder({
      output: (chunk) => {
        const data = new Uint8Array(chunk.byteLength)
        chunk.copyTo(data)
        frames.push({ timestampMs: chunk.timestamp / 1000, key: chunk.type === 'key', data })
      },
      error: (e) => {
        failure = e
      }
    })
    encoder.configure(config)
    let count = 0
    let lastKey = -Infinity
    return {
      codec: id === 'V_VP9' ? 'vp9' : 'vp8',
      async add(canvas, tMs) {
        // Do not run ahead of the encoder: wait for it instead of queueing without bound.
        while (encoder.encodeQueueSize > 3) await sleep(5)
        const frame = new VideoFrame(canvas, { timestamp: Math.round(tMs * 1000) })
        const key = count === 0 || tMs - lastKey >= 2000
        if (key) lastKey = tMs
        encoder.encode(frame, { keyFrame: key })
        frame.close()
        count++
      },
      async finish(durationMs) {
        await encoder.flush()
        encoder.close()
        if (failure) throw failure
        frames.sort((a, b) => a.timestampMs - b.timestampMs)
        return muxWebm({ codec: id, width, height, frames, durationMs })
      }
    }
  }
  return null
}

const RECORDER_TYPES = ['video/webm;codecs=vp8', 'video/webm;codecs=vp9', 'video/webm']

function recorderSink(canvas: HTMLCanvasElement): Sink | null {
  if (typeof MediaRecorder === 'undefined') return null
  const mimeType = RECORDER_TYPES.find((m) => MediaRecorder.isTypeSupported(m))
  if (!mimeType) return null
  const stream = canvas.captureStream(30)
  const recorder = new MediaRecorder(stream, {
    mimeType,
    videoBitsPerSecond: Math.round(canvas.width * canvas.height * 3)
  })
  const chunks: Blob[] = []
  recorder.ondataavailable = (e) => {
    if (e.data.size) chunks.push(e.data)
  }
  const stopped = new Promise<void>((resolve) => (recorder.onstop = () => resolve()))
  recorder.start(500)
  return {
    codec: mimeType.includes('vp9') ? 'vp9' : 'vp8',
    async add() {
      // MediaRecorder takes frames from the canvas by itself.
    },
    async finish(durationMs) {
      recorder.stop()
      await stopped
      stream.getTracks().forEach((t) => t.stop())
      const raw = new Uint8Array(await new Blob(chunks, { type: mimeType }).arrayBuffer())
      return withWebmDuration(raw, durationMs)
    }
  }
}

export function videoSupported(): boolean {
  return (
    typeof VideoEncoder !== 'undefined' ||
    (typeof MediaRecorder !== 'undefined' && RECORDER_TYPES.some((m) => MediaRecorder.isTypeSupported(m)))
  )
}

const nextFrame = (): Promise<void> =>
  new Promise((resolve) => {
    // rAF pauses in hidden windows: the timer keeps the recording going there.
    const timer = setTimeout(resolve, 50)
    requestAnimationFrame(() => {
      clearTimeout(timer)
      resolve()
    })
  })

/** At most this many frames per second are drawn. */
const FPS = 30

let cancelled = false

export function cancelVideo(): void {
  cancelled = true
  stopRange()
}

export async function recordVideo(o: VideoOptions): Promise<Video> {
  if (!videoSupported()) throw new LocalizedError(S.noVideo)
  if (usePresenter.getState().busy?.kind === 'video') throw new LocalizedError(S.error.videoBusy)
  const previous = usePresenter.getState().frame
  cancelled = false
  usePresenter.setState({ busy: { kind: 'video', progress: 0 } })
  setFrame({ width: o.width, height: o.height })
  try {
    const canvas = document.createElement('canvas')
    canvas.width = o.width
    canvas.height = o.height
    const ctx = canvas.getContext('2d')
    if (!ctx) throw new LocalizedError(S.error.noCanvas)
    // The first frame: the step before the range.
    useLab.getState().seekMark(Math.max(0, o.from - 1))
    await nextFrame()
    await nextFrame()
    const root = document.querySelector('.app')
    if (!(root instanceof HTMLElement)) throw new LocalizedError(S.error.notOnScreen)
    let frames = 0
    const draw = async (): Promise<void> => {
      const { svg } = domToSvg(root)
      const img = await svgImage(svg)
      ctx.drawImage(img, 0, 0, o.width, o.height)
    }
    await draw()
    const sink = (await webCodecsSink(o.width, o.height)) ?? recorderSink(canvas)
    if (!sink) throw new LocalizedError(S.noVideo)
    const started = performance.now()
    let last = -Infinity
    const frame = async (): Promise<void> => {
      const t = performance.now() - started
      if (t - last < 1000 / FPS - 2) return
      last = t
      await draw()
      await sink.add(canvas, performance.now() - started)
      frames++
    }
    await sink.add(canvas, 0)
    frames++

    let playing = true
    const played = playRange({ from: o.from, to: o.to }, o.speed).then(() => {
      playing = false
    })
    const unsub = usePresenter.subscribe((s) => {
      if (s.busy?.kind === 'range')
        usePresenter.setState({ busy: { kind: 'video', progress: s.busy.progress } })
    })
    try {
      while (playing && !cancelled) {
        await frame()
        await nextFrame()
      }
      await played
      const holdUntil = performance.now() + (o.holdMs ?? 800)
      while (performance.now() < holdUntil && !cancelled) {
        await frame()
        await nextFrame()
      }
    } finally {
      unsub()
    }
    const durationMs = performance.now() - started
    const bytes = await sink.finish(durationMs)
    if (cancelled) throw new LocalizedError(S.error.cancelled)
    if (!bytes.length) throw new LocalizedError(S.error.noFrames)
    const blob = new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'video/webm' })
    const name = sessionFileName(`${currentSceneId() ?? 'wirelab'}-${o.width}x${o.height}`, '.webm')
    return { blob, name, durationMs, frames, codec: sink.codec }
  } finally {
    setFrame(previous)
    usePresenter.setState({ busy: null })
  }
}

/** Records the video and downloads it. */
export async function exportVideo(o: VideoOptions): Promise<Video> {
  const v = await recordVideo(o)
  downloadBlob(v.blob, v.name)
  return v
}
