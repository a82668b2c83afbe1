#!/usr/bin/env node
// `npm test`: typecheck (node, web and the renderer's tests) and lint side by side, then unit and
// integration tests, build, end-to-end tests in Chromium through browser mode, and the Electron
// security scan. Stops at the first failure. `npm test -- lint e2e` runs only the named steps.
'use strict'
const { spawn, spawnSync } = require('node:child_process')
const path = require('node:path')

const root = path.join(__dirname, '..')
const bin = (pkg, file) => path.join(root, 'node_modules', pkg, file)
/** Steps in order; the checks of one array run at the same time (they only read the tree). */
const steps = [
  [
    ['typecheck (node)', [bin('typescript', 'bin/tsc'), '--noEmit', '-p', 'tsconfig.node.json']],
    ['typecheck (web)', [bin('typescript', 'bin/tsc'), '--noEmit', '-p', 'tsconfig.web.json']],
    ['typecheck (renderer tests)', [bin('typescript', 'bin/tsc'), '--noEmit', '-p', 'tsconfig.web-test.json']],
    ['lint', [bin('eslint', 'bin/eslint.js'), '--cache', '.']]
  ],
  ['unit and integration tests', [bin('vitest', 'vitest.mjs'), 'run']],
  ['build', [bin('electron-vite', 'bin/electron-vite.js'), 'build']],
  ['security scan (electronegativity)', [path.join(root, 'scripts', 'electronegativity.js')]],
  ['end-to-end tests (Playwright, Chromium)', [bin('@playwright/test', 'cli.js'), 'test']]
]

const only = process.argv.slice(2)
const wanted = (name) => !only.length || only.some((o) => name.includes(o))
let passed = 0
let failed = 0

/** Runs checks side by side; each one's output is printed whole when it ends. */
function together(checks) {
  return Promise.all(
    checks.map(
      ([name, argv]) =>
        new Promise((resolve) => {
          const started = Date.now()
          const child = spawn(process.execPath, argv, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
          const out = []
          child.stdout.on('data', (d) => out.push(d))
          child.stderr.on('data', (d) => out.push(d))
          child.on('close', (code) => {
            const secs = ((Date.now() - started) / 1000).toFixed(1)
            console.log(`\n▶ ${name}`)
            process.stdout.write(Buffer.concat(out))
            console.log(code === 0 ? `✔ ${name} (${secs} s)` : `✘ ${name} failed (${secs} s)`)
            resolve(code === 0)
          })
        })
    )
  )
}

async function main() {
  for (const step of steps) {
    if (Array.isArray(step[0])) {
      const checks = step.filter(([name]) => wanted(name))
      if (!checks.length) continue
      const results = await together(checks)
      passed += results.filter(Boolean).length
      failed += results.filter((r) => !r).length
      if (failed) break
      continue
    }
    const [name, argv] = step
    if (!wanted(name)) continue
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
}

main()
