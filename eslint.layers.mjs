// The architecture's layers as a lint rule (`wirelab/layers`), like eslint-plugin-import's
// `no-restricted-paths` zones: every import is resolved to a file of the project and checked
// against the zone of the importing file. The rules (see ../shared/DESIGN.md, "Layers"):
//
//   src/shared           pure TypeScript for both sides: imports only src/shared, no node builtins,
//                        no electron, no DOM (globals restricted in eslint.config.mjs)
//   src/renderer         never imports src/main (only src/shared and itself)
//   src/preload          never imports src/main or src/renderer
//   src/main/lab         the engine never imports electron
//   lab/dissect          imports only itself and src/shared (the lowest layer of the engine)
//   lab/session          imports only itself and src/shared
//   lab/protocols/<id>   never imports scenes, the lab, the CLI or another protocol: one protocol
//                        uses another only through protocols/common or dissect/chain.ts
//   lab/protocols/common never imports a protocol
//   lab/scenes/<id>      never imports another lesson, nor the lesson registry
//   lab/testing          test support: imported by tests (and scripts) only, never by the app
//
// Tests (`*.test.ts`) and lab/testing are integration code: they may import the engine, from any
// layer (a renderer model test runs a real lesson); the purity of src/shared holds for them too.
import { statSync } from 'node:fs'
import { builtinModules } from 'node:module'
import path from 'node:path'

const ROOT = path.dirname(new URL(import.meta.url).pathname)
const BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)])

const rel = (abs) => path.relative(ROOT, abs).split(path.sep).join('/')
const under = (file, dir) => file === dir || file.startsWith(dir.endsWith('/') ? dir : dir + '/')

/** The project file an import names (without extension), or null for a package. */
function resolve(spec, fromFile) {
  if (spec.startsWith('@shared/')) return 'src/shared/' + spec.slice('@shared/'.length)
  if (spec.startsWith('@renderer/')) return 'src/renderer/src/' + spec.slice('@renderer/'.length)
  if (spec.startsWith('.')) return rel(path.resolve(path.dirname(path.resolve(ROOT, fromFile)), spec))
  return null
}

const isDir = (p) => {
  try {
    return statSync(path.join(ROOT, p)).isDirectory()
  } catch {
    return false
  }
}
const isTest = (file) =>
  /(\.test|-test-support)\.[cm]?tsx?$/.test(file) || under(file, 'src/main/lab/testing')
const segment = (file, dir) => (under(file, dir) ? file.slice(dir.length + 1).split('/')[0] : null)
const moduleName = (file) => file.replace(/\.(d\.)?[cm]?[jt]sx?$/, '').replace(/\/index$/, '')

/** Why `target` (a project path) may not be imported from `file`, or null when it may. */
export function layerViolation(file, target) {
  const t = moduleName(target)
  const test = isTest(file)
  if (under(file, 'src/shared') && !under(t, 'src/shared'))
    return 'src/shared is pure: it imports only src/shared'
  if (!test && under(t, 'src/main/lab/testing') && !under(file, 'scripts'))
    return 'lab/testing is test support: only tests and scripts import it'
  if (test) return null
  if (under(file, 'src/renderer') && under(t, 'src/main'))
    return 'the renderer never imports src/main: move what both sides need to src/shared'
  if (under(file, 'src/preload') && (under(t, 'src/main') || under(t, 'src/renderer')))
    return 'the preload imports only src/shared'
  for (const low of ['dissect', 'session']) {
    const dir = `src/main/lab/${low}`
    if (under(file, dir) && under(t, 'src/main') && !under(t, dir))
      return `lab/${low} never imports the rest of the lab`
  }
  const protocol = segment(file, 'src/main/lab/protocols')
  if (protocol && protocol.includes('.') === false) {
    for (const [dir, what] of [
      ['src/main/lab/scenes', 'scenes'],
      ['src/main/lab/lab', 'the lab'],
      ['src/main/cli', 'the CLI'],
      ['src/main/lab/session', 'the session log (a protocol returns PDUs; the tap records them)']
    ])
      if (under(t, dir)) return `protocols never import ${what}`
    const other = segment(t, 'src/main/lab/protocols')
    if (t === 'src/main/lab/protocols')
      return 'a protocol never imports the protocol list: reach another protocol through dissect/chain.ts'
    if (other && other !== protocol && other !== 'common')
      return protocol === 'common'
        ? `protocols/common is below every protocol: it never imports protocols/${other}`
        : `protocol "${protocol}" uses protocol "${other}" only through protocols/common or dissect/chain.ts`
  }
  const scene = segment(file, 'src/main/lab/scenes')
  const lesson = (name) => name !== null && isDir(`src/main/lab/scenes/${name}`)
  if (scene && lesson(scene)) {
    const other = segment(t, 'src/main/lab/scenes')
    if (t === 'src/main/lab/scenes') return 'a lesson never imports the lesson registry'
    if (other !== scene && lesson(other))
      return `lesson "${scene}" never imports lesson "${other}": share through the scene kit (scenes/*.ts) or a protocol`
  } else if (scene && scene !== 'index.ts' && lesson(segment(t, 'src/main/lab/scenes')))
    return 'the scene kit (scenes/*.ts) never imports a lesson: only the registry (scenes/index.ts) lists them'
  return null
}

/** Why the package `spec` may not be imported from `file`, or null. */
export function packageViolation(file, spec) {
  const electron = spec === 'electron' || spec.startsWith('electron/')
  if (
    under(file, 'src/shared') &&
    (BUILTINS.has(spec) || electron || spec === 'react' || spec.startsWith('react-dom'))
  )
    return `src/shared is pure: no node, electron or DOM modules ("${spec}")`
  if (under(file, 'src/main/lab') && electron) return 'the engine (src/main/lab) never imports electron'
  if (under(file, 'src/renderer') && BUILTINS.has(spec) && !isTest(file))
    return `the renderer never imports node modules ("${spec}")`
  return null
}

const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'Keeps imports inside the architecture’s layers (eslint.layers.mjs)' },
    schema: [],
    messages: { layer: '{{why}} (import of "{{spec}}")' }
  },
  create(context) {
    const file = rel(context.filename ?? context.getFilename())
    if (file.startsWith('..')) return {}
    const check = (node, source) => {
      if (!source || typeof source.value !== 'string') return
      const spec = source.value
      const target = resolve(spec, file)
      const why = target === null ? packageViolation(file, spec) : layerViolation(file, target)
      if (why) context.report({ node, messageId: 'layer', data: { why, spec } })
    }
    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source),
      CallExpression(node) {
        if (
          node.callee.type === 'Identifier' &&
          node.callee.name === 'require' &&
          node.arguments[0]?.type === 'Literal'
        )
          check(node, node.arguments[0])
      }
    }
  }
}

export default { rules: { layers: rule } }
