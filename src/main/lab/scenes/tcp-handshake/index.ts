// Lesson "TCP handshake and teardown" (seed 004, "handshake de 3 vias"): SYN, SYN-ACK, ACK; data
// whose sequence and acknowledgement numbers advance by exactly the payload length; FIN from
// either side; RST when a peer aborts; connection refused when nothing listens.
// Segments on loopback cannot be read from user space, so they are modeled (and labelled so)
// from what the real sockets report.
import net from 'node:net'
import type { ClientHint } from '../../../../shared/scene'
import { LOOPBACK, listenTcp } from '../../net/ports'
import { TCP_FLAGS } from '../../../../shared/tcp-header'
import { modeledSegment } from '../../tap/tcp-model'
import { appendPdus } from '../../tap/emit'
import { ok, type SceneDef, type SceneRun } from '../types'
import { capturedPdu, probeCapture, segmentOf, type CapturedSegment } from './capture'
import { captureLoopback, freePort, type LiveCapture } from '../../capture/loopback'
import type { Direction } from '../../../../shared/events'
import type { SceneContext } from '../context'
import { ACK, ackQuestion, revealAck } from './checkpoints'
import { named } from '../../tap/actors'

const PORT = 65432

type ServerMode = 'echo' | 'server-close'

/** Echo server; in `server-close` mode it closes its side first, right after echoing. */
async function startServer(mode: () => ServerMode): Promise<{ server: net.Server; port: number }> {
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    const m = mode()
    socket.on('data', (chunk) => {
      socket.write(chunk)
      if (m === 'server-close') socket.end()
    })
    socket.on('end', () => socket.end())
    socket.on('error', () => socket.destroy())
  })
  const port = await listenTcp(server, 0, LOOPBACK)
  return { server, port }
}

function waitFor(socket: net.Socket, bytes: number, timeoutMs = 3000): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = []
    let got = 0
    const timer = setTimeout(() => done(new Error(`no reply within ${timeoutMs} ms`)), timeoutMs)
    const onData = (c: Buffer): void => {
      chunks.push(c)
      got += c.length
      if (got >= bytes) done()
    }
    const onError = (err: Error): void => done(err)
    function done(err?: Error): void {
      clearTimeout(timer)
      socket.off('data', onData)
      socket.off('error', onError)
      if (err) reject(err)
      else resolve(Buffer.concat(chunks))
    }
    socket.on('data', onData)
    socket.on('error', onError)
  })
}


async function refused(ctx: SceneContext): Promise<string> {
  const port = await freePort()
  const client = ctx.node(named('tcp-client', { en: 'TCP client', pt: 'Cliente TCP' }), 'client')
  ctx.node({ node: 'nobody', label: `Nobody (port ${port})` }, 'server')
  ctx.note('tcp.refused.start', {
    en: `The client tries port ${port}, where no program listens.`,
    pt: `O cliente tenta a porta ${port}, onde nenhum programa escuta.`
  })
  const err = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
    const s = net.connect({ host: LOOPBACK, port })
    s.once('connect', () => {
      s.destroy()
      resolve(null)
    })
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e))
  })
  const code = err?.code ?? 'connected'
  const conn = ctx.session.nextId('c')
  ctx.session.append({
    kind: 'conn.open',
    conn,
    transport: 'tcp',
    from: client.node,
    to: 'nobody',
    client: { host: LOOPBACK, port: 0 },
    server: { host: LOOPBACK, port }
  })
  // What the kernel does, modeled: the SYN is answered by RST+ACK because no socket listens.
  appendPdus(ctx.session, conn, [
    modeledSegment('c2s', { srcPort: 0, dstPort: port, seq: 0, ack: 0, flags: TCP_FLAGS.SYN }),
    modeledSegment('s2c', { srcPort: port, dstPort: 0, seq: 0, ack: 1, flags: TCP_FLAGS.RST | TCP_FLAGS.ACK })
  ])
  ctx.session.append({ kind: 'conn.close', conn, by: 'server', how: 'rst', reason: code })
  ctx.note('tcp.refused.done', {
    en: `Connection refused (${code}): the kernel answered the SYN with RST. These two segments are modeled: the socket only reports the error.`,
    pt: `Conexão recusada (${code}): o kernel respondeu ao SYN com RST. Estes dois segmentos são modelados: o socket só reporta o erro.`
  })
  return code
}

interface CaptureRun {
  capture: LiveCapture
  /** Resolves once every segment sent so far has come out of the capture (at most 3 s). */
  settle(): Promise<void>
}

/** Starts the real capture on the public port, or explains why it cannot. */
async function startCapture(
  ctx: SceneContext,
  port: number,
  note: SceneContext['note']
): Promise<CaptureRun | null> {
  const probe = await probeCapture()
  const explain = (reason: string): null => {
    note(
      'tcp.capture.unavailable',
      {
        en: `Real capture is not available here (${reason}), so only modeled segments are shown. To enable it, install Wireshark's dumpcap and allow capturing (Debian/Ubuntu: sudo dpkg-reconfigure wireshark-common, then sudo usermod -aG wireshark $USER and log in again).`,
        pt: `A captura real não está disponível aqui (${reason}); só são mostrados os segmentos modelados. Para ativá-la, instale o dumpcap do Wireshark e permita a captura (Debian/Ubuntu: sudo dpkg-reconfigure wireshark-common, depois sudo usermod -aG wireshark $USER e faça login novamente).`
      },
      'warn'
    )
    return null
  }
  if (!probe.ok) return explain(probe.reason ?? 'unknown')
  const connOf = new Map<number, string>()
  const pending = new Map<number, CapturedSegment[]>()
  const isn = new Map<string, Record<Direction, number | undefined>>()
  const emit = (conn: string, s: CapturedSegment): void => {
    const dir: Direction = s.dstPort === port ? 'c2s' : 's2c'
    const bases = isn.get(conn) ?? { c2s: undefined, s2c: undefined }
    if (s.flags & TCP_FLAGS.SYN) bases[dir] = s.seq
    isn.set(conn, bases)
    appendPdus(ctx.session, conn, [capturedPdu(s, dir, bases)])
  }
  const unsubscribe = ctx.session.subscribe((e) => {
    if (e.kind !== 'conn.open' || e.server.port !== port) return
    connOf.set(e.client.port, e.conn)
    for (const s of pending.get(e.client.port) ?? []) emit(e.conn, s)
    pending.delete(e.client.port)
  })
  ctx.onStop(unsubscribe)
  let capture: LiveCapture
  try {
    capture = await captureLoopback(
      { tcp: [port] },
      (f) => {
        const s = segmentOf(f)
        if (!s) return
        const clientPort = s.dstPort === port ? s.srcPort : s.dstPort
        const conn = connOf.get(clientPort)
        if (conn) emit(conn, s)
        else pending.set(clientPort, [...(pending.get(clientPort) ?? []), s])
      },
      (reason) => ctx.note('tcp.capture.error', { en: `Capture stopped: ${reason}`, pt: `A captura parou: ${reason}` }, 'warn')
    )
    ctx.onStop(() => capture.stop())
    await capture.ready
  } catch (err) {
    return explain(err instanceof Error ? err.message : String(err))
  }
  note('tcp.capture.on', {
    en: `Real capture on: dumpcap reads the loopback interface for port ${port}. Rows marked "captured" are the kernel's own segments, with their real window and options; compare their relative numbers with the modeled ones.`,
    pt: `Captura real ativada: o dumpcap lê a interface de loopback na porta ${port}. As linhas "captured" são os segmentos do próprio kernel, com a janela e as opções reais; compare os números relativos com os modelados.`
  })
  return {
    capture,
    settle: async () => {
      await capture.settle()
    }
  }
}

export const tcpHandshake: SceneDef = {
  info: {
    id: 'tcp-handshake',
    group: 'fundamentos',
    title: { en: 'TCP handshake and teardown', pt: 'Handshake e encerramento TCP' },
    summary: {
      en: 'SYN, SYN-ACK, ACK; sequence numbers that count bytes; FIN from either side; RST; connection refused.',
      pt: 'SYN, SYN-ACK, ACK; números de sequência que contam bytes; FIN de qualquer lado; RST; conexão recusada.'
    },
    goal: {
      en: 'TCP sets up a connection with three segments (the three-way handshake). Sequence and acknowledgement numbers advance by exactly the payload length. Either side may close with FIN; RST aborts; a SYN to a port where nothing listens is refused.',
      pt: 'O TCP estabelece a conexão com três segmentos (o handshake de 3 vias). Os números de sequência e de confirmação avançam exatamente o tamanho dos dados. Qualquer lado pode fechar com FIN; o RST aborta; um SYN para uma porta sem ninguém escutando é recusado.'
    },
    params: [
      {
        id: 'message',
        label: { en: 'First message', pt: 'Primeira mensagem' },
        type: 'string',
        default: 'Ola, mundo'
      },
      {
        id: 'second',
        label: { en: 'Second message', pt: 'Segunda mensagem' },
        type: 'string',
        default: 'Tchau!'
      },
      {
        id: 'capture',
        label: { en: 'Real capture (dumpcap on lo)', pt: 'Captura real (dumpcap no lo)' },
        type: 'boolean',
        default: false,
        help: {
          en: "Also show the kernel's actual segments, captured on the loopback interface, next to the modeled ones. Needs dumpcap with permission to capture.",
          pt: 'Mostra também os segmentos reais do kernel, capturados na interface de loopback, ao lado dos modelados. Precisa do dumpcap com permissão para capturar.'
        }
      }
    ],
    actions: [
      {
        id: 'client-closes',
        label: { en: 'Connect, send, client closes first', pt: 'Conectar, enviar, cliente fecha primeiro' },
        primary: true
      },
      {
        id: 'server-closes',
        label: { en: 'Connect, send, server closes first', pt: 'Conectar, enviar, servidor fecha primeiro' }
      },
      {
        id: 'reset',
        label: { en: 'Connect, send, client aborts (RST)', pt: 'Conectar, enviar, cliente aborta (RST)' }
      },
      { id: 'refused', label: { en: 'Connect where nothing listens', pt: 'Conectar onde ninguém escuta' } }
    ],
    views: ['sequence', 'segments', 'bytes'],
    ports: [{ name: 'tcp', transport: 'tcp', preferred: PORT }],
    tagline: { en: 'SYN, SYN-ACK, ACK; sequence numbers that count bytes; FIN and RST', pt: 'SYN, SYN-ACK, ACK; números de sequência que contam bytes; FIN e RST' },
    protocols: ['tcp'],
    thumbnail: 'segments',
    checkpoints: [ACK]
  },

  async start(ctx, params) {
    let mode: ServerMode = 'echo'
    const srv = await startServer(() => mode)
    ctx.own(srv.server)
    const tap = await ctx.tcpTap({
      name: 'tcp',
      preferredPort: PORT,
      target: { host: LOOPBACK, port: srv.port },
      dissector: 'tcp',
      server: named('tcp-server', { en: 'TCP server', pt: 'Servidor TCP' })
    })
    const port = tap.port.port
    // Notes written while the lesson starts would belong to the previous run on screen: they are
    // said at the first action instead.
    const early: (() => void)[] = []
    const noteLater: SceneContext['note'] = (key, text, level) => early.push(() => ctx.note(key, text, level))
    const capture = params.capture === true ? await startCapture(ctx, port, noteLater) : null
    noteLater('tcp.modeled', {
      en: 'The kernel handles SYN, ACK and FIN on loopback out of sight of programs, so Wirelab models these segments from what the sockets report; they are marked "modeled". The data bytes are real.',
      pt: 'O kernel trata SYN, ACK e FIN no loopback fora da vista dos programas; por isso o Wirelab modela estes segmentos a partir do que os sockets reportam e os marca como "modelados". Os bytes de dados são reais.'
    })

    const exchange = async (
      how: 'client-closes' | 'server-closes' | 'reset',
      first: string,
      second: string
    ): Promise<Record<string, unknown>> => {
      mode = how === 'server-closes' ? 'server-close' : 'echo'
      ctx.note(`tcp.${how}.start`, {
        en: `The client connects to port ${port}: SYN, SYN-ACK, ACK. Each side starts counting its bytes from sequence number 0 (relative).`,
        pt: `O cliente se conecta à porta ${port}: SYN, SYN-ACK, ACK. Cada lado começa a contar os seus bytes a partir do número de sequência 0 (relativo).`
      })
      let local = -1
      const closed = ctx.connClosed(() => local)
      const socket = await ctx.connectTcp(named('tcp-client', { en: 'TCP client', pt: 'Cliente TCP' }), port)
      local = socket.localPort ?? -1
      socket.on('error', () => undefined)
      const enc = new TextEncoder()
      const a = enc.encode(first)
      if (how === 'server-closes')
        ctx.note('tcp.server-closes', {
          en: 'The server echoes and then closes first: its FIN goes to the client, which answers with its own FIN.',
          pt: 'O servidor devolve o eco e fecha primeiro: o seu FIN vai para o cliente, que responde com o seu próprio FIN.'
        })
      socket.write(a)
      const echoA = await waitFor(socket, a.length)
      const out: Record<string, unknown> = { echo: [echoA.toString()] }
      if (how === 'server-closes') {
        await new Promise<void>((resolve) =>
          socket.readableEnded ? resolve() : socket.once('end', () => resolve())
        )
        socket.end()
        await closed
        return out
      }
      const b = enc.encode(second)
      ctx.note('tcp.second', {
        en: `The second message starts at sequence number ${1 + a.length}: 1 (the SYN) + ${a.length} bytes already sent.`,
        pt: `A segunda mensagem começa no número de sequência ${1 + a.length}: 1 (o SYN) + ${a.length} bytes já enviados.`
      })
      socket.write(b)
      const echoB = await waitFor(socket, b.length)
      ;(out.echo as string[]).push(echoB.toString())
      if (how === 'reset') {
        ctx.note('tcp.reset', {
          en: 'The client aborts: RST instead of FIN. No goodbye, unsent data is thrown away, the server sees "connection reset".',
          pt: 'O cliente aborta: RST em vez de FIN. Sem despedida, os dados ainda não enviados são descartados e o servidor vê "connection reset".'
        })
        socket.resetAndDestroy()
        await closed
        return out
      }
      ctx.note('tcp.client-closes', {
        en: 'The client closes first: FIN, the server ACKs it and sends its own FIN, the client ACKs.',
        pt: 'O cliente fecha primeiro: FIN, o servidor confirma (ACK) e envia o seu FIN, o cliente confirma.'
      })
      socket.end()
      await closed
      return out
    }

    const hints = (): ClientHint[] => [
      { title: { en: 'netcat', pt: 'netcat' }, command: `nc 127.0.0.1 ${port}` },
      {
        title: { en: 'Python (seed tcp_client.py)', pt: 'Python (tcp_client.py)' },
        command: `/usr/bin/python3 -c "import socket; s=socket.create_connection(('127.0.0.1', ${port})); s.sendall(b'Ola, mundo'); print(s.recv(1024)); s.close()"`
      }
    ]

    const run: SceneRun = {
      ports: [tap.port],
      hints,
      async action(id, args) {
        for (const say of early.splice(0)) say()
        const first = String(args.message ?? 'Ola, mundo')
        const second = String(args.second ?? 'Tchau!')
        if (id === 'refused') return ok(undefined, { error: await refused(ctx) })
        if (id === 'server-closes' || id === 'reset' || id === 'client-closes') {
          const step = () => exchange(id, first, second)
          const out = id === 'client-closes' ? await ctx.checkpoint(ackQuestion(first), step, revealAck) : await step()
          await capture?.settle()
          return ok(undefined, out)
        }
        return ok()
      },
      async script() {
        await run.action('client-closes', params)
        await run.action('server-closes', params)
        await run.action('reset', params)
        await run.action('refused', params)
      }
    }
    return run
  }
}
