// Regenerates fixtures/conversations.json: real clients (node-postgres, psql, Python psycopg)
// talking to PGlite through a tap. Run: node --import tsx src/main/lab/protocols/pgsql/record-fixtures.ts
import { spawn } from 'node:child_process'
import path from 'node:path'
import pg from 'pg'
import { saveConversations, type Conversation } from '../../dissect/conversation'
import { recordThroughTap } from '../../tap/conversation-recorder'
import './dissector'
import { startPglite } from './server'

const SEED = `
CREATE TABLE vendas (id serial PRIMARY KEY, data date NOT NULL, loja text NOT NULL, produto text NOT NULL, valor numeric(10,2) NOT NULL);
INSERT INTO vendas (data, loja, produto, valor) VALUES
  ('2024-03-01', 'Centro', 'Café', 12.50), ('2024-03-01', 'Centro', 'Pão de queijo', 8.00),
  ('2024-03-01', 'Savassi', 'Café', 12.50), ('2024-03-02', 'Pampulha', 'Bolo', 25.90);
`

const TYPED = `select 1::int2 as i2, 42::int4 as i4, 9007199254740993::int8 as i8, 12.50::numeric(10,2) as n,
  2.5::float8 as f8, true as b, 'Loja Centro'::text as t, '2024-03-01'::date as d,
  '2024-03-01 12:30:00'::timestamp as ts, '{"loja":"Centro"}'::jsonb as j,
  'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid as u, '\\x00ff'::bytea as bin, null::text as nada`

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (out += d.toString()))
    child.on('error', reject)
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} exited ${code}: ${out}`))))
  })
}

async function main(): Promise<void> {
  const server = await startPglite({ seed: SEED })
  const rec = await recordThroughTap({ dissector: 'pgsql', target: { port: server.port } })
  const all: Conversation[] = []
  const pgVersion = (await import('pg/package.json')).version
  const who = `PGlite (Postgres ${server.version})`
  try {
    const client = new pg.Client({ host: '127.0.0.1', port: rec.port, user: 'postgres', database: 'postgres' })
    await client.connect()
    await client.query('select loja, sum(valor) as total, count(*) as vendas from vendas where data = $1 group by loja order by total desc', ['2024-03-01'])
    await client.query(TYPED)
    // Binary results need the extended protocol (a query with a parameter).
    await client.query({ text: `${TYPED}, $1::int as um`, values: [1], binary: true } as pg.QueryConfig)
    await client.query('select $1::int + 1 as n, $2::numeric * 2 as dobro', [41, '12.50']).catch(() => undefined)
    await client.query('select 1/0').catch(() => undefined)
    await client.end()
    await new Promise((r) => setTimeout(r, 100))
    all.push(...rec.conversations(`node-postgres ${pgVersion} → ${who}`))

    await run('psql', ['-h', '127.0.0.1', '-p', String(rec.port), '-U', 'postgres', '-d', 'postgres', '-c', "select loja, valor from vendas where produto = 'Café'"], { PGCONNECT_TIMEOUT: '5' })
    await new Promise((r) => setTimeout(r, 100))
    all.push(...rec.conversations(`psql 15 → ${who}`))

    const py = `
import psycopg
with psycopg.connect("host=127.0.0.1 port=${rec.port} user=postgres dbname=postgres sslmode=disable") as c:
    print(c.execute("select loja, sum(valor) as total from vendas where data = %s group by loja", ("2024-03-01",)).fetchall())
`
    await run('/usr/bin/python3', ['-c', py])
    await new Promise((r) => setTimeout(r, 100))
    all.push(...rec.conversations(`psycopg 3 → ${who}`))
  } finally {
    await rec.close()
    await server.stop()
  }
  const file = path.join(__dirname, 'fixtures', 'conversations.json')
  saveConversations(file, 'Real traffic through a tap, recorded by record-fixtures.ts in this folder.', all)
  console.log(`wrote ${all.length} conversations to ${file}`)
}

void main().catch((err) => {
  console.error(err)
  process.exitCode = 1
})
