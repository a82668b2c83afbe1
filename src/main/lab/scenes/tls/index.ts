// Lesson "TLS" (seed 001: HTTPS, "gRPC em produção usa TLS", "SSE via HTTPS é SSE sobre TLS"):
// the handshake negotiates versions, cipher suites and keys in the clear — the ClientHello's SNI
// and ALPN are in plain sight — and after it the records are opaque. Because Wirelab owns both
// ends it keeps the session's key log (as SSLKEYLOGFILE does for Wireshark) and shows the same
// HTTPS request and response decrypted.
import { join } from 'node:path'
import type { ClientHint } from '../../../../shared/scene'
import { credentials } from '../../protocols/common/credentials'
import { startHttpsServer } from '../../protocols/tls/server'
import { httpsExchange } from '../../protocols/tls/client'
import { LOOPBACK } from '../../net/ports'
import { fail, ok, type SceneDef, type SceneRun } from '../types'
import { EAVESDROP, revealEavesdrop } from './checkpoints'
import { named } from '../../tap/actors'

const PORT = 8443
const CIPHERS = [
  'default',
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256'
]

export const tlsScene: SceneDef = {
  info: {
    id: 'tls',
    group: 'web',
    title: { en: 'TLS and HTTPS', pt: 'TLS e HTTPS' },
    summary: {
      en: "A real HTTPS server: the ClientHello and ServerHello in the clear (SNI, ALPN, cipher suites, key share), then encrypted records — and the same records decrypted with the session's key log.",
      pt: 'Um servidor HTTPS real: o ClientHello e o ServerHello em claro (SNI, ALPN, cifras, key share) e depois registros cifrados — e os mesmos registros decifrados com o key log da sessão.'
    },
    goal: {
      en: 'The handshake negotiates version, cipher suite and keys in the clear; after it every record is opaque to anyone on the path. Only someone holding the session keys can read the HTTP inside.',
      pt: 'O handshake negocia versão, cifra e chaves em claro; depois dele cada registro é opaco para quem estiver no caminho. Só quem tem as chaves da sessão consegue ler o HTTP lá dentro.'
    },
    params: [
      { id: 'path', label: { en: 'Path', pt: 'Caminho' }, type: 'string', default: '/items/1' },
      {
        id: 'servername',
        label: { en: 'Server name (SNI)', pt: 'Nome do servidor (SNI)' },
        type: 'string',
        default: 'localhost'
      },
      {
        id: 'cipher',
        label: { en: 'TLS 1.3 cipher suite', pt: 'Cifra TLS 1.3' },
        type: 'select',
        default: 'default',
        options: CIPHERS.map((c) => ({
          value: c,
          label: c === 'default' ? { en: 'Let OpenSSL choose', pt: 'O OpenSSL escolhe' } : { en: c, pt: c }
        }))
      },
      {
        id: 'version',
        label: { en: 'TLS version', pt: 'Versão do TLS' },
        type: 'select',
        default: '1.3',
        options: [
          { value: '1.3', label: { en: 'TLS 1.3', pt: 'TLS 1.3' } },
          {
            value: '1.2',
            label: {
              en: 'TLS 1.2 (certificate in the clear; not decrypted)',
              pt: 'TLS 1.2 (certificado em claro; não decifrado)'
            }
          }
        ],
        help: {
          en: "In TLS 1.2 the server's certificate still travels in the clear; TLS 1.3 encrypts everything after the ServerHello.",
          pt: 'No TLS 1.2 o certificado do servidor ainda viaja em claro; o TLS 1.3 cifra tudo depois do ServerHello.'
        }
      },
      {
        id: 'body',
        label: { en: 'POST body', pt: 'Corpo do POST' },
        type: 'string',
        default: '{"sensor": "A1", "temperatura": 23.5}'
      }
    ],
    actions: [
      { id: 'get', label: { en: 'HTTPS GET', pt: 'GET por HTTPS' }, primary: true },
      { id: 'post', label: { en: 'HTTPS POST (echo)', pt: 'POST por HTTPS (eco)' } }
    ],
    views: ['tls', 'sequence', 'bytes'],
    ports: [{ name: 'https', transport: 'tcp', preferred: PORT }],
    tagline: { en: 'The handshake in the clear, then opaque records, decrypted with the key log', pt: 'O handshake em claro, depois registros opacos, decifrados com o key log' },
    protocols: ['tls', 'http', 'tcp'],
    checkpoints: [EAVESDROP]
  },

  async start(ctx, params) {
    const creds = await credentials()
    // Said at the first request (a note written while the lesson starts belongs to the previous run on screen).
    let certNote = creds.generated
    const sayCert = (): void => {
      if (!certNote) return
      certNote = false
      ctx.note('tls.cert', {
        en: `A self-signed certificate for "localhost" was generated in ${creds.dir}.`,
        pt: `Foi gerado um certificado autoassinado para "localhost" em ${creds.dir}.`
      })
    }
    const srv = await startHttpsServer(creds)
    ctx.own(srv)
    const tap = await ctx.tcpTap({
      name: 'https',
      preferredPort: PORT,
      target: { host: LOOPBACK, port: srv.port },
      dissector: 'tls',
      server: named('https-server', { en: 'HTTPS server', pt: 'Servidor HTTPS' })
    })
    const port = tap.port.port

    const exchange = async (
      method: 'GET' | 'POST',
      args: Record<string, unknown>
    ): Promise<Record<string, unknown>> => {
      sayCert()
      const servername = String(args.servername || 'localhost')
      const cipher = String(args.cipher ?? 'default')
      ctx.note('tls.hello', {
        en: `The client opens TCP to ${port} and sends a ClientHello in the clear: its random, cipher suites, SNI "${servername}", ALPN h2 and http/1.1, and a key share. Anyone on the path can read these.`,
        pt: `O cliente abre TCP para a porta ${port} e envia um ClientHello em claro: o seu random, as cifras, o SNI "${servername}", o ALPN h2 e http/1.1 e uma key share. Qualquer pessoa no caminho pode ler isto.`
      })
      let local = -1
      const closed = ctx.connClosed(() => local)
      const socket = await ctx.connectTcp(named('https-client', { en: 'HTTPS client', pt: 'Cliente HTTPS' }), port)
      local = socket.localPort ?? -1
      const x = await httpsExchange({
        socket,
        ca: creds.cert,
        servername,
        alpn: ['h2', 'http/1.1'],
        method,
        path: String(args.path || '/'),
        ...(method === 'POST' ? { body: String(args.body ?? '') } : {}),
        version: String(args.version ?? '1.3') === '1.2' ? '1.2' : '1.3',
        ...(cipher !== 'default' && String(args.version ?? '1.3') !== '1.2' ? { ciphersuites: cipher } : {})
      })
      await closed
      if (x.protocol === 'TLSv1.2') {
        ctx.note('tls.encrypted12', {
          en: `Negotiated TLS 1.2, ${x.cipher}. Note the Certificate, ServerKeyExchange and ClientKeyExchange in the clear; only after Change Cipher Spec are records encrypted. (Wirelab decrypts TLS 1.3 sessions; choose TLS 1.3 to see the plaintext.)`,
          pt: `Negociado TLS 1.2, ${x.cipher}. Observe o Certificate, ServerKeyExchange e ClientKeyExchange em claro; só depois do Change Cipher Spec os registros vão cifrados. (O Wirelab decifra sessões TLS 1.3; escolha TLS 1.3 para ver o texto em claro.)`
        })
      } else
        ctx.note('tls.encrypted', {
          en: `Negotiated ${x.protocol}, ${x.cipher}, ALPN ${x.alpn || 'none'}. From the ServerHello on, every record is encrypted — the [decrypted] rows are the same records decrypted with the session's key log.`,
          pt: `Negociado ${x.protocol}, ${x.cipher}, ALPN ${x.alpn || 'nenhum'}. A partir do ServerHello todos os registros vão cifrados — as linhas [decrypted] são os mesmos registros decifrados com o key log da sessão.`
        })
      const text = new TextDecoder().decode(x.response)
      return {
        protocol: x.protocol,
        cipher: x.cipher,
        alpn: x.alpn,
        servername,
        offeredAlpn: ['h2', 'http/1.1'],
        status: text.split('\r\n')[0],
        request: new TextDecoder().decode(x.request),
        response: text
      }
    }

    const hints = (): ClientHint[] => [
      {
        title: {
          en: 'curl (trusting the lesson certificate)',
          pt: 'curl (confiando no certificado da aula)'
        },
        command: `curl -v --cacert ${join(creds.dir, 'localhost-cert.pem')} https://localhost:${port}/items/1`
      },
      {
        title: { en: 'openssl s_client', pt: 'openssl s_client' },
        command: `openssl s_client -connect 127.0.0.1:${port} -servername localhost -alpn http/1.1`
      },
      {
        title: { en: 'Python (requests over TLS)', pt: 'Python (requisição por TLS)' },
        command: `/usr/bin/python3 -c "import ssl, urllib.request; c=ssl.create_default_context(cafile='${join(creds.dir, 'localhost-cert.pem')}'); print(urllib.request.urlopen('https://localhost:${port}/', context=c).read())"`
      }
    ]

    const run: SceneRun = {
      ports: [tap.port],
      hints,
      async action(id, args) {
        if (id === 'get') return ok(undefined, await ctx.checkpoint(EAVESDROP, () => exchange('GET', args), revealEavesdrop))
        if (id === 'post') return ok(undefined, await exchange('POST', args))
        return fail({ en: `Unknown action ${id}`, pt: `Ação desconhecida ${id}` })
      },
      async script() {
        await run.action('get', params)
        await run.action('post', params)
      }
    }
    return run
  }
}
