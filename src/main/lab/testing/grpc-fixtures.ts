// Records real gRPC traffic for the dissector's fixtures: the grpc-js server behind a tap, driven by
// the grpc-js client (every call type and every way a call ends), and by curl with hand-made bodies
// (two messages in one DATA frame, a truncated prefix, a length larger than the message). The
// fixtures are the bytes the tap saw, chunk by chunk. `npm run -s record:grpc` rewrites them (scripts/record-grpc-fixtures.ts).
import { execFileSync, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { BytesEvent, Direction } from '../../../shared/events'
import { Session } from '../session/session'
import { Actors } from '../tap/actors'
import { TcpTap } from '../tap/tcp-tap'
import { SensorClient } from '../protocols/grpc/client'
import { startSensorServer } from '../protocols/grpc/server'
import '../protocols'

export interface Chunk {
  dir: Direction
  offset: number
  hex: string
}

export interface Recording {
  name: string
  /** What produced the bytes. */
  recordedWith: string
  scenario: string
  chunks: Chunk[]
}

/** Starts the server behind a tap; `capture(fn)` runs fn and returns each new connection's chunks. */
async function harness(): Promise<{
  port: number
  capture(fn: (port: number) => Promise<void>): Promise<Chunk[][]>
  close(): Promise<void>
}> {
  const session = new Session()
  const actors = new Actors()
  const server = await startSensorServer(() => ({ intervalMs: 5 }))
  const tap = new TcpTap({
    session,
    actors,
    name: 'grpc',
    host: '127.0.0.1',
    preferredPort: 0,
    target: { host: '127.0.0.1', port: server.port },
    dissector: 'grpc',
    server: { node: 'grpc-server', label: 'gRPC server' }
  })
  await tap.start()
  const port = tap.port.port
  return {
    port,
    async capture(fn) {
      const from = session.size
      await fn(port)
      // Let the last bytes through the relay.
      await new Promise((r) => setTimeout(r, 100))
      const byConn = new Map<string, Chunk[]>()
      for (const e of session.events.slice(from)) {
        if (e.kind !== 'bytes') continue
        const b = e as BytesEvent
        const list = byConn.get(b.conn) ?? []
        list.push({ dir: b.dir, offset: b.offset, hex: Buffer.from(b.data).toString('hex') })
        byConn.set(b.conn, list)
      }
      return [...byConn.values()]
    },
    async close() {
      await tap.close()
      server.close()
    }
  }
}

function grpcJsVersion(): string {
  try {
    return (
      JSON.parse(
        readFileSync(path.join(process.cwd(), 'node_modules/@grpc/grpc-js/package.json'), 'utf8')
      ) as { version: string }
    ).version
  } catch {
    return '?'
  }
}

function curlVersion(): string {
  try {
    return /curl (\S+)/.exec(execFileSync('curl', ['--version'], { encoding: 'utf8' }))?.[1] ?? '?'
  } catch {
    return '?'
  }
}

/** POSTs `body` with curl over h2c (prior knowledge), as a gRPC call to `method`. */
function curlPost(port: number, method: string, body: Buffer): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(
      'curl',
      [
        '-s',
        '--http2-prior-knowledge',
        '-H',
        'content-type: application/grpc',
        '-H',
        'te: trailers',
        '--data-binary',
        '@-',
        `http://127.0.0.1:${port}/SensorService/${method}`,
        '-o',
        '/dev/null'
      ],
      { stdio: ['pipe', 'ignore', 'ignore'] }
    )
    const timer = setTimeout(() => child.kill(), 10_000)
    child.on('close', () => {
      clearTimeout(timer)
      resolve()
    })
    child.on('error', () => resolve())
    child.stdin.end(body)
  })
}

export async function recordGrpcTraffic(): Promise<Recording[]> {
  const h = await harness()
  const out: Recording[] = []
  const withClient = async (port: number, fn: (c: SensorClient) => Promise<void>): Promise<void> => {
    const c = new SensorClient(port, () => undefined)
    await c.ready()
    await fn(c)
    c.close()
  }
  try {
    const [four] = await h.capture((port) =>
      withClient(port, async (c) => {
        await c.getTemperatura({ sensor_id: 'A1', ultimos_minutos: 0 })
        await c.streamLeituras({ sensor_id: 'A1', ultimos_minutos: 2 })
        await c.enviarLeituras(
          [22.5, 23].map((t) => ({ temperatura: t, sensor: 'A1', timestamp: 0, historico: [] }))
        )
        const chat = c.conversar()
        await chat.send('aluno', 'Oi!')
        await chat.halfClose()
      })
    )
    out.push({
      name: 'grpc-js-four',
      recordedWith: `@grpc/grpc-js ${grpcJsVersion()} client and server`,
      scenario:
        'The four call types, small: GetTemperatura A1; StreamLeituras 2; EnviarLeituras 2; Conversar 1 message + half-close',
      chunks: four
    })

    const [calls] = await h.capture((port) =>
      withClient(port, async (c) => {
        await c.getTemperatura({ sensor_id: 'A1', ultimos_minutos: 0 })
        await c.streamLeituras({ sensor_id: 'A1', ultimos_minutos: 3 })
        await c.enviarLeituras(
          [22.5, 23, 23.5].map((t, i) => ({
            temperatura: t,
            sensor: 'A1',
            timestamp: 1763812800 + 60 * i,
            historico: []
          }))
        )
        const chat = c.conversar()
        await chat.send('aluno', 'Oi!')
        await chat.send('aluno', 'Qual a temperatura do A1?')
        await chat.halfClose()
        await c.getTemperatura({ sensor_id: 'ZZ', ultimos_minutos: 0 })
        await c.streamLeituras({ sensor_id: 'A1', ultimos_minutos: 50 }, { deadlineMs: 30 })
        await c.streamLeituras({ sensor_id: 'A1', ultimos_minutos: 50 }, { cancelAfter: 1 })
        // A method the service does not have, and a body that is not a SensorRequest.
        const raw = (b: Buffer): Buffer => b
        await new Promise<void>((resolve) =>
          c.client.makeUnaryRequest(
            '/SensorService/Apagar',
            raw,
            raw,
            Buffer.from([0x0a, 0x02, 0x41, 0x31]),
            () => resolve()
          )
        )
        await new Promise<void>((resolve) =>
          c.client.makeUnaryRequest(
            '/SensorService/GetTemperatura',
            raw,
            raw,
            Buffer.from([0x0a, 0x10, 0x41, 0x31]),
            () => resolve()
          )
        )
      })
    )
    out.push({
      name: 'grpc-js-calls',
      recordedWith: `@grpc/grpc-js ${grpcJsVersion()} client and server`,
      scenario:
        'GetTemperatura A1; StreamLeituras 3; EnviarLeituras 3; Conversar 2 messages + half-close; GetTemperatura ZZ (NOT_FOUND); StreamLeituras with a 30 ms deadline; StreamLeituras cancelled after 1; /SensorService/Apagar (unknown method); GetTemperatura with a body that is not protobuf',
      chunks: calls
    })

    const [large] = await h.capture((port) =>
      withClient(port, async (c) => {
        const chat = c.conversar()
        await chat.send('aluno', 'x'.repeat(40_000))
        await chat.halfClose()
      })
    )
    out.push({
      name: 'grpc-js-large',
      recordedWith: `@grpc/grpc-js ${grpcJsVersion()} client and server`,
      scenario:
        'Conversar with one 40 000-character message: the request and the answer each span several DATA frames',
      chunks: large
    })

    const curl = async (name: string, scenario: string, body: Buffer, method: string): Promise<void> => {
      const [chunks] = await h.capture((port) => curlPost(port, method, body))
      out.push({
        name,
        recordedWith: `curl ${curlVersion()} --http2-prior-knowledge, @grpc/grpc-js ${grpcJsVersion()} server`,
        scenario,
        chunks
      })
    }
    const reading = (t: number): Buffer => {
      // LeituraResponse{temperatura: t, sensor: "A1"}: 09 <double> 12 02 41 31
      const b = Buffer.alloc(13)
      b[0] = 0x09
      b.writeDoubleLE(t, 1)
      b.set([0x12, 0x02, 0x41, 0x31], 9)
      return b
    }
    const lpm = (m: Buffer): Buffer => Buffer.concat([Buffer.from([0, 0, 0, 0, m.length]), m])
    await curl(
      'curl-two-messages',
      'EnviarLeituras: two length-prefixed messages in ONE request body, so one DATA frame carries both',
      Buffer.concat([lpm(reading(22.5)), lpm(reading(23.5))]),
      'EnviarLeituras'
    )
    await curl(
      'curl-truncated-prefix',
      'GetTemperatura whose body is only 3 bytes: a prefix cut short by END_STREAM',
      Buffer.from([0, 0, 0]),
      'GetTemperatura'
    )
    await curl(
      'curl-length-too-large',
      'GetTemperatura whose prefix declares 16 bytes but only 4 follow',
      Buffer.from([0, 0, 0, 0, 16, 0x0a, 0x02, 0x41, 0x31]),
      'GetTemperatura'
    )
  } finally {
    await h.close()
  }
  return out
}
