#!/usr/bin/env node
// `npm start`: the desktop app when an Electron runtime is installed, otherwise browser mode.
'use strict'
const path = require('node:path')
const { existsSync } = require('node:fs')
const { spawn } = require('node:child_process')
const { buildIfNeeded } = require('./build-if-needed')

const root = path.join(__dirname, '..')

function electronBinary() {
  try {
    const p = require('electron') // the path of the runtime, when it was downloaded
    return typeof p === 'string' && existsSync(p) ? p : null
  } catch {
    return null
  }
}

buildIfNeeded()
const electron = electronBinary()
let child
if (electron) {
  child = spawn(electron, [root, ...process.argv.slice(2)], { stdio: 'inherit' })
} else {
  console.log('[wirelab] No Electron runtime is installed, so Wirelab opens in browser mode instead.')
  console.log('[wirelab] (To get the desktop app: `node node_modules/electron/install.js`, then `npm start`.)')
  child = spawn(process.execPath, [path.join(root, 'bin', 'wirelab.js'), 'web', '--open', ...process.argv.slice(2)], {
    stdio: 'inherit'
  })
}
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig))
child.on('exit', (code) => process.exit(code ?? 0))
