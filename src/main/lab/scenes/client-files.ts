// "Use your own client" scripts whose lesson has several ports (the dashboard's API, Postgres and
// Redis): the running values go into the file's named assignments (`PORT = 9000`, `PG_PORT=5432`)
// instead of replacing one course port as `clientScript()` does.
import { resourceText } from '../resources'

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
  return fillClient(resourceText('clients', name), values)
}
