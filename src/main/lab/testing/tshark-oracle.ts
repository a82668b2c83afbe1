// tshark as a test oracle: a recorded conversation becomes a pcap (the same export `wirelab export
// --pcap` writes) and tshark, told which dissector to use on the port, reads it back. Tests compare
// what it finds with what Wirelab's dissectors find.
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import type { LabEvent } from '../../../shared/events'
import type { Conversation } from '../dissect/conversation'
import { toPcap } from '../../../shared/pcap'

const run = promisify(execFile)

/** Session events for one recorded conversation between 127.0.0.1:40000 and 127.0.0.1:`port`. */
export function conversationEvents(c: Conversation, port: number): LabEvent[] {
  const events: LabEvent[] = []
  let seq = 0
  const t = Date.UTC(2024, 2, 1)
  events.push({ kind: 'conn.open', seq: ++seq, t, conn: 'c1', transport: 'tcp', from: 'client', to: 'server', client: { host: '127.0.0.1', port: 40000 }, server: { host: '127.0.0.1', port } })
  const offsets = { c2s: 0, s2c: 0 }
  for (const p of c.pieces) {
    events.push({ kind: 'bytes', seq: ++seq, t: t + seq, conn: 'c1', dir: p.dir, offset: offsets[p.dir], data: p.data })
    offsets[p.dir] += p.data.length
  }
  return events
}

/** One row per frame: the values of `fields` (`,`-joined when a field repeats). */
export async function tsharkFields(c: Conversation, decodeAs: string, fields: string[], port = 5432): Promise<{ dir: 'c2s' | 's2c'; values: string[] }[]> {
  return withPcap(c, port, async (file) => {
    const { stdout } = await run('tshark', ['-r', file, '-d', `tcp.port==${port},${decodeAs}`, '-T', 'fields', '-E', 'separator=\t', '-E', 'occurrence=a', '-E', 'aggregator=,', '-e', 'tcp.dstport', ...fields.flatMap((f) => ['-e', f])], { maxBuffer: 64 << 20 })
    return stdout
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => {
        const [dst, ...values] = l.split('\t')
        return { dir: Number(dst) === port ? 'c2s' : 's2c', values }
      })
  })
}

async function withPcap<T>(c: Conversation, port: number, fn: (file: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(tmpdir(), 'wirelab-tshark-'))
  const file = path.join(dir, 'c.pcap')
  try {
    writeFileSync(file, toPcap(conversationEvents(c, port)).bytes)
    return await fn(file)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** One entry per frame that has `layer`: its top-level fields (repeated fields as arrays). */
export async function tsharkLayers(c: Conversation, decodeAs: string, layer: string, port: number): Promise<{ dir: 'c2s' | 's2c'; fields: Record<string, unknown> }[]> {
  return withPcap(c, port, async (file) => {
    const { stdout } = await run('tshark', ['-r', file, '-d', `tcp.port==${port},${decodeAs}`, '-T', 'json', '--no-duplicate-keys', '-j', `tcp ${layer}`], { maxBuffer: 64 << 20 })
    const frames = JSON.parse(stdout) as { _source: { layers: Record<string, Record<string, unknown>> } }[]
    return frames
      .filter((f) => f._source.layers[layer])
      .map((f) => ({ dir: Number(f._source.layers.tcp?.['tcp.dstport']) === port ? 'c2s' : 's2c', fields: f._source.layers[layer] }))
  })
}
