// "HTTP/1.1 vs HTTP/2 race" checkpoint: which side finishes first, read from the responses' times.
import type { LabEvent, PduEvent } from '../../../../shared/events'
import type { CheckpointInfo } from '../../../../shared/scene'
import { choice, pdusOf, type Reveal } from '../checkpoint-tools'

export const WINNER: CheckpointInfo = {
  id: 'race.winner',
  action: 'race',
  question: {
    en: 'Same resources, same server delay: HTTP/1.1 on up to 6 connections, or HTTP/2 on one. Which finishes first?',
    pt: 'Os mesmos recursos, o mesmo atraso do servidor: HTTP/1.1 em até 6 conexões, ou HTTP/2 em uma só. Qual termina primeiro?'
  },
  choices: [
    choice('h1', 'HTTP/1.1: six connections beat one', 'HTTP/1.1: seis conexões ganham de uma'),
    choice('h2', 'HTTP/2: one connection, every request at once', 'HTTP/2: uma conexão, todas as requisições de uma vez'),
    choice('tie', 'About the same', 'Mais ou menos juntos')
  ],
  source: 'seeds 000 and 001, multiplexing'
}

/** From a side's first request to its last response frame, in ms. */
function span(pdus: PduEvent[]): number | null {
  const first = pdus.find((p) => p.dir === 'c2s')
  const last = [...pdus].reverse().find((p) => p.dir === 's2c')
  return first && last ? last.t - first.t : null
}

export function revealWinner(events: readonly LabEvent[]): Reveal {
  const h1 = pdusOf(events, 'http')
  const h2 = pdusOf(events, 'http2').filter((p) => p.keys?.streamId !== 0)
  const a = span(h1)
  const b = span(h2)
  const h1conns = new Set(h1.map((p) => p.conn)).size
  const win = a === null || b === null ? [] : Math.abs(a - b) <= 0.03 * Math.max(a, b) ? ['tie'] : a < b ? ['h1'] : ['h2']
  const fmt = (ms: number | null): string => (ms === null ? '—' : `${ms.toFixed(0)} ms`)
  return {
    answer: win,
    explain: {
      en: `Measured from the first request to the last response frame: HTTP/1.1 ${fmt(a)} on ${h1conns} connections, HTTP/2 ${fmt(b)} on 1. On HTTP/1.1 a connection serves one request at a time, so the rest queue behind it; HTTP/2 sends them all at once as streams.`,
      pt: `Medido da primeira requisição até o último frame de resposta: HTTP/1.1 ${fmt(a)} em ${h1conns} conexões, HTTP/2 ${fmt(b)} em 1. No HTTP/1.1 cada conexão atende uma requisição por vez e as outras esperam na fila; o HTTP/2 envia todas de uma vez, como streams.`
    }
  }
}
