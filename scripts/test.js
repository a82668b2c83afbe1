#!/usr/bin/env node
// `npm test`: typecheck (node, web and the renderer's tests), lint, unit and integration tests,
// build, end-to-end tests in Chromium through browser mode, and the Electron security scan. Stops
// at the first failure.
'use strict'
const { spawnSync } = require('node:child_process')
const path = require('node:path')

const root = path.join(__dirname, '..')
const bin = (pkg, file) => path.join(root, 'node_modules', pkg, file)
const steps = [
  ['typecheck (node)', [bin('typescript', 'bin/tsc'), '--noEmit', '-p', 'tsconfig.node.json']],
  ['typecheck (web)', [bin('typescript', 'bin/tsc'), '--noEmit', '-p', 'tsconfig.web.json']],
  ['typecheck (renderer tests)', [bin('typescript', 'bin/tsc'), '--noEmit', '-p', 'tsconfig.web-test.json']],
  ['lint', [bin('eslint', 'bin/eslint.js'), '--cache', '.']],
  ['unit and integration tests', [bin('vitest', 'vitest.mjs'), 'run']],
  ['build', [bin('electron-vite', 'bin/electron-vite.js'), 'build']],
  ['security scan (electronegativity)', [path.join(root, 'scripts', 'electronegativity.js')]],
  ['end-to-end tests (Playwright, Chromium)', [bin('@playwright/test', 'cli.js'), 'test']]
]

const only = process.argv.slice(2)
let passed = 0
let failed = 0
for (const [name, argv] of steps) {
  if (only.length && !only.some((o) => name.includes(o))) continue
  const started = Date.now()
  console.log(`\n▶ ${name}`)
  const r = spawnSync(process.execPath, argv, { cwd: root, stdio: 'inherit' })
  const secs = ((Date.now() - started) / 1000).toFixed(1)
  if (r.status === 0) {
    passed++
    console.log(`✔ ${name} (${secs} s)`)
  } else {
    failed++
    console.log(`✘ ${name} failed (${secs} s)`)
    break
  }
}
console.log(`\nwirelab checks: ${passed} passed, ${failed} failed`)
process.exit(failed ? 1 : 0)
