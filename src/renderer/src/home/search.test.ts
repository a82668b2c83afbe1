import { describe, expect, it } from 'vitest'
import type { SceneInfo } from '@shared/scene'
import { firstSentence, matchesQuery, taglineOf } from './search'

const base: Pick<SceneInfo, 'params' | 'actions' | 'views'> = { params: [], actions: [], views: ['sequence'] }
const mqtt: SceneInfo = {
  ...base,
  views: ['fanout'],
  id: 'mqtt',
  group: 'mensageria',
  title: { en: 'MQTT pub/sub', pt: 'MQTT pub/sub' },
  summary: { en: 'A broker routes by topic. QoS is per leg.', pt: 'Um broker encaminha por tópico. O QoS é por trecho.' },
  ports: [{ name: 'mqtt', transport: 'tcp', preferred: 1883 }],
  protocols: ['mqtt', 'tcp']
}
const echo: SceneInfo = {
  ...base,
  id: 'tcp-udp-echo',
  group: 'fundamentos',
  title: { en: 'TCP vs UDP echo', pt: 'Eco TCP vs UDP' },
  summary: { en: 'The same message over TCP and UDP.', pt: 'A mesma mensagem por TCP e UDP: conexão e datagrama.' },
  tagline: { en: 'One message, two transports', pt: 'Uma mensagem, dois transportes' },
  ports: [
    { name: 'tcp', transport: 'tcp', preferred: 65432 },
    { name: 'udp', transport: 'udp', preferred: 65432 }
  ]
}

describe('course map search', () => {
  it('matches a port number, by prefix', () => {
    expect(matchesQuery(mqtt, '1883')).toBe(true)
    expect(matchesQuery(mqtt, '18')).toBe(true)
    expect(matchesQuery(echo, '1883')).toBe(false)
    expect(matchesQuery(echo, '65432')).toBe(true)
  })

  it('matches a protocol id or a word of the text in either language, ignoring case and accents', () => {
    expect(matchesQuery(mqtt, 'MQTT')).toBe(true)
    expect(matchesQuery(echo, 'udp')).toBe(true)
    expect(matchesQuery(mqtt, 'udp')).toBe(false)
    expect(matchesQuery(echo, 'conexao')).toBe(true)
    expect(matchesQuery(mqtt, 'tópico')).toBe(true)
    expect(matchesQuery(mqtt, 'broker 1883')).toBe(true)
    expect(matchesQuery(mqtt, 'broker 65432')).toBe(false)
  })

  it('an empty query matches everything', () => {
    expect(matchesQuery(echo, '  ')).toBe(true)
  })

  it('the card line is the tagline, or the summary’s first sentence', () => {
    expect(taglineOf(echo).pt).toBe('Uma mensagem, dois transportes')
    expect(taglineOf(mqtt)).toEqual({ en: 'A broker routes by topic.', pt: 'Um broker encaminha por tópico.' })
    expect(firstSentence('HTTP/1.1 vs. h2 in 2.5 s. Then more.')).toBe('HTTP/1.1 vs. h2 in 2.5 s.')
  })
})
