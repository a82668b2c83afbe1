// Builds the app (electron-vite) when out/ is missing or older than the sources.
'use strict'
const { spawnSync } = require('node:child_process')
const { existsSync, readdirSync, statSync } = require('node:fs')
const path = require('node:path')

const root = path.join(__dirname, '..')

function newest(dir) {
  let t = 0
  if (!existsSync(dir)) return t
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name)
    if (entry.isDirectory()) t = Math.max(t, newest(p))
    else if (!/\.(test|spec)\.tsx?$/.test(entry.name)) t = Math.max(t, statSync(p).mtimeMs)
  }
  return t
}

function buildIfNeeded({ force = false } = {}) {
  const marker = path.join(root, 'out', 'renderer', 'index.html')
  const built = existsSync(marker) ? statSync(marker).mtimeMs : 0
  const sources = Math.max(newest(path.join(root, 'src')), statSync(path.join(root, 'electron.vite.config.ts')).mtimeMs)
  if (!force && built > sources) return
  console.log('[wirelab] building the app (electron-vite build)…')
  const bin = path.join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js')
  const r = spawnSync(process.execPath, [bin, 'build'], { cwd: root, stdio: 'inherit' })
  if (r.status !== 0) {
    console.error('[wirelab] build failed')
    process.exit(r.status ?? 1)
  }
}

module.exports = { buildIfNeeded }
if (require.main === module) buildIfNeeded({ force: process.argv.includes('--force') })
