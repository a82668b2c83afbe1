// The fan-out and topic views' own words, in the course's two languages.
import type { Localized } from '@shared/events'
import type { MessageKind } from './model'

export const S = {
  title: { en: 'Publish/subscribe fan-out', pt: 'Distribuição publish/subscribe' },
  publishers: { en: 'Publishers', pt: 'Publishers' },
  subscribers: { en: 'Subscribers', pt: 'Subscritores' },
  brokerRole: { en: 'routes by topic filter', pt: 'encaminha por filtro de tópico' },
  messagesIn: { en: 'Messages in', pt: 'Mensagens recebidas' },
  deliveries: { en: 'Deliveries', pt: 'Entregas' },
  nothingYet: { en: 'No message yet', pt: 'Ainda sem mensagens' },
  sampled: { en: 'animating a sample; counters count every message', pt: 'a animar uma amostra; os contadores contam todas as mensagens' },
  empty: { en: 'Start the lesson and add publishers and subscribers.', pt: 'Inicie a lição e adicione publishers e subscritores.' },
  yours: { en: 'yours', pt: 'seu' },
  sent: { en: 'sent', pt: 'enviou' },
  received: { en: 'received', pt: 'recebidas' },
  lost: { en: 'connection lost', pt: 'ligação perdida' },
  offlineKept: { en: 'offline, session kept', pt: 'offline, sessão guardada' },
  noFilters: { en: 'No subscriptions.', pt: 'Sem subscrições.' },
  rule: { en: '+ matches exactly one level; # matches any number of levels, and only at the end.', pt: '+ corresponde a exatamente um nível; # a qualquer número de níveis, e só no fim.' },
  kind: {
    publish: { en: 'PUBLISH', pt: 'PUBLISH' },
    retained: { en: 'Retained message for a new subscriber:', pt: 'Mensagem retida para um novo subscritor:' },
    will: { en: 'Last Will:', pt: 'Last Will:' },
    queued: { en: 'Queued for a persistent session:', pt: 'Em fila para uma sessão persistente:' }
  } satisfies Record<MessageKind, Localized>,
  topics: {
    empty: { en: 'No topics yet.', pt: 'Ainda sem tópicos.' },
    count: { en: 'messages', pt: 'mensagens' },
    one: { en: 'message', pt: 'mensagem' },
    last: { en: 'last value', pt: 'último valor' },
    retained: { en: 'retained', pt: 'retida' }
  }
}
