// "MQTT" checkpoint: which subscribers get a PUBLISH, read from the PUBLISH packets the broker
// actually sent on each subscriber's connection.
import type { LabEvent } from '../../../../shared/events'
import type { CheckpointInfo } from '../../../../shared/scene'
import { asked, choice, pdusOf, type Reveal } from '../checkpoint-tools'

export const FANOUT: CheckpointInfo = {
  id: 'mqtt.fanout',
  action: 'demo',
  multiple: true,
  question: {
    en: 'The sensor publishes once. Which subscribers will get this PUBLISH?',
    pt: 'O sensor publica uma vez. Quais assinantes recebem este PUBLISH?'
  },
  // Replaced at ask time by the subscribers actually connected, with their filters.
  choices: [],
  source: 'seed 004, topics and wildcards'
}

export interface Subscriber {
  name: string
  node: string
  filters: string[]
}

export function fanoutQuestion(topic: string, subscribers: Subscriber[]): CheckpointInfo {
  return asked(
    FANOUT,
    {
      en: `The publisher sends one PUBLISH on ${topic}. Which subscribers will get it?`,
      pt: `O publicador envia um PUBLISH em ${topic}. Quais assinantes recebem?`
    },
    subscribers.map((s) => choice(s.node, `${s.name} (${s.filters.join(', ')})`, `${s.name} (${s.filters.join(', ')})`))
  )
}

/** `all` is the whole session log: the subscribers' connections were opened before the step. */
export function revealFanout(events: readonly LabEvent[], all: readonly LabEvent[], topic: string, subscribers: Subscriber[]): Reveal {
  const nodeOf = new Map<string, string>()
  for (const e of all) if (e.kind === 'conn.open') nodeOf.set(e.conn, e.from)
  const published = pdusOf(events, 'mqtt').filter((p) => p.dir === 's2c' && p.keys?.type === 'PUBLISH' && p.keys?.topic === topic)
  const got = new Set(published.map((p) => nodeOf.get(p.conn)).filter((n): n is string => !!n))
  const answer = subscribers.filter((s) => got.has(s.node)).map((s) => s.node)
  const names = (list: Subscriber[]): string => list.map((s) => s.name).join(', ') || '—'
  const missed = subscribers.filter((s) => !got.has(s.node))
  return {
    answer,
    explain: {
      en: `The broker sent ${published.length} PUBLISH packets for ${topic}: to ${names(subscribers.filter((s) => got.has(s.node)))}. Not to ${names(missed)}: no filter of theirs matches. + matches exactly one level, # any number of levels at the end.`,
      pt: `O broker enviou ${published.length} pacotes PUBLISH para ${topic}: para ${names(subscribers.filter((s) => got.has(s.node)))}. Não para ${names(missed)}: nenhum filtro deles corresponde. + corresponde a exatamente um nível, # a qualquer número de níveis no fim.`
    }
  }
}
