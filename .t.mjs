import { WebSocketServer } from 'ws'
import { chromium } from '@playwright/test'
const N = Number(process.env.N)
const b64 = Buffer.from('Ola, mundo').toString('base64')
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
  push({ kind: 'conn.close', conn, by: 'client', how: 'fin' })
  i++
}
let t0s = Date.now()
const wss = new WebSocketServer({ port: 5199, path: '/bridge' })
wss.on('connection', (ws) => {
  ws.on('message', (m) => {
    const { id, channel } = JSON.parse(m)
    const res = channel === 'scene:list' ? [] : channel === 'session:snapshot' ? { events: process.env.STREAM ? [] : ev, dropped: 0 } : null
    ws.send(JSON.stringify({ id, ok: true, res }))
  })
  if (process.env.STREAM) {
    let k = 0
    const timer = setInterval(() => {
      if (k >= ev.length) { console.log('server sent all at', Date.now() - t0s); return clearInterval(timer) }
      ws.send(JSON.stringify({ type: 'events', batch: { events: ev.slice(k, k + 2000), dropped: 0 } }))
      k += 2000
    }, 16)
  }
})
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] })
const p = await b.newPage({ viewport: { width: 1600, height: 1000 } })
p.on('pageerror', (e) => console.log('pageerror:', e.message))
const client0 = await p.context().newCDPSession(p)
await client0.send('Profiler.enable'); await client0.send('Profiler.start')
const t0 = Date.now(); t0s = t0
await p.goto('http://127.0.0.1:5181/?bridge=ws://127.0.0.1:5199/bridge')
for (let i = 0; i < 0; i++) { await new Promise(r => setTimeout(r, 1000)); console.log(Date.now() - t0, await p.getByTestId('pb-step').textContent({ timeout: 2000 }).catch(e => 'timeout'), await p.evaluate(() => document.title, null).catch(() => 'eval-timeout')) }
await p.getByTestId('pb-step').filter({ hasText: new RegExp('/' + ev.filter(e => ['pdu','conn.open','conn.close','note'].includes(e.kind)).length + '$') }).waitFor({ timeout: 120000 })
{ const { profile } = await client0.send('Profiler.stop')
const self = new Map(); const dt = profile.timeDeltas; const byId = new Map(profile.nodes.map(n => [n.id, n]))
profile.samples.forEach((id, k) => { const n = byId.get(id); const key = n.callFrame.functionName + ' ' + n.callFrame.url.split('/').pop() + ':' + n.callFrame.lineNumber; self.set(key, (self.get(key) ?? 0) + (dt[k] ?? 0)) })
console.log('STREAM PROFILE\n' + [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => `${(v / 1000).toFixed(0)}ms ${k}`).join('\n')) }
console.log(N, 'events: rendered after', Date.now() - t0, 'ms', await p.getByTestId('pb-step').textContent())
const client = await p.context().newCDPSession(p)
await client.send('Profiler.enable'); await client.send('Profiler.start')
const t1 = Date.now(); await p.keyboard.press('Home'); for (let i = 0; i < 0; i++) { await new Promise(r => setTimeout(r, 1000)); console.log(Date.now() - t0, await p.getByTestId('pb-step').textContent({ timeout: 2000 }).catch(e => 'timeout'), await p.evaluate(() => document.title, null).catch(() => 'eval-timeout')) }
await p.getByTestId('pb-step').filter({ hasText: /^0\// }).waitFor(); console.log('Home', Date.now() - t1)
const t2 = Date.now(); await p.keyboard.press('End'); for (let i = 0; i < 0; i++) { await new Promise(r => setTimeout(r, 1000)); console.log(Date.now() - t0, await p.getByTestId('pb-step').textContent({ timeout: 2000 }).catch(e => 'timeout'), await p.evaluate(() => document.title, null).catch(() => 'eval-timeout')) }
await p.getByTestId('pb-step').filter({ hasNotText: /^0\// }).waitFor(); console.log('End', Date.now() - t2)
const { profile } = await client.send('Profiler.stop')
const self = new Map(); const dt = profile.timeDeltas; const byId = new Map(profile.nodes.map(n => [n.id, n]))
profile.samples.forEach((id, k) => { const n = byId.get(id); const key = n.callFrame.functionName + ' ' + n.callFrame.url.split('/').pop() + ':' + n.callFrame.lineNumber; self.set(key, (self.get(key) ?? 0) + (dt[k] ?? 0)) })
console.log([...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([k, v]) => `${(v / 1000).toFixed(0)}ms ${k}`).join('\n'))
await b.close(); wss.close()
