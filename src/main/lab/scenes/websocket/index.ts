// Lesson "WebSocket chat" (seed 004 "WebSockets: O Canal de Tempo Real", seed 001 Upgrade / 101):
// it starts as an HTTP request ("Começa como um pedido HTTP Upgrade"), the server answers
// 101 Switching Protocols, and from then on the connection carries WebSocket frames both ways.
import type { ClientHint } from '../../../../shared/scene'
import { startChatServer } from '../../protocols/websocket/server'
import { openChatClient, type ChatClient } from '../../protocols/websocket/client'
import { LOOPBACK } from '../../net/ports'
import { fail, ok, type SceneDef, type SceneRun } from '../types'
import { scriptHint } from '../client-scripts'
import { MASKED, revealMasked } from './checkpoints'
import { named } from '../../tap/actors'

const PORT = 8765
const NAMES = ['Ana', 'Bruno', 'Carla']

export const chatPageHtml = (port: number): string => `<!DOCTYPE html>
<html>
<head><title>WebSocket Chat</title></head>
<body>
    <ul id="messages"></ul>
    <input id="messageBox" type="text" />
    <button id="sendButton">Enviar</button>

    <script>
        const ws = new WebSocket("ws://localhost:${port}"); // Ligar
        const messages = document.getElementById("messages");
        const messageBox = document.getElementById("messageBox");
        const sendButton = document.getElementById("sendButton");

        // Escutar por mensagens do servidor
        ws.onmessage = (event) => {
            const li = document.createElement("li");
            li.textContent = \`Servidor: \${event.data}\`;
            messages.appendChild(li);
        };

        // Enviar mensagem para o servidor
        sendButton.onclick = () => {
            const message = messageBox.value;
            ws.send(message);
            const li = document.createElement("li");
            li.textContent = \`Cliente: \${message}\`;
            messages.appendChild(li);
            messageBox.value = "";
        };

        ws.onopen = () => console.log("Ligado ao servidor");
        ws.onclose = () => console.log("Desligado");
    </script>
</body>
</html>
`

export const websocketScene: SceneDef = {
  info: {
    id: 'websocket',
    group: 'web',
    title: { en: 'WebSocket chat', pt: 'Chat com WebSocket' },
    summary: {
      en: 'The seed\'s chat room on port 8765: an HTTP Upgrade, "101 Switching Protocols", then frames both ways — masking, ping/pong, close codes, broadcast.',
      pt: 'A sala de chat das notas do curso na porta 8765: uma requisição HTTP Upgrade, "101 Switching Protocols" e depois frames nos dois sentidos — máscara, ping/pong, códigos de fechamento, broadcast.'
    },
    goal: {
      en: 'A WebSocket starts as HTTP and becomes a persistent, full-duplex channel: after the 101 response there is no more HTTP. Client frames are masked; the server pushes without being asked.',
      pt: 'Um WebSocket começa como HTTP e se torna um canal persistente e full-duplex: depois da resposta 101 não há mais HTTP. Os frames do cliente vão mascarados; o servidor envia (push) sem que ninguém peça.'
    },
    params: [
      { id: 'message', label: { en: 'Message', pt: 'Mensagem' }, type: 'string', default: 'Olá a todos!' },
      {
        id: 'from',
        label: { en: 'Sender', pt: 'Remetente' },
        type: 'select',
        default: 'Ana',
        options: NAMES.map((n) => ({ value: n, label: { en: n, pt: n } }))
      }
    ],
    actions: [
      { id: 'chat', label: { en: 'Connect and chat', pt: 'Conectar e conversar' }, primary: true },
      { id: 'send', label: { en: 'Send message', pt: 'Enviar mensagem' } },
      {
        id: 'long',
        label: {
          en: 'Send long messages (16/64-bit length)',
          pt: 'Enviar mensagens longas (tamanho 16/64 bits)'
        }
      },
      { id: 'ping', label: { en: 'Server pings everyone', pt: 'Servidor faz ping a todos' } },
      { id: 'close', label: { en: 'Sender leaves (close 1000)', pt: 'Remetente sai (close 1000)' } }
    ],
    views: ['sequence', 'frames', 'bytes'],
    ports: [{ name: 'websocket', transport: 'tcp', preferred: PORT }],
    tagline: { en: 'HTTP Upgrade to a full-duplex channel: frames, masking, ping/pong', pt: 'Do Upgrade HTTP a um canal full-duplex: frames, máscara, ping/pong' },
    protocols: ['websocket', 'http', 'tcp'],
    thumbnail: 'frames',
    checkpoints: [MASKED]
  },

  async start(ctx, params) {
    const chat = await startChatServer()
    ctx.own(chat)
    const tap = await ctx.tcpTap({
      name: 'websocket',
      preferredPort: PORT,
      target: { host: LOOPBACK, port: chat.port },
      dissector: 'websocket',
      server: named('ws-server', { en: 'WebSocket server', pt: 'Servidor WebSocket' }),
      externalLabel: 'Your client'
    })
    const port = tap.port.port
    const clients = new Map<string, ChatClient>()
    ctx.onStop(async () => {
      for (const c of clients.values()) c.ws.terminate()
    })

    const connect = async (name: string): Promise<ChatClient> => {
      const existing = clients.get(name)
      if (existing?.open) return existing
      // Carla is the seed's JavaScript page in a browser (Origin and User-Agent headers).
      const browser = name === 'Carla'
      const socket = await ctx.connectTcp(
        { node: `ws-${name.toLowerCase()}`, label: browser ? `${name} (browser page)` : name },
        port
      )
      const client = await openChatClient(name, socket, 'localhost', port, { browser })
      clients.set(name, client)
      return client
    }

    /** `from` sends `text`; resolves when every other open client has received the broadcast. */
    const send = async (from: string, text: string): Promise<string[]> => {
      const sender = await connect(from)
      const others = [...clients.values()].filter((c) => c !== sender && c.open)
      const expected = `[${from}]: ${text}`
      const counts = others.map((c) => c.received.filter((m) => m === expected).length)
      sender.ws.send(text)
      await Promise.all(
        others.map((c, i) =>
          c.until(() => c.received.filter((m) => m === expected).length > counts[i], `broadcast of "${text}"`)
        )
      )
      return others.map((c) => c.name)
    }

    const chatAction = async (message: string): Promise<Record<string, unknown>> => {
      ctx.note('ws.upgrade', {
        en: 'Each client starts with an ordinary HTTP GET carrying "Upgrade: websocket" and a random Sec-WebSocket-Key. The server proves it speaks WebSocket with Sec-WebSocket-Accept = base64(SHA-1(key + GUID)) and answers 101 Switching Protocols.',
        pt: 'Cada cliente começa com um GET HTTP normal com "Upgrade: websocket" e uma Sec-WebSocket-Key aleatória. O servidor prova que fala WebSocket com Sec-WebSocket-Accept = base64(SHA-1(chave + GUID)) e responde 101 Switching Protocols.'
      })
      for (const n of NAMES) await connect(n)
      ctx.note('ws.frames', {
        en: "After the 101 there is no more HTTP: small frames go both ways. Frames from clients are masked with a 4-byte key; the server's are not.",
        pt: 'Depois do 101 já não há HTTP: pequenos frames nos dois sentidos. Os frames dos clientes vão mascarados com uma chave de 4 bytes; os do servidor não.'
      })
      const to = await send('Ana', message)
      await send('Bruno', 'Oi, Ana!')
      return { delivered: to }
    }

    const hints = (): ClientHint[] => [
      scriptHint({ en: 'Python websockets client', pt: 'Cliente Python (websockets)' }, 'ws_client.py', { port }, PORT, '/usr/bin/python3 ws_client.py'),
      {
        title: {
          en: "The seed's JavaScript page (open in a browser)",
          pt: 'A página JavaScript das notas do curso (abrir no navegador)'
        },
        file: { name: 'chat.html', language: 'javascript', content: chatPageHtml(port) }
      },
      {
        title: { en: 'curl (shows the 101, then raw frames)', pt: 'curl (mostra o 101 e depois frames)' },
        command: `curl -i -N -H "Connection: Upgrade" -H "Upgrade: websocket" -H "Sec-WebSocket-Version: 13" -H "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==" http://127.0.0.1:${port}/`
      }
    ]

    const run: SceneRun = {
      ports: [tap.port],
      hints,
      async action(id, args) {
        const message = String(args.message ?? 'Olá a todos!')
        const from = String(args.from ?? 'Ana')
        if (id === 'chat') return ok(undefined, await ctx.checkpoint(MASKED, () => chatAction(message), revealMasked))
        if (id === 'send') return ok(undefined, { delivered: await send(from, message) })
        if (id === 'long') {
          ctx.note('ws.long', {
            en: 'Up to 125 bytes the length fits in 7 bits. A 300-byte message uses the 16-bit extended length (126), a 70 000-byte one the 64-bit length (127).',
            pt: 'Até 125 bytes o tamanho cabe em 7 bits. Uma mensagem de 300 bytes usa o tamanho estendido de 16 bits (126); uma de 70 000 bytes, o de 64 bits (127).'
          })
          await send(from, 'a'.repeat(300))
          await send(from, 'b'.repeat(70000))
          return ok()
        }
        if (id === 'ping') {
          if (clients.size === 0) for (const n of NAMES) await connect(n)
          ctx.note('ws.ping', {
            en: 'The server sends Ping frames (opcode 9); each client answers with a Pong (opcode 10) carrying the same bytes — a heartbeat that keeps the connection alive.',
            pt: 'O servidor envia frames Ping (opcode 9); cada cliente responde com um Pong (opcode 10) com os mesmos bytes — um heartbeat que mantém a conexão viva.'
          })
          const pongs = await chat.pingAll('tic')
          return ok(undefined, { pongs })
        }
        if (id === 'close') {
          const c = clients.get(from)
          if (!c?.open) return fail({ en: `${from} is not connected.`, pt: `${from} não está conectado.` })
          ctx.note('ws.close', {
            en: `${from} sends a Close frame with status 1000 (Normal Closure); the server echoes a Close, then TCP closes with FIN.`,
            pt: `${from} envia um frame Close com o código 1000 (Normal Closure); o servidor responde com Close e depois o TCP fecha com FIN.`
          })
          await c.close(1000, 'tchau')
          clients.delete(from)
          return ok()
        }
        return fail({ en: `Unknown action ${id}`, pt: `Ação desconhecida ${id}` })
      },
      async script() {
        await run.action('chat', params)
        await run.action('long', params)
        await run.action('ping', params)
        for (const n of NAMES) await run.action('close', { ...params, from: n })
      }
    }
    return run
  }
}
