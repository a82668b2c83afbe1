// The MQTT lesson's parameters: those of the lesson (broker behaviour, credentials, what to
// publish) and those its actions ask for.
import type { ParamDef } from '../../../../shared/scene'

/** A QoS parameter's value as MQTT's 0, 1 or 2. */
export const qosOf = (v: unknown): 0 | 1 | 2 => {
  const n = Number(v)
  return n === 1 ? 1 : n === 2 ? 2 : 0
}

export const p = {
  name: {
    id: 'name',
    label: { en: 'Client name', pt: 'Nome do cliente' },
    type: 'string',
    default: ''
  } satisfies ParamDef,
  filter: {
    id: 'filter',
    label: { en: 'Topic filter', pt: 'Filtro de tópico' },
    type: 'string',
    default: 'home/#',
    help: {
      en: '+ matches one level, # any number of levels (last only).',
      pt: '+ corresponde a um nível, # a vários níveis (só no fim).'
    }
  } satisfies ParamDef,
  topic: {
    id: 'topic',
    label: { en: 'Topic', pt: 'Tópico' },
    type: 'string',
    default: 'home/livingroom/temperature'
  } satisfies ParamDef,
  payload: {
    id: 'payload',
    label: { en: 'Message', pt: 'Mensagem' },
    type: 'string',
    default: '22.5'
  } satisfies ParamDef,
  qos: {
    id: 'qos',
    label: { en: 'QoS', pt: 'QoS' },
    type: 'select',
    default: '1',
    options: [
      { value: '0', label: { en: '0 — at most once', pt: '0 — no máximo uma vez' } },
      { value: '1', label: { en: '1 — at least once', pt: '1 — pelo menos uma vez' } },
      { value: '2', label: { en: '2 — exactly once', pt: '2 — exatamente uma vez' } }
    ]
  } satisfies ParamDef,
  retain: {
    id: 'retain',
    label: { en: 'Retain', pt: 'Reter (retain)' },
    type: 'boolean',
    default: false
  } satisfies ParamDef,
  count: {
    id: 'count',
    label: { en: 'Messages', pt: 'Mensagens' },
    type: 'number',
    default: 1000,
    min: 1,
    max: 100000
  } satisfies ParamDef,
  rate: {
    id: 'rate',
    label: { en: 'Messages per second', pt: 'Mensagens por segundo' },
    type: 'number',
    default: 1000,
    min: 1,
    max: 20000
  } satisfies ParamDef,
  subscribers: {
    id: 'subscribers',
    label: { en: 'Subscribers', pt: 'Assinantes' },
    type: 'number',
    default: 20,
    min: 1,
    max: 100
  } satisfies ParamDef
}

/** The lesson's own parameters (the panel's settings). */
export const PARAMS: ParamDef[] = [
  {
    id: 'specQos',
    label: {
      en: 'Downgrade QoS to the subscription (specification)',
      pt: 'Baixar o QoS ao da assinatura (especificação)'
    },
    type: 'boolean',
    default: true,
    help: {
      en: 'aedes 1.2 downgrades only when the filter equals the topic: a QoS 2 PUBLISH reaches a "lab/#" subscription granted QoS 1 at QoS 2. On: Wirelab makes the broker follow the specification. Off: the broker as it is.',
      pt: 'O aedes 1.2 só baixa o QoS quando o filtro é igual ao tópico: um PUBLISH QoS 2 chega a uma assinatura "lab/#" concedida com QoS 1 em QoS 2. Ligado: o Wirelab faz o broker seguir a especificação. Desligado: o broker como ele é.'
    }
  },
  p.topic,
  p.payload,
  p.qos,
  p.retain,
  {
    id: 'username',
    label: { en: 'Broker user name (optional)', pt: 'Usuário do broker (opcional)' },
    type: 'string',
    default: '',
    help: {
      en: 'When set, every client must log in with this user name and password (useful when the broker is shared with a classroom).',
      pt: 'Quando definido, todos os clientes têm de se autenticar com este usuário e senha (útil quando o broker é compartilhado com a turma).'
    }
  },
  {
    id: 'password',
    label: { en: 'Broker password', pt: 'Senha do broker' },
    type: 'string',
    default: ''
  }
]
