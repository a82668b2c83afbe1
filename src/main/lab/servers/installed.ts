// Servers Wirelab cannot ship (RabbitMQ, Redis…), used where this machine has them installed
// (DESIGN.md, "Where each lesson's servers come from", choice 2): found on PATH or in the usual
// places, started as a child process with a private data folder, listening on 127.0.0.1 on a
// hidden port behind the lesson's tap, and stopped with the lesson (or when the host exits).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { accessSync, constants, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { LOOPBACK } from '../net/ports'

export interface ServerDirs {
  /** The hidden port the server listens on (127.0.0.1). */
  port: number
  /** A fresh private folder for data, logs and config, removed on stop. */
  dataDir: string
  /** The executable that was found. */
  binary: string
}

export interface InstalledServerSpec {
  /** Shown to people: `RabbitMQ`, `Redis`. */
  name: string
  /** Executable names, looked up on PATH, in order of preference. */
  candidates: string[]
  /**
   * The program to run for the executable found, when that is a distribution's wrapper script
   * (one that re-runs the real program as another user, with its output sent to a system log):
   * running the real program directly keeps it in Wirelab's process group, as the current user,
   * with its output readable. Default: the executable found.
   */
  program?(found: string): string
  /**
   * Absolute paths to try when PATH has none (where installers put it off PATH: Homebrew's sbin,
   * a distribution's private bin folder…). Skipped when `WIRELAB_ONLY_PATH=1` is in the
   * environment, which is how tests make a server look not installed.
   */
  places?: string[]
  /** Arguments that start it on 127.0.0.1:`port` with its data under `dataDir`. */
  args(o: ServerDirs): string[]
  /** Extra environment for the child. */
  env?(o: ServerDirs): Record<string, string>
  /** Writes config files into `dataDir` before the start. */
  prepare?(o: ServerDirs): Promise<void>
  /** True once it serves; the default is "the port accepts a TCP connection". */
  ready?(o: ServerDirs): Promise<boolean>
  /** How long a start may take (default 15 s). */
  startTimeoutMs?: number
  /**
   * A clean stop for servers that leave their own process tree (a wrapper that re-parents the
   * broker). The default stop (SIGTERM to the child's process group, SIGKILL after 3 s) runs after it.
   */
  stop?(o: ServerDirs & { pid: number }): Promise<void>
  /** One line each: how to install it. */
  install: { linux: string; macos: string; windows: string; docker?: string }
  /** The server's version, for labels and recorded sessions. */
  version?(binary: string): Promise<string | undefined>
}

export interface InstalledServer extends ServerDirs {
  version?: string
  pid: number
  /** Milliseconds from spawn to ready. */
  startedInMs: number
  /** Resolves when the process exits (expectedly or not), with the tail of its output. */
  exited: Promise<{ code: number | null; signal: string | null; output: string }>
  stop(): Promise<void>
}

export class NotInstalled extends Error {
  constructor(readonly spec: InstalledServerSpec) {
    super(`${spec.name} is not installed on this machine (looked for ${[...spec.candidates, ...(spec.places ?? [])].join(', ')}). Install it: ${installLine(spec)}`)
    this.name = 'NotInstalled'
  }
}

export class StartFailed extends Error {
  constructor(
    message: string,
    readonly output: string
  ) {
    super(message)
    this.name = 'StartFailed'
  }
}

/** The one-line install command for this OS. */
export function installLine(spec: InstalledServerSpec, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin') return spec.install.macos
  if (platform === 'win32') return spec.install.windows
  return spec.install.linux
}

const isExecutable = (file: string): boolean => {
  try {
    accessSync(file, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** The first candidate on `env.PATH` that is executable, else the first of `places` that is. */
export function findInstalled(spec: InstalledServerSpec, env: NodeJS.ProcessEnv = process.env): string | null {
  const dirs = (env.PATH ?? '').split(path.delimiter).filter(Boolean)
  const exts = process.platform === 'win32' ? ['', '.exe', '.bat', '.cmd'] : ['']
  for (const c of spec.candidates)
    for (const d of dirs) for (const ext of exts) if (isExecutable(path.join(d, c + ext))) return path.join(d, c + ext)
  if (env.WIRELAB_ONLY_PATH === '1') return null
  return (spec.places ?? []).find(isExecutable) ?? null
}

/** A port that was free a moment ago (the OS picks it), for a server that cannot report its own. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer()
    s.once('error', reject)
    s.listen(0, LOOPBACK, () => {
      const port = (s.address() as net.AddressInfo).port
      s.close(() => resolve(port))
    })
  })
}

/** True when something accepts a TCP connection on 127.0.0.1:`port`. */
export function portAccepts(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: LOOPBACK, port })
    const done = (ok: boolean): void => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(timeoutMs, () => done(false))
    socket.once('connect', () => done(true))
    socket.once('error', () => done(false))
  })
}

const OUTPUT_TAIL = 8 * 1024
/** Running servers and the mark their processes carry in their environment. */
const live = new Map<InstalledServer, string>()
let exitHookInstalled = false

/**
 * Every child process gets `WIRELAB_SERVER=<mark>` in its environment, and so does everything it
 * starts, however it detaches (a daemon such as Erlang's port mapper `epmd`, a helper that leaves the
 * process group). On stop those are found by the mark and ended by PID too.
 */
const MARK = 'WIRELAB_SERVER'

/** PIDs of the processes whose environment carries `mark` (Linux `/proc`; elsewhere `ps` with environments). */
export function markedProcesses(mark: string): number[] {
  const needle = `${MARK}=${mark}`
  if (process.platform === 'linux') {
    const pids: number[] = []
    let entries: string[]
    try {
      entries = readdirSync('/proc')
    } catch {
      return []
    }
    for (const name of entries) {
      if (!/^\d+$/.test(name) || Number(name) === process.pid) continue
      try {
        if (readFileSync(`/proc/${name}/environ`, 'latin1').split('\0').includes(needle)) pids.push(Number(name))
      } catch {
        // gone, or not ours to read
      }
    }
    return pids
  }
  if (process.platform === 'win32') return []
  try {
    // BSD/macOS ps: `-E` appends each process's environment to its command line.
    const out = execFileSync('ps', ['-axwwE', '-o', 'pid=,command='], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
    return out
      .split('\n')
      .filter((l) => l.includes(needle))
      .map((l) => Number.parseInt(l.trim(), 10))
      .filter((pid) => Number.isInteger(pid) && pid !== process.pid)
  } catch {
    return []
  }
}

function killMarked(mark: string, signal: NodeJS.Signals): number {
  const pids = markedProcesses(mark)
  for (const pid of pids) {
    try {
      process.kill(pid, signal)
    } catch {
      // already gone
    }
  }
  return pids.length
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return
  try {
    // A negative pid signals the whole process group (the child was started detached).
    process.kill(process.platform === 'win32' ? child.pid : -child.pid, signal)
  } catch {
    // already gone
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return
  exitHookInstalled = true
  // The host is going away: no server it started may outlive it.
  process.once('exit', () => {
    for (const [s, mark] of live) {
      try {
        process.kill(process.platform === 'win32' ? s.pid : -s.pid, 'SIGKILL')
      } catch {
        // already gone
      }
      killMarked(mark, 'SIGKILL')
    }
  })
}

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/**
 * Starts the installed server on a hidden port with a private data folder and waits until it
 * serves. Rejects with `NotInstalled` when no candidate is found, `StartFailed` (with the tail of
 * its output) when it exits early or does not become ready in time.
 */
export async function startInstalled(
  spec: InstalledServerSpec,
  o: { onProgress?(elapsedMs: number): void; env?: NodeJS.ProcessEnv } = {}
): Promise<InstalledServer> {
  const found = findInstalled(spec, o.env)
  if (!found) throw new NotInstalled(spec)
  const binary = spec.program?.(found) ?? found
  const version = await spec.version?.(binary).catch(() => undefined)
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `wirelab-${spec.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-`))
  const port = await freePort()
  const dirs: ServerDirs = { port, dataDir, binary }
  const cleanDir = (): void => rmSync(dataDir, { recursive: true, force: true })
  try {
    await spec.prepare?.(dirs)
  } catch (err) {
    cleanDir()
    throw err
  }

  const started = Date.now()
  const mark = randomUUID()
  const child = spawn(binary, spec.args(dirs), {
    cwd: dataDir,
    env: { ...process.env, ...spec.env?.(dirs), [MARK]: mark },
    detached: process.platform !== 'win32',
    stdio: ['ignore', 'pipe', 'pipe'],
    windowsHide: true
  })
  let output = ''
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  let exitedEarly: { code: number | null; signal: string | null } | null = null
  const exited = new Promise<{ code: number | null; signal: string | null; output: string }>((resolve) => {
    child.once('error', (err) => {
      keep(Buffer.from(`\n${err.message}\n`))
      exitedEarly ??= { code: null, signal: null }
      resolve({ code: null, signal: null, output })
    })
    child.once('exit', (code, signal) => {
      exitedEarly ??= { code, signal }
      resolve({ code, signal, output })
    })
  })

  let stopping: Promise<void> | null = null
  const server: InstalledServer = {
    ...dirs,
    ...(version ? { version } : {}),
    pid: child.pid ?? -1,
    startedInMs: 0,
    exited,
    stop() {
      stopping ??= (async () => {
        live.delete(server)
        if (exitedEarly === null) {
          try {
            await Promise.race([spec.stop?.({ ...dirs, pid: server.pid }), delay(10_000)])
          } catch {
            // fall through to signals
          }
          killGroup(child, 'SIGTERM')
          const gone = await Promise.race([exited.then(() => true), delay(3000).then(() => false)])
          if (!gone) {
            killGroup(child, 'SIGKILL')
            await Promise.race([exited, delay(2000)])
          }
        }
        // Processes that left the group (daemons it started) end too.
        if (killMarked(mark, 'SIGTERM') > 0) {
          for (let i = 0; i < 20 && markedProcesses(mark).length > 0; i++) await delay(50)
          killMarked(mark, 'SIGKILL')
        }
        cleanDir()
      })()
      return stopping
    }
  }
  live.set(server, mark)
  installExitHook()

  const timeout = spec.startTimeoutMs ?? 15_000
  const isReady = spec.ready ?? ((d: ServerDirs) => portAccepts(d.port))
  for (;;) {
    const elapsed = Date.now() - started
    o.onProgress?.(elapsed)
    if (exitedEarly !== null) {
      await server.stop()
      const { code, signal } = exitedEarly as { code: number | null; signal: string | null }
      throw new StartFailed(
        `${spec.name} exited while starting (${signal ? `signal ${signal}` : `code ${code}`}). Its last output:\n${output.trim().split('\n').slice(-12).join('\n')}`,
        output
      )
    }
    if (await isReady(dirs).catch(() => false)) break
    if (elapsed > timeout) {
      await server.stop()
      throw new StartFailed(
        `${spec.name} did not start within ${Math.round(timeout / 1000)} s. Its last output:\n${output.trim().split('\n').slice(-12).join('\n')}`,
        output
      )
    }
    await delay(elapsed < 1000 ? 50 : 250)
  }
  server.startedInMs = Date.now() - started
  return server
}
