#!/usr/bin/env node
// Electron security scan (@doyensec/electronegativity) of the BUILT app in out/ (run `npm run build`
// first; the scanner cannot parse the TypeScript sources). Writes out/electronegativity.sarif,
// prints every finding, and exits 1 on any HIGH or MEDIUM finding in out/main, out/preload or
// out/renderer, or from an app-wide check (file "N/A"), that is not justified in
// .electronegativity-suppressions.json:
//
//   { "suppressions": [ { "check": "CHECK_ID", "file": "main/index.js", "justification": "why it is safe" } ] }
//
// The scanner's runner is called directly rather than through its command line: the command line
// reads options from whichever `commander` npm hoists next to it, and with commander ≥ 7 (hoisted
// here by d3-dsv) it sees no options at all and prints its usage. The runner returns each finding
// with its severity and confidence, which the SARIF file does not carry.
'use strict'
const { existsSync, readFileSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync, copyFileSync, rmSync } = require('node:fs')
const os = require('node:os')
const path = require('node:path')

const root = path.join(__dirname, '..')
// WIRELAB_SCAN_DIR scans another build (used to check that the gate fails on a bad one).
const input = path.resolve(process.env.WIRELAB_SCAN_DIR ?? path.join(root, 'out'))
const sarif = path.join(input, 'electronegativity.sarif')
const suppressionsFile = path.join(root, '.electronegativity-suppressions.json')
const ELECTRON_VERSION = '41.7.1'
const IN_SCOPE = /^(main|preload|renderer)\//
const GATING = new Set(['HIGH', 'MEDIUM'])

function loadSuppressions() {
  if (!existsSync(suppressionsFile)) return []
  const parsed = JSON.parse(readFileSync(suppressionsFile, 'utf8'))
  const list = Array.isArray(parsed) ? parsed : parsed.suppressions
  if (!Array.isArray(list))
    throw new Error(`${path.basename(suppressionsFile)}: expected { "suppressions": [...] }`)
  for (const s of list) {
    if (
      typeof s.check !== 'string' ||
      typeof s.file !== 'string' ||
      typeof s.justification !== 'string' ||
      s.justification.trim().length < 20
    )
      throw new Error(
        `${path.basename(suppressionsFile)}: every suppression needs "check", "file" and a real "justification" (got ${JSON.stringify(s)})`
      )
  }
  return list
}

/**
 * A copy of the build the scanner can parse: its parser walks no class private fields (`#x`, ES2022),
 * so each script is lowered to ES2021 with esbuild (same code, private fields as WeakMaps). The
 * shipped build is unchanged; findings name the same files.
 */
function scannable(dir) {
  const { transformSync } = require('esbuild')
  const copy = mkdtempSync(path.join(os.tmpdir(), 'wirelab-scan-'))
  const walk = (from, to) => {
    mkdirSync(to, { recursive: true })
    for (const entry of readdirSync(from, { withFileTypes: true })) {
      const src = path.join(from, entry.name)
      const dst = path.join(to, entry.name)
      if (entry.isDirectory()) walk(src, dst)
      else if (/\.(c|m)?js$/.test(entry.name))
        writeFileSync(dst, transformSync(readFileSync(src, 'utf8'), { target: 'es2021', loader: 'js' }).code)
      else copyFileSync(src, dst)
    }
  }
  for (const d of ['main', 'preload', 'renderer']) walk(path.join(dir, d), path.join(copy, d))
  return copy
}

async function main() {
  for (const dir of ['main', 'preload', 'renderer']) {
    if (!existsSync(path.join(input, dir))) {
      console.error(`electronegativity: out/${dir} is missing; run \`npm run build\` first`)
      return 1
    }
  }
  const suppressions = loadSuppressions()
  // The scanner looks up translations and Electron releases online; offline it falls back to its
  // bundled English text and the version given here. LANG must name a locale it ships.
  process.env.LANG = 'en-US'
  const runner = require('@doyensec/electronegativity/dist/runner.js')
  const run = typeof runner === 'function' ? runner : runner.default
  mkdirSync(input, { recursive: true })
  const quiet = console.log
  console.log = () => undefined // the scanner's progress chatter
  let result
  const scanned = scannable(input)
  try {
    result = await run(
      {
        input: scanned,
        output: sarif,
        isSarif: true,
        customScan: [],
        excludeFromScan: [],
        isRelative: true,
        isVerbose: false,
        electronVersionOverride: ELECTRON_VERSION,
        parserPlugins: []
      },
      false
    )
  } finally {
    console.log = quiet
    rmSync(scanned, { recursive: true, force: true })
  }

  const rel = (file) => path.relative(scanned, path.resolve(scanned, file)).split(path.sep).join('/')
  const findings = result.issues.map((i) => ({
    check: i.id,
    file: rel(i.file),
    line: i.location ? `${i.location.line}:${i.location.column}` : '',
    severity: i.severity.name,
    confidence: i.confidence.name,
    review: Boolean(i.manualReview),
    description: i.description
  }))
  const used = new Set()
  let blocking = 0
  console.log(
    `electronegativity ${require('@doyensec/electronegativity/package.json').version}, Electron ${ELECTRON_VERSION}: ${findings.length} finding(s), SARIF in ${path.relative(root, sarif)}`
  )
  for (const f of findings) {
    // Global checks (navigation limits, permission handler, CSP…) are about the whole app: file N/A.
    const inScope = IN_SCOPE.test(f.file) || f.file === 'N/A'
    const sup = suppressions.find((s) => s.check === f.check && s.file === f.file)
    if (sup) used.add(sup)
    let verdict
    if (!inScope) verdict = 'out of scope (not app code)'
    else if (!GATING.has(f.severity)) verdict = 'reported (below medium)'
    else if (sup) verdict = `suppressed: ${sup.justification}`
    else {
      verdict = 'BLOCKING'
      blocking++
    }
    console.log(
      `  ${f.severity.padEnd(13)} ${f.confidence.padEnd(9)} ${f.check.padEnd(32)} ${(f.file + ':' + f.line).padEnd(30)} ${verdict}${f.review ? ' [review]' : ''}`
    )
    if (verdict === 'BLOCKING') console.log(`      ${f.description}`)
  }
  const parseErrors = result.errors.filter((e) => !e.tolerable && IN_SCOPE.test(rel(e.file)))
  for (const e of parseErrors) console.log(`  could not parse ${rel(e.file)}: ${e.message}`)
  for (const s of suppressions)
    if (!used.has(s))
      console.log(`  note: unused suppression ${s.check} ${s.file} (remove it if the finding is gone)`)
  if (parseErrors.length) {
    console.error(`electronegativity: ${parseErrors.length} file(s) of the app could not be scanned`)
    return 1
  }
  if (blocking) {
    console.error(`electronegativity: ${blocking} high or medium finding(s) without a justified suppression`)
    return 1
  }
  console.log('electronegativity: no unjustified high or medium findings')
  return 0
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err && err.stack ? err.stack : err)
    process.exit(1)
  }
)
