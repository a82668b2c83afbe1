// "Use your own client" scripts are real files under resources/clients/; a lesson fills in the
// host and ports it is really running on (lines such as `PORT = 9000` or `PG_PORT=5432`).
import fs from 'node:fs'
import path from 'node:path'

function resourcesDir(): string {
  const candidates = [
    process.env.WIRELAB_RESOURCES,
    // src/main/lab/scenes → the repository's resources/ (CLI, tests, browser mode)
    path.join(__dirname, '..', '..', '..', '..', 'resources'),
    // out/main → resources/ (the built app)
    path.join(__dirname, '..', '..', 'resources'),
    (process as { resourcesPath?: string }).resourcesPath
  ].filter((d): d is string => !!d)
  return candidates.find((d) => fs.existsSync(path.join(d, 'clients'))) ?? candidates[1]
}

/** The file's text with each `NAME = value` / `NAME=value` assignment at the start of a line replaced. */
export function fillClient(text: string, values: Record<string, string | number>): string {
  let out = text
  for (const [name, value] of Object.entries(values)) {
    const quoted = typeof value === 'string'
    out = out.replace(new RegExp(`^(\\s*(?:export\\s+)?${name}\\s*=\\s*)(?:"[^"\\n]*"|'[^'\\n]*'|\\S+)`, 'm'), (_m, lhs: string) => `${lhs}${quoted ? JSON.stringify(value) : value}`)
  }
  return out
}

/** Reads resources/clients/<name> and fills in the running lesson's values. */
export function clientFile(name: string, values: Record<string, string | number>): string {
  return fillClient(fs.readFileSync(path.join(resourcesDir(), 'clients', name), 'utf8'), values)
}
