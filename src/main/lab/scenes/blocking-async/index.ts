// Lesson "Blocking vs async servers" (seed 004, "O Problema: I/O Blocante", "A Solução: I/O
// Assíncrono", tcp_server.py and asyncio_server.py): three echo servers listening directly on
// their ports (a relay would accept for them and hide their accept queues), N clients connecting
// to each at once, the kernel's accept queues sampled while they wait.
import type { ClientHint } from '../../../../shared/scene'
import { startIoServer, type IoImplementation, type IoModel, type IoServer } from '../../protocols/echo/io-models'
import { tcpExtCounters } from '../../net/kernel'
import { LOOPBACK } from '../../net/ports'
import { now } from '../../session/session'
import { scriptHint } from '../client-scripts'
import { ok, runAction, runScript, type SceneDef } from '../types'
import { ACTIONS, BLOCKING_INFO, IO_MODELS, IO_NODES, IO_PORTS, LAST_REPLY_CHECKPOINT, type IoLesson } from './info'
import { IoRecording, LABELS, type ClientTimes } from './recording'
import { QueueSampler, backlogs, queueSource } from './sampler'

/** How long the blocking server waits for a silent client before it gives up on it. */
const IDLE_TIMEOUT_MS = 3000

const secs = (ms: number | undefined): string => (ms === undefined ? '—' : (ms / 1000).toFixed(2))

/** The checkpoint's choices whose expected time is nearest the blocking server's last reply. */
export function lastReplyChoices(times: ClientTimes[], delay: number, n: number): string[] {
  if (times.some((t) => t.reply === undefined)) return ['never']
  const last = Math.max(...times.map((t) => t.reply ?? 0))
  const expected: [string, number][] = [
    ['one', delay],
    ['two', 2 * delay],
    ['all', n * delay]
  ]
  const best = Math.min(...expected.map(([, e]) => Math.abs(e - last)))
  return expected.filter(([, e]) => Math.abs(e - last) === best).map(([id]) => id)
}

export const blockingAsync: SceneDef = {
  info: BLOCKING_INFO,

  async start(ctx, params) {
    const implementation = String(params.implementation ?? 'node') as IoImplementation
    const backlog = Number(params.backlog)
    const recordings = {} as Record<IoModel, IoRecording>
    const servers = {} as Record<IoModel, IoServer>
    for (const model of IO_MODELS) {
      const rec = new IoRecording(ctx, model, IO_NODES[model])
      const server = await startIoServer(model, {
        preferredPort: ctx.port(IO_PORTS[model]),
        host: ctx.host,
        backlog,
        delayMs: Number(params.delay),
        idleTimeoutMs: IDLE_TIMEOUT_MS,
        events: rec.events,
        implementation
      })
      ctx.onStop(() => server.close())
      rec.port = server.port
      recordings[model] = rec
      servers[model] = server
      const label = `${LABELS[model]} server${server.implementation === 'python' ? (model === 'blocking' ? ' (tcp_server.py)' : ' (asyncio_server.py)') : ''}`
      ctx.session.append({ kind: 'node', node: IO_NODES[model], label, role: 'server', endpoint: { host: ctx.host, port: server.port } })
      if (server.fellBack)
        ctx.note('port.fallback', {
          en: `Port ${IO_PORTS[model]} is in use by another program, so the ${LABELS[model].toLowerCase()} server listens on ${server.port} instead.`,
          pt: `A porta ${IO_PORTS[model]} está ocupada por outro programa; o servidor ${model} escuta na ${server.port}.`
        }, 'warn')
    }
    const source = await queueSource(servers.blocking.port)
    const kernelBacklogs = await backlogs(IO_MODELS.map((m) => servers[m].port), backlog)
    const sampler = new QueueSampler(
      ctx,
      source,
      IO_MODELS.map((m, i) => ({ port: servers[m].port, node: IO_NODES[m], backlog: kernelBacklogs[i].backlog }))
    )
    ctx.onStop(() => sampler.stop())
    ctx.note(
      'io.ready',
      source.kind === 'none'
        ? {
            en: 'This system does not expose the accept queues (no /proc/net/tcp, no ss): connect and accept times still show who waited, and for how long.',
            pt: 'Este sistema não expõe as filas de accept (sem /proc/net/tcp, sem ss): os tempos de connect e accept ainda mostram quem esperou, e quanto.'
          }
        : {
            en: `Three echo servers, no relay in front of them. Accept queues read from ${source.label}; backlog ${kernelBacklogs[0].backlog} (${kernelBacklogs[0].source}).`,
            pt: `Três servidores de eco, sem relay na frente. Filas de accept lidas de ${source.label}; backlog ${kernelBacklogs[0].backlog} (${kernelBacklogs[0].source}).`
          }
    )

    const run = async (n: number, delay: number): Promise<Record<IoModel, ClientTimes[]>> => {
      for (const m of IO_MODELS) servers[m].setDelay(delay)
      const before = tcpExtCounters()
      sampler.start(10)
      const t0 = now()
      for (const m of IO_MODELS) recordings[m].t0 = t0
      const timeout = n * delay + 20_000
      const results = await Promise.all(
        IO_MODELS.map((m) =>
          Promise.all(Array.from({ length: n }, (_, i) => recordings[m].client(i, new TextEncoder().encode(`pedido ${i + 1}`), timeout)))
        )
      )
      await sampler.stop()
      const after = tcpExtCounters()
      const out = Object.fromEntries(IO_MODELS.map((m, i) => [m, results[i]])) as Record<IoModel, ClientTimes[]>
      for (const m of IO_MODELS)
        for (const times of out[m])
          ctx.session.append({
            kind: 'sample',
            series: 'client-times',
            subject: IO_NODES[m],
            values: Object.fromEntries(Object.entries(times).filter(([, v]) => v !== undefined)) as Record<string, number | string | boolean>,
            source: 'client sockets (connect, first byte, reply) and the server (accept, read)'
          })
      if (before && after) {
        const overflows = (after.ListenOverflows ?? 0) - (before.ListenOverflows ?? 0)
        ctx.session.append({ kind: 'sample', series: 'listen-overflows', subject: 'kernel', values: { overflows, drops: (after.ListenDrops ?? 0) - (before.ListenDrops ?? 0) }, source: '/proc/net/netstat (TcpExt, whole system)' })
      }
      for (const m of IO_MODELS) {
        const replies = out[m].map((t) => secs(t.reply)).join(', ')
        const retried = out[m].filter((t) => t.synRetried).length
        ctx.note(`io.result.${m}`, {
          en: `${LABELS[m]}: replies at ${replies} s.${retried ? ` ${retried} client${retried > 1 ? 's' : ''} connected only after ~1 s: the first SYN was dropped (accept queue full) and retried.` : ''}`,
          pt: `${LABELS[m]}: respostas em ${replies} s.${retried ? ` ${retried} cliente${retried > 1 ? 's' : ''} só conectou após ~1 s: o primeiro SYN foi descartado (fila de accept cheia) e repetido.` : ''}`
        })
      }
      return out
    }

    const race = async (n: number, delay: number): Promise<Record<IoModel, ClientTimes[]>> => {
      const d = (delay / 1000).toFixed(1)
      const choices = [
        { id: 'one', label: { en: `After ~${d} s, like the others`, pt: `Após ~${d} s, como os outros` } },
        { id: 'two', label: { en: `After ~${((2 * delay) / 1000).toFixed(1)} s`, pt: `Após ~${((2 * delay) / 1000).toFixed(1)} s` } },
        { id: 'all', label: { en: `After ~${((n * delay) / 1000).toFixed(1)} s: one after another`, pt: `Após ~${((n * delay) / 1000).toFixed(1)} s: um após o outro` } },
        LAST_REPLY_CHECKPOINT.choices[3]
      ]
      ctx.note('io.race', {
        en: `${n} clients connect at once to each server; each request takes ${delay} ms of work.`,
        pt: `${n} clientes conectam ao mesmo tempo a cada servidor; cada requisição leva ${delay} ms de trabalho.`
      })
      return ctx.checkpoint(
        LAST_REPLY_CHECKPOINT,
        () => run(n, delay),
        (_events, out) => ({
          answer: lastReplyChoices(out.blocking, delay, n),
          explain: {
            en: `Measured: the blocking server replied at ${out.blocking.map((t) => secs(t.reply)).join(', ')} s — one request at a time; the event loop at ${out['event-loop'].map((t) => secs(t.reply)).join(', ')} s.`,
            pt: `Medido: o servidor bloqueante respondeu em ${out.blocking.map((t) => secs(t.reply)).join(', ')} s — uma requisição de cada vez; o event loop em ${out['event-loop'].map((t) => secs(t.reply)).join(', ')} s.`
          }
        }),
        choices
      )
    }

    const hints = (): ClientHint[] => [
      scriptHint(
        { en: 'The seed’s tcp_client.py, at the blocking server', pt: 'O tcp_client.py do curso, no servidor bloqueante' },
        'tcp_client.py',
        { host: LOOPBACK, port: servers.blocking.port },
        IO_PORTS.blocking
      ),
      {
        title: { en: 'Five of them at once (bash)', pt: 'Cinco ao mesmo tempo (bash)' },
        command: 'for i in 1 2 3 4 5; do python3 tcp_client.py & done; wait'
      },
      { title: { en: 'The accept queue, as the kernel sees it (Linux)', pt: 'A fila de accept, como o kernel a vê (Linux)' }, command: `ss -ltn 'sport = :${servers.blocking.port}'` },
      { title: { en: 'netcat, and type nothing', pt: 'netcat, sem digitar nada' }, command: `nc 127.0.0.1 ${servers.blocking.port}` }
    ]

    const lesson: IoLesson = {
      race: async (args) => ok(undefined, await race(Number(args.clients ?? params.clients), Number(args.delay ?? params.delay))),
      async one(args) {
        const delay = Number(args.delay ?? params.delay)
        ctx.note('io.one', { en: `One client connects to each server; ${delay} ms of work.`, pt: `Um cliente conecta a cada servidor; ${delay} ms de trabalho.` })
        return ok(undefined, await run(1, delay))
      }
    }

    return {
      ports: IO_MODELS.map((m) => ({
        name: m,
        transport: 'tcp' as const,
        host: ctx.host,
        port: servers[m].port,
        preferred: IO_PORTS[m],
        fellBack: servers[m].fellBack
      })),
      hints,
      action: (id, args) => runAction(ACTIONS, lesson, id, args),
      script: () => runScript(ACTIONS, lesson, params)
    }
  }
}
