// The shared topic matcher in both dialects. The AMQP cases are RabbitMQ's own tutorial example
// (tutorial five: `*.orange.*`, `*.*.rabbit`, `lazy.#`); the RabbitMQ lesson's tests check the
// same matcher against a real broker's deliveries, and the MQTT tests against aedes.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { AMQP_TOPICS, explainMatch, MQTT_TOPICS, topicMatches } from './topic-match'

describe('AMQP topic binding keys', () => {
  const amqp = (key: string, topic: string): boolean => topicMatches(key, topic, AMQP_TOPICS)

  it('RabbitMQ tutorial five', () => {
    const q1 = (t: string): boolean => amqp('*.orange.*', t)
    const q2 = (t: string): boolean => amqp('*.*.rabbit', t) || amqp('lazy.#', t)
    const cases: [string, boolean, boolean][] = [
      ['quick.orange.rabbit', true, true],
      ['lazy.orange.elephant', true, true],
      ['quick.orange.fox', true, false],
      ['lazy.brown.fox', false, true],
      ['lazy.pink.rabbit', false, true],
      ['quick.brown.fox', false, false],
      ['orange', false, false],
      ['quick.orange.new.rabbit', false, false],
      ['lazy.orange.new.rabbit', false, true]
    ]
    for (const [t, a, b] of cases) expect([t, q1(t), q2(t)]).toEqual([t, a, b])
  })

  it('# takes zero or more words anywhere; * exactly one', () => {
    expect(amqp('#', '')).toBe(true)
    expect(amqp('#', 'a.b.c')).toBe(true)
    expect(amqp('#.temp', 'sala.101.temp')).toBe(true)
    expect(amqp('#.temp', 'temp')).toBe(true)
    expect(amqp('sala.#.temp', 'sala.temp')).toBe(true)
    expect(amqp('sala.#.temp', 'sala.1.2.temp')).toBe(true)
    expect(amqp('sala.#.temp', 'sala.1.umid')).toBe(false)
    expect(amqp('sala.*', 'sala')).toBe(false)
    expect(amqp('sala.*', 'sala.101.temp')).toBe(false)
    expect(amqp('', '')).toBe(true)
    expect(amqp('', 'x')).toBe(false)
  })

  it('explains a non-matching binding word by word', () => {
    const e = explainMatch('sala.*.temp', 'sala.101.umid', AMQP_TOPICS)
    expect(e.match).toBe(false)
    expect(e.steps.map((s) => [s.filter, s.topic, s.ok])).toEqual([
      ['sala', 'sala', true],
      ['*', '101', true],
      ['temp', 'umid', false]
    ])
    expect(e.summary.en).toBe('Word 3 differs: "temp" ≠ "umid".')
    expect(e.summary.pt).toBe('A palavra 3 é diferente: "temp" ≠ "umid".')
    const more = explainMatch('sala.*', 'sala.101.temp', AMQP_TOPICS)
    expect(more.summary.en).toBe('The topic has 3 words; the binding key only 2 (* is exactly one word).')
    const hash = explainMatch('#.temp', 'sala.101.temp', AMQP_TOPICS)
    expect(hash.steps.map((s) => [s.filter, s.topic])).toEqual([
      ['#', 'sala.101'],
      ['temp', 'temp']
    ])
  })
})

describe('MQTT filters', () => {
  it('+ is one level, # the rest (last only), and the $ rule', () => {
    expect(topicMatches('home/+/temp', 'home/sala/temp', MQTT_TOPICS)).toBe(true)
    expect(topicMatches('home/#', 'home', MQTT_TOPICS)).toBe(true)
    expect(topicMatches('home/#/x', 'home/a/x', MQTT_TOPICS)).toBe(false)
    expect(topicMatches('#', '$SYS/uptime', MQTT_TOPICS)).toBe(false)
    expect(topicMatches('*', 'a', MQTT_TOPICS)).toBe(false) // * is a plain character in MQTT
    expect(explainMatch('home/#', 'home/a/b').steps[1].why.en).toBe('# matches the remaining levels "a/b".')
  })
})

describe('topicMatches', () => {
  it('answers as the explanation does, for any pattern and topic in either dialect', () => {
    for (const syntax of [MQTT_TOPICS, AMQP_TOPICS]) {
      const level = fc.constantFrom('a', 'b', '', '$sys', syntax.one, syntax.many)
      const path = fc.array(level, { maxLength: 5 }).map((l) => l.join(syntax.separator))
      fc.assert(
        fc.property(path, path, (pattern, topic) => {
          expect(topicMatches(pattern, topic, syntax)).toBe(explainMatch(pattern, topic, syntax).match)
        }),
        { numRuns: 3000 }
      )
    }
  })
})
