#!/usr/bin/env node
// Fetches the Electron runtime after `npm install`. Electron's own install script is
// disabled in package.json (allowScripts) so that a machine that cannot download the
// runtime still finishes the install; here a failure is reported, not fatal.
'use strict'
const { spawnSync } = require('node:child_process')
const { existsSync } = require('node:fs')
const path = require('node:path')

const electronDir = path.join(__dirname, '..', 'node_modules', 'electron')
const browserModeHint =
  'Wirelab will run in browser mode: `npm start` opens it in your browser (see README, "Browser mode").'

function main() {
  if (!existsSync(path.join(electronDir, 'install.js'))) {
    console.log('[wirelab] electron package not installed; ' + browserModeHint)
    return
  }
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
    console.log('[wirelab] ELECTRON_SKIP_BINARY_DOWNLOAD is set: the Electron runtime was not fetched. ' + browserModeHint)
    return
  }
  console.log('[wirelab] fetching the Electron runtime…')
  const run = spawnSync(process.execPath, ['install.js'], {
    cwd: electronDir,
    stdio: ['ignore', 'inherit', 'pipe'],
    timeout: 180_000,
    encoding: 'utf8'
  })
  if (run.status === 0 && existsSync(path.join(electronDir, 'path.txt'))) {
    console.log('[wirelab] Electron runtime installed: `npm start` opens the desktop app.')
    return
  }
  const reason = run.error
    ? run.error.message
    : (run.stderr || '').trim().split('\n').find((l) => /error/i.test(l)) || `exit code ${run.status}`
  console.warn('[wirelab] could not fetch the Electron runtime (' + reason + ').')
  console.warn('[wirelab] ' + browserModeHint)
}

try {
  main()
} catch (err) {
  console.warn('[wirelab] Electron runtime step failed: ' + (err && err.message) + '. ' + browserModeHint)
}
