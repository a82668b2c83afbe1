#!/usr/bin/env node
// `npm run web`: browser mode. Builds the renderer if needed, then serves the app and the engine on
// 127.0.0.1 and prints the URL. Extra arguments go to `wirelab web` (e.g. -- --port 8080 --open).
'use strict'
const path = require('node:path')
const { spawn } = require('node:child_process')
const { buildIfNeeded } = require('./build-if-needed')

buildIfNeeded()
const child = spawn(process.execPath, [path.join(__dirname, '..', 'bin', 'wirelab.js'), 'web', ...process.argv.slice(2)], {
  stdio: 'inherit'
})
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig))
child.on('exit', (code) => process.exit(code ?? 0))
