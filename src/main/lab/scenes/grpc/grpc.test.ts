// The gRPC lesson end to end with real sockets: its actions and the ways a call ends, checkpoints
// answered from the traffic, the server surviving junk; `wirelab run grpc --jsonl`; `wirelab serve
// grpc` called by a Python grpcio client generated only from the course's sensor.proto; tshark
// decoding the exported pcap's gRPC messages with the same count as Wirelab.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFile } from 'node:child_process'
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import type { CheckpointEvent, LabEvent, PduEvent, SceneEvent } from '../../../../shared/events'
import { GRPC_FIELDS } from '../../../../shared/protocols/grpc'
import { fromWire, isSessionFile, type WireEvent } from '../../../../shared/wire'
import { Lab } from '../../lab'
import { has, waitForEvents } from '../../testing/events'
import { serve } from '../../testing/serve'
import { GRPC_PORT } from './info'

const run = promisify(execFile)
const root = path.resolve(__dirname, '../../../../..')
const wirelab = path.join(root, 'bin', 'wirelab.js')
const PY = '/usr/bin/python3'

const grpcPdus = (events: readonly LabEvent[], kind?: string): PduEvent[] =>
  events.filter(
    (e): e is PduEvent => e.kind === 'pdu' && e.protocol === 'grpc' && (!kind || e.keys?.grpc === kind)
  )
const answers = (events: readonly LabEvent[], id: string): string[][] =>
  events
    .filter((e): e is CheckpointEvent => e.kind === 'checkpoint' && e.id === id && e.state === 'answer')
    .map((e) => e.answer ?? [])

describe('gRPC lesson (in process)', () => {
  const lab = new Lab({ ephemeralPorts: true })
  let port = 0
  beforeAll(async () => {
    const status = await lab.start('grpc', { interval: 20, readings: 3, deadline: 30 })
    port = status.ports[0].port
  })
  afterAll(() => lab.stop())

  const act = async (id: string, args: Record<string, unknown> = {}): Promise<readonly LabEvent[]> => {
    const from = lab.session.size
    const r = await lab.action(id, args)
    expect(r.ok, JSON.stringify(r.message)).toBe(true)
    return lab.session.events.slice(from)
  }

  it('the four call types: four streams on one connection, and the checkpoint says so', async () => {
    const ev = await act('four-types')
    const calls = grpcPdus(ev, 'call')
    expect(calls.map((p) => p.keys?.callType)).toEqual([
      'unary',
      'server-streaming',
      'client-streaming',
      'bidi'
    ])
    expect(new Set(calls.map((p) => p.conn)).size).toBe(1)
    expect(answers(ev, 'grpc-streams')).toEqual([['4']])
    expect(grpcPdus(ev, 'status').map((p) => p.keys?.statusName)).toEqual(['OK', 'OK', 'OK', 'OK'])
  })

  it('unary: the prefix checkpoint reads 5 bytes from the wire', async () => {
    const ev = await act('unary')
    expect(answers(ev, 'grpc-prefix')).toEqual([['5']])
  })

  it('a deadline ends the call with DEADLINE_EXCEEDED; the connection stays', async () => {
    const from = lab.session.size
    const status = await lab.action('deadline', { deadline: 30, readings: 10, interval: 50 })
    const ev = lab.session.events.slice(from)
    expect((status.data as { statusName: string }).statusName).toBe('DEADLINE_EXCEEDED')
    expect(answers(ev, 'grpc-deadline')[0].length).toBeGreaterThan(0)
    expect(grpcPdus(ev, 'call')[0].keys?.timeoutMs).toBeLessThanOrEqual(30)
    expect(ev.some((e) => e.kind === 'conn.close')).toBe(false)
  })

  it('NOT_FOUND comes in a trailers-only response, HTTP status 200', async () => {
    const ev = await act('not-found')
    const st = grpcPdus(ev, 'status')[0]
    expect(st.keys).toMatchObject({ status: 5, statusName: 'NOT_FOUND' })
    expect(st.summary).toMatch(/trailers-only/)
  })

  it('cancel mid-stream: RST_STREAM CANCEL from the client', async () => {
    const ev = await act('cancel', { readings: 20, interval: 40 })
    expect(grpcPdus(ev, 'reset').map((p) => [p.dir, p.keys?.error])).toEqual([['c2s', 'CANCEL']])
  })

  it('bidirectional lane: one message per click, half-close apart from cancel', async () => {
    const a = await act('bidi-send', { message: 'Oi!' })
    const b = await act('bidi-send', { message: 'Qual a temperatura do B2?' })
    const sid = grpcPdus(a, 'call')[0].keys?.streamId
    expect(grpcPdus(b, 'call')).toHaveLength(0) // the same call, still open
    expect(grpcPdus(b, 'message').map((p) => [p.dir, p.keys?.streamId])).toEqual([
      ['c2s', sid],
      ['s2c', sid]
    ])
    // Half-close: END_STREAM, the server still answers with its trailers; no reset.
    const closed = await act('bidi-half-close')
    expect(grpcPdus(closed, 'half-close')).toHaveLength(1)
    expect(grpcPdus(closed, 'status')[0].keys?.statusName).toBe('OK')
    expect(grpcPdus(closed, 'reset')).toHaveLength(0)
    // Cancel: RST_STREAM (grpc-js ends its side first), and no trailers ever come.
    await act('bidi-send', { message: 'de novo' })
    const cancelled = await act('bidi-cancel')
    expect(grpcPdus(cancelled, 'reset').map((p) => [p.dir, p.keys?.error])).toEqual([['c2s', 'CANCEL']])
    expect(grpcPdus(cancelled, 'status')).toHaveLength(0)
    const r = await lab.action('bidi-cancel', {})
    expect(r.ok).toBe(false)
  })

  it('a message bigger than a DATA frame is reassembled', async () => {
    const ev = await act('large')
    const big = grpcPdus(ev, 'message').filter((p) => Number(p.keys?.frames) > 1)
    expect(big.length).toBe(2)
    expect(big.every((p) => !p.malformed && p.data.length > 40_000)).toBe(true)
  })

  it('four calls at once interleave on one connection', async () => {
    const ev = await act('concurrent')
    const calls = grpcPdus(ev, 'call')
    expect(calls).toHaveLength(4)
    expect(new Set(calls.map((p) => p.conn)).size).toBe(1)
  })

  it('plain HTTP/1.1 on the port gets HTTP/2 frames back', async () => {
    const r = await lab.action('http1', {})
    expect(r.ok).toBe(true)
    expect((r.data as { frames: string }).frames).toMatch(/SETTINGS.*GOAWAY/)
    expect(answers(lab.session.events, 'grpc-curl')).toEqual([['http2-frames']])
  })

  it('junk, a truncated prefix and a lying length: flagged, and the server keeps serving', async () => {
    const from = lab.session.size
    await new Promise<void>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () =>
        s.end(Buffer.from('\x16\x03\x01 not gRPC at all\r\n\r\n'))
      )
      s.on('close', () => resolve())
      s.on('error', () => resolve())
      s.resume()
    })
    await waitForEvents(lab.session, (ev) => ev.slice(from).some((e) => e.kind === 'pdu' && !!e.malformed))
    const ev = await act('unary')
    expect(grpcPdus(ev, 'status')[0].keys?.statusName).toBe('OK')
  })

  it('hints: the Python client file is resources/clients/grpc_client.py, host and port filled in', () => {
    const file = readFileSync(path.join(root, 'resources/clients/grpc_client.py'), 'utf8')
    expect(file).toContain(`PORT = ${GRPC_PORT}`)
    const hints = lab.status()!.hints
    expect(hints.find((h) => h.file?.name === 'grpc_client.py')?.file?.content).toBe(
      file.replace(`PORT = ${GRPC_PORT}`, `PORT = ${port}`)
    )
    expect(hints.find((h) => h.file?.name === 'sensor.proto')?.file?.content).toBe(
      readFileSync(path.join(root, 'resources/sensor.proto'), 'utf8')
    )
    expect(hints.map((h) => h.command ?? '').join('\n')).toContain(
      `http://127.0.0.1:${port}/SensorService/GetTemperatura`
    )
    expect(hints.find((h) => h.file?.name === 'grpc_client.py')?.file?.content).toContain(`PORT = ${port}`)
  })
})

describe('gRPC lesson from the command line', () => {
  it('run --jsonl: the four call types, each its own stream, grpc PDUs with the prefix, named fields and grpc-status', async () => {
    const { stdout } = await run(
      process.execPath,
      [wirelab, 'run', 'grpc', '--ephemeral', '--jsonl', '--set', 'interval=10'],
      { cwd: root, timeout: 60_000, maxBuffer: 64 << 20 }
    )
    const events = stdout
      .trim()
      .split('\n')
      .map((l) => fromWire(JSON.parse(l) as WireEvent))
    const calls = grpcPdus(events, 'call')
    expect(calls.map((p) => p.keys?.callType)).toEqual([
      'unary',
      'server-streaming',
      'client-streaming',
      'bidi'
    ])
    expect(new Set(calls.map((p) => p.keys?.streamId)).size).toBe(4)
    for (const m of grpcPdus(events, 'message')) {
      const [flag, length, data] = m.fields[0].children!
      expect([flag.id, flag.start, flag.end]).toEqual([GRPC_FIELDS.compressedFlag, 0, 1])
      expect([length.id, length.start, length.end]).toEqual([GRPC_FIELDS.messageLength, 1, 5])
      expect(data.children!.length).toBeGreaterThan(0)
      expect(
        data.children!.every(
          (f) =>
            f.id?.startsWith('protobuf.') &&
            f.start >= 5 &&
            f.end <= m.data.length &&
            !/^Field \d/.test(f.name)
        )
      ).toBe(true)
    }
    const statuses = grpcPdus(events, 'status')
    expect(statuses).toHaveLength(4)
    expect(
      statuses.every((p) =>
        p.fields[0].children?.some((f) => f.id === GRPC_FIELDS.status && f.name === 'grpc-status: 0')
      )
    ).toBe(true)
  })

  it.skipIf(!has(PY) || !has('protoc'))(
    'serve: a Python grpcio client built only from sensor.proto with protoc --python_out',
    async () => {
      const served = await serve('grpc', ['--ephemeral', '--set', 'interval=10'])
      const { events, until } = served
      try {
        const grpcPort = served.ports.grpc
        const dir = mkdtempSync(path.join(tmpdir(), 'wirelab-grpc-py-'))
        copyFileSync(path.join(root, 'resources/sensor.proto'), path.join(dir, 'sensor.proto'))
        writeFileSync(
          path.join(dir, 'grpc_client.py'),
          readFileSync(path.join(root, 'resources/clients/grpc_client.py'), 'utf8').replace(
            `PORT = ${GRPC_PORT}`,
            `PORT = ${grpcPort}`
          )
        )
        await run('protoc', ['--python_out=.', 'sensor.proto'], { cwd: dir })
        const out = await run(PY, ['grpc_client.py'], { cwd: dir, timeout: 30_000 })
        expect(out.stdout).toContain('GetTemperatura: 23.5 °C')
        expect(out.stdout.match(/^StreamLeituras: /gm)).toHaveLength(3)
        expect(out.stdout).toContain('EnviarLeituras: 3 leituras')
        expect(out.stdout).toContain('Conversar: servidor: A1 (Sala 101): 23.5 °C')
        await until(() => grpcPdus(events, 'status').length >= 4)
        const external = events.find((e) => e.kind === 'node' && e.external)
        expect(external).toBeDefined()
        const calls = grpcPdus(events, 'call')
        expect(calls.map((p) => p.keys?.method)).toEqual([
          'GetTemperatura',
          'StreamLeituras',
          'EnviarLeituras',
          'Conversar'
        ])
        const conn = events.find(
          (e) => e.kind === 'conn.open' && external?.kind === 'node' && e.from === external.node
        )
        expect(calls.every((p) => conn?.kind === 'conn.open' && p.conn === conn.conn)).toBe(true)
        expect(
          grpcPdus(events, 'message').filter((p) => p.keys?.method === 'StreamLeituras' && p.dir === 's2c')
        ).toHaveLength(3)
      } finally {
        expect(await served.stop()).toBe(0)
      }
    },
    60_000
  )

  it.skipIf(!has('tshark'))(
    'tshark decodes as many gRPC messages in the exported pcap as Wirelab',
    async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'wirelab-grpc-pcap-'))
      const session = path.join(dir, 'grpc.wirelab')
      const pcap = path.join(dir, 'grpc.pcap')
      await run(
        process.execPath,
        [wirelab, 'run', 'grpc', '--ephemeral', '--set', 'interval=10', '--out', session],
        { cwd: root, timeout: 60_000 }
      )
      await run(process.execPath, [wirelab, 'export', session, '--pcap', pcap], {
        cwd: root,
        timeout: 30_000
      })
      const file: unknown = JSON.parse(readFileSync(session, 'utf8'))
      if (!isSessionFile(file)) throw new Error('not a session file')
      const events = file.events.map(fromWire)
      const grpcPort = (events.find((e): e is SceneEvent => e.kind === 'scene' && e.state === 'ready')!
        .ports ?? [])[0].port
      const ours = grpcPdus(events, 'message').filter((p) => !p.malformed)
      const { stdout, stderr } = await run(
        'tshark',
        [
          '-r',
          pcap,
          '-d',
          `tcp.port==${grpcPort},http2`,
          '-Y',
          'grpc',
          '-T',
          'fields',
          '-e',
          'grpc.message_length'
        ],
        { timeout: 30_000 }
      )
      expect(stderr).not.toMatch(/error|malformed/i)
      const lengths = stdout
        .trim()
        .split('\n')
        .flatMap((l) => l.split(','))
        .filter(Boolean)
        .map(Number)
      expect(lengths.length).toBe(ours.length)
      expect([...lengths].sort((a, b) => a - b)).toEqual(
        ours.map((p) => Number(p.keys?.length)).sort((a, b) => a - b)
      )
    },
    60_000
  )
})
