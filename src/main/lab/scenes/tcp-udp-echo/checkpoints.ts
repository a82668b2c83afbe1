// "TCP vs UDP echo" checkpoint: how many TCP segments carry what UDP does in two datagrams.
import type { LabEvent } from '../../../../shared/events'
import type { CheckpointInfo } from '../../../../shared/scene'
import { choice, pdusOf, type Reveal } from '../checkpoint-tools'

export const SEGMENTS: CheckpointInfo = {
  id: 'echo.segments',
  action: 'send-both',
  question: {
    en: 'Over UDP the message and its echo are 2 datagrams. How many TCP segments carry the same exchange, connection included?',
    pt: 'Pelo UDP, a mensagem e o eco são 2 datagramas. Quantos segmentos TCP carregam a mesma troca, com a conexão incluída?'
  },
  choices: [
    choice('2', '2, like UDP', '2, como no UDP'),
    choice('4', '4: message, ACK, echo, ACK', '4: mensagem, ACK, eco, ACK'),
    choice('10+', 'About 10 or more: set-up, data, ACKs, teardown', 'Uns 10 ou mais: abertura, dados, ACKs, encerramento')
  ],
  source: 'seed 004, "TCP vs. UDP"'
}

export function revealSegments(events: readonly LabEvent[]): Reveal {
  const tcp = pdusOf(events, 'tcp')
  const udp = pdusOf(events, 'udp')
  const flags = (f: string) => tcp.filter((p) => String(p.keys?.flags ?? '').includes(f)).length
  const syn = flags('SYN')
  const fin = flags('FIN')
  const data = tcp.filter((p) => Number(p.keys?.len ?? 0) > 0).length
  const acks = tcp.length - syn - fin - data
  const n = tcp.length
  return {
    answer: [n <= 2 ? '2' : n <= 6 ? '4' : '10+'],
    explain: {
      en: `TCP used ${n} segments: ${syn} to open (SYN), ${data} carrying data, ${acks} acknowledgements (ACK), ${fin} to close (FIN). UDP sent ${udp.length} datagrams and nothing else: no connection to open or close, no acknowledgements.`,
      pt: `O TCP usou ${n} segmentos: ${syn} para abrir (SYN), ${data} com dados, ${acks} confirmações (ACK), ${fin} para fechar (FIN). O UDP enviou ${udp.length} datagramas e mais nada: sem conexão para abrir ou fechar, sem confirmações.`
    }
  }
}
