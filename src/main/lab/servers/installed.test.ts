import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import net from 'node:net'
import { describe, expect, it } from 'vitest'
import { findInstalled, markedProcesses, NotInstalled, portAccepts, startInstalled, StartFailed, type InstalledServerSpec } from './installed'

const redis: InstalledServerSpec = {
  name: 'Redis',
  candidates: ['redis-server'],
  places: ['/usr/bin/redis-server', '/usr/local/bin/redis-server', '/opt/homebrew/bin/redis-server'],
  args: ({ port, dataDir }) => ['--port', String(port), '--bind', '127.0.0.1', '--dir', dataDir, '--save', '', '--appendonly', 'no'],
  install: { linux: 'sudo apt install redis-server', macos: 'brew install redis', windows: 'docker run -p 6379:6379 redis' }
}

function ping(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => s.write('*1\r\n$4\r\nPING\r\n'))
    s.once('data', (d) => {
      resolve(d.toString())
      s.destroy()
    })
    s.once('error', reject)
  })
}

describe('installed servers', () => {
  it('starts the installed redis-server on a hidden port with a private folder, and stops it', async () => {
    expect(findInstalled(redis), 'redis-server must be installed (.ci/run installs it)').not.toBeNull()
    const progress: number[] = []
    const server = await startInstalled(redis, { onProgress: (ms) => progress.push(ms) })
    try {
      expect(server.port).toBeGreaterThan(0)
      expect(server.port).not.toBe(6379)
      expect(existsSync(server.dataDir)).toBe(true)
      expect(progress.length).toBeGreaterThan(0)
      expect(await ping(server.port)).toBe('+PONG\r\n')
    } finally {
      await server.stop()
    }
    expect(await portAccepts(server.port)).toBe(false)
    expect(existsSync(server.dataDir)).toBe(false)
    const exit = await server.exited
    expect(exit.code === 0 || exit.signal === 'SIGTERM').toBe(true)
  })

  it('says how to install a server that PATH does not have', async () => {
    const hidden = { PATH: '/nonexistent', WIRELAB_ONLY_PATH: '1' }
    expect(findInstalled(redis, { PATH: '/nonexistent' })).toBe('/usr/bin/redis-server')
    expect(findInstalled(redis, hidden)).toBeNull()
    const err = await startInstalled(redis, { env: hidden }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(NotInstalled)
    expect((err as Error).message).toMatch(/Redis is not installed.*apt install redis-server/)
  })

  it('reports a server that exits while starting, with its output', async () => {
    const spec: InstalledServerSpec = {
      ...redis,
      name: 'Broken',
      candidates: ['redis-server'],
      args: () => ['--port', 'not-a-port']
    }
    const err = await startInstalled(spec).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(StartFailed)
    expect((err as StartFailed).message).toMatch(/Broken exited while starting/)
    expect((err as StartFailed).output).toMatch(/port|argument|config/i)
  })

  it('runs the program behind a wrapper, and ends the daemons it started that left its process group', async () => {
    let wrapper = ''
    const spec: InstalledServerSpec = {
      name: 'Daemonizing',
      candidates: ['sh'],
      // The "wrapper" found on PATH is sh; the program run is sh too, given a script that leaves a
      // daemon behind in its own session (as erl leaves epmd) before it becomes the server.
      program: (found) => ((wrapper = found), '/bin/sh'),
      args: ({ port, dataDir }) => [
        '-c',
        `setsid sleep 300 </dev/null >/dev/null 2>&1 & echo $! > ${path.join(dataDir, 'daemon.pid')}; exec "${process.execPath}" -e "require('net').createServer().listen(${port}, '127.0.0.1')"`
      ],
      install: { linux: '-', macos: '-', windows: '-' }
    }
    const server = await startInstalled(spec)
    const daemon = Number(readFileSync(path.join(server.dataDir, 'daemon.pid'), 'utf8'))
    expect(wrapper).toMatch(/\/sh$/)
    expect(server.binary).toBe('/bin/sh')
    // A process that ended but that init has not reaped yet is a zombie: dead.
    const alive = (pid: number): boolean => {
      try {
        return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
      } catch {
        return false
      }
    }
    expect(alive(daemon)).toBe(true)
    expect(markedProcesses('no-such-mark')).toEqual([])
    await server.stop()
    expect(alive(daemon)).toBe(false)
  })
})
