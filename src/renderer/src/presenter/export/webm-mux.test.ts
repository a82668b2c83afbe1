// The WebM writer, fed with real VP8/VP9 frames that ffmpeg encoded (read from an IVF file):
// ffprobe and ffmpeg read the result, with its size, frame count and duration.
import { describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { muxWebm, type EncodedFrame } from './webm-mux'
import { probeVideo, testClip } from './ffmpeg-test-support'
import { has } from '../../../../main/lab/testing/events'

/** Frames of an IVF file (32-byte header; per frame: size u32le, pts u64le, data). */
function ivfFrames(b: Uint8Array, fps: number, vp9: boolean): EncodedFrame[] {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength)
  const frames: EncodedFrame[] = []
  for (let at = v.getUint16(6, true); at + 12 <= b.length;) {
    const size = v.getUint32(at, true)
    const pts = Number(v.getBigUint64(at + 4, true))
    const data = b.slice(at + 12, at + 12 + size)
    // VP8: bit 0 of the first byte is 0 on key frames. VP9: the frame type bit follows the
    // frame marker, profile and show-existing-frame bits (profile 0: bit 2 of the first byte).
    const key = vp9 ? (data[0] & 0x04) === 0 : (data[0] & 0x01) === 0
    frames.push({ timestampMs: (pts * 1000) / fps, key, data })
    at += 12 + size
  }
  return frames
}

describe.skipIf(!has('ffmpeg') || !has('ffprobe'))('muxWebm', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'wirelab-mux-'))

  it.each([
    ['V_VP8', 'libvpx'],
    ['V_VP9', 'libvpx-vp9']
  ] as const)('%s frames from ffmpeg become a WebM that ffprobe and ffmpeg read', (codec, encoder) => {
    const ivf = path.join(dir, `${encoder}.ivf`)
    testClip(ivf, { size: '320x180', seconds: 2, codec: encoder, args: ['-g', '8', '-f', 'ivf'] })
    const frames = ivfFrames(new Uint8Array(readFileSync(ivf)), 10, codec === 'V_VP9')
    expect(frames.length).toBe(20)
    expect(frames[0].key).toBe(true)
    expect(frames.filter((f) => f.key).length).toBeGreaterThan(1)
    const out = path.join(dir, `${encoder}.webm`)
    writeFileSync(out, muxWebm({ codec, width: 320, height: 180, frames, durationMs: 2000 }))
    const probe = probeVideo(out)
    expect(probe.codec).toBe(codec === 'V_VP8' ? 'vp8' : 'vp9')
    expect([probe.width, probe.height]).toEqual([320, 180])
    expect(probe.frames).toBe('20')
    expect(Number(probe.duration)).toBeCloseTo(2, 2)
    // Every frame decodes.
    const decoded = execFileSync('ffmpeg', ['-v', 'error', '-i', out, '-f', 'null', '-'], {
      encoding: 'utf8'
    })
    expect(decoded).toBe('')
  })

  it('keeps variable frame timing: frames far apart stay far apart', () => {
    const ivf = path.join(dir, 'vfr.ivf')
    testClip(ivf, { size: '160x90', seconds: 0.5, codec: 'libvpx', args: ['-g', '100', '-f', 'ivf'] })
    const frames = ivfFrames(new Uint8Array(readFileSync(ivf)), 10, false).map((f, i) => ({
      ...f,
      timestampMs: i * i * 1000
    }))
    const out = path.join(dir, 'vfr.webm')
    writeFileSync(out, muxWebm({ codec: 'V_VP8', width: 160, height: 90, frames, durationMs: 17_000 }))
    const times = execFileSync(
      'ffprobe',
      ['-v', 'error', '-select_streams', 'v', '-show_entries', 'frame=pts_time', '-of', 'csv=p=0', out],
      { encoding: 'utf8' }
    )
      .trim()
      .split('\n')
      .map(Number)
    expect(times).toEqual([0, 1, 4, 9, 16])
  })
})
