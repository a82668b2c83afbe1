// "TLS" checkpoint: what someone on the path can read, searched for in the bytes as they crossed.
import type { LabEvent } from '../../../../shared/events'
import type { CheckpointInfo } from '../../../../shared/scene'
import { bytesOf, choice, onTheWire, pdusOf, type Reveal } from '../checkpoint-tools'

export const EAVESDROP: CheckpointInfo = {
  id: 'tls.eavesdrop',
  action: 'get',
  multiple: true,
  question: {
    en: 'Someone on the network records this HTTPS request. Which of these can they read?',
    pt: 'Alguém na rede grava esta requisição HTTPS. O que dá para ler?'
  },
  choices: [
    choice('sni', 'The server name (SNI)', 'O nome do servidor (SNI)'),
    choice('alpn', 'The protocols offered (ALPN)', 'Os protocolos oferecidos (ALPN)'),
    choice('path', 'The path requested', 'O caminho requisitado'),
    choice('body', 'The response body', 'O corpo da resposta')
  ],
  source: 'seed 001, HTTPS'
}

const longest = (list: string[]): string => list.reduce((a, b) => (b.length > a.length ? b : a), '')

export function revealEavesdrop(events: readonly LabEvent[]): Reveal {
  const pdus = pdusOf(events)
  const clear = pdus.filter((p) => p.protocol === 'tls' && !p.keys?.encrypted && !p.keys?.decrypted)
  const sni = clear.find((p) => p.keys?.sni)?.keys?.sni
  const alpn = clear.find((p) => p.keys?.alpn)?.keys?.alpn
  const request = pdus.find((p) => p.protocol === 'http' && p.dir === 'c2s' && p.keys?.decrypted)
  const response = pdus.find((p) => p.protocol === 'http' && p.dir === 's2c' && p.keys?.decrypted)
  const path = String(request?.keys?.httpStart ?? '').split(' ')[1] ?? ''
  const body = response ? new TextDecoder().decode(response.data).split('\r\n\r\n')[1] ?? '' : ''
  const up = bytesOf(events, undefined, 'c2s')
  const down = bytesOf(events, undefined, 's2c')
  const answer = [
    ...(sni && onTheWire(up, String(sni)) ? ['sni'] : []),
    // The longest protocol name: a two-byte one ("h2") could turn up in ciphertext by chance.
    ...(alpn && onTheWire(up, longest(String(alpn).split(','))) ? ['alpn'] : []),
    ...(path && onTheWire(up, path) ? ['path'] : []),
    ...(body && onTheWire(down, body.slice(0, 24)) ? ['body'] : [])
  ]
  return {
    answer,
    explain: {
      en: `Searched in the recorded bytes: the ClientHello carries SNI "${sni ?? '—'}" and ALPN "${alpn ?? '—'}" in the clear; "${path || '—'}" and the response body appear only inside encrypted records (Wirelab reads them with the session's key log, an eavesdropper cannot).`,
      pt: `Procurado nos bytes gravados: o ClientHello leva em claro o SNI "${sni ?? '—'}" e o ALPN "${alpn ?? '—'}"; "${path || '—'}" e o corpo da resposta só aparecem dentro de registros cifrados (o Wirelab os lê com o key log da sessão, quem escuta não).`
    }
  }
}
