import { describe, it, expect } from 'vitest'
import { execFile, spawnSync } from 'node:child_process'
import fc from 'fast-check'
import type { BytesEvent, LabEvent, PduEvent } from '../../../../shared/events'
import { Lab } from '../../lab'
import { rangeProblems } from '../../dissect/fields'
import { createDissector } from '..'
import type { PduDraft, StreamDissector } from '../../dissect/types'
import { digest } from '../../testing/streams'
import { tlsDissector } from './dissector'
import { KeyLog, keyLog } from '../common/keylog'
import { hkdfExpandLabel } from './tls13-crypto'
import { credentials } from '../common/credentials'
import { X509Certificate } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

interface Run {
  events: LabEvent[]
  data: {
    request: string
    response: string
    cipher: string
    servername: string
    offeredAlpn: string[]
    alpn: string
  }
}

async function runTls(action: 'get' | 'post', args: Record<string, string> = {}): Promise<Run> {
  const lab = new Lab({ ephemeralPorts: true })
  await lab.start('tls', args)
  try {
    const r = await lab.action(action, args)
    expect(r.ok, JSON.stringify(r.message)).toBe(true)
    return { events: [...lab.session.events], data: r.data as Run['data'] }
  } finally {
    await lab.stop()
  }
}

const pdusOf = (events: LabEvent[]): PduEvent[] =>
  events.filter((e): e is PduEvent => e.kind === 'pdu' && !e.modeled)

/** The content of decrypted application-data PDUs in one direction, concatenated. */
function decryptedText(events: LabEvent[], dir: 'c2s' | 's2c'): string {
  const parts = pdusOf(events)
    .filter((p) => p.dir === dir && p.keys?.decrypted === true && p.keys?.innerType === 23 && p.offset === -1)
    // A record may be decrypted after later ones when its secret is logged late: stream order.
    .sort((a, b) => Number(a.keys?.recordOffset) - Number(b.keys?.recordOffset))
    .map((p) => {
      const typeField = p.fields.find((f) => f.name === 'Real content type (inner)')
      return p.data.subarray(0, typeField?.start ?? p.data.length)
    })
  return parts.map((b) => new TextDecoder().decode(b)).join('')
}

/** Replays a session's bytes in their real order, each chunk cut at the given fractions. */
function replay(
  make: () => StreamDissector,
  events: LabEvent[],
  conn: string,
  cutsFor: (len: number) => number[]
): PduDraft[] {
  const d = make()
  const out: PduDraft[] = []
  for (const e of events) {
    if (e.kind !== 'bytes' || e.conn !== conn) continue
    const b = e as BytesEvent
    let at = 0
    for (const c of [
      ...cutsFor(b.data.length)
        .filter((c) => c > 0 && c < b.data.length)
        .sort((x, y) => x - y),
      b.data.length
    ]) {
      if (c <= at) continue
      out.push(...d.push(b.dir, b.data.slice(at, c), b.offset + at))
      at = c
    }
  }
  return out
}

describe('lesson certificate', () => {
  it('is generated on first run outside the project, then reused', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'wirelab-cert-')), 'tls')
    const first = await credentials(dir)
    expect(first.generated).toBe(true)
    const again = await credentials(dir)
    expect(again.generated).toBe(false)
    expect(again.cert).toBe(first.cert)
    const x = new X509Certificate(first.cert)
    expect(x.checkHost('localhost')).toBe('localhost')
    expect(x.checkIP('127.0.0.1')).toBe('127.0.0.1')
  })
})

describe('HKDF-Expand-Label', () => {
  it('derives the RFC 8448 server handshake key and IV', () => {
    const secret = Buffer.from('b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38', 'hex')
    expect(Buffer.from(hkdfExpandLabel('sha256', secret, 'key', new Uint8Array(0), 16)).toString('hex')).toBe(
      '3fce516009c21727d0f2e4e86ee403bc'
    )
    expect(Buffer.from(hkdfExpandLabel('sha256', secret, 'iv', new Uint8Array(0), 12)).toString('hex')).toBe(
      '5d313eb2671276ee13000b30'
    )
  })
})

describe('tls lesson, real node:tls traffic', () => {
  for (const cipher of ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256']) {
    it(`ClientHello agrees with what the client offered, and decrypts (${cipher})`, async () => {
      const { events, data } = await runTls('post', {
        cipher,
        servername: 'localhost',
        body: '{"sensor": "A1", "temperatura": 23.5}'
      })
      const pdus = pdusOf(events)
      const hello = pdus.find((p) => p.protocol === 'tls' && p.keys?.handshakeType === 1) as PduEvent
      expect(hello.keys?.sni).toBe(data.servername)
      expect(hello.keys?.alpn).toBe(data.offeredAlpn.join(','))
      // The TLS 1.3 suites offered are exactly the one the client was configured with.
      const list = hello.fields[0].children
        ?.find((f) => f.name.startsWith('Handshake Protocol'))
        ?.children?.find((f) => f.id === 'tls.handshake.ciphersuites')
      const offered = (list?.children ?? [])
        .filter((f) => f.id === 'tls.handshake.ciphersuite')
        .map((f) => String(f.value).split(' ')[0])
      expect(offered.filter((c) => c.startsWith('TLS_AES') || c.startsWith('TLS_CHACHA'))).toEqual([cipher])
      expect(hello.keys?.supportedVersions).toContain('TLS 1.3')
      const sh = pdus.find((p) => p.protocol === 'tls' && p.keys?.handshakeType === 2) as PduEvent
      expect(sh.keys?.cipherSuite).toBe(data.cipher)
      expect(sh.keys?.alpn).toBeUndefined()
      // Every encrypted record was decrypted, and the content is byte for byte what was sent.
      const encrypted = pdus.filter((p) => p.keys?.encrypted === true)
      expect(encrypted.length).toBeGreaterThan(5)
      const plain = (r: PduEvent): PduEvent | undefined =>
        pdus.find(
          (p) => p.offset === -1 && p.conn === r.conn && p.dir === r.dir && p.keys?.recordOffset === r.offset
        )
      expect(encrypted.filter((r) => !plain(r)).map((r) => r.summary)).toEqual([])
      expect(decryptedText(events, 'c2s')).toBe(data.request)
      expect(decryptedText(events, 's2c')).toBe(data.response)
      expect(data.response).toContain('"temperatura": 23.5')
      // The server's EncryptedExtensions carry the ALPN it chose.
      const ee = pdus.find(
        (p) => p.keys?.decrypted === true && p.offset === -1 && p.summary.includes('EncryptedExtensions')
      ) as PduEvent
      expect(ee.keys?.alpn).toBe(data.alpn)
      for (const p of pdus) expect(rangeProblems(p.fields, p.data.length), p.summary).toEqual([])
    })
  }

  it('TLS 1.2: the certificate travels in the clear, later records are encrypted (not decrypted)', async () => {
    const { events, data } = await runTls('get', { version: '1.2' })
    const pdus = pdusOf(events)
    const sh = pdus.find((p) => p.keys?.handshakeType === 2) as PduEvent
    expect(sh.keys?.version).toBe('TLS 1.2')
    expect(sh.keys?.cipherSuite).toBe(data.cipher)
    expect(pdus.some((p) => !p.keys?.encrypted && p.summary.includes('Certificate'))).toBe(true)
    const enc = pdus.filter((p) => p.keys?.encrypted === true)
    expect(enc.length).toBeGreaterThan(2)
    expect(enc.every((p) => !p.keys?.decrypted && String(p.keys?.decryptError).includes('TLS 1.3'))).toBe(
      true
    )
    expect(data.response).toContain('HTTP/1.1 200 OK')
  })

  it('gives the same PDUs when every chunk is cut anywhere', async () => {
    const { events } = await runTls('get')
    const conn = (events.find((e) => e.kind === 'conn.open') as { conn: string }).conn
    const whole = digest(
      replay(
        () => tlsDissector(),
        events,
        conn,
        () => []
      )
    )
    expect(whole.filter((d) => d.includes('[decrypted]')).length).toBeGreaterThan(5)
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 4 }), (fracs) => {
        expect(
          digest(
            replay(
              () => tlsDissector(),
              events,
              conn,
              (len) => fracs.map((f) => Math.floor(f * len))
            )
          )
        ).toEqual(whole)
      }),
      { numRuns: 40 }
    )
    // One byte at a time.
    expect(
      digest(
        replay(
          () => tlsDissector(),
          events,
          conn,
          (len) => Array.from({ length: len }, (_, i) => i)
        )
      )
    ).toEqual(whole)
  })

  it('records whose secret is logged late are decrypted when it arrives, linked to their record', async () => {
    const { events } = await runTls('get')
    const conn = (events.find((e) => e.kind === 'conn.open') as { conn: string }).conn
    const hello = pdusOf(events).find((p) => p.conn === conn && p.keys?.handshakeType === 1) as PduEvent
    const random = String(
      hello.fields[0].children
        ?.find((f) => f.name.startsWith('Handshake'))
        ?.children?.find((f) => f.id === 'tls.handshake.random')?.value
    )
    const lines = keyLog
      .text()
      .split('\n')
      .filter((l) => l.includes(random))
    expect(lines.length).toBeGreaterThanOrEqual(4)
    // Replay with an empty key log; the secrets arrive only after the last record.
    const late = new KeyLog()
    const d = tlsDissector(late)
    const out: PduDraft[] = []
    for (const e of events)
      if (e.kind === 'bytes' && e.conn === conn) out.push(...d.push(e.dir, e.data, e.offset))
    expect(out.some((p) => p.keys?.decrypted === true && p.offset === -1)).toBe(false)
    for (const l of lines) late.add(l)
    out.push(...(d.end?.('c2s') ?? []))
    const records = out.filter((p) => p.keys?.encrypted === true)
    const plains = out.filter((p) => p.offset === -1 && p.keys?.late === true)
    expect(plains).toHaveLength(records.length)
    expect(records.map((r) => `${r.dir}@${r.offset}`).sort()).toEqual(
      plains.map((p) => `${p.dir}@${p.keys?.recordOffset}`).sort()
    )
    expect(
      plains.some((p) => p.protocol === 'http' && String(p.keys?.httpStart).startsWith('GET /items/1'))
    ).toBe(true)
  })

  it('without the key log, records stay encrypted and say why', async () => {
    const { events } = await runTls('get')
    const conn = (events.find((e) => e.kind === 'conn.open') as { conn: string }).conn
    const pdus = replay(
      () => tlsDissector(new KeyLog()),
      events,
      conn,
      () => []
    )
    expect(pdus.some((p) => p.keys?.decrypted)).toBe(false)
    const enc = pdus.filter((p) => p.keys?.encrypted)
    expect(enc.length).toBeGreaterThan(5)
    // Waiting for a secret that never comes: labelled as such, never decrypted.
    expect(enc.every((p) => p.keys?.decryptPending === true)).toBe(true)
    expect(JSON.stringify(enc[0].fields)).toContain('key not logged yet')
    // The shared key log has lines in the NSS format Wireshark reads.
    expect(keyLog.text()).toMatch(/^CLIENT_HANDSHAKE_TRAFFIC_SECRET [0-9a-f]{64} [0-9a-f]+$/m)
  })
})

const has = (tool: string): boolean => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0

describe('an outside client (curl)', () => {
  it.skipIf(!has('curl'))(
    "appears as an actor and its HTTPS traffic is decrypted with the server's key log",
    async () => {
      const lab = new Lab({ ephemeralPorts: true })
      const status = await lab.start('tls')
      try {
        const port = status.ports[0].port
        const hint = status.hints.find((h) => h.command?.startsWith('curl'))
        const cafile = /--cacert (\S+)/.exec(hint?.command ?? '')?.[1] ?? ''
        const out = await new Promise<string>((resolve, reject) =>
          execFile(
            'curl',
            ['-s', '--http1.1', '--cacert', cafile, `https://localhost:${port}/items/7`],
            (err, stdout) => (err ? reject(err) : resolve(stdout))
          )
        )
        expect(out).toContain('/items/7')
        const pdus = pdusOf([...lab.session.events])
        expect(lab.session.events.some((e) => e.kind === 'node' && e.external)).toBe(true)
        expect(pdus.find((p) => p.keys?.handshakeType === 1)?.keys?.sni).toBe('localhost')
        const req = pdus.find((p) => p.protocol === 'http' && p.keys?.decrypted === true && p.dir === 'c2s')
        expect(String(req?.keys?.httpStart)).toBe('GET /items/7 HTTP/1.1')
        expect(decryptedText([...lab.session.events], 's2c')).toContain(out)
      } finally {
        await lab.stop()
      }
    }
  )
})

describe('tls dissector on garbage', () => {
  it('never throws and keeps ranges sound', () => {
    const record = fc
      .tuple(fc.constantFrom(20, 21, 22, 23), fc.uint8Array({ maxLength: 120 }))
      .map(([t, body]) => new Uint8Array([t, 3, 3, body.length >> 8, body.length & 0xff, ...body]))
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 200 }),
          fc.array(record, { maxLength: 4 }).map((rs) => new Uint8Array(rs.flatMap((r) => [...r])))
        ),
        fc.array(fc.integer({ min: 1, max: 400 }), { maxLength: 5 }),
        (bytes, cuts) => {
          const d = createDissector('tls')
          let at = 0
          for (const c of [...cuts.filter((c) => c < bytes.length).sort((a, b) => a - b), bytes.length]) {
            if (c <= at) continue
            for (const p of d.push('s2c', bytes.slice(at, c), at))
              expect(rangeProblems(p.fields, p.data.length)).toEqual([])
            at = c
          }
          for (const p of d.end?.('s2c') ?? []) expect(rangeProblems(p.fields, p.data.length)).toEqual([])
        }
      ),
      { numRuns: 400 }
    )
  })
})
