// "TCP handshake" checkpoint: the acknowledgement number the server sends for the first data.
import type { LabEvent } from '../../../../shared/events'
import type { CheckpointInfo } from '../../../../shared/scene'
import { asked, choice, pdusOf, type Reveal } from '../checkpoint-tools'

export const ACK: CheckpointInfo = {
  id: 'handshake.ack',
  action: 'client-closes',
  question: {
    en: 'After the handshake the client sends its message starting at Seq=1. What Ack number will the server send back?',
    pt: 'Depois do handshake o cliente envia a mensagem a partir de Seq=1. Que número de Ack o servidor devolve?'
  },
  choices: [choice('1', '1', '1'), choice('len', 'The message length', 'O tamanho da mensagem'), choice('len+1', 'The length + 1', 'O tamanho + 1')],
  source: 'seed 004, "handshake de 3 vias"'
}

/** The question for this run's message: its length is in the question, the choices are numbers. */
export function ackQuestion(message: string): CheckpointInfo {
  const len = new TextEncoder().encode(message).length
  const nums = [...new Set([1, len, len + 1, len + 2])]
  return asked(
    ACK,
    {
      en: `After the handshake the client sends "${message}" (${len} bytes) starting at Seq=1. What Ack number will the server send back?`,
      pt: `Depois do handshake o cliente envia "${message}" (${len} bytes) a partir de Seq=1. Que número de Ack o servidor devolve?`
    },
    nums.map((n) => choice(String(n), `Ack=${n}`, `Ack=${n}`))
  )
}

export function revealAck(events: readonly LabEvent[]): Reveal {
  const tcp = pdusOf(events, 'tcp')
  const data = tcp.findIndex((p) => p.dir === 'c2s' && Number(p.keys?.len ?? 0) > 0)
  const reply = data < 0 ? undefined : tcp.slice(data + 1).find((p) => p.dir === 's2c' && p.keys?.ack !== undefined)
  const ack = Number(reply?.keys?.ack ?? NaN)
  const len = data < 0 ? 0 : Number(tcp[data].keys?.len ?? 0)
  return {
    answer: Number.isFinite(ack) ? [String(ack)] : [],
    explain: {
      en: `The server acknowledged with Ack=${ack}: 1 (the SYN takes one sequence number) + ${len} bytes = the next byte it expects. Acknowledgement numbers count bytes, not segments.`,
      pt: `O servidor confirmou com Ack=${ack}: 1 (o SYN ocupa um número de sequência) + ${len} bytes = o próximo byte que ele espera. Os números de confirmação contam bytes, não segmentos.`
    }
  }
}
