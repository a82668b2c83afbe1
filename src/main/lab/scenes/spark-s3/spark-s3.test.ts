// The Spark-on-S3 lesson through the command line, as the issue asks: `wirelab run` shows the
// driver's HEAD and LIST, one explicit footer Range GET per file and column-chunk Range GETs
// answered 206 whose ranges are exactly the chosen columns' chunks in the Parquet metadata, for
// less than half of the bytes; `wirelab serve` answers the AWS CLI (Debian's awscli) and boto3.
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { parquetMetadata } from 'hyparquet'
import type { LabEvent, PduEvent } from '../../../../shared/events'
import { fromWire, isSessionFile } from '../../../../shared/wire'
import { writeVendas, DEFAULT_DATASET } from '../../protocols/s3/parquet-dataset'
import { has } from '../../testing/events'
import { serve } from '../../testing/serve'
import { fillClient } from '../client-files'

const run = promisify(execFile)
const root = path.join(__dirname, '..', '..', '..', '..', '..')
const wirelab = path.join(root, 'bin', 'wirelab.js')
const AWS = existsSync('/usr/bin/aws') ? '/usr/bin/aws' : 'aws'
const PY = '/usr/bin/python3'
const pdus = (events: LabEvent[]): PduEvent[] => events.filter((e): e is PduEvent => e.kind === 'pdu' && !e.modeled)

describe('wirelab run spark-s3', () => {
  it('LIST/HEAD, one footer Range GET per file, then only the chosen columns’ chunks, answered 206, under half of the bytes', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wirelab-s3-'))
    const out = path.join(dir, 's3.wirelab')
    await run(process.execPath, [wirelab, 'run', 'spark-s3', '--ephemeral', '--out', out], { cwd: root, timeout: 120_000, maxBuffer: 64 << 20 })
    const file: unknown = JSON.parse(readFileSync(out, 'utf8'))
    rmSync(dir, { recursive: true, force: true })
    expect(isSessionFile(file)).toBe(true)
    const events = (file as { events: Parameters<typeof fromWire>[0][] }).events.map(fromWire)
    // The first read: between the "pruning" checkpoint's question and its answer.
    const ask = events.findIndex((e) => e.kind === 'checkpoint' && e.id === 'pruning' && e.state === 'ask')
    const answer = events.findIndex((e) => e.kind === 'checkpoint' && e.id === 'pruning' && e.state === 'answer')
    const step = pdus(events.slice(ask, answer))
    const reqs = step.filter((p) => p.dir === 'c2s' && p.protocol === 'http')
    expect(reqs.slice(0, 2).map((p) => p.keys?.s3)).toEqual(['HeadObject', 'ListObjectsV2'])
    const dataset = writeVendas(DEFAULT_DATASET)
    expect(reqs.filter((p) => p.keys?.s3 === 'HeadObject')).toHaveLength(1 + dataset.length)
    let bytes = 0
    for (const f of dataset) {
      const gets = reqs.filter((p) => p.keys?.s3 === 'GetObject' && p.keys.key === f.key)
      // The footer: an explicit first-last range ending at the last byte (never "bytes=-N").
      expect(gets[0].keys?.rangeLast).toBe(f.bytes.length - 1)
      expect(typeof gets[0].keys?.rangeFirst).toBe('number')
      const meta = parquetMetadata(f.bytes.slice().buffer as ArrayBuffer)
      const chunks = meta.row_groups.flatMap((rg) =>
        rg.columns
          .filter((c) => ['loja', 'valor'].includes(c.meta_data!.path_in_schema[0]))
          .map((c) => {
            const start = Number(c.meta_data!.dictionary_page_offset ?? c.meta_data!.data_page_offset)
            return `bytes=${start}-${start + Number(c.meta_data!.total_compressed_size) - 1}`
          })
      )
      expect(gets.slice(1).map((p) => `bytes=${p.keys?.rangeFirst}-${p.keys?.rangeLast}`)).toEqual(chunks)
    }
    const answers = step.filter((p) => p.dir === 's2c' && p.keys?.s3 === 'GetObject')
    expect(answers.length).toBe(reqs.filter((p) => p.keys?.s3 === 'GetObject').length)
    for (const a of answers) {
      expect(a.keys?.status).toBe(206)
      bytes += Number(a.keys?.contentLast) - Number(a.keys?.contentFirst) + 1
    }
    const total = dataset.reduce((n, f) => n + f.bytes.length, 0)
    expect(bytes).toBeLessThan(total / 2)
    // And the checkpoint's answer was read from those same events.
    const a = events[answer]
    expect(a.kind === 'checkpoint' && a.answer).toEqual(['part'])
  }, 180_000)
})

describe.skipIf(!has(AWS) || !has(PY))('wirelab serve spark-s3 with outside clients', () => {
  it('aws s3 ls lists the table and boto3 reads a file’s footer with a Range GET', async () => {
    const s = await serve('spark-s3', ['--ephemeral'], 90_000)
    try {
      const port = s.ports.s3
      const env = { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' }
      const ls = await run(AWS, ['s3', 'ls', 's3://datalake/vendas/', '--recursive', '--endpoint-url', `http://127.0.0.1:${port}`, '--no-sign-request', '--region', 'us-east-1'], { timeout: 60_000, env })
      const listed = ls.stdout.trim().split('\n')
      expect(listed).toHaveLength(3)
      expect(listed[0]).toMatch(/vendas\/data=2024-03-01\/part-00000\.parquet$/)
      const dir = mkdtempSync(path.join(tmpdir(), 'wirelab-boto3-'))
      const script = path.join(dir, 's3_range_get.py')
      writeFileSync(script, fillClient(readFileSync(path.join(root, 'resources', 'clients', 's3_range_get.py'), 'utf8'), { HOST: '127.0.0.1', PORT: port }))
      const py = await run(PY, [script], { timeout: 60_000, env }).finally(() => rmSync(dir, { recursive: true, force: true }))
      expect(py.stdout).toMatch(/assinatura b'PAR1'/)
      await s.until(() => pdus(s.events).filter((p) => p.dir === 's2c' && p.keys?.s3 === 'GetObject').length >= 2, 15_000)
      const ext = new Set(s.events.filter((e) => e.kind === 'node' && e.external).map((e) => (e as { node: string }).node))
      const theirs = new Set(s.events.filter((e) => e.kind === 'conn.open' && ext.has(e.from)).map((e) => (e as { conn: string }).conn))
      const reqs = pdus(s.events).filter((p) => theirs.has(p.conn) && p.dir === 'c2s')
      expect(reqs.map((p) => p.keys?.s3)).toEqual(expect.arrayContaining(['ListObjectsV2', 'GetObject']))
      const gets = reqs.filter((p) => p.keys?.s3 === 'GetObject')
      const size = writeVendas()[0].bytes.length
      expect(gets[0].keys).toMatchObject({ rangeFirst: size - 8, rangeLast: size - 1 })
      const answer = pdus(s.events).find((p) => p.conn === gets[0].conn && p.dir === 's2c' && p.keys?.index === gets[0].keys?.index)
      expect(answer?.keys).toMatchObject({ status: 206, contentFirst: size - 8, contentLast: size - 1, objectSize: size })
    } finally {
      expect(await s.stop()).toBe(0)
    }
  }, 180_000)
})
