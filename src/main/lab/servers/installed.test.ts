import { existsSync } from 'node:fs'
import net from 'node:net'
import { describe, expect, it } from 'vitest'
import { findInstalled, NotInstalled, portAccepts, startInstalled, StartFailed, type InstalledServerSpec } from './installed'

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
})
