// The WebM duration patch, on live-written WebM files produced by ffmpeg (unknown Segment size,
// no Duration: what MediaRecorder writes), checked by ffprobe.
import { describe, expect, it } from 'vitest'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { webmDurationMs, withWebmDuration } from './webm-duration'
import { probeVideo, testClip } from './ffmpeg-test-support'
import { has } from '../../../../main/lab/testing/events'

describe.skipIf(!has('ffmpeg') || !has('ffprobe'))('withWebmDuration', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'wirelab-webm-'))

  it.each([
    ['vp8', 'libvpx', 1.5],
    ['vp9', 'libvpx-vp9', 0.8]
  ])('%s: a live WebM without duration gets one ffprobe reads, frames intact', (name, codec, seconds) => {
    const live = path.join(dir, `${name}.webm`)
    testClip(live, { size: '320x180', seconds, codec, args: ['-live', '1', '-f', 'webm'] })
    const before = probeVideo(live)
    expect(before.duration).toBeUndefined()
    const bytes = new Uint8Array(readFileSync(live))
    expect(webmDurationMs(bytes)).toBeNull()

    const patched = withWebmDuration(bytes, seconds * 1000)
    expect(patched.length).toBeGreaterThan(bytes.length)
    expect(webmDurationMs(patched)).toBeCloseTo(seconds * 1000, 3)
    const fixed = path.join(dir, `${name}-fixed.webm`)
    writeFileSync(fixed, patched)
    const after = probeVideo(fixed)
    expect(Number(after.duration)).toBeCloseTo(seconds, 2)
    expect([after.width, after.height]).toEqual([320, 180])
    expect(after.frames).toBe(before.frames)

    // Patching again replaces the Duration instead of adding a second one.
    const again = withWebmDuration(patched, 2000)
    expect(again.length).toBe(patched.length)
    expect(webmDurationMs(again)).toBeCloseTo(2000, 3)
  })

  it('leaves files it cannot patch unchanged', () => {
    const done = path.join(dir, 'vod.webm')
    testClip(done, { size: '160x90', seconds: 0.5, codec: 'libvpx' })
    const bytes = new Uint8Array(readFileSync(done))
    expect(withWebmDuration(bytes, 123)).toBe(bytes) // a known-size Segment keeps its own Duration
    const junk = new Uint8Array([1, 2, 3, 4, 5])
    expect(withWebmDuration(junk, 1000)).toBe(junk)
    expect(webmDurationMs(junk)).toBeNull()
    expect(withWebmDuration(new Uint8Array(0), 1000).length).toBe(0)
  })
})
