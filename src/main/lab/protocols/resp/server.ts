// Redis for the lessons: no real Redis server ships on npm, so Wirelab uses the one installed on
// this machine (Debian/Ubuntu `redis-server`, Homebrew `redis`, Valkey), started by the installed
// servers launcher on 127.0.0.1, a hidden port and a private folder, with persistence off.
import { execFile } from 'node:child_process'
import type { InstalledServerSpec, ServerDirs } from '../../servers/installed'

export const REDIS_SPEC: InstalledServerSpec = {
  name: 'Redis',
  candidates: ['redis-server', 'valkey-server'],
  places: ['/usr/bin/redis-server', '/usr/local/bin/redis-server', '/opt/homebrew/bin/redis-server', '/usr/sbin/redis-server'],
  args: (o: ServerDirs) => ['--port', String(o.port), '--bind', '127.0.0.1', '--protected-mode', 'yes', '--save', '', '--appendonly', 'no', '--dir', o.dataDir, '--logfile', '', '--loglevel', 'notice'],
  startTimeoutMs: 10_000,
  install: {
    linux: 'sudo apt install redis-server',
    macos: 'brew install redis',
    windows: 'wsl sudo apt install redis-server (or Docker)',
    docker: 'docker run --rm -p 6379:6379 redis:7'
  },
  version: (binary) =>
    new Promise((resolve) => {
      execFile(binary, ['--version'], { timeout: 5000 }, (err, stdout) => {
        resolve(err ? undefined : (/v=(\S+)/.exec(stdout)?.[1] ?? undefined))
      })
    })
}

/** The same server with `DEBUG PROTOCOL` allowed from loopback: the fixture recorder uses it to get every RESP3 type. */
export const REDIS_DEBUG_SPEC: InstalledServerSpec = {
  ...REDIS_SPEC,
  args: (o) => [...REDIS_SPEC.args(o), '--enable-debug-command', 'local']
}
