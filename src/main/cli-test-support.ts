// `wirelab serve <lesson> --jsonl` driven as a person would: a spawned process, its ready line,
// its event stream parsed as it comes, and Ctrl-C at the end.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import path from 'node:path'
import readline from 'node:readline'
import type { LabEvent } from '../shared/events'
import { fromWire, type WireEvent } from '../shared/wire'

export const ROOT = path.join(__dirname, '..', '..')
export const WIRELAB = path.join(ROOT, 'bin', 'wirelab.js')

export interface Ready {
  kind: 'ready'
  scene: string
  ports: Record<string, number>
}

export interface Served {
  child: ChildProcessWithoutNullStreams
  ready: Ready
  events: LabEvent[]
  wire: WireEvent[]
  stderr: () => string
  /** Resolves once `pred` holds for the events so far (re-checked as lines arrive). */
  until(pred: (events: LabEvent[]) => boolean, ms?: number, what?: string): Promise<void>
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>
}

export async function serve(scene: string, args: string[] = [], env: NodeJS.ProcessEnv = process.env, readyMs = 120_000): Promise<Served> {
  const child = spawn(process.execPath, [WIRELAB, 'serve', scene, '--jsonl', '--ephemeral', ...args], { cwd: ROOT, env })
  const events: LabEvent[] = []
  const wire: WireEvent[] = []
  let err = ''
  child.stderr.on('data', (d: Buffer) => (err += d.toString()))
  let ready: Ready | null = null
  const waiters = new Set<() => void>()
  readline.createInterface({ input: child.stdout }).on('line', (l) => {
    const obj = JSON.parse(l) as { kind: string }
    if (obj.kind === 'ready') ready = obj as Ready
    else {
      wire.push(obj as WireEvent)
      events.push(fromWire(obj as WireEvent))
    }
    for (const w of waiters) w()
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const until = (pred: (e: LabEvent[]) => boolean, ms = 15_000, what = 'events'): Promise<void> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        if (pred(events)) {
          clearTimeout(timer)
          waiters.delete(check)
          resolve()
        }
      }
      const timer = setTimeout(() => {
        waiters.delete(check)
        reject(new Error(`timed out waiting for ${what}; stderr: ${err.slice(-2000)}`))
      }, ms)
      waiters.add(check)
      check()
    })
  await Promise.race([
    new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no ready line within ${readyMs} ms; stderr: ${err.slice(-2000)}`)), readyMs)
      const check = (): void => {
        if (ready) {
          clearTimeout(t)
          waiters.delete(check)
          resolve()
        }
      }
      waiters.add(check)
    }),
    exited.then((code) => {
      throw new Error(`serve exited with ${code} before it was ready: ${err.slice(-2000)}`)
    })
  ])
  return {
    child,
    ready: ready as unknown as Ready,
    events,
    wire,
    stderr: () => err,
    until,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM')
      return exited
    }
  }
}
