// The lesson end to end in the engine: real encoders, a real socket through the tap, the framed
// wire dissector re-fed at every split, and the decode command.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { LabEvent, PduEvent } from '../../../../shared/events'
import { Lab } from '../../lab'
import { createDissector } from '..'
import { rangeProblems, tilingProblems } from '../../dissect/fields'
import type { PduDraft } from '../../dissect/types'
import { decodeWithLibrary } from './library-decode'
import { DEFAULT_READING, ENCODERS, FORMATS, protocolOf } from './record'
import { frame } from './frame'
import { decodeCommand } from '../../../cli/decode-command'
import '../../scenes/serialization'

const pdus = (events: readonly LabEvent[]): PduEvent[] =>
  events.filter((e): e is PduEvent => e.kind === 'pdu')

let lab: Lab | null = null
afterEach(async () => {
  await lab?.stop()
  lab = null
})

describe('serialization lesson', () => {
  it('emits one pdu per format with the encoded bytes, offset −1', async () => {
    lab = new Lab({ ephemeralPorts: true })
    await lab.start('serialization')
    await lab.script()
    const got = pdus(lab.session.events).filter((p) => p.keys?.source === 'encoder')
    expect(got.map((p) => p.keys?.format)).toEqual([...FORMATS])
    for (const p of got) {
      const format = p.keys!.format as (typeof FORMATS)[number]
      expect(p.protocol).toBe(protocolOf(format))
      expect(p.offset).toBe(-1)
      expect(Array.from(p.data)).toEqual(Array.from(ENCODERS[format](DEFAULT_READING)))
      expect(tilingProblems(p.fields, p.data.length)).toEqual([])
      expect(p.fields.some((f) => f.id === `${p.protocol}.temperatura`)).toBe(true)
    }
    expect(got.filter((p) => p.protocol === 'thrift').map((p) => p.keys?.variant)).toEqual([
      'binary',
      'compact'
    ])
  })

  it('re-encodes with an edited temperatura: every format changes', async () => {
    lab = new Lab({ ephemeralPorts: true })
    await lab.start('serialization')
    await lab.script()
    const before = pdus(lab.session.events).filter((p) => p.keys?.source === 'encoder')
    const r = await lab.action('encode', { temperatura: 30.1 })
    expect(r.ok).toBe(true)
    const after = pdus(lab.session.events)
      .filter((p) => p.keys?.source === 'encoder')
      .slice(before.length)
    expect(after).toHaveLength(FORMATS.length)
    for (let i = 0; i < after.length; i++) {
      expect(
        Buffer.from(after[i].data).equals(Buffer.from(before[i].data)),
        String(after[i].keys?.format)
      ).toBe(false)
      expect(after[i].fields.find((f) => f.id === `${after[i].protocol}.temperatura`)?.value).toBe('30.1')
    }
    const int = await lab.action('encode', { temperaturaType: 'int32' })
    expect(int.data).toMatchObject({ sizes: { protobuf: expect.any(Number) } })
  })

  it('narrates schema evolution with the real readers', async () => {
    lab = new Lab({ ephemeralPorts: true })
    await lab.start('serialization')
    const add = await lab.action('evolve-add')
    expect(add.ok).toBe(true)
    expect(add.data).toMatchObject({
      protobuf: { oldReader: { sensor: 'A1' } },
      avro: { newReaderOfOld: { unidade: '°C' } }
    })
    const ren = await lab.action('evolve-renumber')
    expect(ren.ok).toBe(true)
    const notes = lab.session.events
      .filter((e) => e.kind === 'note')
      .map((e) => (e.kind === 'note' ? e.key : ''))
    expect(notes).toEqual(
      expect.arrayContaining([
        'serialization.evolve.protobuf',
        'serialization.evolve.avro',
        'serialization.evolve.renumber'
      ])
    )
    const broken = pdus(lab.session.events).find((p) => p.keys?.schema === 'writer renumbered, reader v1')!
    expect(broken.fields.filter((f) => f.malformed).length).toBe(2)
  })

  it('decodes pasted bytes, and flags garbage with its range', async () => {
    lab = new Lab({ ephemeralPorts: true })
    await lab.start('serialization')
    const good = await lab.action('decode', { input: '08 96 01', format: 'protobuf' })
    expect(good.data).toMatchObject({ size: 3, malformed: null, decodeRaw: '1: 150\n' })
    const withSchema = await lab.action('decode', {
      input: Buffer.from(ENCODERS.protobuf(DEFAULT_READING)).toString('base64'),
      format: 'protobuf',
      type: 'LeituraResponse'
    })
    expect(withSchema.data).toMatchObject({ malformed: null })
    const own = await lab.action('decode', {
      input: '0a 02 41 31 10 2e',
      format: 'protobuf',
      schema: 'syntax = "proto3"; message M { string s = 1; sint32 z = 2; }',
      type: 'M'
    })
    expect(own.data).toMatchObject({ malformed: null, summary: 'M: 2 fields, 6 bytes' })
    const mine = pdus(lab.session.events).at(-1)!
    expect(mine.fields.map((f) => [f.id, f.value])).toEqual([
      ['protobuf.s', '"A1"'],
      ['protobuf.z', '23']
    ])
    const badProto = await lab.action('decode', {
      input: '00',
      format: 'protobuf',
      schema: 'message {',
      type: 'M'
    })
    expect(badProto.ok).toBe(false)
    const bad = await lab.action('decode', { input: 'c1 00 00', format: 'msgpack' })
    expect(bad.ok).toBe(true)
    const last = pdus(lab.session.events).at(-1)!
    expect(last.malformed).toMatchObject({ start: 0, end: 3 })
  })

  it('sends every format over a real socket through the tap; the receiver decodes them', async () => {
    lab = new Lab({ ephemeralPorts: true })
    await lab.start('serialization')
    const r = await lab.action('send', { wireFormat: 'all' })
    expect(r.ok).toBe(true)
    const data = r.data as { replies: { ok: boolean; format: string; decoded: Record<string, unknown> }[] }
    expect(data.replies.map((x) => x.format)).toEqual([...FORMATS])
    for (const x of data.replies) {
      expect(x.ok).toBe(true)
      expect(x.decoded.sensor).toBe('A1')
      expect(x.decoded.temperatura).toBe(23.5)
    }
    const tapped = pdus(lab.session.events).filter((p) => p.conn !== 'encoder' && p.keys?.format)
    const sent = tapped.filter((p) => p.dir === 'c2s')
    expect(sent.map((p) => p.keys?.format)).toEqual([...FORMATS])
    for (const p of sent) {
      expect(p.malformed).toBeUndefined()
      expect(tilingProblems(p.fields, p.data.length)).toEqual([])
      expect(p.offset).toBeGreaterThanOrEqual(0)
    }
    expect(tapped.filter((p) => p.dir === 's2c')).toHaveLength(FORMATS.length)
    expect(lab.session.events.some((e) => e.kind === 'bytes')).toBe(true)
  })
})

describe('a student’s own client', () => {
  it('the hint’s Python script sends a JSON frame; the receiver answers; the tap dissects it', async () => {
    expect(existsSync('/usr/bin/python3'), '/usr/bin/python3 is needed (CI installs it)').toBe(true)
    lab = new Lab({ ephemeralPorts: true })
    const status = await lab.start('serialization')
    const hint = status.hints.find((h) => h.file?.name === 'send_reading.py')!
    const dir = mkdtempSync(path.join(os.tmpdir(), 'wirelab-ser-'))
    writeFileSync(path.join(dir, 'send_reading.py'), hint.file!.content)
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn('/usr/bin/python3', ['send_reading.py'], { cwd: dir })
      let text = ''
      child.stdout.on('data', (d: Buffer) => (text += d.toString()))
      child.stderr.on('data', (d: Buffer) => (text += d.toString()))
      child.on('error', reject)
      child.on('close', (code) =>
        code === 0 ? resolve(text) : reject(new Error(`python3 exited ${code}: ${text}`))
      )
    })
    expect(JSON.parse(out)).toMatchObject({
      ok: true,
      format: 'json',
      decoded: { temperatura: 23.5, sensor: 'A1' }
    })
    const tapped = pdus(lab.session.events).filter(
      (p) => p.conn !== 'encoder' && p.dir === 'c2s' && !p.modeled
    )
    expect(tapped).toHaveLength(1)
    expect(tapped[0].protocol).toBe('json')
    expect(tapped[0].fields.find((f) => f.id === 'json.temperatura')?.value).toBe('23.5')
    expect(lab.session.events.some((e) => e.kind === 'node' && e.external)).toBe(true)
  })
})

describe('serialization wire dissector', () => {
  const stream = Buffer.concat(FORMATS.map((f) => Buffer.from(frame(f, {}, ENCODERS[f](DEFAULT_READING)))))
  const strip = (ps: PduDraft[]): unknown[] => ps.map((p) => ({ ...p, data: Array.from(p.data) }))
  const whole = strip(createDissector('serialization-wire').push('c2s', stream, 0))

  it('gives the same PDUs for the stream split at every offset', () => {
    expect(whole).toHaveLength(FORMATS.length)
    for (let cut = 1; cut < stream.length; cut++) {
      const d = createDissector('serialization-wire')
      const out = [...d.push('c2s', stream.subarray(0, cut), 0), ...d.push('c2s', stream.subarray(cut), cut)]
      expect(strip(out)).toEqual(whole)
    }
  }, 60_000)

  it('frames decode with the libraries to the values their trees state', () => {
    const d = createDissector('serialization-wire')
    for (const p of d.push('c2s', stream, 0)) {
      const format = p.keys!.format as (typeof FORMATS)[number]
      const lib = decodeWithLibrary(format, p.data.subarray(6))
      const tree = p.fields.find((f) => f.id === `${p.protocol}.sensor`)!
      expect(tree.value).toBe(JSON.stringify(lib.sensor))
      expect(rangeProblems(p.fields, p.data.length)).toEqual([])
    }
  })

  it('flags junk on the port without throwing', () => {
    const d = createDissector('serialization-wire')
    const out = d.push('c2s', new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n'), 0)
    expect(out[0].malformed).toBeDefined()
  })
})

describe('wirelab decode', () => {
  it('decodes hex like protoc --decode_raw, and with a .proto and a type', () => {
    const raw = decodeCommand({ format: 'protobuf', input: '08 96 01' })
    expect(raw.code).toBe(0)
    expect(raw.out).toMatch(/Tag: 0x08 = \(1 << 3\) \| 0/)
    expect(raw.out).toMatch(/protoc --decode_raw would print:\n1: 150/)
    const proto = path.resolve(__dirname, '../../../../../resources/sensor.proto')
    const typed = decodeCommand({
      format: 'protobuf',
      input: Buffer.from(ENCODERS.protobuf(DEFAULT_READING)).toString('hex'),
      proto,
      type: 'LeituraResponse',
      jsonl: true
    })
    const parsed = JSON.parse(typed.out) as { fields: { id: string; value: string }[] }
    expect(parsed.fields.find((f) => f.id === 'protobuf.sensor')?.value).toBe('"A1"')
    expect(decodeCommand({ format: 'cbor', input: 'ff' }).code).toBe(1)
  })

  it('runs from the command line', () => {
    const root = path.resolve(__dirname, '../../../../..')
    const r = spawnSync(
      process.execPath,
      [
        path.join(root, 'bin/wirelab.js'),
        'decode',
        '--format',
        'protobuf',
        '--proto',
        'resources/sensor.proto',
        '--type',
        'LeituraResponse',
        '12024131'
      ],
      { cwd: root, encoding: 'utf8' }
    )
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/sensor \(string = 2\): "A1"/)
  }, 60_000)
})
