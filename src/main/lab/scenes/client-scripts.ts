// "Use your own client": the course's scripts are real files under resources/clients/, runnable as
// they are against the course's defaults (127.0.0.1 and the lesson's port). A lesson shows them
// with the address and port it actually got filled in.
import type { ClientHint } from '../../../shared/scene'
import { resourceText } from '../resources'

/**
 * resources/clients/`name` with the course's address (127.0.0.1) and port (`course`) replaced by
 * the ones the lesson listens on.
 */
export function clientScript(name: string, at: { host?: string; port: number }, course: number): string {
  return resourceText('clients', name)
    .replaceAll('127.0.0.1', at.host ?? '127.0.0.1')
    .replace(new RegExp(`\\b${course}\\b`, 'g'), String(at.port))
}

/** A hint that offers resources/clients/`name` to save and run with `command`. */
export function scriptHint(
  title: ClientHint['title'],
  name: string,
  at: { host?: string; port: number },
  course: number,
  command = `python3 ${name}`
): ClientHint {
  return { title, command, file: { name, language: 'python', content: clientScript(name, at, course) } }
}
