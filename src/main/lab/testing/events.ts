// Helpers for tests that drive the engine with real sockets.
import { execFileSync, spawn } from 'node:child_process'
import path from 'node:path'
import readline from 'node:readline'
import type { LabEvent } from '../../../shared/events'
import { fromWire, type WireEvent } from '../../../shared/wire'
import type { Session } from '../session/session'

/** Resolves when `predicate` holds for the session's events (checked on every new event). */
export function waitForEvents(
  session: Session,
  predicate: (events: readonly LabEvent[]) => boolean,
  timeoutMs = 5000
): Promise<readonly LabEvent[]> {
  return new Promise((resolve, reject) => {
    if (predicate(session.events)) return resolve(session.events)
    const timer = setTimeout(() => {
      unsubscribe()
      reject(new Error(`timed out after ${timeoutMs} ms waiting for events (have ${session.size})`))
    }, timeoutMs)
    const unsubscribe = session.subscribe(() => {
      if (predicate(session.events)) {
        clearTimeout(timer)
        unsubscribe()
        resolve(session.events)
      }
    })
  })
}

export function has(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

export const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes)

/** A `wirelab serve` child process, its ready line and its event stream (`--jsonl`). */
export interface Served {
  ports: Record<string, number>
  events: LabEvent[]
  until(pred: (events: LabEvent[]) => boolean, what: string, ms?: number): Promise<void>
  stop(): Promise<number | null>
}

/** Starts `wirelab serve <scene> --ephemeral --jsonl` and waits for its ready line. */
export async function serve(scene: string, readyMs = 60_000, extra: string[] = []): Promise<Served> {
  const root = path.join(__dirname, '..', '..', '..', '..')
  const child = spawn(process.execPath, [path.join(root, 'bin', 'wirelab.js'), 'serve', scene, '--ephemeral', '--jsonl', ...extra], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)))
  const events: LabEvent[] = []
  let ports: Record<string, number> | null = null
  const wake: (() => void)[] = []
  readline.createInterface({ input: child.stdout }).on('line', (l) => {
    const obj = JSON.parse(l) as { kind: string; ports?: Record<string, number> }
    if (obj.kind === 'ready') ports = obj.ports ?? {}
    else events.push(fromWire(obj as WireEvent))
    wake.splice(0).forEach((w) => w())
  })
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
  const until = async (pred: () => boolean, what: string, ms = 15_000): Promise<void> => {
    const end = Date.now() + ms
    while (!pred()) {
      if (child.exitCode !== null) throw new Error(`serve exited (${child.exitCode}) waiting for ${what}: ${stderr}`)
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
      await new Promise<void>((r) => {
        wake.push(r)
        setTimeout(r, 100)
      })
    }
  }
  await until(() => ports !== null, 'the ready line', readyMs)
  return {
    ports: ports!,
    events,
    until: (pred, what, ms) => until(() => pred(events), what, ms),
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM')
      return exited
    }
  }
}
