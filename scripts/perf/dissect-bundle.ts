// The dissectors as they ship: bundled with esbuild the way the app's build bundles the engine,
// so the benchmark times production code (tsx, which runs the scripts, also wraps every function
// it creates with a naming helper, a cost the app does not pay).
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { createRequire } from 'node:module'
import type { StreamDissector } from '../../src/main/lab/dissect/types'

/** `createDissector` from a bundle of the protocol list (protocols/index.ts, which registers them all). */
export async function bundledDissectors(root: string): Promise<(id: string) => StreamDissector> {
  const esbuild = await import('esbuild')
  const lab = path.join(root, 'src', 'main', 'lab')
  // Inside the checkout, so the bundle finds node_modules.
  const dir = path.join(root, 'out', 'bench')
  mkdirSync(dir, { recursive: true })
  const entry = path.join(dir, 'entry.ts')
  writeFileSync(
    entry,
    [
      `export { createDissector } from ${JSON.stringify(path.join(lab, 'protocols', 'index'))}`,
      `export { keyLog } from ${JSON.stringify(path.join(lab, 'protocols', 'common', 'keylog'))}`
    ].join('\n')
  )
  const outfile = path.join(dir, 'dissectors.cjs')
  await esbuild.build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile, logLevel: 'error', packages: 'external' })
  const mod = createRequire(outfile)(outfile) as {
    createDissector: (id: string) => StreamDissector
    keyLog: { add(line: string): void }
  }
  // The TLS secrets the recorded lessons logged (in this process's key log), so the bundled TLS
  // dissector decrypts the same records the app would.
  const { keyLog } = await import('../../src/main/lab/protocols/common/keylog')
  mod.keyLog.add(keyLog.text())
  return mod.createDissector
}
