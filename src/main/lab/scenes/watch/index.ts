// Lesson "Watch your own program": the tap in front of any server on this machine — a student's
// tcp_server.py, FastAPI app, websockets chat, MQTT broker, RabbitMQ in Docker. Wirelab listens on a
// public port, forwards every connection (or datagram) to the target, recognises the protocol from
// the first bytes and dissects both directions as in the lessons. Several targets at once.
import net from 'node:net'
import dgram from 'node:dgram'
import type { ParamValues, PortInfo } from '../../../../shared/events'
import type { ActionResult, ClientHint, SceneInfo, ViewId } from '../../../../shared/scene'
import '../../protocols'
import { getDissector } from '../../dissect/registry'
import { heuristicDissector, type Recognition } from '../../dissect/heuristic'
import { isListening } from '../../net/proc-net'
import { LOOPBACK } from '../../net/ports'
import type { SceneContext } from '../context'
import { fail, ok, type SceneDef } from '../types'
import { isLoopback, KNOWN_PORTS, parseTarget, startHint, type Target } from './targets'
import { named } from '../../tap/actors'

const DEFAULT_TARGET = '127.0.0.1:65432'

/** Protocols a person may force ("decode as"), besides automatic recognition. */
const DECODE_AS = ['tcp', 'udp', 'http', 'http2', 'websocket', 'sse', 'tls', 'mqtt'] as const

export const watchInfo: SceneInfo = {
  id: 'watch',
  group: 'fundamentos',
  title: { en: 'Watch your own program', pt: 'Observe seu próprio programa' },
  summary: {
    en: 'Put Wirelab in front of a server you run on this machine (your tcp_server.py, a FastAPI app, a broker): point your client at the public port and watch both directions, recognised and dissected.',
    pt: 'Coloque o Wirelab na frente de um servidor que você roda nesta máquina (seu tcp_server.py, um app FastAPI, um broker): aponte seu cliente para a porta pública e veja os dois sentidos, reconhecidos e dissecados.'
  },
  goal: {
    en: 'Any program that talks over TCP or UDP can be watched: the protocol is recognised from its first bytes, and a slow or lossy network can be imposed on the real traffic.',
    pt: 'Qualquer programa que fala por TCP ou UDP pode ser observado: o protocolo é reconhecido pelos primeiros bytes, e uma rede lenta ou com perdas pode ser imposta ao tráfego real.'
  },
  params: [
    {
      id: 'target',
      label: { en: 'Your server (host:port)', pt: 'Seu servidor (host:porta)' },
      type: 'string',
      default: DEFAULT_TARGET,
      help: {
        en: 'Where your program listens, on this machine. The course\'s tcp_server.py listens on 127.0.0.1:65432.',
        pt: 'Onde seu programa escuta, nesta máquina. O tcp_server.py do curso escuta em 127.0.0.1:65432.'
      }
    },
    {
      id: 'transport',
      label: { en: 'Transport', pt: 'Transporte' },
      type: 'select',
      default: 'tcp',
      options: [
        { value: 'tcp', label: { en: 'TCP', pt: 'TCP' } },
        { value: 'udp', label: { en: 'UDP', pt: 'UDP' } }
      ]
    },
    {
      id: 'listen',
      label: { en: 'Public port (0 = your port + 1)', pt: 'Porta pública (0 = sua porta + 1)' },
      type: 'number',
      default: 0,
      min: 0,
      max: 65535,
      help: {
        en: 'Point your client here instead of at your server. If it is taken, Wirelab takes the next free one and says so.',
        pt: 'Aponte seu cliente para cá em vez do seu servidor. Se estiver ocupada, o Wirelab usa a próxima livre e avisa.'
      }
    },
    {
      id: 'decodeAs',
      label: { en: 'Decode as', pt: 'Decodificar como' },
      type: 'select',
      default: 'auto',
      options: [
        { value: 'auto', label: { en: 'Automatic (from the first bytes)', pt: 'Automático (pelos primeiros bytes)' } },
        ...DECODE_AS.map((id) => ({ value: id, label: { en: id.toUpperCase(), pt: id.toUpperCase() } }))
      ]
    },
    {
      id: 'message',
      label: { en: 'Test message', pt: 'Mensagem de teste' },
      type: 'string',
      default: 'Ola, mundo',
      help: { en: 'What "Send a test message" sends through the tap.', pt: 'O que "Enviar mensagem de teste" envia pelo tap.' }
    }
  ],
  actions: [
    {
      id: 'watch',
      label: { en: 'Watch this server too', pt: 'Observar também este servidor' },
      help: { en: 'Adds a tap for the target above (several at once are fine).', pt: 'Adiciona um tap para o alvo acima (vários ao mesmo tempo, sem problema).' },
      primary: true
    },
    {
      id: 'send',
      label: { en: 'Send a test message', pt: 'Enviar mensagem de teste' },
      help: { en: 'Wirelab\'s own client sends the test message to the first public port and waits for a reply.', pt: 'O cliente do próprio Wirelab envia a mensagem de teste à primeira porta pública e espera uma resposta.' }
    },
    {
      id: 'cut',
      label: { en: 'Cut the connections now', pt: 'Cortar as conexões agora' },
      help: { en: 'Both sides of every open connection get a reset (RST), as if the network failed.', pt: 'Os dois lados de cada conexão aberta recebem um reset (RST), como se a rede falhasse.' }
    }
  ],
  views: ['sequence', 'bytes', 'packets'],
  ports: [{ name: 'watch', transport: 'tcp', preferred: 65433 }],
  checkpoints: [
    {
      id: 'watch.reply',
      action: 'send',
      question: {
        en: 'Wirelab\'s test client sends the test message to your server. What comes back?',
        pt: 'O cliente de teste do Wirelab envia a mensagem de teste ao seu servidor. O que volta?'
      },
      choices: [
        { id: 'none', label: { en: 'Nothing', pt: 'Nada' } },
        { id: 'same', label: { en: 'As many bytes as were sent (an echo)', pt: 'Tantos bytes quanto foram enviados (um eco)' } },
        { id: 'more', label: { en: 'More bytes than were sent', pt: 'Mais bytes do que foram enviados' } },
        { id: 'fewer', label: { en: 'Fewer bytes than were sent', pt: 'Menos bytes do que foram enviados' } }
      ]
    }
  ]
}

interface Watcher {
  target: Target
  transport: 'tcp' | 'udp'
  port: PortInfo
  recognised: Map<string, Recognition>
}

function views(w: Watcher | undefined): ViewId[] {
  const known = w ? KNOWN_PORTS[w.target.port] : undefined
  return known?.views ?? watchInfo.views
}

async function addWatcher(ctx: SceneContext, params: ParamValues, watchers: Watcher[]): Promise<Watcher> {
  const target = parseTarget(String(params.target ?? DEFAULT_TARGET))
  const transport = params.transport === 'udp' ? 'udp' : 'tcp'
  const classroom = ctx.host !== LOOPBACK
  if (!isLoopback(target.host) && !classroom)
    throw new Error(
      `${target.host} is not this machine. Wirelab only relays to programs on this computer (127.0.0.1) unless classroom mode is on (wirelab watch --classroom).`
    )
  const existing = watchers.find((w) => w.transport === transport && w.target.host === target.host && w.target.port === target.port)
  if (existing) return existing

  const decodeAs = String(params.decodeAs ?? 'auto')
  const fallback = getDissector(transport)
  const forced = decodeAs === 'auto' ? undefined : getDissector(decodeAs)
  const label = isLoopback(target.host) ? `Your server :${target.port}` : `Your server ${target.host}:${target.port}`
  const node = `watched-${transport}-${target.port}`
  const recognised = new Map<string, Recognition>()
  const dissector = (conn: string) =>
    heuristicDissector({
      transport,
      fallback,
      // Wirelab's own framing of the serialization lesson is no protocol a student's program speaks.
      allow: (d) => d.id !== 'serialization-wire',
      port: target.port,
      decideAtOnce: transport === 'udp',
      ...(forced ? { forced } : {}),
      onChoice: (r) => {
        recognised.set(conn, r)
        const name = getDissector(r.protocol).name
        const how =
          r.by === 'forced'
            ? { en: 'as you chose ("decode as")', pt: 'como você escolheu ("decodificar como")' }
            : r.by === 'heuristic'
              ? {
                  en: `from the ${r.dir === 'c2s' ? 'client' : 'server'}'s first bytes (certainty ${r.score.toFixed(2)})`,
                  pt: `pelos primeiros bytes do ${r.dir === 'c2s' ? 'cliente' : 'servidor'} (certeza ${r.score.toFixed(2)})`
                }
              : r.by === 'port'
                ? { en: `by the port (${target.port}): the bytes were not conclusive`, pt: `pela porta (${target.port}): os bytes não foram conclusivos` }
                : { en: 'no known protocol: shown as raw bytes and text', pt: 'nenhum protocolo conhecido: mostrado como bytes e texto' }
        ctx.note('watch.recognised', {
          en: `Connection ${conn} to ${target.host}:${target.port}: ${name}, ${how.en}.`,
          pt: `Conexão ${conn} para ${target.host}:${target.port}: ${name}, ${how.pt}.`
        })
      }
    })
  const preferred = Number(params.listen) || (target.port < 65535 ? target.port + 1 : target.port - 1)
  const name = watchers.length ? `watch${watchers.length + 1}` : 'watch'
  const server = { node, label, role: 'server' as const }
  let port: PortInfo
  if (transport === 'tcp') {
    const tap = await ctx.tcpTap({
      name,
      preferredPort: preferred,
      target,
      dissector,
      server,
      externalLabel: 'Your client',
      refusedHint: () => startHint(target, 'tcp')
    })
    port = tap.port
  } else {
    const tap = await ctx.udpTap({ name, preferredPort: preferred, target, dissector, server })
    port = tap.port
  }
  const listening = isLoopback(target.host) ? isListening(target.port, transport) : undefined
  const hint = startHint(target, transport)
  ctx.note(
    'watch.started',
    {
      en: `Watching ${target.host}:${target.port} (${transport.toUpperCase()}): point your client at ${port.host}:${port.port} instead.${listening === false ? ` Nothing listens on ${target.port} yet. ${hint?.en ?? ''}` : ''}`,
      pt: `Observando ${target.host}:${target.port} (${transport.toUpperCase()}): aponte seu cliente para ${port.host}:${port.port}.${listening === false ? ` Nada escuta na porta ${target.port} ainda. ${hint?.pt ?? ''}` : ''}`
    },
    listening === false ? 'warn' : 'info'
  )
  const w: Watcher = { target, transport, port, recognised }
  watchers.push(w)
  return w
}

/** Wirelab's own test client: sends the message through the first tap and waits briefly for a reply. */
async function sendTest(ctx: SceneContext, w: Watcher, message: string): Promise<string> {
  const bytes = new TextEncoder().encode(message)
  const actor = named('watch-test-client', { en: 'Test client', pt: 'Cliente de teste' })
  if (w.transport === 'udp') {
    const socket: dgram.Socket = await ctx.udpSocket(actor)
    try {
      return await new Promise<string>((resolve) => {
        const timer = setTimeout(() => resolve(''), 2000)
        socket.once('message', (m) => {
          clearTimeout(timer)
          resolve(new TextDecoder().decode(m))
        })
        socket.send(bytes, w.port.port, LOOPBACK)
      })
    } finally {
      socket.close()
    }
  }
  const socket: net.Socket = await ctx.connectTcp(actor, w.port.port)
  return new Promise<string>((resolve) => {
    const got: Buffer[] = []
    let timer = setTimeout(() => socket.end(), 2000)
    socket.on('data', (d: Buffer) => {
      got.push(d)
      clearTimeout(timer)
      timer = setTimeout(() => socket.end(), 150)
    })
    socket.on('error', () => undefined)
    socket.on('close', () => {
      clearTimeout(timer)
      resolve(Buffer.concat(got).toString('utf8'))
    })
    socket.write(bytes)
  })
}

export const watchScene: SceneDef = {
  info: watchInfo,
  async start(ctx, params) {
    const watchers: Watcher[] = []
    await addWatcher(ctx, params, watchers)

    const hints = (): ClientHint[] =>
      watchers.flatMap((w) => {
        const { host, port } = w.port
        const list: ClientHint[] = [
          {
            title: { en: `Your client → ${w.target.host}:${w.target.port} through Wirelab`, pt: `Seu cliente → ${w.target.host}:${w.target.port} pelo Wirelab` },
            command:
              w.transport === 'udp'
                ? `nc -u ${host === '0.0.0.0' ? '127.0.0.1' : host} ${port}`
                : `nc ${host === '0.0.0.0' ? '127.0.0.1' : host} ${port}`
          }
        ]
        const known = KNOWN_PORTS[w.target.port]
        if (w.transport === 'tcp' && known?.protocol === 'http')
          list.push({ title: { en: 'HTTP through Wirelab', pt: 'HTTP pelo Wirelab' }, command: `curl http://127.0.0.1:${port}/` })
        if (known?.protocol === 'mqtt')
          list.push({ title: { en: 'MQTT through Wirelab', pt: 'MQTT pelo Wirelab' }, command: `mosquitto_sub -h 127.0.0.1 -p ${port} -t '#' -v` })
        if (w.target.port === 65432)
          list.push({
            title: { en: 'The course\'s tcp_client.py', pt: 'O tcp_client.py do curso' },
            command: `python3 tcp_client.py   # with PORT = ${port}`
          })
        return list
      })

    const action = async (id: string, args: ParamValues): Promise<ActionResult> => {
      if (id === 'watch') {
        const before = watchers.length
        const w = await addWatcher(ctx, args, watchers)
        return before === watchers.length
          ? ok({ en: `Already watching ${w.target.host}:${w.target.port}.`, pt: `Já observando ${w.target.host}:${w.target.port}.` })
          : ok({ en: `Watching ${w.target.host}:${w.target.port} on ${w.port.port}.`, pt: `Observando ${w.target.host}:${w.target.port} na porta ${w.port.port}.` }, { port: w.port.port })
      }
      if (id === 'cut') {
        let n = 0
        for (const tap of ctx.tcpTaps) n += tap.cut()
        return ok({ en: `${n} connection${n === 1 ? '' : 's'} cut.`, pt: `${n} ${n === 1 ? 'conexão cortada' : 'conexões cortadas'}.` }, { cut: n })
      }
      if (id === 'send') {
        const w = watchers[0]
        const def = watchInfo.checkpoints?.[0]
        const step = () => sendTest(ctx, w, String(args.message ?? 'Ola, mundo'))
        const reply = def
          ? await ctx.checkpoint(def, step, (events) => {
              let sent = 0
              let back = 0
              for (const e of events) {
                if (e.kind !== 'bytes') continue
                if (e.dir === 'c2s') sent += e.data.length
                else back += e.data.length
              }
              const answer = back === 0 ? 'none' : back === sent ? 'same' : back > sent ? 'more' : 'fewer'
              return {
                answer: [answer],
                explain: {
                  en: `Measured through the tap: ${sent} bytes went to ${w.target.host}:${w.target.port} and ${back} came back.${answer === 'same' ? ' Same count: your server behaves like an echo server.' : ''}`,
                  pt: `Medido no tap: ${sent} bytes foram para ${w.target.host}:${w.target.port} e ${back} voltaram.${answer === 'same' ? ' Mesma contagem: seu servidor se comporta como um servidor de eco.' : ''}`
                }
              }
            })
          : await step()
        return reply
          ? ok({ en: `Reply: ${reply}`, pt: `Resposta: ${reply}` }, { reply })
          : fail({ en: 'No reply within 2 s (see the notes for what happened).', pt: 'Sem resposta em 2 s (veja as notas para o que aconteceu).' })
      }
      return fail({ en: `Unknown action "${id}".`, pt: `Ação desconhecida "${id}".` })
    }

    return {
      get ports() {
        return watchers.map((w) => w.port)
      },
      views: () => views(watchers[0]),
      hints,
      action,
      async script() {
        await action('send', params)
      }
    }
  }
}
