// Test support for the video exporters: real clips made by ffmpeg, and what ffprobe reads back.
import { execFileSync } from 'node:child_process'

/** Encodes ffmpeg's test pattern (10 fps) into `out`; `args` are extra output options (-g, -f…). */
export function testClip(
  out: string,
  o: { size: string; seconds: number; codec: string; args?: string[] }
): void {
  execFileSync('ffmpeg', [
    ...['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc=size=${o.size}:rate=10`],
    ...['-t', String(o.seconds), '-c:v', o.codec, ...(o.args ?? [])],
    out
  ])
}

export interface Probe {
  duration?: string
  codec?: string
  width?: number
  height?: number
  frames?: string
}

/** ffprobe's reading of a video file: container duration, and the first stream's codec, size and decoded frame count. */
export function probeVideo(file: string): Probe {
  const out = JSON.parse(
    execFileSync(
      'ffprobe',
      [
        '-v',
        'error',
        '-count_frames',
        '-show_entries',
        'format=duration:stream=codec_name,width,height,nb_read_frames',
        '-of',
        'json',
        file
      ],
      { encoding: 'utf8' }
    )
  ) as {
    format: { duration?: string }
    streams: { codec_name: string; width: number; height: number; nb_read_frames: string }[]
  }
  const s = out.streams[0]
  return {
    duration: out.format.duration,
    codec: s?.codec_name,
    width: s?.width,
    height: s?.height,
    frames: s?.nb_read_frames
  }
}
