// The app's `resources/` folder (client scripts, the sensor .proto…), found the same way wherever the
// engine runs: from the sources through tsx (src/main/lab), bundled by electron-vite (out/main), or
// packaged (resources copied next to the app, or Electron's resourcesPath). WIRELAB_RESOURCES
// overrides it.
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'

let found: string | null = null

/** The resources folder: the nearest `resources/clients` above this module, or in Electron's resourcesPath. */
export function resourcesDir(): string {
  if (process.env.WIRELAB_RESOURCES) return process.env.WIRELAB_RESOURCES
  if (found) return found
  const candidates: string[] = []
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    candidates.push(path.join(dir, 'resources'))
    if (path.dirname(dir) === dir) break
  }
  const packaged = (process as { resourcesPath?: string }).resourcesPath
  if (packaged) candidates.push(path.join(packaged, 'resources'), packaged)
  found = candidates.find((c) => existsSync(path.join(c, 'clients'))) ?? candidates[0]
  return found
}

/** A file under resources/, as text. */
export function resourceText(...parts: string[]): string {
  return readFileSync(path.join(resourcesDir(), ...parts), 'utf8')
}

/** The path of a file under resources/ (for files read as bytes, such as a gzipped recording). */
export const resourcePath = (...parts: string[]): string => path.join(resourcesDir(), ...parts)
