// The packaging configuration (electron-builder.yml), checked without building: electron-builder's
// own loader and schema read it, its own file matcher decides what goes into the app and what is
// unpacked from the asar, the icons are parsed, and the file association is declared. `npm run dist`
// needs the Electron runtime, which cannot be downloaded everywhere tests run.
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'

const root = path.join(__dirname, '..')
// electron-builder's internals, resolved from electron-builder itself so they are the ones it runs.
const fromBuilder = createRequire(
  createRequire(path.join(root, 'package.json')).resolve('electron-builder/package.json')
)
const fromLib = createRequire(fromBuilder.resolve('app-builder-lib/package.json'))

interface FileAssociation {
  ext: string | string[]
  name?: string
  mimeType?: string
  role?: string
}
interface Platform {
  target?: (string | { target: string })[]
  icon?: string
  mimeTypes?: string[]
  maintainer?: string
}
interface Config {
  appId?: string
  productName?: string
  files?: unknown
  asar?: boolean
  asarUnpack?: string[]
  npmRebuild?: boolean
  directories?: { output?: string; buildResources?: string }
  fileAssociations?: FileAssociation[]
  linux?: Platform
  win?: Platform
  mac?: Platform
}
type Filter = (file: string, stat: { isDirectory(): boolean }) => boolean
type MatcherName = 'files' | 'asarUnpack'
interface MatcherOptions {
  macroExpander: (s: string) => string
  customBuildOptions: object
  globalOutDir: string
  defaultSrc: string
}

const { getConfig, validateConfiguration } = fromLib('./out/util/config/config') as {
  getConfig(dir: string, file: string | null, extra: null): Promise<Config>
  validateConfiguration(c: Config, logger: unknown): Promise<void>
}
const { getFileMatchers } = fromLib('./out/fileMatcher') as {
  getFileMatchers(
    c: Config,
    name: MatcherName,
    dest: string,
    o: MatcherOptions
  ): { createFilter(): Filter }[] | null
}
const { DebugLogger } = fromLib('builder-util') as { DebugLogger: new (enabled: boolean) => unknown }

const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  main: string
  scripts: Record<string, string>
  dependencies: Record<string, string>
  devDependencies: Record<string, string>
}
const file = { isDirectory: () => false }
let config: Config

/** The filter electron-builder builds from the configuration's `files` or `asarUnpack`, over paths relative to the app. */
function matcher(name: MatcherName): (rel: string) => boolean {
  const matchers = getFileMatchers(config, name, '/app', {
    macroExpander: (s) => s,
    customBuildOptions: {},
    globalOutDir: path.join(root, 'dist'),
    defaultSrc: root
  })
  expect(matchers?.length, `${name} declared`).toBe(1)
  const filter = matchers![0].createFilter()
  return (rel) => filter(path.join(root, rel), file)
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile())
    .map((d) => path.relative(root, path.join(d.parentPath, d.name)).split(path.sep).join('/'))
}

beforeAll(async () => {
  config = await getConfig(root, null, null)
})

describe('electron-builder configuration', () => {
  it('loads from electron-builder.yml and passes electron-builder’s own schema', async () => {
    expect(config.appId).toMatch(/^[a-z0-9.-]+$/)
    expect(config.productName).toBe('Wirelab')
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined()
  })

  it('builds AppImage and .deb for Linux, NSIS for Windows and dmg for macOS', () => {
    const targets = (p?: Platform): string[] =>
      (p?.target ?? []).map((t) => (typeof t === 'string' ? t : t.target))
    expect(targets(config.linux).sort()).toEqual(['AppImage', 'deb'])
    expect(targets(config.win)).toEqual(['nsis'])
    expect(targets(config.mac)).toEqual(['dmg'])
    expect(config.linux?.maintainer, 'the .deb needs a maintainer').toBeTruthy()
  })

  it('`npm run dist` builds the app first, then packages it without publishing', () => {
    expect(pkg.scripts.dist).toMatch(/^electron-vite build && electron-builder\b/)
    expect(pkg.scripts.dist).toMatch(/--publish never/)
    expect(config.directories?.output).toBe('dist')
  })

  it('puts the built app and the files lessons read at run time inside, and leaves sources and screenshots out', () => {
    const included = matcher('files')
    const inside = [
      pkg.main.replace(/^\.\//, ''),
      'out/preload/index.js',
      'out/renderer/index.html',
      'out/renderer/assets/index-abc123.js',
      'package.json',
      ...walk(path.join(root, 'resources', 'clients'))
    ]
    expect(inside.length).toBeGreaterThan(5)
    for (const f of inside) expect(included(f), f).toBe(true)
    for (const f of [
      'src/main/index.ts',
      'e2e/helpers.ts',
      'README.md',
      'resources/screenshot.png',
      'resources/screenshots/mqtt.png',
      'resources/build/icon.png',
      'scripts/test.js'
    ])
      expect(included(f), f).toBe(false)
  })

  it('packages what the app imports: every package reachable from src/main/index.ts is a production dependency', () => {
    const imported = packagesImportedFrom(path.join(root, 'src', 'main', 'index.ts'))
    expect(imported.size).toBeGreaterThan(5)
    for (const name of imported) expect(pkg.dependencies[name], `${name} in dependencies`).toBeTruthy()
    expect(pkg.devDependencies.electron, 'electron stays a dev dependency').toBeTruthy()
  })

  it('unpacks native modules and WebAssembly from the asar: zeromq’s addon, PGlite’s wasm and data', () => {
    expect(config.asar).toBe(true)
    expect(config.npmRebuild, 'zeromq’s Node-API prebuilds are used as they are').toBe(false)
    const unpacked = matcher('asarUnpack')
    const zmq = walk(path.join(root, 'node_modules', 'zeromq', 'build'))
    const addons = zmq.filter((f) => f.endsWith('.node'))
    expect(addons.length, 'zeromq ships prebuilt addons').toBeGreaterThan(0)
    for (const f of zmq) expect(unpacked(f), f).toBe(true)
    const pglite = walk(path.join(root, 'node_modules', '@electric-sql', 'pglite', 'dist')).filter((f) =>
      /\.(wasm|data)$/.test(f)
    )
    expect(pglite.map((f) => path.basename(f))).toEqual(
      expect.arrayContaining(['pglite.wasm', 'pglite.data', 'initdb.wasm'])
    )
    for (const f of pglite) expect(unpacked(f), f).toBe(true)
    expect(unpacked('node_modules/some-addon/build/Release/x.node')).toBe(true)
    for (const f of [
      'out/main/index.js',
      'node_modules/zeromq/lib/index.js',
      'node_modules/@electric-sql/pglite/dist/index.js'
    ])
      expect(unpacked(f), f).toBe(false)
    for (const dep of ['zeromq', '@electric-sql/pglite']) expect(pkg.dependencies[dep], dep).toBeTruthy()
  })

  it('declares the .wirelab file association (and its MIME type on Linux)', () => {
    const assoc = config.fileAssociations?.find((a) => [a.ext].flat().includes('wirelab'))
    expect(assoc).toBeTruthy()
    expect(assoc?.name).toBeTruthy()
    expect(assoc?.mimeType).toBe('application/x-wirelab-session')
    expect(config.linux?.mimeTypes).toContain(assoc?.mimeType)
  })
})

/** The npm packages a module and everything it imports (relatively) import: what the build keeps external. */
function packagesImportedFrom(entry: string): Set<string> {
  const seen = new Set<string>()
  const packages = new Set<string>()
  const visit = (file: string): void => {
    if (seen.has(file)) return
    seen.add(file)
    for (const m of readFileSync(file, 'utf8').matchAll(/(?:^|\s)(?:from|import\(?)\s*'([^']+)'/g)) {
      const spec = m[1]
      if (spec.startsWith('.')) {
        const base = path.resolve(path.dirname(file), spec)
        const found = [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')].find(
          (f) => existsSync(f) && !readdirSafe(f)
        )
        if (found) visit(found)
      } else if (!spec.startsWith('node:') && spec !== 'electron') {
        packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0])
      }
    }
  }
  visit(entry)
  expect(seen.size, 'modules reached from the entry').toBeGreaterThan(20)
  return packages
}

function readdirSafe(f: string): boolean {
  try {
    readdirSync(f)
    return true
  } catch {
    return false
  }
}

// ------------------------------------------------------------------------------------------------
// Icons: every size present, in the containers each system reads.

function pngSize(buf: Buffer): { w: number; h: number } {
  expect(
    buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
    'PNG signature'
  ).toBe(true)
  expect(buf.toString('latin1', 12, 16)).toBe('IHDR')
  return { w: buf.readUInt32BE(16), h: buf.readUInt32BE(20) }
}

describe('app icon', () => {
  const res = (rel: string): string => path.join(root, rel)

  it('has one source, resources/build/icon.svg, in the build-resources directory', () => {
    expect(config.directories?.buildResources).toBe('resources/build')
    expect(readFileSync(res('resources/build/icon.svg'), 'utf8')).toMatch(/<svg[^>]*viewBox="0 0 1024 1024"/)
  })

  it('Linux: a PNG per size from 16 to 1024 px, each as large as its name says', () => {
    const dir = res(config.linux?.icon ?? '')
    const sizes = readdirSync(dir).map((f) => {
      const m = /^(\d+)x(\d+)\.png$/.exec(f)
      expect(m, f).not.toBeNull()
      const { w, h } = pngSize(readFileSync(path.join(dir, f)))
      expect([w, h], f).toEqual([Number(m![1]), Number(m![2])])
      return w
    })
    expect(sizes.sort((a, b) => a - b)).toEqual([16, 24, 32, 48, 64, 128, 256, 512, 1024])
  })

  it('Windows: an .ico holding 16, 24, 32, 48, 64, 128 and 256 px images', () => {
    const ico = readFileSync(res(config.win?.icon ?? ''))
    expect(ico.readUInt16LE(0)).toBe(0)
    expect(ico.readUInt16LE(2)).toBe(1)
    const n = ico.readUInt16LE(4)
    const sizes: number[] = []
    for (let i = 0; i < n; i++) {
      const e = 6 + 16 * i
      const declared = ico.readUInt8(e) || 256
      const len = ico.readUInt32LE(e + 8)
      const at = ico.readUInt32LE(e + 12)
      expect(at + len).toBeLessThanOrEqual(ico.length)
      const { w, h } = pngSize(ico.subarray(at, at + len))
      expect([w, h]).toEqual([declared, declared])
      sizes.push(declared)
    }
    expect(sizes).toEqual([16, 24, 32, 48, 64, 128, 256])
  })

  it('macOS: an .icns holding every size up to 1024 px (retina included)', () => {
    const icns = readFileSync(res(config.mac?.icon ?? ''))
    expect(icns.toString('latin1', 0, 4)).toBe('icns')
    expect(icns.readUInt32BE(4)).toBe(icns.length)
    const found = new Map<string, number>()
    for (let at = 8; at < icns.length;) {
      const type = icns.toString('latin1', at, at + 4)
      const len = icns.readUInt32BE(at + 4)
      expect(len).toBeGreaterThan(8)
      found.set(type, pngSize(icns.subarray(at + 8, at + len)).w)
      at += len
    }
    expect(Object.fromEntries(found)).toEqual({
      icp4: 16,
      icp5: 32,
      icp6: 64,
      ic07: 128,
      ic08: 256,
      ic09: 512,
      ic10: 1024,
      ic11: 32,
      ic12: 64,
      ic13: 256,
      ic14: 512
    })
  })
})
