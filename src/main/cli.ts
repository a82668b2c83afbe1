// The command line: run a lesson headless, serve its ports, export a session. Same engine as the
// app; output is JSON lines (byte arrays as base64) or a readable log.
import { readFileSync, writeFileSync } from 'node:fs'
import { spawn } from 'node:child_process'
import type { LabEvent } from '../shared/events'
import { fromWire, isSessionFile, toWire } from '../shared/wire'
import { Lab } from './lab/lab'
import { lanAddresses } from './lab/net/ports'
import { startWebHost } from './web'
import { toPcap } from '../shared/pcap'
import { formatEvent } from './lab/session/format'
import { decodeCommand } from './cli/decode-command'
import { parseFaults, describeFaults, faultsActive, type FaultSettings } from '../shared/faults'

const FAULT_FLAGS = ['--latency', '--latency-up', '--latency-down', '--jitter', '--bandwidth', '--loss', '--duplicate', '--reorder']

/** Network conditions from the command line (`--latency 200 --loss 30` …), or undefined for none. */
export function faultsFromFlags(args: ParsedArgs): FaultSettings | undefined {
  const last = (f: string): string | undefined => args.flags.get(f)?.at(-1)
  if (!FAULT_FLAGS.some((f) => args.flags.has(f))) return undefined
  const input: Record<string, unknown> = {}
  const both = last('--latency')
  if (both !== undefined || last('--latency-up') !== undefined || last('--latency-down') !== undefined)
    input.latencyMs = { c2s: last('--latency-up') ?? both ?? 0, s2c: last('--latency-down') ?? both ?? 0 }
  const map: [string, string][] = [
    ['--jitter', 'jitterMs'],
    ['--bandwidth', 'bandwidthKbps'],
    ['--loss', 'lossPct'],
    ['--duplicate', 'duplicatePct'],
    ['--reorder', 'reorderPct']
  ]
  for (const [flag, key] of map) if (last(flag) !== undefined) input[key] = last(flag)
  return parseFaults(input)
}

function announceFaults(faults: FaultSettings | undefined): void {
  if (faults && faultsActive(faults)) process.stderr.write(`wirelab: ${describeFaults(faults).en}\n`)
}

export interface ParsedArgs {
  positional: string[]
  flags: Map<string, string[]>
}

export function parseArgs(argv: string[]): ParsedArgs {
  const positional: string[] = []
  const flags = new Map<string, string[]>()
  const takesValue = new Set([
    '--set',
    '--out',
    '--pcap',
    '--format',
    '--proto',
    '--type',
    '--host',
    '--port',
    '--allow-origin',
    '--target',
    '--listen',
    '--decode-as',
    ...FAULT_FLAGS
  ])
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a.startsWith('--')) {
      const eq = a.indexOf('=')
      const name = eq > 0 ? a.slice(0, eq) : a
      let value = eq > 0 ? a.slice(eq + 1) : 'true'
      if (eq < 0 && takesValue.has(name)) {
        if (i + 1 >= argv.length) throw new Error(`${name} needs a value`)
        value = argv[++i]
      }
      flags.set(name, [...(flags.get(name) ?? []), value])
    } else positional.push(a)
  }
  return { positional, flags }
}

function setValues(args: ParsedArgs): Record<string, string> {
  const out: Record<string, string> = {}
  for (const kv of args.flags.get('--set') ?? []) {
    const eq = kv.indexOf('=')
    if (eq <= 0) throw new Error(`--set expects key=value, got "${kv}"`)
    out[kv.slice(0, eq)] = kv.slice(eq + 1)
  }
  return out
}

function printer(jsonl: boolean): (e: LabEvent) => void {
  return (e) => process.stdout.write((jsonl ? JSON.stringify(toWire(e)) : formatEvent(e)) + '\n')
}

type Command = (args: ParsedArgs) => Promise<number>

function openBrowser(url: string): void {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'cmd' : 'xdg-open'
  const argv = process.platform === 'win32' ? ['/c', 'start', '', url] : [url]
  try {
    const child = spawn(cmd, argv, { stdio: 'ignore', detached: true })
    child.on('error', () => process.stderr.write(`wirelab: open ${url} in your browser\n`))
    child.unref()
  } catch {
    process.stderr.write(`wirelab: open ${url} in your browser\n`)
  }
}

const USAGE = `wirelab — network protocols made visible

Usage:
  wirelab scenes                              list lesson ids, one per line
  wirelab run <scene> [--set key=value]… [--out FILE] [--jsonl]
                                              run a lesson's default script headless, then exit
  wirelab serve <scene> [--set key=value]… [--jsonl] [--classroom]
                                              serve a lesson's public ports until Ctrl-C;
                                              --classroom also accepts students' devices on the LAN
  wirelab watch --target HOST:PORT [--target …] [--listen PORT] [--udp] [--decode-as ID]
                [--jsonl] [--out FILE] [--classroom]
                                              put the tap in front of your own server: point your
                                              client at the public port it prints; Ctrl-C ends
  wirelab export <session.wirelab> --pcap <out.pcap>
                                              write a saved session as a pcap for Wireshark
  wirelab decode --format protobuf [--proto FILE --type NAME] [--jsonl] HEX|BASE64
                                              dissect serialized bytes (json, protobuf, avro, msgpack,
                                              cbor, thrift-binary, thrift-compact), byte by byte
  wirelab web [--port N] [--open]            browser mode: the app at http://127.0.0.1:5180/
Options:
  --jsonl        one JSON object per event on stdout (byte arrays as base64)
  --ephemeral    use free ports instead of the course's defaults
Network conditions (run, serve, watch): every delayed, dropped or duplicated unit is logged
  --latency MS   added one-way delay each way (--latency-up / --latency-down for one direction)
  --jitter MS    random extra delay per unit, up to MS
  --bandwidth KBPS   kilobits per second per connection and direction
  --loss PCT  --duplicate PCT  --reorder PCT   UDP datagrams lost, doubled, delivered out of order
`

/** Resolves at the first Ctrl-C or SIGTERM after the call. */
function stopSignal(): Promise<void> {
  return new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve())
    process.once('SIGTERM', () => resolve())
  })
}

export const commands: Record<string, Command> = {
  async scenes() {
    for (const s of new Lab().scenes()) process.stdout.write(s.id + '\n')
    return 0
  },

  async run(args) {
    const scene = args.positional[1]
    if (!scene) throw new Error('usage: wirelab run <scene> [--set key=value]… [--out FILE] [--jsonl]')
    const faults = faultsFromFlags(args)
    const lab = new Lab({ ephemeralPorts: args.flags.has('--ephemeral'), ...(faults ? { faults } : {}) })
    announceFaults(faults)
    const jsonl = args.flags.has('--jsonl')
    const out = args.flags.get('--out')?.at(-1)
    if (jsonl || !out) lab.session.subscribe(printer(jsonl))
    await lab.start(scene, setValues(args))
    try {
      await lab.script()
    } finally {
      await lab.stop()
    }
    if (out) {
      writeFileSync(out, JSON.stringify(lab.session.toFile(scene)))
      process.stderr.write(`wirelab: ${lab.session.size} events written to ${out}\n`)
    }
    return 0
  },

  async serve(args) {
    const scene = args.positional[1]
    if (!scene) throw new Error('usage: wirelab serve <scene> [--jsonl] [--classroom]')
    const classroom = args.flags.has('--classroom')
    const faults = faultsFromFlags(args)
    const lab = new Lab({ ephemeralPorts: args.flags.has('--ephemeral'), ...(classroom ? { host: '0.0.0.0' } : {}), ...(faults ? { faults } : {}) })
    announceFaults(faults)
    if (classroom) {
      process.stderr.write(
        'wirelab: CLASSROOM MODE: the lesson\'s servers accept connections from your local network, not only from this\n' +
          'wirelab: computer. Anyone on the network can reach them; set a user name and password where the lesson\n' +
          'wirelab: offers one (e.g. --set username=turma --set password=…). Ctrl-C closes them.\n'
      )
      for (const addr of lanAddresses()) process.stderr.write(`wirelab: address to share: ${addr}\n`)
    }
    // Ctrl-C (or SIGTERM) is heard from here on: a client that reads the ready line and the first
    // events may ask to stop while the events so far are still being printed.
    const stopped = stopSignal()
    const status = await lab.start(scene, setValues(args))
    const ports = Object.fromEntries(status.ports.map((p) => [p.name, p.port]))
    process.stdout.write(JSON.stringify({ kind: 'ready', scene, ports, details: status.ports }) + '\n')
    for (const p of status.ports.filter((p) => p.fellBack))
      process.stderr.write(`wirelab: port ${p.preferred} is in use; ${p.name} listens on ${p.port}\n`)
    for (const h of status.hints) if (h.command) process.stderr.write(`wirelab: try  ${h.command}\n`)
    if (args.flags.has('--jsonl')) {
      // Everything since the lesson started (its start-up notes included), then live events.
      const print = printer(true)
      for (const e of lab.session.events) print(e)
      lab.session.subscribe(print)
    }
    // Until Ctrl-C, even when nothing else keeps the process alive (a lesson replaying a recording has no ports).
    const keepAlive = setInterval(() => undefined, 1 << 30)
    await stopped
    clearInterval(keepAlive)
    await lab.stop()
    return 0
  },

  async watch(args) {
    const targets = args.flags.get('--target') ?? []
    if (!targets.length) throw new Error('usage: wirelab watch --target HOST:PORT [--listen PORT] [--udp] [--jsonl] [--out FILE]')
    const classroom = args.flags.has('--classroom')
    const faults = faultsFromFlags(args)
    const lab = new Lab({ ...(classroom ? { host: '0.0.0.0' } : {}), ...(faults ? { faults } : {}) })
    announceFaults(faults)
    if (args.flags.has('--jsonl')) lab.session.subscribe(printer(true))
    const common = {
      transport: args.flags.has('--udp') ? 'udp' : 'tcp',
      decodeAs: args.flags.get('--decode-as')?.at(-1) ?? 'auto'
    }
    const status = await lab.start('watch', { ...common, target: targets[0], listen: args.flags.get('--listen')?.at(-1) ?? 0 })
    for (const target of targets.slice(1)) {
      const r = await lab.action('watch', { ...common, target, listen: 0 })
      if (!r.ok) throw new Error(r.message?.en ?? `cannot watch ${target}`)
    }
    const now = lab.status() ?? status
    const ports = Object.fromEntries(now.ports.map((p) => [p.name, p.port]))
    process.stdout.write(JSON.stringify({ kind: 'ready', scene: 'watch', ports, targets, details: now.ports }) + '\n')
    for (const [i, p] of now.ports.entries()) {
      process.stderr.write(`wirelab: ${targets[i]} is watched on ${p.host}:${p.port}: point your client there${p.fellBack ? ` (${p.preferred} was in use)` : ''}\n`)
    }
    await stopSignal()
    await lab.stop()
    const out = args.flags.get('--out')?.at(-1)
    if (out) {
      writeFileSync(out, JSON.stringify(lab.session.toFile('watch')))
      process.stderr.write(`wirelab: ${lab.session.size} events written to ${out}\n`)
    }
    return 0
  },

  async web(args) {
    const portFlag = args.flags.get('--port')?.at(-1)
    const host = await startWebHost({
      port: portFlag === undefined ? 5180 : Number(portFlag),
      ephemeralPorts: args.flags.has('--ephemeral'),
      allowOrigins: args.flags.get('--allow-origin'),
      log: (line) => process.stderr.write(`wirelab: ${line}\n`)
    })
    process.stdout.write(`Wirelab (browser mode) at ${host.url}\n`)
    if (args.flags.has('--open')) openBrowser(host.url)
    await stopSignal()
    await host.close()
    return 0
  },

  async decode(args) {
    const format = args.flags.get('--format')?.at(-1)
    const input = args.positional.slice(1).join(' ')
    if (!format || !input) throw new Error('usage: wirelab decode --format protobuf [--proto FILE --type NAME] HEX|BASE64')
    const r = decodeCommand({ format, input, proto: args.flags.get('--proto')?.at(-1), type: args.flags.get('--type')?.at(-1), jsonl: args.flags.has('--jsonl') })
    process.stdout.write(r.out)
    return r.code
  },

  async export(args) {
    const file = args.positional[1]
    const pcap = args.flags.get('--pcap')?.at(-1)
    if (!file || !pcap) throw new Error('usage: wirelab export <session.wirelab> --pcap <out.pcap>')
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'))
    if (!isSessionFile(parsed)) throw new Error(`${file} is not a Wirelab session file`)
    const { bytes, packets } = toPcap(parsed.events.map(fromWire))
    writeFileSync(pcap, bytes)
    process.stderr.write(`wirelab: ${packets} packets written to ${pcap}\n`)
    return 0
  }
}

export async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv)
  const name = args.positional[0]
  if (!name || args.flags.has('--help') || name === 'help') {
    process.stdout.write(USAGE)
    return name ? 0 : 1
  }
  const command = commands[name]
  if (!command) {
    process.stderr.write(`wirelab: unknown command "${name}"\n\n${USAGE}`)
    return 2
  }
  return command(args)
}

/** Entry point used by bin/wirelab.js. */
export function runCli(argv: string[] = process.argv.slice(2)): void {
  // `wirelab run … | head` closes stdout early: that is not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0)
  })
  main(argv).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`wirelab: ${err instanceof Error ? err.message : String(err)}\n`)
      process.exit(1)
    }
  )
}
