import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import fc from 'fast-check'
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { LabEvent, PduEvent } from '../../../../shared/events'
import { Lab } from '../../lab'
import { rangeProblems } from '../../dissect/fields'
import { createDissector } from '..'
import { toPcap } from '../../../../shared/pcap'
import { acceptKey, unmask, websocketDissector } from './dissector'
import { appPdus, digest, feedBoth, streamsOf } from '../../testing/streams'

const has = (tool: string): boolean => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0

describe('Sec-WebSocket-Accept', () => {
  it('matches the RFC 6455 example', () => {
    expect(acceptKey('dGhlIHNhbXBsZSBub25jZQ==')).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=')
  })
})

describe('websocket lesson, real ws traffic', () => {
  let lab: Lab
  let events: LabEvent[]
  let port: number
  beforeAll(async () => {
    lab = new Lab({ ephemeralPorts: true })
    const status = await lab.start('websocket')
    port = status.ports[0].port
    for (const [id, args] of [
      ['chat', {}],
      ['ping', {}],
      ['close', { from: 'Ana' }],
      ['close', { from: 'Bruno' }],
      ['close', { from: 'Carla' }]
    ] as const) {
      const r = await lab.action(id, args)
      expect(r.ok, JSON.stringify(r)).toBe(true)
    }
    events = [...lab.session.events]
  })
  afterAll(async () => {
    await lab.stop()
  })

  it('dissects the Upgrade, the 101 with a valid accept, and the frames ws sent', () => {
    const pdus = appPdus(events)
    const upgrades = pdus.filter((p) => p.protocol === 'http' && p.dir === 'c2s')
    expect(upgrades).toHaveLength(3)
    for (const u of upgrades) {
      expect(u.keys?.upgrade).toBe(true)
      const resp = pdus.find((p) => p.conn === u.conn && p.protocol === 'http' && p.dir === 's2c')
      expect(resp?.keys?.status).toBe(101)
      expect(resp?.keys?.wsAccept).toBe(acceptKey(String(u.keys?.wsKey)))
      expect(resp?.keys?.acceptValid).toBe(true)
    }
    const frames = pdus.filter((p) => p.protocol === 'websocket')
    expect(frames.every((f) => !f.malformed)).toBe(true)
    // Every client frame is masked, no server frame is.
    expect(frames.filter((f) => f.dir === 'c2s').every((f) => f.keys?.masked === true)).toBe(true)
    expect(frames.filter((f) => f.dir === 's2c').every((f) => f.keys?.masked === false)).toBe(true)
    const texts = (dir: string): string[] =>
      frames.filter((f) => f.dir === dir && f.keys?.opcode === 1).map((f) => String(f.keys?.text))
    expect(texts('c2s')).toEqual(['Olá a todos!', 'Oi, Ana!'])
    expect(texts('s2c').sort()).toEqual(
      ['[Ana]: Olá a todos!', '[Ana]: Olá a todos!', '[Bruno]: Oi, Ana!', '[Bruno]: Oi, Ana!'].sort()
    )
    expect(frames.filter((f) => f.keys?.opcode === 9 && f.dir === 's2c').map((f) => f.keys?.text)).toEqual([
      'tic',
      'tic',
      'tic'
    ])
    expect(frames.filter((f) => f.keys?.opcode === 10 && f.dir === 'c2s').map((f) => f.keys?.text)).toEqual([
      'tic',
      'tic',
      'tic'
    ])
    const closes = frames.filter((f) => f.keys?.opcode === 8)
    expect(closes).toHaveLength(6)
    expect(closes.every((c) => c.keys?.closeCode === 1000)).toBe(true)
    for (const p of pdus) expect(rangeProblems(p.fields, p.data.length), p.summary).toEqual([])
  })

  it('masking key and unmasked text have the right byte ranges', () => {
    const f = appPdus(events).find(
      (p) => p.protocol === 'websocket' && p.dir === 'c2s' && p.keys?.text === 'Olá a todos!'
    ) as PduEvent
    const header = f.fields[0].children ?? []
    const key = header.find((x) => x.id === 'websocket.masking_key')
    expect(key).toMatchObject({ start: 2, end: 6 })
    const payload = f.fields.find((x) => x.id === 'websocket.payload')
    expect(payload).toMatchObject({ start: 6, end: f.data.length })
    // Unmasking by hand with the key bytes gives the text.
    const k = f.data.subarray(2, 6)
    const plain = f.data.subarray(6).map((b, i) => b ^ k[i & 3])
    expect(new TextDecoder().decode(plain)).toBe('Olá a todos!')
  })

  it('gives the same PDUs when the streams are split at every offset', () => {
    for (const s of streamsOf(events)) {
      const whole = digest(feedBoth(websocketDissector, s, [], []))
      for (let i = 1; i < s.c2s.length; i++)
        expect(digest(feedBoth(websocketDissector, s, [i], []))).toEqual(whole)
      for (let i = 1; i < s.s2c.length; i++)
        expect(digest(feedBoth(websocketDissector, s, [], [i]))).toEqual(whole)
      const bytewise = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1)
      expect(digest(feedBoth(websocketDissector, s, bytewise(s.c2s.length), bytewise(s.s2c.length)))).toEqual(
        whole
      )
    }
  }, 60_000)

  it.skipIf(!has('tshark'))('tshark decodes the exported session with the same frames', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wirelab-ws-'))
    const file = join(dir, 'ws.pcap')
    writeFileSync(file, toPcap(events).bytes)
    const out = execFileSync(
      'tshark',
      [
        '-r',
        file,
        '-d',
        `tcp.port==${port},http`,
        '-Y',
        'websocket',
        '-T',
        'fields',
        '-E',
        'occurrence=a',
        '-e',
        'websocket.opcode',
        '-e',
        'websocket.mask',
        '-e',
        'websocket.payload_length'
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }
    )
    const theirs = out
      .trim()
      .split('\n')
      .flatMap((line) => {
        const [ops, masks, lens] = line.split('\t').map((c) => c.split(','))
        return ops.map(
          (op, i) => `${Number(op)} ${masks[i] === '1' || masks[i] === 'True' ? 'm' : '-'} ${lens[i]}`
        )
      })
    const ours = appPdus(events)
      .filter((p) => p.protocol === 'websocket')
      .map((p) => `${p.keys?.opcode} ${p.keys?.masked ? 'm' : '-'} ${p.keys?.len}`)
    expect(theirs.length).toBeGreaterThan(10)
    expect(theirs.sort()).toEqual(ours.sort())
  })
})

describe('websocket lesson with long messages', () => {
  it('decodes 16- and 64-bit lengths, also when cut into random pieces', async () => {
    const lab = new Lab({ ephemeralPorts: true })
    await lab.start('websocket')
    expect((await lab.action('chat')).ok).toBe(true)
    expect((await lab.action('long')).ok).toBe(true)
    await lab.stop()
    const events = [...lab.session.events]
    const frames = appPdus(events).filter((p) => p.protocol === 'websocket')
    const c300 = frames.find((f) => f.dir === 'c2s' && f.keys?.len === 300) as PduEvent
    expect(c300.fields[0].children?.find((x) => x.id === 'websocket.payload_length_ext_16')).toMatchObject({
      start: 2,
      end: 4,
      value: '300'
    })
    const c70k = frames.find((f) => f.dir === 'c2s' && f.keys?.len === 70000) as PduEvent
    expect(c70k.fields[0].children?.find((x) => x.id === 'websocket.payload_length_ext_64')).toMatchObject({
      start: 2,
      end: 10,
      value: '70000'
    })
    expect(String(c70k.keys?.text)).toBe('b'.repeat(70000))
    for (const s of streamsOf(events)) {
      const whole = digest(feedBoth(websocketDissector, s, [], []))
      fc.assert(
        fc.property(
          fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, s.c2s.length - 1) }), { maxLength: 20 }),
          (cuts) => {
            expect(
              digest(
                feedBoth(
                  websocketDissector,
                  s,
                  cuts.sort((a, b) => a - b),
                  cuts.filter((c) => c < s.s2c.length)
                )
              )
            ).toEqual(whole)
          }
        ),
        { numRuns: 30 }
      )
    }
  })
})

describe('websocket dissector on garbage', () => {
  it('never throws and keeps ranges sound', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.array(fc.integer({ min: 1, max: 299 }), { maxLength: 6 }),
        fc.boolean(),
        (bytes, cuts, afterUpgrade) => {
          const d = createDissector('websocket')
          const prefix = afterUpgrade
            ? new TextEncoder().encode('GET / HTTP/1.1\r\nUpgrade: websocket\r\n\r\n')
            : new Uint8Array(0)
          const all = new Uint8Array([...prefix, ...bytes])
          let at = 0
          for (const c of [...cuts.filter((c) => c < all.length).sort((a, b) => a - b), all.length]) {
            if (c <= at) continue
            for (const p of d.push('c2s', all.slice(at, c), at))
              expect(rangeProblems(p.fields, p.data.length)).toEqual([])
            at = c
          }
          for (const p of d.end?.('c2s') ?? []) expect(rangeProblems(p.fields, p.data.length)).toEqual([])
        }
      ),
      { numRuns: 400 }
    )
  })
})

describe("the seeds' Python websockets client", () => {
  it.skipIf(!has('/usr/bin/python3'))('connects to the public port and appears as an actor', async () => {
    const lab = new Lab({ ephemeralPorts: true })
    const status = await lab.start('websocket')
    const port = status.ports[0].port
    try {
      expect((await lab.action('chat')).ok).toBe(true)
      const script = `import asyncio, websockets
async def main():
    async with websockets.connect("ws://127.0.0.1:${port}/?name=Python") as ws:
        await ws.send("Olá do Python!")
        print(await ws.recv(), flush=True)
asyncio.run(main())
`
      const sawPython = new Promise<void>((resolve) => {
        const off = lab.session.subscribe((e) => {
          if (e.kind === 'pdu' && e.protocol === 'websocket' && e.keys?.text === 'Olá do Python!') {
            off()
            resolve()
          }
        })
      })
      const py = spawn('/usr/bin/python3', ['-c', script], { stdio: ['ignore', 'pipe', 'pipe'] })
      let stdout = ''
      let stderr = ''
      py.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
      py.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
      const exited = new Promise<number>((resolve) => py.on('close', (code) => resolve(code ?? -1)))
      await sawPython
      expect((await lab.action('send', { from: 'Bruno', message: 'Oi, Python!' })).ok).toBe(true)
      expect(await exited, stderr).toBe(0)
      // The Python client may receive either broadcast; both came from a built-in client.
      expect(stdout).toMatch(/\[(Ana|Bruno)\]: /)
      const events = lab.session.events
      const ext = events.find((e) => e.kind === 'node' && e.external)
      expect(ext).toBeDefined()
      const open = events.find(
        (e) =>
          e.kind === 'conn.open' && ext && e.kind === 'conn.open' && e.from === (ext as { node: string }).node
      )
      expect(open).toBeDefined()
    } finally {
      await lab.stop()
    }
  })
})

describe('unmask', () => {
  it('is the payload XORed byte by byte with the key, at any length and any offset into a buffer', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 70 }), fc.uint8Array({ minLength: 4, maxLength: 4 }), fc.nat(7), (bytes, key, pad) => {
        // The masked bytes sit at an unaligned offset inside a larger buffer, as in a frame.
        const frame = new Uint8Array(pad + bytes.length)
        frame.set(bytes, pad)
        const raw = frame.subarray(pad)
        const expected = bytes.map((b, i) => b ^ key[i % 4])
        expect(Array.from(unmask(raw, key))).toEqual(Array.from(expected))
        expect(Array.from(raw)).toEqual(Array.from(bytes)) // the frame's bytes are left as sent
      }),
      { numRuns: 500 }
    )
  })
})
