// `wirelab serve <lesson> --jsonl` as a child process, for tests that point outside clients at it:
// its ready line (the ports it got) and the events it prints, with a way to wait on them.
import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import readline from 'node:readline'
import type { LabEvent } from '../../../shared/events'
import { fromWire, type WireEvent } from '../../../shared/wire'

const root = path.join(__dirname, '..', '..', '..', '..')

export interface Served {
  child: ChildProcess
  events: LabEvent[]
  /** The ports `serve` reported, by name. */
  ports: Record<string, number>
  /** Resolves once `pred` holds (checked on every line), or rejects after `ms`. */
  until(pred: () => boolean, ms?: number): Promise<void>
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>
}

export async function serve(scene: string, args: string[] = []): Promise<Served> {
  const child = spawn(
    process.execPath,
    [path.join(root, 'bin', 'wirelab.js'), 'serve', scene, '--jsonl', ...args],
    { cwd: root }
  )
  const events: LabEvent[] = []
  let ready: { ports: Record<string, number> } | null = null
  const waiters: (() => void)[] = []
  readline.createInterface({ input: child.stdout! }).on('line', (l) => {
    const obj = JSON.parse(l) as { kind: string }
    if (obj.kind === 'ready') ready = obj as unknown as { ports: Record<string, number> }
    else events.push(fromWire(obj as WireEvent))
    waiters.splice(0).forEach((w) => w())
  })
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
  const until = async (pred: () => boolean, ms = 10_000): Promise<void> => {
    const end = Date.now() + ms
    while (!pred()) {
      if (Date.now() > end) throw new Error('timed out')
      await new Promise<void>((r) => {
        waiters.push(r)
        setTimeout(r, 100)
      })
    }
  }
  try {
    await until(() => ready !== null, 30_000)
  } catch (err) {
    child.kill('SIGTERM')
    throw err
  }
  return {
    child,
    events,
    ports: (ready as unknown as { ports: Record<string, number> }).ports,
    until,
    stop() {
      child.kill('SIGTERM')
      return exited
    }
  }
}
