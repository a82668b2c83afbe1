// The installed version of an npm package that ships a server (PGlite, fauxqs), for labels and
// recorded sessions. Looks for `<node_modules>/<name>/package.json` along Node's lookup paths, so
// it works for packages whose `exports` hide their package.json.
import fs from 'node:fs'
import path from 'node:path'

export function packageVersion(name: string): string {
  for (const dir of require.resolve.paths(name) ?? []) {
    try {
      return (JSON.parse(fs.readFileSync(path.join(dir, name, 'package.json'), 'utf8')) as { version: string }).version
    } catch {
      // not in this folder
    }
  }
  return 'unknown'
}
