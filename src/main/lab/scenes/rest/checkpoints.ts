// "REST" checkpoint: what the API answers for an item it does not have.
import type { LabEvent } from '../../../../shared/events'
import type { CheckpointInfo } from '../../../../shared/scene'
import { choice, pdusOf, type Reveal } from '../checkpoint-tools'

export const MISSING: CheckpointInfo = {
  id: 'rest.missing',
  action: 'tour',
  question: {
    en: 'The tour asks for GET /items/3, an item the API does not have. What comes back?',
    pt: 'O tour pede GET /items/3, um item que a API não tem. O que volta?'
  },
  choices: [
    choice('200', '200 OK with an empty body', '200 OK com corpo vazio'),
    choice('404', '404 Not Found', '404 Not Found'),
    choice('500', '500 Internal Server Error', '500 Internal Server Error'),
    choice('closed', 'Nothing: the server closes the connection', 'Nada: o servidor fecha a conexão')
  ],
  source: 'seed 004, "APIs REST"'
}

export function revealMissing(events: readonly LabEvent[], path = '/items/3'): Reveal {
  const http = pdusOf(events, 'http')
  const req = http.find((p) => p.dir === 'c2s' && p.keys?.path === path)
  const res = req ? http.find((p) => p.dir === 's2c' && p.conn === req.conn && p.keys?.index === req.keys?.index) : undefined
  const status = res ? Number(res.keys?.status) : undefined
  const body = res ? new TextDecoder().decode(res.data).split('\r\n\r\n')[1] ?? '' : ''
  const id = status === undefined ? 'closed' : String(status)
  return {
    answer: [id],
    explain: status
      ? {
          en: `GET ${path} → ${res!.summary}, with a JSON body saying why: ${body.slice(0, 80)}. A status code is how REST tells the client what happened; the connection stays open for the next request.`,
          pt: `GET ${path} → ${res!.summary}, com um corpo JSON que diz o porquê: ${body.slice(0, 80)}. O código de status é como o REST diz ao cliente o que aconteceu; a conexão continua aberta para a próxima requisição.`
        }
      : { en: `No response to GET ${path} was seen.`, pt: `Não se viu resposta a GET ${path}.` }
  }
}
