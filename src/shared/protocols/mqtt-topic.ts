// MQTT topic filters (MQTT 3.1.1 §4.7): `+` matches exactly one level, `#` (last) matches the
// parent level and any number below it; topics starting with `$` are not matched by a leading
// wildcard. The broker's routing check (engine) and its explanation for people, level by level
// (fan-out view): both are the shared word-by-word matcher (../topic-match.ts, which also reads
// AMQP binding keys) in MQTT's syntax, with MQTT's rules for valid filters and topics.
import { explainMatch as explain, topicMatches as matches, MQTT_TOPICS, type MatchExplanation } from '../topic-match'

export type { MatchExplanation, MatchStep } from '../topic-match'

export function validFilter(filter: string): boolean {
  if (filter.length === 0) return false
  const levels = filter.split('/')
  return levels.every((l, i) =>
    l.includes('#') ? l === '#' && i === levels.length - 1 : !l.includes('+') || l === '+'
  )
}

export function validTopic(topic: string): boolean {
  return topic.length > 0 && !/[+#]/.test(topic)
}

export const explainMatch = (filter: string, topic: string): MatchExplanation => explain(filter, topic, MQTT_TOPICS)

export function topicMatches(filter: string, topic: string): boolean {
  return validFilter(filter) && validTopic(topic) && matches(filter, topic, MQTT_TOPICS)
}
