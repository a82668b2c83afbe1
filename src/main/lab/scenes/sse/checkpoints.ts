// "Server-Sent Events" checkpoints: where a reconnected stream resumes, and (the course's own
// question, seed 001) what the client sends while an LLM streams its tokens.
import type { LabEvent } from '../../../../shared/events'
import type { CheckpointInfo } from '../../../../shared/scene'
import { bytesOf, choice, msBetween, opened, pdusOf, type Reveal } from '../checkpoint-tools'

export const RESUME: CheckpointInfo = {
  id: 'sse.resume',
  action: 'metrics',
  question: {
    en: 'The server cuts the stream after event id 2 and the browser reconnects on its own. Which event comes first on the new connection?',
    pt: 'O servidor corta o stream depois do evento id 2 e o navegador se reconecta sozinho. Qual evento chega primeiro na nova conexão?'
  },
  choices: [
    choice('restart', 'id 1: it starts over', 'id 1: recomeça do início'),
    choice('resume', 'id 3: it resumes after Last-Event-ID', 'id 3: retoma depois do Last-Event-ID'),
    choice('none', 'Nothing: the stream is lost', 'Nada: o stream se perdeu')
  ],
  source: 'seeds 000 and 001, reconnection'
}

export function revealResume(events: readonly LabEvent[]): Reveal {
  const conns = opened(events)
  const last = conns[conns.length - 1]
  const http = pdusOf(events, 'http').find((p) => p.conn === last?.conn && p.dir === 'c2s')
  const first = pdusOf(events, 'sse').find((p) => p.conn === last?.conn && p.keys?.id !== undefined)
  const lastId = String(http?.keys?.lastEventId ?? '')
  const got = first ? String(first.keys?.id) : ''
  const answer = !first ? 'none' : got === '1' ? 'restart' : Number(got) === Number(lastId) + 1 ? 'resume' : 'restart'
  return {
    answer: [answer],
    explain: {
      en: `The new request carried Last-Event-ID: ${lastId || '(none)'}; the first event on the new connection was id ${got || '—'}. The browser remembers the last id and the server continues from there: nothing lost, nothing repeated.`,
      pt: `A nova requisição levou Last-Event-ID: ${lastId || '(nenhum)'}; o primeiro evento na nova conexão foi o id ${got || '—'}. O navegador lembra o último id e o servidor continua dali: nada perdido, nada repetido.`
    }
  }
}

export const ONE_WAY: CheckpointInfo = {
  id: 'sse.one-way',
  action: 'chat',
  question: {
    en: 'An LLM API streams its answer token by token over SSE. While the tokens arrive, how many bytes does the client send to the server?',
    pt: 'Uma API de LLM envia a resposta token a token por SSE. Enquanto os tokens chegam, quantos bytes o cliente envia ao servidor?'
  },
  choices: [
    choice('none', 'None: the prompt went in the request; the rest is one-way', 'Nenhum: a pergunta foi na requisição; o resto é num sentido só'),
    choice('acks', 'A few per token, to confirm each one', 'Alguns por token, para confirmar cada um'),
    choice('heartbeat', 'A heartbeat now and then', 'Um heartbeat de vez em quando')
  ],
  source: 'seed 001, "Checkpoint: Teste seu Entendimento", question 3 (SSE or WebSocket for an LLM?)'
}

export function revealOneWay(events: readonly LabEvent[]): Reveal {
  const tokens = pdusOf(events, 'sse').filter((p) => p.dir === 's2c')
  const conn = tokens[0]?.conn
  const firstToken = tokens[0]
  const lastToken = tokens[tokens.length - 1]
  const up = bytesOf(events, conn, 'c2s')
  const request = up.filter((b) => firstToken && b.t <= firstToken.t).reduce((n, b) => n + b.data.length, 0)
  const during = up.filter((b) => firstToken && b.t > firstToken.t).reduce((n, b) => n + b.data.length, 0)
  return {
    answer: [during === 0 ? 'none' : 'acks'],
    explain: {
      en: `${tokens.length} events arrived in ${firstToken && lastToken ? msBetween(firstToken, lastToken) : '—'} ms; meanwhile the client sent ${during} bytes (its request, ${request} bytes, went before the first token). Generation is one-way, so SSE is enough: WebSocket's second direction would sit unused.`,
      pt: `${tokens.length} eventos chegaram em ${firstToken && lastToken ? msBetween(firstToken, lastToken) : '—'} ms; nesse tempo o cliente enviou ${during} bytes (a requisição, ${request} bytes, foi antes do primeiro token). A geração é num sentido só, então o SSE basta: o segundo sentido do WebSocket ficaria sem uso.`
    }
  }
}
