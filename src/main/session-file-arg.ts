// Which saved session, if any, a launch asks to open: the operating system passes the double-clicked
// `.wirelab` file as a command-line argument (Windows, Linux) — to the first launch, or, through the
// single-instance lock, to the window already open. Pure, so it is tested without Electron.
import path from 'node:path'

export const SESSION_EXTENSION = '.wirelab'

/** The first argument naming a `.wirelab` file, resolved against the launch's working directory. */
export function sessionFileArg(argv: readonly string[], cwd: string): string | null {
  for (const arg of argv.slice(1)) {
    if (arg.startsWith('-')) continue // Chromium and Electron switches
    if (arg.toLowerCase().endsWith(SESSION_EXTENSION)) return path.resolve(cwd, arg)
  }
  return null
}
