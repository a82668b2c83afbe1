import { WebSocketServer } from 'ws'
import { chromium } from '@playwright/test'
const N = Number(process.env.N ?? 100000)
const b64 = Buffer.from('Ola, mundo').toString('base64')
function makeEvents() {
  const ev = []; let seq = 1; let t = Date.now()
  const push = (e) => ev.push({ ...e, seq: seq++, t: (t += 0.01) })
  push({ kind: 'scene', scene: 'tcp-udp-echo', state: 'started', ports: [] })
  push({ kind: 'node', node: 's', label: 'TCP echo server', role: 'server', endpoint: { host: '127.0.0.1', port: 65432 } })
  let i = 0
  while (ev.length < N) {
    const conn = 'c' + i
    push({ kind: 'node', node: 'k' + (i % 5), label: 'client ' + (i % 5), role: 'client' })
    push({ kind: 'conn.open', conn, transport: 'tcp', from: 'k' + (i % 5), to: 's', client: { host: '127.0.0.1', port: 40000 + (i % 20000) }, server: { host: '127.0.0.1', port: 65432 } })
    push({ kind: 'bytes', conn, dir: 'c2s', offset: 0, data: b64 })
    push({ kind: 'pdu', conn, dir: 'c2s', protocol: 'tcp', summary: '"Ola, mundo" (10 bytes)', fields: [{ name: 'TCP payload', start: 0, end: 10 }], data: b64, offset: 0, keys: { seq: 1, len: 10 } })
    push({ kind: 'bytes', conn, dir: 's2c', offset: 0, data: b64 })
    push({ kind: 'pdu', conn, dir: 's2c', protocol: 'tcp', summary: '"Ola, mundo" (10 bytes)', fields: [{ name: 'TCP payload', start: 0, end: 10 }], data: b64, offset: 0, keys: { seq: 1, len: 10 } })
    push({ kind: 'conn.close', conn, by: 'client', how: 'fin' })
    i++
  }
  return ev
}
const events = makeEvents()
const wss = new WebSocketServer({ port: 5199, path: '/bridge' })
wss.on('connection', (ws) => {
  ws.on('message', (m) => {
    const { id, channel } = JSON.parse(m)
    const res = channel === 'scene:list' ? [] : channel === 'session:snapshot' ? { events: [], dropped: 0 } : channel === 'host:info' ? { mode: 'web', version: 'x', bindHost: '127.0.0.1' } : null
    ws.send(JSON.stringify({ id, ok: true, res }))
  })
  let k = 0
  const timer = setInterval(() => {
    if (k >= events.length) return clearInterval(timer)
    ws.send(JSON.stringify({ type: 'events', batch: { events: events.slice(k, k + 2000), dropped: 0 } }))
    k += 2000
  }, 16)
})
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] })
const p = await b.newPage({ viewport: { width: 1600, height: 1000 } })
p.on('pageerror', (e) => console.log('pageerror:', e.message))
await p.addInitScript(() => {
  window.__frames = []; let last = performance.now()
  const f = (now) => { window.__frames.push(now - last); last = now; requestAnimationFrame(f) }
  requestAnimationFrame(f)
})
const t0 = Date.now()
await p.goto('http://127.0.0.1:5181/?bridge=ws://127.0.0.1:5199/bridge')
// go live (no teaching pace) so every row is drawn
await p.keyboard.press('End')
await p.waitForFunction((n) => document.querySelector('[data-testid=pb-step]')?.textContent?.endsWith('/' + n), Math.floor((N - 2) / 7) * 3, { timeout: 120000 }).catch(() => {})
console.log('all ingested after', Date.now() - t0, 'ms; step text', await p.getByTestId('pb-step').textContent())
const frames = await p.evaluate(() => { const f = window.__frames.slice(5); f.sort((a, b) => a - b); return { n: f.length, p50: f[Math.floor(f.length / 2)], p95: f[Math.floor(f.length * 0.95)], max: f[f.length - 1] } })
console.log('frames during ingest (ms):', JSON.stringify(frames))
await p.evaluate(() => { window.__frames = [] })
await p.keyboard.press('End')
const body = p.locator('.pkt-body')
for (let i = 0; i < 30; i++) await body.evaluate((el, i) => { el.scrollTop = (el.scrollHeight * i) / 30 }, i)
const seqs = p.locator('.seq-scroll')
for (let i = 0; i < 30; i++) await seqs.evaluate((el, i) => { el.scrollTop = (el.scrollHeight * i) / 30 }, i)
const f2 = await p.evaluate(() => { const f = window.__frames.slice(2); f.sort((a, b) => a - b); return { n: f.length, p50: f[Math.floor(f.length / 2)], p95: f[Math.floor(f.length * 0.95)], max: f[f.length - 1] } })
console.log('frames while scrolling (ms):', JSON.stringify(f2))
console.log('DOM rows: packets', await p.locator('[data-testid=packet-row]').count(), 'arrows', await p.locator('[data-testid=seq-arrow]').count())
await p.screenshot({ path: '/tmp/perf/perf.png' })
await b.close(); wss.close()
