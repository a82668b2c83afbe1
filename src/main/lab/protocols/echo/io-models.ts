// The echo server three ways, each listening directly on its public port (no relay, so its own
// accept queue is what clients meet), each taking `delayMs` of "work" per request (seed 004,
// "I/O Blocante" and "asyncio"):
//   blocking    one client at a time; accept() and recv() block (a worker thread, Atomics.wait)
//   threads     one thread per request (worker_threads), the acceptor stays free
//   event-loop  one thread; the work is a timer, so the loop serves everyone meanwhile
// or the course's own Python servers (tcp_server.py, asyncio_server.py). What each server does
// (accept, read, write, close) is reported to `events` with the time it happened.
import { Worker } from 'node:worker_threads'
import { spawn, type ChildProcess } from 'node:child_process'
import { listenWithFallback } from '../../net/ports'
import { IO_WORKER_SOURCE } from './io-worker'
import { asyncioServerPy, tcpServerPy } from './python-servers'

export type IoModel = 'blocking' | 'threads' | 'event-loop'
export type IoImplementation = 'node' | 'python'

export interface IoEvents {
  accept(e: { port: number; host: string; t: number }): void
  /** The server read a request (it had waited in the socket's receive buffer until then). */
  read(e: { port: number; data: Uint8Array; t: number }): void
  write(e: { port: number; data: Uint8Array; t: number }): void
  /** The client's FIN, as the server saw it. */
  end(e: { port: number; t: number }): void
  close(e: { port: number; t: number; how: 'fin' | 'idle' | 'rst'; reason?: string }): void
  /** Threads started and alive (the thread-per-client server). */
  threads?(e: { live: number; started: number; startMs: number; rssMB: number; t: number }): void
}

export interface IoServerOptions {
  preferredPort: number
  host: string
  backlog: number
  delayMs: number
  /** How long the blocking server waits for a silent client before giving up on it. */
  idleTimeoutMs: number
  events: IoEvents
  implementation?: IoImplementation
  /** Python executable for the course's servers (default `python3`). */
  python?: string
}

export interface IoServer {
  model: IoModel
  implementation: IoImplementation
  port: number
  fellBack: boolean
  /** Events the server reports itself (Python servers report only accepts, from their output). */
  reports: 'all' | 'accepts'
  setDelay(ms: number, idleTimeoutMs?: number): void
  close(): Promise<void>
}

// One monotonic clock for every thread, mapped to the wall clock the session uses
// (performance.timeOrigin + performance.now(), ms since the epoch).
const now = (): number => performance.timeOrigin + performance.now()
const BASE = { epoch: now(), hr: process.hrtime.bigint() }
export const hrToEpoch = (hr: bigint): number => BASE.epoch + Number(hr - BASE.hr) / 1e6

type WorkerMessage =
  | { type: 'listening'; port: number }
  | { type: 'listen-error'; code?: string; message: string }
  | { type: 'accept'; hr: bigint; port: number; host: string }
  | { type: 'read' | 'write'; hr: bigint; port: number; data: Uint8Array }
  | { type: 'end'; hr: bigint; port: number }
  | { type: 'close'; hr: bigint; port: number; how: 'fin' | 'idle' | 'rst'; reason?: string }
  | { type: 'threads'; hr: bigint; live: number; started: number; startMs: number; rss: number }

/** A Node server in a worker thread of its own (see io-worker.ts). */
async function startInWorker(model: IoModel, o: IoServerOptions): Promise<IoServer> {
  const worker = new Worker(IO_WORKER_SOURCE, { eval: true, workerData: { model } })
  worker.on('error', () => undefined)
  worker.postMessage({ type: 'config', delayMs: o.delayMs, idleTimeoutMs: o.idleTimeoutMs })
  let pending: { resolve(port: number): void; reject(e: Error): void } | null = null
  worker.on('message', (m: WorkerMessage) => {
    switch (m.type) {
      case 'listening':
        pending?.resolve(m.port)
        return
      case 'listen-error':
        pending?.reject(Object.assign(new Error(m.message), { code: m.code }))
        return
      case 'accept':
        return o.events.accept({ port: m.port, host: m.host, t: hrToEpoch(m.hr) })
      case 'read':
      case 'write':
        return o.events[m.type]({ port: m.port, data: new Uint8Array(m.data), t: hrToEpoch(m.hr) })
      case 'end':
        return o.events.end({ port: m.port, t: hrToEpoch(m.hr) })
      case 'close':
        return o.events.close({ port: m.port, t: hrToEpoch(m.hr), how: m.how, ...(m.reason ? { reason: m.reason } : {}) })
      case 'threads':
        return o.events.threads?.({ live: m.live, started: m.started, startMs: m.startMs, rssMB: Math.round(m.rss / 1e5) / 10, t: hrToEpoch(m.hr) })
    }
  })
  const listen = (port: number): Promise<number> =>
    new Promise<number>((resolve, reject) => {
      pending = { resolve, reject }
      worker.postMessage({ type: 'listen', port, host: o.host, backlog: o.backlog })
    })
  try {
    const { port, fellBack } = await listenWithFallback(listen, o.preferredPort)
    return {
      model,
      implementation: 'node',
      port,
      fellBack,
      reports: 'all',
      setDelay: (ms, idle = o.idleTimeoutMs) => worker.postMessage({ type: 'config', delayMs: ms, idleTimeoutMs: idle }),
      // A worker blocked in its handler cannot read a message: terminate it (its threads end with it).
      close: async () => {
        await worker.terminate()
      }
    }
  } catch (err) {
    await worker.terminate()
    throw err
  }
}

/** The course's Python server, found on PATH; its "Ligado por (host, port)" lines report accepts. */
async function startPython(model: 'blocking' | 'event-loop', o: IoServerOptions): Promise<IoServer> {
  const script = model === 'blocking' ? tcpServerPy() : asyncioServerPy()
  const python = o.python ?? 'python3'
  let child: ChildProcess | null = null
  const listen = (port: number): Promise<number> =>
    new Promise<number>((resolve, reject) => {
      const c = spawn(python, ['-u', '-c', script, String(port), String(o.backlog), String(o.delayMs / 1000)], {
        stdio: ['ignore', 'pipe', 'pipe']
      })
      let err = ''
      let buffered = ''
      c.stderr?.on('data', (d: Buffer) => (err += d.toString()))
      c.on('error', (e) => reject(e))
      c.on('exit', () => reject(Object.assign(new Error(err.trim().split('\n').pop() || `${python} exited`), { code: /Address already in use/.test(err) ? 'EADDRINUSE' : undefined })))
      c.stdout?.on('data', (d: Buffer) => {
        buffered += d.toString()
        const lines = buffered.split('\n')
        buffered = lines.pop() ?? ''
        for (const line of lines) {
          const listening = line.match(/(?:escutar em|servir em) \(?'?[\d.]+'?[:,] ?(\d+)/)
          if (listening) {
            child = c
            resolve(Number(listening[1]))
          }
          const accepted = line.match(/^Ligado por \('([^']+)', (\d+)\)/)
          if (accepted) o.events.accept({ host: accepted[1], port: Number(accepted[2]), t: now() })
        }
      })
    })
  const { port, fellBack } = await listenWithFallback(listen, o.preferredPort)
  return {
    model,
    implementation: 'python',
    port,
    fellBack,
    reports: 'accepts',
    setDelay: () => undefined,
    close: async () => {
      const c = child as ChildProcess | null
      if (!c || c.exitCode !== null) return
      await new Promise<void>((resolve) => {
        c.once('exit', () => resolve())
        c.kill('SIGTERM')
        setTimeout(() => c.kill('SIGKILL'), 1000).unref()
      })
    }
  }
}

export function startIoServer(model: IoModel, o: IoServerOptions): Promise<IoServer> {
  if (o.implementation === 'python' && model !== 'threads') return startPython(model, o)
  return startInWorker(model, o)
}
