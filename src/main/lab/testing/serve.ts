// Drives `wirelab serve <lesson> --jsonl` as a person would (a spawned process), for tests: the
// ports it reports, the events it prints, and a way to wait for some of them.
import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import readline from 'node:readline'
import { fromWire, type WireEvent } from '../../../shared/wire'
import type { LabEvent } from '../../../shared/events'

export const ROOT = path.join(__dirname, '..', '..', '..', '..')
export const WIRELAB = path.join(ROOT, 'bin', 'wirelab.js')

export interface Served {
  child: ChildProcess
  ports: Record<string, number>
  events: LabEvent[]
  /** Resolves once `pred` holds (re-checked on every printed event), or rejects after `ms`. */
  until(pred: () => boolean, ms?: number): Promise<void>
  /** Ctrl-C, then the exit code. */
  stop(): Promise<number | null>
}

export async function serve(scene: string, args: string[] = [], readyMs = 30_000): Promise<Served> {
  const child = spawn(process.execPath, [WIRELAB, 'serve', scene, '--jsonl', ...args], { cwd: ROOT })
  let stderr = ''
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
  const events: LabEvent[] = []
  let ports: Record<string, number> | null = null
  const waiters: (() => void)[] = []
  readline.createInterface({ input: child.stdout! }).on('line', (l) => {
    const obj = JSON.parse(l) as { kind: string; ports?: Record<string, number> }
    if (obj.kind === 'ready') ports = obj.ports ?? {}
    else events.push(fromWire(obj as WireEvent))
    waiters.splice(0).forEach((w) => w())
  })
  const until = async (pred: () => boolean, ms = 10_000): Promise<void> => {
    const end = Date.now() + ms
    while (!pred()) {
      if (Date.now() > end) throw new Error(`timed out; serve's stderr: ${stderr.slice(-400)}`)
      if (child.exitCode !== null) throw new Error(`serve exited with ${child.exitCode}: ${stderr.slice(-400)}`)
      await new Promise<void>((r) => {
        waiters.push(r)
        setTimeout(r, 100)
      })
    }
  }
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
  try {
    await until(() => ports !== null, readyMs)
  } catch (err) {
    child.kill('SIGKILL')
    throw err
  }
  return {
    child,
    ports: ports!,
    events,
    until,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM')
      return exited
    }
  }
}
