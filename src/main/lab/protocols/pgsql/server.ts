// PostgreSQL for the lessons: PGlite (Postgres compiled to WebAssembly, shipped in an npm package)
// behind its TCP wire server, on 127.0.0.1 and an ephemeral port. A cold start (WASM + initdb) takes
// seconds, so the first start of a given seed prepares a template data folder in the cache and every
// later start copies it and opens it warm. Each start gets its own copy: two runs never share files.
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { LOOPBACK } from '../../net/ports'
import { packageVersion } from '../../servers/package-version'
import { startGuard, type GuardRefusal } from './guard'

export const PGLITE_LABEL = {
  en: 'PostgreSQL (PGlite, Postgres compiled to WebAssembly)',
  pt: 'PostgreSQL (PGlite, o Postgres compilado para WebAssembly)'
}

export interface PgliteServer {
  port: number
  /** Postgres version the engine reports (`SHOW server_version`). */
  version: string
  /** Wall time to a listening port, and whether it had to prepare the template first. */
  startedInMs: number
  cold: boolean
  dataDir: string
  /** Runs SQL inside the engine (not over the wire): for lesson set-up only. */
  exec(sql: string): Promise<void>
  stop(): Promise<void>
}

/** Where prepared data folders are kept between runs. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.WIRELAB_CACHE_DIR) return env.WIRELAB_CACHE_DIR
  if (process.platform === 'win32') return path.join(env.LOCALAPPDATA ?? os.tmpdir(), 'wirelab', 'cache')
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Caches', 'wirelab')
  return path.join(env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'wirelab')
}

type PGliteModule = typeof import('@electric-sql/pglite')
type PGlite = InstanceType<PGliteModule['PGlite']>

/** Creates (once) the template data folder for `seed`; concurrent creators race safely. */
async function template(mod: PGliteModule, seed: string, onProgress?: (note: string) => void): Promise<{ dir: string; cold: boolean }> {
  const key = createHash('sha256').update(seed).digest('hex').slice(0, 12)
  const root = path.join(cacheDir(), `pglite-${packageVersion('@electric-sql/pglite')}`)
  const dir = path.join(root, key)
  if (fs.existsSync(path.join(dir, 'PG_VERSION'))) return { dir, cold: false }
  fs.mkdirSync(root, { recursive: true })
  const tmp = fs.mkdtempSync(path.join(root, `${key}.tmp-`))
  onProgress?.('initdb')
  const db: PGlite = await mod.PGlite.create(tmp)
  try {
    if (seed) await db.exec(seed)
  } finally {
    await db.close()
  }
  try {
    fs.renameSync(tmp, dir)
  } catch {
    // Another run prepared it first: use theirs.
    fs.rmSync(tmp, { recursive: true, force: true })
  }
  return { dir, cold: true }
}

/** Data folder copies left by a run that was killed (its process is gone) are removed. */
function removeAbandonedCopies(): void {
  for (const name of fs.readdirSync(os.tmpdir())) {
    const m = /^wirelab-pg-(\d+)-/.exec(name)
    if (!m || Number(m[1]) === process.pid) continue
    try {
      process.kill(Number(m[1]), 0)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ESRCH') fs.rmSync(path.join(os.tmpdir(), name), { recursive: true, force: true })
    }
  }
}

export async function startPglite(o: { seed?: string; maxConnections?: number; onProgress?(note: string): void; onRefuse?(r: GuardRefusal): void } = {}): Promise<PgliteServer> {
  const started = performance.now()
  const mod = await import('@electric-sql/pglite')
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket')
  const t = await template(mod, o.seed ?? '', o.onProgress)
  removeAbandonedCopies()
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `wirelab-pg-${process.pid}-`))
  fs.cpSync(t.dir, dataDir, { recursive: true })
  let db: PGlite
  try {
    db = await mod.PGlite.create(dataDir)
  } catch (err) {
    fs.rmSync(dataDir, { recursive: true, force: true })
    throw err
  }
  // PGlite is one backend; its socket server multiplexes several client connections onto it.
  const server = new PGLiteSocketServer({ db, host: LOOPBACK, port: 0, maxConnections: o.maxConnections ?? 16 })
  await server.start()
  const address = (server as unknown as { server: { address(): { port: number } } }).server.address()
  // Clients reach the socket server through the guard, which refuses what Postgres would refuse.
  const guard = await startGuard(address.port, o.onRefuse)
  const version = ((await db.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version ?? '?').split(' ')[0]
  let stopped = false
  return {
    port: guard.port,
    version,
    startedInMs: performance.now() - started,
    cold: t.cold,
    dataDir,
    exec: async (sql) => {
      await db.exec(sql)
    },
    async stop() {
      if (stopped) return
      stopped = true
      await new Promise<void>((r) => guard.close(() => r()))
      await server.stop().catch(() => undefined)
      await db.close().catch(() => undefined)
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
  }
}
