// A WebM video of the animation, recorded in the renderer: the app is laid out in the recording
// frame at exactly the chosen resolution, a range of steps plays at a steady pace, and every
// frame the frame's contents (views and the caption under them) are drawn as SVG onto a canvas
// that MediaRecorder encodes. The file gets its duration written in (webm-duration.ts).
import { useLab } from '../../store'
import { playRange, stopRange, type StepRange } from '../range-player'
import { setFrame, usePresenter, type FrameSize } from '../presenter-store'
import { downloadBlob } from '../download'
import { sessionFileName } from '../../session-files/session-file'
import { domToSvg, svgImage } from './dom-svg'
import { withWebmDuration } from './webm-duration'
import { currentSceneId } from './exports'

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
  frames: number
  mimeType: string
}

// VP8 first: it encodes 1080p in real time on modest machines, where VP9 can fall behind.
const MIME_TYPES = ['video/webm;codecs=vp8', 'video/webm;codecs=vp9', 'video/webm']

export function videoSupported(): boolean {
  return typeof MediaRecorder !== 'undefined' && MIME_TYPES.some((m) => MediaRecorder.isTypeSupported(m))
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

let cancelled = false

export function cancelVideo(): void {
  cancelled = true
  stopRange()
}

export async function recordVideo(o: VideoOptions): Promise<Video> {
  if (!videoSupported()) throw new Error('This browser cannot record WebM video (MediaRecorder).')
  if (usePresenter.getState().busy?.kind === 'video') throw new Error('A video is already being recorded.')
  const previous = usePresenter.getState().frame
  const mimeType = MIME_TYPES.find((m) => MediaRecorder.isTypeSupported(m)) ?? 'video/webm'
  cancelled = false
  usePresenter.setState({ busy: { kind: 'video', progress: 0 } })
  setFrame({ width: o.width, height: o.height })
  try {
    await nextFrame()
    await nextFrame()
    const root = document.querySelector('.app')
    if (!(root instanceof HTMLElement)) throw new Error('the app is not on screen')
    const canvas = document.createElement('canvas')
    canvas.width = o.width
    canvas.height = o.height
    const ctx = canvas.getContext('2d')
    if (!ctx) throw new Error('no 2D canvas')
    let frames = 0
    const stream = canvas.captureStream(0)
    const track = stream.getVideoTracks()[0] as CanvasCaptureMediaStreamTrack | undefined
    const draw = async (): Promise<void> => {
      const { svg } = domToSvg(root)
      const img = await svgImage(svg)
      ctx.drawImage(img, 0, 0, o.width, o.height)
      frames++
      // One video frame per drawing, captured explicitly (not by polling the canvas).
      track?.requestFrame()
    }
    // The first frame: the step before the range.
    useLab.getState().seekMark(Math.max(0, o.from - 1))
    await nextFrame()
    await draw()

    const recorder = new MediaRecorder(stream, {
      mimeType,
      videoBitsPerSecond: Math.round(o.width * o.height * 3)
    })
    const chunks: Blob[] = []
    recorder.ondataavailable = (e) => {
      if (e.data.size) chunks.push(e.data)
    }
    const stopped = new Promise<void>((resolve) => (recorder.onstop = () => resolve()))
    recorder.start(500)
    const started = performance.now()

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
        await draw()
        await nextFrame()
      }
      await played
      const holdUntil = performance.now() + (o.holdMs ?? 800)
      while (performance.now() < holdUntil && !cancelled) {
        await draw()
        await nextFrame()
      }
    } finally {
      unsub()
    }
    recorder.stop()
    await stopped
    stream.getTracks().forEach((t) => t.stop())
    const durationMs = performance.now() - started
    if (cancelled) throw new Error('recording cancelled')
    const raw = new Uint8Array(await new Blob(chunks, { type: mimeType }).arrayBuffer())
    if (!raw.length) throw new Error('the browser encoded no video frames; try a lower resolution')
    const bytes = withWebmDuration(raw, durationMs)
    const blob = new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'video/webm' })
    return {
      blob,
      name: sessionFileName(`${currentSceneId() ?? 'wirelab'}-${o.width}x${o.height}`, '.webm'),
      durationMs,
      frames,
      mimeType
    }
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
