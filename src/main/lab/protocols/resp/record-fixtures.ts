// Regenerates fixtures/conversations.json: ioredis (RESP3, its default, and RESP2 configured on
// purpose), redis-cli (RESP2 and RESP3), Python redis-py and raw inline commands (then every RESP3
// type, from DEBUG PROTOCOL), talking to the installed redis-server through a tap.
// Run: node --import tsx src/main/lab/protocols/resp/record-fixtures.ts
import { spawn } from 'node:child_process'
import net from 'node:net'
import path from 'node:path'
import Redis from 'ioredis'
import { saveConversations, type Conversation } from '../../dissect/conversation'
import { startInstalled } from '../../servers/installed'
import { recordThroughTap } from '../../tap/conversation-recorder'
import './dissector'
import { REDIS_DEBUG_SPEC } from './server'

function run(cmd: string, args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (out += d.toString()))
    child.on('error', reject)
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} exited ${code}: ${out}`))))
    child.stdin.end(input ?? '')
  })
}

/** Sends raw bytes, reads until the server closes or goes quiet. */
function raw(port: number, bytes: string): Promise<void> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => s.write(bytes))
    let timer = setTimeout(() => s.end(), 300)
    s.on('data', () => {
      clearTimeout(timer)
      timer = setTimeout(() => s.end(), 200)
    })
    s.on('close', () => resolve())
    s.on('error', () => resolve())
  })
}

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 150))

async function main(): Promise<void> {
  const redis = await startInstalled(REDIS_DEBUG_SPEC)
  const rec = await recordThroughTap({ dissector: 'resp', target: { port: redis.port } })
  const who = `Redis ${redis.version ?? ''}`.trim()
  const all: Conversation[] = []
  const value = JSON.stringify({ data: '2024-03-01', lojas: [{ loja: 'Centro', total: '20.50', vendas: 2 }] })
  try {
    // ioredis 6 speaks RESP3 unless told otherwise: HELLO 3, CLIENT SETINFO, INFO (ready check).
    const r3 = new Redis({ host: '127.0.0.1', port: rec.port, lazyConnect: true })
    await r3.connect()
    await r3.get('metricas:2024-03-01')
    await r3.set('metricas:2024-03-01', value, 'EX', 30)
    await r3.get('metricas:2024-03-01')
    await r3.hset('loja:centro', { vendas: 2, total: '20.50' })
    await r3.hgetall('loja:centro')
    await r3.sadd('lojas', 'Centro', 'Savassi')
    await r3.smembers('lojas')
    await r3.incrbyfloat('faturamento', 12.5)
    await r3.pipeline().incr('visitas').ttl('metricas:2024-03-01').exec()
    await r3.quit()
    await settle()
    all.push(...rec.conversations(`ioredis 6 (default RESP3) → ${who}`))

    // RESP2 on purpose: no HELLO, no CLIENT SETINFO, no INFO ready check.
    const r2 = new Redis({ host: '127.0.0.1', port: rec.port, lazyConnect: true, protocol: 2, enableReadyCheck: false, disableClientInfo: true })
    await r2.connect()
    await r2.get('metricas:2024-03-01')
    await r2.hgetall('loja:centro')
    await r2.get('nao-existe')
    const sub = r2.duplicate()
    await sub.subscribe('vendas')
    await r2.publish('vendas', JSON.stringify({ loja: 'Centro', valor: 12.5 }))
    await settle()
    await sub.quit()
    await r2.quit()
    await settle()
    all.push(...rec.conversations(`ioredis 6 (protocol: 2) → ${who}`))

    // One command per invocation: in interactive or piped mode redis-cli first fetches COMMAND DOCS
    // (a 200 KB reply) for its hints.
    const cli = (...args: string[]): Promise<string> => run('redis-cli', ['-h', '127.0.0.1', '-p', String(rec.port), ...args])
    await cli('PING')
    await cli('GET', 'metricas:2024-03-01')
    await cli('SET', 'contador', '1', 'EX', '60')
    await cli('GET', 'nao-existe')
    await cli('LRANGE', 'fila', '0', '-1')
    await settle()
    all.push(...rec.conversations(`redis-cli (RESP2) → ${who}`))

    await cli('-3', 'HGETALL', 'loja:centro')
    await cli('-3', 'DEBUG', 'PROTOCOL', 'push')
    await settle()
    all.push(...rec.conversations(`redis-cli -3 (RESP3) → ${who}`))

    await run('/usr/bin/python3', ['-c', `import redis\nr = redis.Redis(host="127.0.0.1", port=${rec.port})\nr.set("py", "olá")\nprint(r.get("py"), r.get("nada"))`])
    await settle()
    all.push(...rec.conversations(`redis-py (RESP2) → ${who}`))

    // Every RESP3 type Redis can send, from DEBUG PROTOCOL (allowed from loopback in this recording).
    const types = ['map', 'set', 'double', 'bignum', 'null', 'true', 'false', 'verbatim', 'attrib', 'push']
    await raw(rec.port, `PING\r\nECHO "olá mundo"\r\nHELLO 3\r\n${types.map((t) => `DEBUG PROTOCOL ${t}\r\n`).join('')}`)
    await settle()
    all.push(...rec.conversations(`inline commands, then every RESP3 type (nc) → ${who}`))
    await raw(rec.port, 'GET / HTTP/1.1\r\nHost: 127.0.0.1:6379\r\nUser-Agent: curl/7.88.1\r\n\r\n')
    await settle()
    all.push(...rec.conversations(`curl's HTTP request → ${who}`))
  } finally {
    await rec.close()
    await redis.stop()
  }
  const file = path.join(__dirname, 'fixtures', 'conversations.json')
  saveConversations(file, 'Real traffic through a tap, recorded by record-fixtures.ts in this folder.', all)
  console.log(`wrote ${all.length} conversations to ${file}`)
}

void main().catch((err) => {
  console.error(err)
  process.exitCode = 1
})
