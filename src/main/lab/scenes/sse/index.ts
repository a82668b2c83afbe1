// Lesson "Server-Sent Events" (seed 001 §4 "SSE: O Servidor Empurra", seed 000): one long HTTP
// response the server keeps writing (text/event-stream), automatic reconnection with
// Last-Event-ID, heartbeats, and LLM token streaming ("LLMs usam SSE para enviar tokens um a um").
import WebSocket from 'ws'
import type { ClientHint } from '../../../../shared/scene'
import { startSseServer } from '../../protocols/sse/server'
import { EventStreamClient, streamChat } from '../../protocols/sse/client'
import { LOOPBACK } from '../../net/ports'
import { fail, ok, type SceneDef, type SceneRun } from '../types'
import { scriptHint } from '../client-scripts'
import { ONE_WAY, RESUME, revealOneWay, revealResume } from './checkpoints'
import { named } from '../../tap/actors'

const PORT = 8000

export const sseScene: SceneDef = {
  info: {
    id: 'sse',
    group: 'web',
    title: { en: 'Server-Sent Events', pt: 'Server-Sent Events (SSE)' },
    summary: {
      en: 'One HTTP response that never ends: metrics every second as text/event-stream, an LLM answer token by token, and a cut connection resumed with Last-Event-ID.',
      pt: 'Uma resposta HTTP que não acaba: métricas a cada segundo em text/event-stream, uma resposta de LLM token a token, e uma conexão cortada retomada com Last-Event-ID.'
    },
    goal: {
      en: 'SSE is one-way (server → client) over plain HTTP: the client asks once, the server keeps writing "data:" lines. If the connection drops, the client reconnects by itself and says where it stopped (Last-Event-ID).',
      pt: 'O SSE é unidirecional (servidor → cliente) sobre HTTP normal: o cliente pede uma vez e o servidor continua escrevendo linhas "data:". Se a conexão cair, o cliente se reconecta sozinho e diz onde parou (Last-Event-ID).'
    },
    params: [
      {
        id: 'interval',
        label: { en: 'Metric every (ms)', pt: 'Métrica a cada (ms)' },
        type: 'number',
        default: 1000,
        min: 50,
        max: 10000
      },
      {
        id: 'retry',
        label: { en: 'retry: (ms)', pt: 'retry: (ms)' },
        type: 'number',
        default: 1000,
        min: 50,
        max: 30000
      },
      {
        id: 'tokenMs',
        label: { en: 'Token every (ms)', pt: 'Token a cada (ms)' },
        type: 'number',
        default: 150,
        min: 10,
        max: 5000
      },
      {
        id: 'before',
        label: { en: 'Events before the cut', pt: 'Eventos antes do corte' },
        type: 'number',
        default: 2,
        min: 1,
        max: 50
      },
      {
        id: 'prompt',
        label: { en: 'Prompt', pt: 'Pergunta' },
        type: 'string',
        default: 'Por que as APIs de LLM usam SSE?'
      }
    ],
    actions: [
      {
        id: 'metrics',
        label: { en: 'Stream metrics, cut, resume', pt: 'Stream de métricas, cortar, retomar' },
        primary: true
      },
      { id: 'chat', label: { en: 'LLM answer, token by token', pt: 'Resposta do LLM, token a token' } },
      { id: 'compare', label: { en: 'Same feed: SSE vs WebSocket', pt: 'O mesmo feed: SSE vs WebSocket' } },
      { id: 'subscribe', label: { en: 'Open the metric stream', pt: 'Abrir o stream de métricas' } },
      { id: 'cut', label: { en: 'Cut the connection', pt: 'Cortar a conexão' } },
      { id: 'unsubscribe', label: { en: 'Close the stream', pt: 'Fechar o stream' } }
    ],
    views: ['eventstream', 'sequence', 'bytes'],
    ports: [{ name: 'http', transport: 'tcp', preferred: PORT }],
    tagline: { en: 'One long HTTP response: metrics, LLM tokens, reconnection', pt: 'Uma resposta HTTP que não acaba: métricas, tokens de LLM, reconexão' },
    protocols: ['sse', 'http', 'tcp'],
    checkpoints: [RESUME, ONE_WAY]
  },

  async start(ctx, params) {
    let interval = Number(params.interval)
    let retry = Number(params.retry)
    // The server reads these when a stream starts, so an action can change them (from the panel).
    const options = {
      intervalMs: interval,
      retryMs: retry,
      tokenMs: Number(params.tokenMs),
      heartbeatEvery: 3
    }
    const configure = (args: Record<string, unknown>): void => {
      if (args.interval !== undefined) interval = options.intervalMs = Number(args.interval)
      if (args.retry !== undefined) retry = options.retryMs = Number(args.retry)
      if (args.tokenMs !== undefined) options.tokenMs = Number(args.tokenMs)
    }
    const srv = await startSseServer(options)
    ctx.own(srv)
    const tap = await ctx.tcpTap({
      name: 'http',
      preferredPort: PORT,
      target: { host: LOOPBACK, port: srv.port },
      dissector: 'sse',
      server: named('sse-server', { en: 'SSE server', pt: 'Servidor SSE' })
    })
    const port = tap.port.port
    const browser = named('sse-browser', { en: 'Dashboard (EventSource)', pt: 'Painel (EventSource)' })
    let client: EventStreamClient | null = null
    ctx.onStop(async () => {
      await client?.close()
    })

    const subscribe = async (): Promise<EventStreamClient> => {
      if (client) return client
      ctx.note('sse.subscribe', {
        en: 'The dashboard sends one GET with "Accept: text/event-stream". The answer is 200 with Content-Type text/event-stream — and it never ends: the server keeps writing events.',
        pt: 'O dashboard envia um GET com "Accept: text/event-stream". A resposta é 200 com Content-Type text/event-stream — e nunca acaba: o servidor continua escrevendo eventos.'
      })
      const c = new EventStreamClient(
        () => ctx.connectTcp(browser, port),
        'localhost',
        '/stream/metricas',
        retry
      )
      client = c
      await c.open()
      return c
    }

    const cut = async (): Promise<number> => {
      const c = client
      ctx.note('sse.cut', {
        en: `The connection is cut (the server side closes it). The client waits the "retry: ${retry}" the server asked for, then reconnects on its own, sending the last id it saw in Last-Event-ID.`,
        pt: `A conexão é cortada (o lado do servidor a fecha). O cliente espera o "retry: ${retry}" que o servidor pediu e se reconecta sozinho, enviando o último id que viu em Last-Event-ID.`
      })
      const n = srv.cut()
      if (c) {
        const before = c.connections
        await c.until(
          () => c.connections > before && c.events.some((e) => e.connection === c.connections),
          'reconnection',
          retry + interval * 3 + 5000
        )
        const resumedAt = c.events.find((e) => e.connection === c.connections)
        ctx.note('sse.resumed', {
          en: `Reconnected with Last-Event-ID: ${c.reconnects.at(-1)}; the server resumed at id ${resumedAt?.lastEventId}. Nothing was lost.`,
          pt: `Reconectou com Last-Event-ID: ${c.reconnects.at(-1)}; o servidor retomou no id ${resumedAt?.lastEventId}. Nada se perdeu.`
        })
      }
      return n
    }

    const unsubscribe = async (): Promise<void> => {
      const c = client
      client = null
      if (!c) return
      let local = -1
      const closed = ctx.connClosed(() => local)
      local = c.localPort
      await c.close()
      await closed
    }

    const metrics = async (before: number): Promise<Record<string, unknown>> => {
      const c = await subscribe()
      await c.until(() => c.events.length >= before, `${before} events`, interval * (before + 3) + 5000)
      await cut()
      const n = c.events.length
      await c.until(() => c.events.length >= n + 1, 'one more event', interval * 4 + 5000)
      const ids = c.events.map((e) => e.lastEventId)
      await unsubscribe()
      return { ids, lastEventIdSent: c.reconnects, connections: c.connections }
    }

    const chat = async (prompt: string): Promise<Record<string, unknown>> => {
      ctx.note('sse.chat', {
        en: 'POST /v1/chat/completions with "stream": true. The answer comes back as SSE: one "data:" event per token, then "data: [DONE]". The prompt went in the request; the client sends nothing else — one direction is enough.',
        pt: 'POST /v1/chat/completions com "stream": true. A resposta volta em SSE: um evento "data:" por token e depois "data: [DONE]". A pergunta foi na requisição; o cliente não envia mais nada — basta um sentido.'
      })
      let local = -1
      const closed = ctx.connClosed(() => local)
      const socket = await ctx.connectTcp(named('llm-client', { en: 'LLM client', pt: 'Cliente do LLM' }), port)
      local = socket.localPort ?? -1
      const got = await streamChat(socket, 'localhost', prompt, () => undefined)
      socket.end()
      await closed
      return { tokens: got, text: got.join('') }
    }

    /** The same metric feed at the same time over SSE and over WebSocket, `n` messages each. */
    const compare = async (n: number): Promise<Record<string, unknown>> => {
      ctx.note('sse.compare', {
        en: 'The same metrics, at the same time, two ways: SSE (one HTTP response, "data:" lines) and WebSocket (an Upgrade, then frames). For a one-way feed both work; SSE stays plain HTTP and reconnects by itself.',
        pt: 'As mesmas métricas, ao mesmo tempo, de duas formas: SSE (uma resposta HTTP, linhas "data:") e WebSocket (um Upgrade e depois frames). Para um feed num só sentido ambos servem; o SSE continua sendo HTTP normal e se reconecta sozinho.'
      })
      const sse = new EventStreamClient(
        () => ctx.connectTcp(named('sse-feed', { en: 'SSE feed (EventSource)', pt: 'Feed SSE (EventSource)' }), port),
        'localhost',
        '/stream/metricas',
        retry
      )
      const socket = await ctx.connectTcp(named('ws-feed', { en: 'WebSocket feed', pt: 'Feed WebSocket' }), port)
      const got: string[] = []
      const ws = new WebSocket(`ws://localhost:${port}/ws/metricas`, {
        perMessageDeflate: false,
        createConnection: () => socket
      })
      ws.on('error', () => undefined)
      const wsDone = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no WebSocket metrics')), interval * (n + 3) + 5000)
        ws.on('message', (d) => {
          got.push(d.toString())
          if (got.length >= n) {
            clearTimeout(timer)
            resolve()
          }
        })
      })
      await sse.open()
      await Promise.all([
        wsDone,
        sse.until(() => sse.events.length >= n, `${n} SSE events`, interval * (n + 3) + 5000)
      ])
      const wsClosed = new Promise<void>((resolve) => ws.once('close', () => resolve()))
      ws.close(1000, 'fim')
      await Promise.all([wsClosed, sse.close()])
      return { sse: sse.events.map((e) => e.data), ws: got }
    }

    const hints = (): ClientHint[] => [
      {
        title: { en: 'curl (see the stream live)', pt: 'curl (ver o stream ao vivo)' },
        command: `curl -N http://127.0.0.1:${port}/stream/metricas`
      },
      {
        title: { en: 'curl, resuming after id 5', pt: 'curl, retomando depois do id 5' },
        command: `curl -N -H "Last-Event-ID: 5" http://127.0.0.1:${port}/stream/metricas`
      },
      {
        title: { en: 'LLM token stream (curl)', pt: 'Stream de tokens do LLM (curl)' },
        command: `curl -N -H "Content-Type: application/json" -d '{"model": "wirelab-mini", "stream": true, "messages": [{"role": "user", "content": "Olá"}]}' http://127.0.0.1:${port}/v1/chat/completions`
      },
      scriptHint({ en: 'Python client (standard library)', pt: 'Cliente Python (biblioteca padrão)' }, 'sse_client.py', { port }, PORT, '/usr/bin/python3 sse_client.py')
    ]

    const run: SceneRun = {
      ports: [tap.port],
      hints,
      async action(id, args) {
        configure(args)
        if (id === 'metrics') return ok(undefined, await ctx.checkpoint(RESUME, () => metrics(Number(args.before ?? 2)), revealResume))
        if (id === 'chat') return ok(undefined, await ctx.checkpoint(ONE_WAY, () => chat(String(args.prompt ?? '')), revealOneWay))
        if (id === 'compare') return ok(undefined, await compare(3))
        if (id === 'subscribe') {
          await subscribe()
          return ok()
        }
        if (id === 'cut') {
          const n = await cut()
          return n
            ? ok(undefined, { cut: n })
            : fail({
                en: 'No stream is open: open the metric stream first.',
                pt: 'Não há nenhum stream aberto: abra primeiro o stream de métricas.'
              })
        }
        if (id === 'unsubscribe') {
          await unsubscribe()
          return ok()
        }
        return fail({ en: `Unknown action ${id}`, pt: `Ação desconhecida ${id}` })
      },
      async script() {
        await run.action('metrics', params)
        await run.action('chat', params)
      }
    }
    return run
  }
}
