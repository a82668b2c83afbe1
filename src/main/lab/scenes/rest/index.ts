// Lesson "REST over HTTP/1.1" (seed 004, "APIs REST" and the FastAPI `items` example): a real
// node:http server with the seed's items API on port 8000, a built-in client on one keep-alive
// connection, and every request and response laid open byte by byte.
import type { ClientHint } from '../../../../shared/scene'
import { itemsHandler, startHttpServer } from '../../protocols/http/server'
import http from 'node:http'
import { closeAgent, request, tappedAgent, type HttpResult } from '../../protocols/http/client'
import { ok, type SceneDef, type SceneRun } from '../types'
import { scriptHint } from '../client-scripts'
import { MISSING, revealMissing } from './checkpoints'
import { named } from '../../tap/actors'

const PORT = 8000

export const rest: SceneDef = {
  info: {
    id: 'rest',
    group: 'web',
    title: { en: 'REST over HTTP/1.1', pt: 'REST sobre HTTP/1.1' },
    summary: {
      en: "The seed's items API (GET /, GET /items/{id}, POST /items) on a real HTTP/1.1 server: request line, headers and JSON body, byte by byte, several requests on one keep-alive connection.",
      pt: 'A API de items do exemplo FastAPI (GET /, GET /items/{id}, POST /items) num servidor HTTP/1.1 real: linha de requisição, cabeçalhos e corpo JSON, byte a byte, várias requisições na mesma conexão keep-alive.'
    },
    goal: {
      en: 'REST is not a protocol but a style built on HTTP: resources (/items/1), verbs (GET, POST), status codes (200, 201, 404), headers and JSON bodies. Each request carries everything needed to serve it (stateless); keep-alive reuses the TCP connection.',
      pt: 'REST não é um protocolo, mas um conjunto de regras sobre HTTP: recursos (/items/1), verbos (GET, POST), códigos de status (200, 201, 404), cabeçalhos e corpos JSON. Cada requisição contém toda a informação necessária (stateless); o keep-alive reutiliza a conexão TCP.'
    },
    params: [
      {
        id: 'method',
        label: { en: 'Method', pt: 'Método' },
        type: 'select',
        default: 'GET',
        options: ['GET', 'POST', 'DELETE', 'HEAD'].map((m) => ({ value: m, label: { en: m, pt: m } }))
      },
      { id: 'path', label: { en: 'Path', pt: 'Caminho' }, type: 'string', default: '/items/1' },
      {
        id: 'body',
        label: { en: 'Body (JSON, for POST)', pt: 'Corpo (JSON, para POST)' },
        type: 'text',
        default: '{"name": "Teclado", "price": 80}'
      }
    ],
    actions: [
      {
        id: 'tour',
        label: { en: 'Run the tour', pt: 'Executar o percurso' },
        help: {
          en: 'GET /, GET /items/1, GET /items/3 (404), POST /items, GET /items (chunked): five requests on one keep-alive connection.',
          pt: 'GET /, GET /items/1, GET /items/3 (404), POST /items, GET /items (chunked): cinco requisições na mesma conexão keep-alive.'
        },
        primary: true
      },
      { id: 'request', label: { en: 'Send request', pt: 'Enviar requisição' } }
    ],
    views: ['sequence', 'bytes', 'packets'],
    ports: [{ name: 'http', transport: 'tcp', preferred: PORT }],
    tagline: { en: 'The items API: verbs, status codes, headers and JSON, byte by byte', pt: 'A API de items: verbos, códigos de status, cabeçalhos e JSON, byte a byte' },
    protocols: ['http', 'json', 'tcp'],
    checkpoints: [MISSING]
  },

  async start(ctx, params) {
    const { server, port: hidden } = await startHttpServer(itemsHandler())
    ctx.own(server)
    ctx.onStop(() => server.closeAllConnections())
    const tap = await ctx.tcpTap({
      name: 'http',
      preferredPort: PORT,
      target: { host: '127.0.0.1', port: hidden },
      dissector: 'http',
      server: named('rest-server', { en: 'REST server (items API)', pt: 'Servidor REST (API de items)' }),
      externalLabel: 'Your client'
    })
    const port = tap.port.port
    const agent = tappedAgent(ctx, named('rest-client', { en: 'REST client', pt: 'Cliente REST' }), port, 1)

    const send = async (method: string, path: string, body?: string, via: http.Agent = agent): Promise<HttpResult> => {
      const withBody = method === 'POST' || method === 'PUT' || method === 'PATCH'
      const r = await request(via, port, { method, path, ...(withBody ? { body: body ?? '' } : {}) })
      ctx.note('rest.response', {
        en: `${method} ${path} → ${r.status}${r.body ? `: ${r.body.slice(0, 120)}` : ''}`,
        pt: `${method} ${path} → ${r.status}${r.body ? `: ${r.body.slice(0, 120)}` : ''}`
      })
      return r
    }

    const hints = (): ClientHint[] => [
      { title: { en: 'curl: one item', pt: 'curl: um item' }, command: `curl -v http://127.0.0.1:${port}/items/1` },
      { title: { en: 'curl: an item that does not exist (404)', pt: 'curl: item inexistente (404)' }, command: `curl -v http://127.0.0.1:${port}/items/3` },
      {
        title: { en: 'curl: create an item (POST)', pt: 'curl: criar um item (POST)' },
        command: `curl -v -X POST -H 'Content-Type: application/json' -d '{"name": "Teclado", "price": 80}' http://127.0.0.1:${port}/items`
      },
      scriptHint({ en: 'Python http.client, keep-alive', pt: 'Python http.client, keep-alive' }, 'rest_client.py', { port }, PORT),
      scriptHint({ en: "The seed's FastAPI server (run it yourself on another port)", pt: 'O servidor FastAPI do exemplo (em outra porta)' }, 'main.py', { port }, PORT, 'uvicorn main:app --port 8001')
    ]

    const run: SceneRun = {
      ports: [tap.port],
      hints,
      async action(id, args) {
        if (id === 'request') {
          const r = await send(String(args.method ?? 'GET'), String(args.path ?? '/'), String(args.body ?? ''))
          return ok(undefined, { status: r.status, body: r.body, ms: r.endedAt - r.startedAt })
        }
        return ctx.checkpoint(
          MISSING,
          async () => {
            ctx.note('rest.tour', {
              en: 'Five requests on one TCP connection (keep-alive): each one carries its method, path, headers and, for POST, a JSON body.',
              pt: 'Cinco requisições na mesma conexão TCP (keep-alive): cada uma leva o método, o caminho, os cabeçalhos e, no POST, um corpo JSON.'
            })
            // A fresh connection for the tour, closed at its end: the five requests share it.
            const tourAgent = tappedAgent(ctx, named('rest-client', { en: 'REST client', pt: 'Cliente REST' }), port, 1)
            const results: { request: string; status: number }[] = []
            for (const [method, path, body] of [
              ['GET', '/'],
              ['GET', '/items/1'],
              ['GET', '/items/3'],
              ['POST', '/items', String(args.body ?? params.body)],
              ['GET', '/items']
            ] as [string, string, string?][]) {
              const r = await send(method, path, body, tourAgent)
              results.push({ request: `${method} ${path}`, status: r.status })
            }
            await closeAgent(tourAgent)
            ctx.note('rest.closed', {
              en: 'Five requests, one TCP connection: keep-alive saved four connection set-ups. The client now closes it (FIN).',
              pt: 'Cinco requisições, uma conexão TCP: o keep-alive economizou quatro aberturas de conexão. Agora o cliente a fecha (FIN).'
            })
            return ok(undefined, results)
          },
          (events) => revealMissing(events)
        )
      },
      async script() {
        await run.action('tour', params)
      }
    }
    return run
  }
}
