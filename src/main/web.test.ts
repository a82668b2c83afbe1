// Browser mode's host: refuses a foreign Host header (DNS rebinding) and a foreign Origin on the
// WebSocket upgrade, accepts its own, serves only its own files, and validates every bridge message.
import http from 'node:http'
import net from 'node:net'
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Lab } from './lab/lab'
import { CSP, startWebHost, type WebHost } from './web'

let host: WebHost
let root: string

function get(
  pathname: string,
  headers: Record<string, string> = {},
  method = 'GET'
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port: host.port, path: pathname, method, headers },
      (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (c: string) => (body += c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
      }
    )
    req.on('error', reject)
    req.end()
  })
}

/** Opens the bridge with the given headers; resolves with the socket or the HTTP status that refused it. */
function openBridge(
  headers: Record<string, string>,
  pathname = '/bridge'
): Promise<{ ws?: WebSocket; status?: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}${pathname}`, { headers })
    ws.once('open', () => resolve({ ws }))
    ws.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode })
      ws.terminate()
    })
    ws.once('error', () => resolve({ status: -1 }))
  })
}

let nextId = 1
function call(
  ws: WebSocket,
  channel: unknown,
  req: unknown
): Promise<{ ok: boolean; res?: unknown; error?: { message: string } }> {
  const id = nextId++
  return new Promise((resolve) => {
    const onMessage = (raw: WebSocket.RawData): void => {
      if (raw instanceof Buffer && raw[0] !== 0x7b) return // binary log packets and replies
      const msg = JSON.parse(String(raw)) as { id?: number; ok: boolean }
      if (msg.id === id) {
        ws.off('message', onMessage)
        resolve(msg)
      }
    }
    ws.on('message', onMessage)
    ws.send(JSON.stringify({ id, channel, req }))
  })
}

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'wirelab-web-'))
  mkdirSync(path.join(root, 'assets'))
  writeFileSync(
    path.join(root, 'index.html'),
    '<!doctype html><title>Wirelab</title><script type="module" src="/assets/app.js"></script>'
  )
  writeFileSync(path.join(root, 'assets', 'app.js'), 'export {}')
  writeFileSync(path.join(path.dirname(root), 'wirelab-secret.txt'), 'outside the root')
  host = await startWebHost({ port: 0, root, lab: new Lab({ ephemeralPorts: true }) })
})

afterAll(async () => {
  await host.close()
})

describe('browser-mode host', () => {
  it('listens on 127.0.0.1 only', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/`)
  })

  it('serves its own page, with the CSP, to its own Host', async () => {
    for (const h of [`127.0.0.1:${host.port}`, `localhost:${host.port}`]) {
      const r = await get('/', { host: h })
      expect(r.status).toBe(200)
      expect(r.body).toContain('<title>Wirelab</title>')
      expect(r.headers['content-security-policy']).toBe(CSP)
      expect(r.headers['x-content-type-options']).toBe('nosniff')
    }
    expect((await get('/assets/app.js', { host: `127.0.0.1:${host.port}` })).headers['content-type']).toMatch(
      /javascript/
    )
  })

  it('refuses a foreign Host header with 403 (DNS rebinding)', async () => {
    for (const h of [
      'evil.example',
      `evil.example:${host.port}`,
      `127.0.0.1:${host.port + 1}`,
      `127.0.0.1`,
      `localhost.evil.example:${host.port}`,
      `[::1]:${host.port}`
    ]) {
      const r = await get('/', { host: h })
      expect(r.status, `Host: ${h}`).toBe(403)
      expect(r.body).not.toContain('<title>')
    }
    // No Host header at all (HTTP/1.0), written by hand.
    const raw = await new Promise<string>((resolve, reject) => {
      const s = net.connect(host.port, '127.0.0.1', () => s.end('GET / HTTP/1.0\r\n\r\n'))
      let text = ''
      s.on('data', (c) => (text += String(c)))
      s.on('end', () => resolve(text))
      s.on('error', reject)
    })
    expect(raw).toMatch(/^HTTP\/1\.[01] 403/)
  })

  it('serves nothing outside its root and only GET/HEAD', async () => {
    const own = { host: `127.0.0.1:${host.port}` }
    for (const p of [
      '/../wirelab-secret.txt',
      '/%2e%2e/wirelab-secret.txt',
      '/assets/../../wirelab-secret.txt',
      '/%2e%2e%2fwirelab-secret.txt'
    ])
      expect((await get(p, own)).body, p).not.toContain('outside the root')
    expect((await get('/', own, 'POST')).status).toBe(405)
    expect((await get('/', own, 'HEAD')).status).toBe(200)
  })

  it('refuses the bridge upgrade from a foreign Origin or Host, or on another path', async () => {
    const ownHost = `127.0.0.1:${host.port}`
    for (const origin of [
      'http://evil.example',
      `http://evil.example:${host.port}`,
      `https://127.0.0.1:${host.port}`,
      `http://127.0.0.1:${host.port + 1}`,
      'null',
      'file://'
    ]) {
      const r = await openBridge({ origin, host: ownHost })
      expect(r.status, `Origin: ${origin}`).toBe(403)
    }
    expect(
      (await openBridge({ origin: `http://127.0.0.1:${host.port}`, host: `evil.example:${host.port}` }))
        .status
    ).toBe(403)
    expect((await openBridge({ origin: `http://127.0.0.1:${host.port}` }, '/other')).status).toBe(403)
    expect(host.clients()).toBe(0)
  })

  it('accepts its own Origin and answers commands', async () => {
    for (const origin of [`http://127.0.0.1:${host.port}`, `http://localhost:${host.port}`]) {
      const r = await openBridge({ origin })
      expect(r.ws).toBeDefined()
      const info = await call(r.ws!, 'host:info', null)
      expect(info).toMatchObject({ ok: true, res: { mode: 'web', bindHost: '127.0.0.1' } })
      r.ws!.close()
    }
  })

  it('answers bad bridge messages with errors and keeps the socket open', async () => {
    const { ws } = await openBridge({ origin: `http://127.0.0.1:${host.port}` })
    const answers: { id: unknown; ok: boolean; error?: { message: string } }[] = []
    ws!.on('message', (raw, binary) => {
      if (!binary) answers.push(JSON.parse(String(raw)) as (typeof answers)[number])
    })
    ws!.send('{not json')
    ws!.send(Buffer.from([0xff, 0x00, 0x13]))
    expect((await call(ws!, 'shell:exec', { cmd: 'id' })).error?.message).toMatch(/unknown command/)
    expect((await call(ws!, 'scene:start', { scene: 7 })).error?.message).toMatch(/scene:start needs/)
    expect((await call(ws!, 'session:follow', { from: 'all' })).error?.message).toMatch(/from must be/)
    expect((await call(ws!, 'scene:start', { scene: 'no-such-lesson' })).error?.message).toMatch(
      /unknown scene/
    )
    expect(answers.filter((a) => a.id === null && a.error?.message === 'invalid JSON').length).toBe(2)
    expect(ws!.readyState).toBe(WebSocket.OPEN)
    expect((await call(ws!, 'scene:list', null)).ok).toBe(true)
    ws!.close()
  })

  it('saves through a one-time download address: the whole session, once, to its own Host only', async () => {
    host.lab.session.append({ kind: 'note', key: 'k', text: { en: 'saved', pt: 'salvo' } })
    const { ws } = await openBridge({ origin: `http://127.0.0.1:${host.port}` })
    const r = (await call(ws!, 'session:save', { format: 'wirelab', name: 'my lesson.wirelab' })) as {
      ok: boolean
      res: { url: string }
    }
    expect(r.res.url).toMatch(/^\/session\/download\?token=[\w-]{20,}$/)
    expect((await get(r.res.url, { host: `evil.example:${host.port}` })).status).toBe(403)
    const file = await get(r.res.url, { host: `127.0.0.1:${host.port}` })
    expect(file.status).toBe(200)
    expect(file.headers['content-disposition']).toBe('attachment; filename="my_lesson.wirelab"')
    const parsed = JSON.parse(file.body) as { format: string; events: { kind: string; text?: { en: string } }[] }
    expect(parsed.format).toBe('wirelab-session')
    expect(parsed.events.some((e) => e.text?.en === 'saved')).toBe(true)
    expect((await get(r.res.url, { host: `127.0.0.1:${host.port}` })).status).toBe(404)
    expect((await get('/session/download?token=guess', { host: `127.0.0.1:${host.port}` })).status).toBe(404)
    const pcap = (await call(ws!, 'session:save', { format: 'pcap' })) as { res: { url: string } }
    const p = await get(pcap.res.url, { host: `127.0.0.1:${host.port}` })
    expect(p.headers['content-type']).toBe('application/vnd.tcpdump.pcap')
    ws!.close()
  })
})
