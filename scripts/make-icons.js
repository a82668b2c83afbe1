#!/usr/bin/env node
// `npm run icons`: every app icon from one source, resources/build/icon.svg. ffmpeg (built with
// librsvg) rasterises the SVG at each size; the Windows .ico and macOS .icns containers are written
// here (both hold PNG images), so nothing beyond ffmpeg is needed. The results are committed:
// electron-builder reads them from resources/build (its build-resources directory).
'use strict'
const { spawnSync } = require('node:child_process')
const { mkdirSync, readFileSync, writeFileSync } = require('node:fs')
const path = require('node:path')

const dir = path.join(__dirname, '..', 'resources', 'build')
const source = path.join(dir, 'icon.svg')

/** Sizes of the Linux icon set (hicolor theme) and of everything else. */
const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024]
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256]
/** ICNS element types holding PNG data, and the pixel size of each. */
const ICNS_TYPES = [
  ['icp4', 16],
  ['icp5', 32],
  ['icp6', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic09', 512],
  ['ic10', 1024],
  ['ic11', 32],
  ['ic12', 64],
  ['ic13', 256],
  ['ic14', 512]
]

function render(size) {
  const r = spawnSync(
    'ffmpeg',
    [
      '-hide_banner',
      '-loglevel',
      'error',
      '-width',
      String(size),
      '-height',
      String(size),
      '-i',
      source,
      '-frames:v',
      '1',
      '-f',
      'image2pipe',
      '-vcodec',
      'png',
      '-pix_fmt',
      'rgba',
      '-'
    ],
    { maxBuffer: 64 * 1024 * 1024 }
  )
  if (r.status !== 0) throw new Error(`ffmpeg could not render ${size}px: ${r.stderr}`)
  return r.stdout
}

/** ICO: a 6-byte header, a 16-byte entry per image, then the PNG images (Vista and later). */
function ico(images) {
  const header = Buffer.alloc(6 + 16 * images.length)
  header.writeUInt16LE(0, 0)
  header.writeUInt16LE(1, 2) // type: icon
  header.writeUInt16LE(images.length, 4)
  let offset = header.length
  images.forEach(({ size, png }, i) => {
    const e = 6 + 16 * i
    header.writeUInt8(size >= 256 ? 0 : size, e) // 0 means 256
    header.writeUInt8(size >= 256 ? 0 : size, e + 1)
    header.writeUInt8(0, e + 2) // no palette
    header.writeUInt8(0, e + 3)
    header.writeUInt16LE(1, e + 4) // colour planes
    header.writeUInt16LE(32, e + 6) // bits per pixel
    header.writeUInt32LE(png.length, e + 8)
    header.writeUInt32LE(offset, e + 12)
    offset += png.length
  })
  return Buffer.concat([header, ...images.map((i) => i.png)])
}

/** ICNS: 'icns' + total length, then (type, length including its 8-byte header, PNG) elements. */
function icns(elements) {
  const parts = elements.map(({ type, png }) => {
    const head = Buffer.alloc(8)
    head.write(type, 0, 'latin1')
    head.writeUInt32BE(png.length + 8, 4)
    return Buffer.concat([head, png])
  })
  const head = Buffer.alloc(8)
  head.write('icns', 0, 'latin1')
  head.writeUInt32BE(8 + parts.reduce((n, p) => n + p.length, 0), 4)
  return Buffer.concat([head, ...parts])
}

function main() {
  readFileSync(source) // fail early with a clear error if the source is missing
  const png = new Map()
  for (const size of new Set([...LINUX_SIZES, ...ICO_SIZES, ...ICNS_TYPES.map(([, s]) => s)]))
    png.set(size, render(size))
  mkdirSync(path.join(dir, 'icons'), { recursive: true })
  for (const size of LINUX_SIZES) writeFileSync(path.join(dir, 'icons', `${size}x${size}.png`), png.get(size))
  writeFileSync(path.join(dir, 'icon.png'), png.get(1024))
  writeFileSync(path.join(dir, 'icon.ico'), ico(ICO_SIZES.map((size) => ({ size, png: png.get(size) }))))
  writeFileSync(
    path.join(dir, 'icon.icns'),
    icns(ICNS_TYPES.map(([type, size]) => ({ type, png: png.get(size) })))
  )
  console.log(`icons written to ${path.relative(process.cwd(), dir) || '.'}`)
}

if (require.main === module) main()
module.exports = { LINUX_SIZES, ICO_SIZES, ICNS_TYPES }
