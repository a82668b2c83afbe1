// Lesson "Sync vs async, and buffers" (seed 003: send and receive through queues on each side;
// synchronous vs asynchronous communication). Two senders write to one slow receiver over real
// TCP, directly (a relay would add buffers of its own): one waits for 'drain' whenever write()
// returns false, as a blocking send() would; the other keeps calling write(). Sampled every 50 ms:
// what each program handed to write(), what waits in the sender's own memory (Node's
// writableLength), the kernel's send and receive queues (/proc/net/tcp), and the receiver's
// advertised window (ss, or modeled where the kernel does not report it).
import net from 'node:net'
import type { ParamValues } from '../../../../shared/events'
import type { ClientHint } from '../../../../shared/scene'
import { connectionQueues, ssConnection, tcpTable } from '../../net/kernel'
import { LOOPBACK, listenTcp, listenWithFallback } from '../../net/ports'
import { now } from '../../session/session'
import { ConnRecorder } from '../../tap/recorder'
import { ok, runAction, runScript, type SceneDef } from '../types'
import { ACTIONS, BUFFERS_INFO, BUFFERS_PORT, KEEPS_GOING_CHECKPOINT, SENDERS, type BuffersLesson, type SenderId } from './info'
import { Receiver } from './receiver'
import { rcvbufDefault, sendAll, type SenderStats } from './sender'

const MB = 1024 * 1024
const mb = (n: number): string => (n / MB).toFixed(1)

export const buffers: SceneDef = {
  info: BUFFERS_INFO,

  async start(ctx, params) {
    const receiver = new Receiver(ctx, 'receiver', Number(params.rate) * 1024)
    const server = net.createServer((socket) => void receiver.accept(socket))
    server.on('error', () => undefined)
    const { port, fellBack } = await listenWithFallback((p) => listenTcp(server, p, ctx.host), ctx.port(BUFFERS_PORT))
    receiver.port = port
    ctx.own(server)
    ctx.onStop(() => receiver.close())
    ctx.session.append({ kind: 'node', node: 'receiver', label: 'Slow receiver', role: 'server', endpoint: { host: ctx.host, port } })
    if (fellBack)
      ctx.note('port.fallback', {
        en: `Port ${BUFFERS_PORT} is in use by another program, so the receiver listens on ${port} instead.`,
        pt: `A porta ${BUFFERS_PORT} está ocupada por outro programa; o receptor escuta na ${port}.`
      }, 'warn')

    const run = async (args: ParamValues): Promise<Record<SenderId, SenderStats>> => {
      const total = Number(args.total) * MB
      const pauseMs = Number(args.pause)
      receiver.rate = Number(args.rate) * 1024
      receiver.pause()
      const t0 = now()
      const stats = {} as Record<SenderId, SenderStats>
      const sockets = {} as Record<SenderId, net.Socket>
      const recorders = {} as Record<SenderId, ConnRecorder>
      for (const s of SENDERS) {
        const actor = ctx.node({ node: s.node, label: s.label }, 'client')
        const socket = await ctx.connectTcp(actor, port)
        socket.on('error', () => undefined)
        sockets[s.id] = socket
        recorders[s.id] = new ConnRecorder(ctx.session, {
          from: s.node,
          to: 'receiver',
          client: { host: LOOPBACK, port: socket.localPort ?? 0 },
          server: { host: LOOPBACK, port },
          dissector: 'tcp'
        })
        stats[s.id] = { written: 0, writeFalse: 0, drains: 0, waiting: false, maxUserBuffer: 0, doneAt: undefined, firstFalseAt: undefined }
      }
      const rcvbuf = rcvbufDefault()
      // ss reports snd_wnd only where the kernel has it (≥ 6.2), and leaves it out when it is 0: a
      // window seen once (the connection starts with an open one) says the kernel reports it.
      let reportsWindow = false
      const window = async (s: (typeof SENDERS)[number], local: number, unread: number): Promise<void> => {
        const info = await ssConnection(local, port)
        if (!info && reportsWindow) return // the connection is gone
        if (info?.sndWnd !== undefined) reportsWindow = true
        if (info && reportsWindow)
          ctx.session.append({
            kind: 'sample',
            series: 'window',
            subject: s.node,
            conn: recorders[s.id].conn,
            values: { window: info.sndWnd ?? 0, ...(info.rwndLimitedMs !== undefined ? { rwndLimitedMs: info.rwndLimitedMs } : {}) },
            source: 'ss -tni (snd_wnd: the window the receiver last advertised; absent = 0)'
          })
        else
          ctx.session.append({
            kind: 'sample',
            series: 'window',
            subject: s.node,
            conn: recorders[s.id].conn,
            values: { window: Math.max(0, rcvbuf - unread) },
            source: 'modeled: receive buffer (tcp_rmem default) minus unread bytes',
            modeled: true
          })
      }
      // A sample still in flight (waiting for ss) when the run ends must not log the closed sockets.
      let stopped = false
      const sample = async (withWindow: boolean): Promise<void> => {
        const rows = tcpTable()
        for (const s of SENDERS) {
          const sock = sockets[s.id]
          if (stopped || sock.localPort === undefined) return
          const local = sock.localPort ?? 0
          const send = connectionQueues(rows, local, port)
          const recv = connectionQueues(rows, port, local)
          const st = stats[s.id]
          st.maxUserBuffer = Math.max(st.maxUserBuffer, sock.writableLength)
          ctx.session.append({
            kind: 'sample',
            series: 'buffers',
            subject: s.node,
            conn: recorders[s.id].conn,
            values: {
              ms: Math.round(now() - t0),
              written: st.written,
              userBuffer: sock.writableLength,
              ...(send ? { kernelSend: send.tx } : {}),
              ...(recv ? { kernelRecv: recv.rx } : {}),
              read: receiver.readFrom(local),
              writeFalse: st.writeFalse,
              drains: st.drains,
              waiting: st.waiting
            },
            source: rows ? '/proc/net/tcp (queues), node (write(), writableLength)' : 'node (write(), writableLength); kernel queues not readable here'
          })
          if (withWindow) await window(s, local, recv?.rx ?? 0)
        }
      }
      await sample(true)
      let ticks = 0
      const timer = setInterval(() => void sample(++ticks % 4 === 0), 50)
      const resumeAt = setTimeout(() => {
        ctx.note('buffers.read', {
          en: `The receiver starts reading, ${args.rate} KB/s from each connection: its queue empties, its window reopens, the blocking sender's write() goes through again.`,
          pt: `O receptor começa a ler, ${args.rate} KB/s de cada conexão: a fila dele esvazia, a janela reabre, o write() do emissor bloqueante volta a passar.`
        })
        receiver.resume()
      }, pauseMs)
      try {
        ctx.note('buffers.start', {
          en: `Two senders write ${args.total} MB each to a receiver that does not read for ${(pauseMs / 1000).toFixed(1)} s.`,
          pt: `Dois emissores escrevem ${args.total} MB cada para um receptor que não lê durante ${(pauseMs / 1000).toFixed(1)} s.`
        })
        const writing = SENDERS.map((s) =>
          sendAll(sockets[s.id], total, s.id === 'blocking', stats[s.id], t0, recorders[s.id], (what) => {
            if (what === 'false' && s.id === 'blocking')
              ctx.note('buffers.blocked', {
                en: `The blocking sender's write() returned false after ${mb(stats[s.id].written)} MB: the kernel queues are full, so it stops and waits for 'drain'.`,
                pt: `O write() do emissor bloqueante devolveu false após ${mb(stats[s.id].written)} MB: as filas do kernel estão cheias, então ele para e espera o 'drain'.`
              })
            if (what === 'done' && s.id === 'nonblocking')
              ctx.note('buffers.nonblocking', {
                en: `The non-blocking sender "sent" all ${args.total} MB in ${((stats[s.id].doneAt ?? 0) / 1000).toFixed(2)} s: ${mb(sockets[s.id].writableLength)} MB of it wait in its own memory (writableLength), not on the network.`,
                pt: `O emissor não bloqueante "enviou" os ${args.total} MB em ${((stats[s.id].doneAt ?? 0) / 1000).toFixed(2)} s: ${mb(sockets[s.id].writableLength)} MB esperam na memória dele (writableLength), não na rede.`
              })
          })
        )
        const result = await ctx.checkpoint(
          KEEPS_GOING_CHECKPOINT,
          async () => {
            await Promise.all(writing)
            await receiver.drained(SENDERS.map((s) => sockets[s.id].localPort ?? 0), total, 60_000)
            return stats
          },
          (_events, st) => ({
            answer: [st.nonblocking.maxUserBuffer > 0 ? 'sender-memory' : 'receiver'],
            explain: {
              en: `Measured: up to ${mb(st.nonblocking.maxUserBuffer)} MB waited in the non-blocking sender's memory; write() returned false ${st.nonblocking.writeFalse} times and never failed. The blocking sender instead waited ${st.blocking.drains} times for 'drain'.`,
              pt: `Medido: até ${mb(st.nonblocking.maxUserBuffer)} MB esperaram na memória do emissor não bloqueante; o write() devolveu false ${st.nonblocking.writeFalse} vezes e nunca falhou. O emissor bloqueante, em vez disso, esperou ${st.blocking.drains} vezes pelo 'drain'.`
            }
          })
        )
        await sample(true)
        return result
      } finally {
        stopped = true
        clearInterval(timer)
        clearTimeout(resumeAt)
        receiver.resume()
        for (const s of SENDERS) {
          sockets[s.id].end()
          recorders[s.id].end('c2s')
        }
      }
    }

    const hints = (): ClientHint[] => [
      {
        title: { en: 'Send 20 MB from Python (sendall blocks while the queues are full)', pt: 'Enviar 20 MB do Python (sendall bloqueia enquanto as filas estão cheias)' },
        command: `python3 -c "import socket,time; s=socket.create_connection(('127.0.0.1', ${port})); t=time.time(); s.sendall(b'x'*20_000_000); print('sendall voltou após', round(time.time()-t, 2), 's')"`
      },
      { title: { en: 'The queues, as the kernel sees them (Linux)', pt: 'As filas, como o kernel as vê (Linux)' }, command: `ss -tni '( dport = :${port} or sport = :${port} )'` }
    ]

    const lesson: BuffersLesson = { run: async (args) => ok(undefined, await run(args)) }

    return {
      ports: [{ name: 'receiver', transport: 'tcp', host: ctx.host, port, preferred: BUFFERS_PORT, fellBack }],
      hints,
      action: (id, args) => runAction(ACTIONS, lesson, id, args),
      script: () => runScript(ACTIONS, lesson, params)
    }
  }
}
