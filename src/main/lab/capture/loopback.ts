// Capturing on the loopback interface with dumpcap (Wireshark's capture tool), where this machine
// allows it (root, CAP_NET_RAW, or the wireshark group): classic pcap on a pipe, read by hand,
// each frame parsed. Where it does not, `probeCapture` says why.
import net from 'node:net'
import { spawn, type ChildProcess } from 'node:child_process'
import { reasonOf } from '../dissect/error'
import { LOOPBACK, listenTcp } from '../net/ports'
import { PcapStream, type PcapRecord } from './pcap-stream'
import { parseFrame, type ParsedFrame } from './frame'

export interface CaptureProbe {
  ok: boolean
  tool?: string
  reason?: string
}

/** Whether dumpcap exists and may capture on `lo` (it lists the interface only if it may open it). */
export function probeCapture(timeoutMs = 4000): Promise<CaptureProbe> {
  return new Promise((resolve) => {
    let out = ''
    let err = ''
    let child: ChildProcess
    try {
      child = spawn('dumpcap', ['-D'], { stdio: ['ignore', 'pipe', 'pipe'] })
    } catch (e) {
      resolve({ ok: false, reason: reasonOf(e) })
      return
    }
    const timer = setTimeout(() => {
      child.kill()
      resolve({ ok: false, reason: 'dumpcap -D did not answer' })
    }, timeoutMs)
    child.stdout?.on('data', (c: Buffer) => (out += c.toString()))
    child.stderr?.on('data', (c: Buffer) => (err += c.toString()))
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer)
      resolve({ ok: false, reason: e.code === 'ENOENT' ? 'dumpcap is not installed' : e.message })
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      if (code === 0 && /\blo\b/.test(out)) resolve({ ok: true, tool: 'dumpcap' })
      else resolve({ ok: false, reason: (err.trim().split('\n')[0] || `dumpcap cannot open the loopback interface (exit ${code})`).slice(0, 200) })
    })
  })
}

export interface CapturedFrame extends PcapRecord {
  parsed: ParsedFrame
}

export interface LiveCapture {
  /** Resolves once dumpcap is capturing and the capture has caught up (or rejects with why not). */
  ready: Promise<void>
  /** Resolves once every segment sent so far has come out of the capture (false after 3 s). */
  settle(): Promise<boolean>
  stop(): void
}

/** A port where nothing listens (bound, then released). */
export async function freePort(): Promise<number> {
  const s = net.createServer()
  const port = await listenTcp(s, 0, LOOPBACK)
  await new Promise<void>((r) => s.close(() => r()))
  return port
}

/**
 * Captures on `lo` the TCP and UDP traffic of `ports`, calling `onFrame` with each IPv4 frame
 * parsed (frames that do not parse go to `onError` and the capture goes on). `snaplen` bytes of
 * each frame are kept. A knock on a port where nothing listens marks how far the capture got.
 */
export async function captureLoopback(
  ports: { tcp?: number[]; udp?: number[] },
  onFrame: (f: CapturedFrame) => void,
  onError: (reason: string) => void,
  snaplen = 512
): Promise<LiveCapture> {
  const probePort = await freePort()
  const terms = [...(ports.tcp ?? []).map((p) => `tcp port ${p}`), ...(ports.udp ?? []).map((p) => `udp port ${p}`), `tcp port ${probePort}`]
  const child = spawn('dumpcap', ['-i', 'lo', '-P', '-q', '-s', String(snaplen), '-w', '-', '-f', terms.join(' or ')], {
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let knocks = 0
  const knockWaiters: (() => void)[] = []
  const stream = new PcapStream((r) => {
    let parsed: ParsedFrame | null
    try {
      parsed = parseFrame(r.link, r.data, r.origLen)
    } catch (e) {
      onError(`a captured frame could not be parsed: ${reasonOf(e)}`)
      return
    }
    if (!parsed) return
    const tcp = parsed.tcp
    if (tcp && (tcp.dstPort === probePort || tcp.srcPort === probePort)) {
      if (tcp.dstPort === probePort && tcp.flags & 0x02) {
        knocks++
        for (const w of knockWaiters.splice(0)) w()
      }
      return
    }
    onFrame({ ...r, parsed })
  })
  let started = false
  let err = ''
  const capturing = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('dumpcap did not start within 5 s')), 5000)
    child.stderr?.on('data', (c: Buffer) => {
      err += c.toString()
      if (!started && /Capturing on/.test(err)) {
        started = true
        clearTimeout(timer)
        resolve()
      }
    })
    child.on('error', (e) => {
      clearTimeout(timer)
      reject(e)
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      if (!started) reject(new Error(err.trim().split('\n')[0] || `dumpcap exited with ${code}`))
    })
  })
  child.stdout?.on('data', (c: Buffer) => {
    try {
      stream.push(new Uint8Array(c))
    } catch (e) {
      onError(reasonOf(e))
      child.kill()
    }
  })
  const settle = (): Promise<boolean> =>
    new Promise((resolve) => {
      const before = knocks
      const deadline = Date.now() + 3000
      let timer: NodeJS.Timeout | undefined
      const knock = (): void => {
        if (knocks > before) return
        if (Date.now() > deadline) return resolve(false)
        const s = net.connect({ host: LOOPBACK, port: probePort })
        s.on('error', () => undefined)
        s.on('connect', () => s.destroy())
        timer = setTimeout(knock, 400)
      }
      knockWaiters.push(() => {
        clearTimeout(timer)
        resolve(true)
      })
      knock()
    })
  const ready = capturing.then(async () => {
    if (!(await settle())) throw new Error('dumpcap started but captured nothing on lo')
  })
  ready.catch(() => child.kill())
  return {
    ready,
    settle,
    stop() {
      child.kill('SIGTERM')
    }
  }
}
