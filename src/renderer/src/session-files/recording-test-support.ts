// Test support: a real session file, recorded by the command line as a teacher would
// (`wirelab run tcp-udp-echo --ephemeral --out …`).
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { SessionFile } from '@shared/wire'

const root = path.join(__dirname, '..', '..', '..', '..')

/** Records the echo lesson into a temporary `.wirelab` file; returns its text and parsed JSON. */
export function recordEchoSession(): { text: string; file: SessionFile } {
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'wirelab-session-')), 'echo.wirelab')
  execFileSync(
    process.execPath,
    [path.join(root, 'bin', 'wirelab.js'), 'run', 'tcp-udp-echo', '--ephemeral', '--out', out],
    {
      cwd: root,
      stdio: 'ignore'
    }
  )
  const text = readFileSync(out, 'utf8')
  return { text, file: JSON.parse(text) as SessionFile }
}
