// Lesson "TCP vs UDP echo" (seed 004, "Sockets: A Base"): the same message sent over TCP, with
// set-up, ACKs and teardown around it, and over UDP, as one datagram out and one back.
import type { ParamValues } from '../../../../shared/events'
import type { ActionResult, ClientHint } from '../../../../shared/scene'
import { startTcpEcho, startUdpEcho } from '../../protocols/echo/server'
import { tcpEchoExchange, udpEchoExchange } from '../../protocols/echo/client'
import { ok, type SceneDef } from '../types'
import { scriptHint } from '../client-scripts'
import { SEGMENTS, revealSegments } from './checkpoints'
import { named } from '../../tap/actors'

const PORT = 65432

export const tcpUdpEcho: SceneDef = {
  info: {
    id: 'tcp-udp-echo',
    group: 'fundamentos',
    title: { en: 'TCP vs UDP echo', pt: 'Eco TCP vs UDP' },
    summary: {
      en: 'The same message sent over TCP (connection set-up, data, echo, teardown) and over UDP (one datagram out, one back).',
      pt: 'A mesma mensagem por TCP (estabelecer conexão, dados, eco, terminar) e por UDP (um datagrama de ida, um de volta).'
    },
    goal: {
      en: 'A socket is an IP address plus a port. TCP sets up a connection and guarantees order; UDP just sends datagrams. The client gets an ephemeral port from the OS.',
      pt: 'Um socket é um endereço IP mais uma porta. O TCP estabelece uma conexão e garante a ordem; o UDP apenas envia datagramas. O cliente recebe uma porta efêmera do SO.'
    },
    params: [
      {
        id: 'message',
        label: { en: 'Message', pt: 'Mensagem' },
        type: 'string',
        default: 'Ola, mundo',
        help: { en: 'Bytes the client sends (UTF-8).', pt: 'Bytes que o cliente envia (UTF-8).' }
      }
    ],
    actions: [
      { id: 'send-both', label: { en: 'Send over TCP and UDP', pt: 'Enviar por TCP e UDP' }, primary: true },
      { id: 'send-tcp', label: { en: 'Send over TCP', pt: 'Enviar por TCP' } },
      { id: 'send-udp', label: { en: 'Send over UDP', pt: 'Enviar por UDP' } }
    ],
    views: ['sequence', 'bytes', 'packets'],
    ports: [
      { name: 'tcp', transport: 'tcp', preferred: PORT },
      { name: 'udp', transport: 'udp', preferred: PORT }
    ],
    tagline: { en: 'One message over TCP and over UDP, side by side', pt: 'A mesma mensagem por TCP e por UDP, lado a lado' },
    protocols: ['tcp', 'udp'],
    checkpoints: [SEGMENTS]
  },

  async start(ctx, params) {
    const tcpServer = await startTcpEcho()
    ctx.own(tcpServer.server)
    const udpServer = await startUdpEcho()
    ctx.own(udpServer.socket)
    const tcpTap = await ctx.tcpTap({
      name: 'tcp',
      preferredPort: PORT,
      target: { host: '127.0.0.1', port: tcpServer.port },
      dissector: 'tcp',
      server: named('tcp-server', { en: 'TCP echo server', pt: 'Servidor de eco TCP' })
    })
    const udpTap = await ctx.udpTap({
      name: 'udp',
      preferredPort: PORT,
      target: { host: '127.0.0.1', port: udpServer.port },
      dissector: 'udp',
      server: named('udp-server', { en: 'UDP echo server', pt: 'Servidor de eco UDP' })
    })
    const tcpPort = tcpTap.port.port
    const udpPort = udpTap.port.port

    const sendTcp = async (message: string): Promise<string> => {
      ctx.note('echo.tcp.start', {
        en: `TCP: the client connects to ${tcpPort}. Three segments (SYN, SYN-ACK, ACK) set up the connection before any data moves.`,
        pt: `TCP: o cliente se conecta à porta ${tcpPort}. Três segmentos (SYN, SYN-ACK, ACK) estabelecem a conexão antes de qualquer dado.`
      })
      const socket = await ctx.connectTcp(named('tcp-client', { en: 'TCP client', pt: 'Cliente TCP' }), tcpPort)
      const echo = await tcpEchoExchange(socket, new TextEncoder().encode(message))
      const text = new TextDecoder().decode(echo)
      ctx.note('echo.tcp.done', {
        en: `TCP echo received: "${text}". FIN from each side closed the connection.`,
        pt: `Eco TCP recebido: "${text}". Um FIN de cada lado fechou a conexão.`
      })
      return text
    }
    const sendUdp = async (message: string): Promise<string> => {
      ctx.note('echo.udp.start', {
        en: `UDP: no connection. The client sends one datagram to ${udpPort} and the server sends it back.`,
        pt: `UDP: sem conexão. O cliente envia um datagrama para a porta ${udpPort} e o servidor o devolve.`
      })
      const socket = await ctx.udpSocket(named('udp-client', { en: 'UDP client', pt: 'Cliente UDP' }))
      try {
        const loss = ctx.faults().lossPct
        const echo = await udpEchoExchange(socket, udpPort, new TextEncoder().encode(message)).catch((err: unknown) => {
          if (loss > 0)
            ctx.note(
              'echo.udp.lost',
              {
                en: `No echo: the datagram or its echo was lost (the network conditions drop ${loss}% of UDP datagrams). UDP has no acknowledgement and no retransmission, so the client waits in vain and gives up. TCP would have sent the lost segment again.`,
                pt: `Sem eco: o datagrama ou o seu eco se perdeu (as condições de rede descartam ${loss}% dos datagramas UDP). O UDP não tem confirmação nem retransmissão, então o cliente espera em vão e desiste. O TCP teria reenviado o segmento perdido.`
              },
              'warn'
            )
          throw err
        })
        const text = new TextDecoder().decode(echo)
        ctx.note('echo.udp.done', {
          en: `UDP echo received: "${text}". Nothing to close: UDP never opened a connection.`,
          pt: `Eco UDP recebido: "${text}". Nada a fechar: o UDP nunca abriu uma conexão.`
        })
        return text
      } finally {
        socket.close()
      }
    }

    const hints = (): ClientHint[] => [
      scriptHint({ en: 'TCP client (seed tcp_client.py)', pt: 'Cliente TCP (tcp_client.py)' }, 'tcp_client.py', { port: tcpPort }, PORT),
      scriptHint({ en: 'UDP client (seed udp_client.py)', pt: 'Cliente UDP (udp_client.py)' }, 'udp_client.py', { port: udpPort }, PORT),
      { title: { en: 'netcat (TCP)', pt: 'netcat (TCP)' }, command: `nc 127.0.0.1 ${tcpPort}` },
      { title: { en: 'netcat (UDP)', pt: 'netcat (UDP)' }, command: `nc -u 127.0.0.1 ${udpPort}` }
    ]

    const action = async (id: string, args: ParamValues): Promise<ActionResult> => {
      const message = String(args.message ?? 'Ola, mundo')
      if (id === 'send-tcp') return ok(undefined, { tcp: await sendTcp(message) })
      if (id === 'send-udp') return ok(undefined, { udp: await sendUdp(message) })
      return ctx.checkpoint(
        SEGMENTS,
        async () => {
          const tcp = await sendTcp(message)
          const udp = await sendUdp(message)
          return ok(undefined, { tcp, udp })
        },
        revealSegments
      )
    }

    return {
      ports: [tcpTap.port, udpTap.port],
      hints,
      action,
      async script() {
        await action('send-both', params)
      }
    }
  }
}
