// "HTTP/2 multiplexing" checkpoint: how many TCP connections N simultaneous requests use.
import type { LabEvent } from '../../../../shared/events'
import type { CheckpointInfo } from '../../../../shared/scene'
import { asked, choice, pdusOf, type Reveal } from '../checkpoint-tools'

export const CONNECTIONS: CheckpointInfo = {
  id: 'http2.connections',
  action: 'fetch',
  question: {
    en: 'The client asks for several resources at once over HTTP/2. How many TCP connections carry them?',
    pt: 'O cliente pede vários recursos ao mesmo tempo por HTTP/2. Quantas conexões TCP os carregam?'
  },
  choices: [choice('1', 'One', 'Uma'), choice('6', 'Six, like a browser with HTTP/1.1', 'Seis, como um navegador com HTTP/1.1'), choice('n', 'One per resource', 'Uma por recurso')],
  source: 'seeds 000 and 001, "vários pedidos na mesma conexão"'
}

export function connectionsQuestion(n: number): CheckpointInfo {
  return asked(CONNECTIONS, {
    en: `The client asks for ${n} resources at once over HTTP/2. How many TCP connections carry them?`,
    pt: `O cliente pede ${n} recursos ao mesmo tempo por HTTP/2. Quantas conexões TCP os carregam?`
  })
}

export function revealConnections(events: readonly LabEvent[]): Reveal {
  const headers = pdusOf(events, 'http2').filter((p) => p.dir === 'c2s' && p.keys?.type === 'HEADERS')
  const conns = new Set(headers.map((p) => p.conn))
  const streams = new Set(headers.map((p) => `${p.conn}/${String(p.keys?.streamId)}`))
  const data = pdusOf(events, 'http2').filter((p) => p.keys?.type === 'DATA')
  let switches = 0
  for (let i = 1; i < data.length; i++) if (data[i].keys?.streamId !== data[i - 1].keys?.streamId) switches++
  const n = conns.size
  return {
    answer: [n === 1 ? '1' : n === streams.size ? 'n' : '6'],
    explain: {
      en: `${streams.size} requests went out as ${streams.size} streams on ${n} TCP connection${n === 1 ? '' : 's'}; their DATA frames took turns on the wire (${switches} changes of stream).`,
      pt: `${streams.size} requisições saíram como ${streams.size} streams em ${n} ${n === 1 ? 'conexão TCP' : 'conexões TCP'}; os frames DATA se revezaram no fio (${switches} trocas de stream).`
    }
  }
}
