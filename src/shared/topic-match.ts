// Topic patterns matched word by word, with an explanation for people, for the two dialects the
// course uses: MQTT filters (`/` between levels, `+` one level, `#` the rest, only last, and the
// `$` rule) and AMQP topic-exchange binding keys (`.` between words, `*` exactly one word, `#`
// zero or more words anywhere in the key). Pure: used by the engine, its lessons and the views.
import type { Localized } from './events'

export interface TopicSyntax {
  id: 'mqtt' | 'amqp'
  separator: string
  /** Matches exactly one level/word. */
  one: string
  /** Matches zero or more levels/words. */
  many: string
  /** `many` may appear anywhere (AMQP), not only as the last level (MQTT). */
  manyAnywhere: boolean
  /** Topics starting with `$` are not matched by a leading wildcard (MQTT §4.7.2). */
  dollarRule: boolean
  /** What a level is called. */
  level: { en: [string, string]; pt: [string, string] }
}

export const MQTT_TOPICS: TopicSyntax = {
  id: 'mqtt',
  separator: '/',
  one: '+',
  many: '#',
  manyAnywhere: false,
  dollarRule: true,
  level: { en: ['level', 'levels'], pt: ['nível', 'níveis'] }
}

export const AMQP_TOPICS: TopicSyntax = {
  id: 'amqp',
  separator: '.',
  one: '*',
  many: '#',
  manyAnywhere: true,
  dollarRule: false,
  level: { en: ['word', 'words'], pt: ['palavra', 'palavras'] }
}

export interface MatchStep {
  /** The pattern's level (`+`, `#`, `sala`), or '' for topic levels left over. */
  filter: string
  /** The topic level(s) it was compared with. */
  topic: string
  ok: boolean
  why: Localized
}

export interface MatchExplanation {
  match: boolean
  steps: MatchStep[]
  /** The decisive reason, in one sentence. */
  summary: Localized
}

const count = (n: number, s: TopicSyntax): Localized => ({ en: `${n} ${s.level.en[n === 1 ? 0 : 1]}`, pt: `${n} ${s.level.pt[n === 1 ? 0 : 1]}` })

/** One way of lining the pattern up with the topic: the steps, and how far into the topic it got. */
interface Attempt {
  steps: MatchStep[]
  match: boolean
  reached: number
  summary: Localized
}

function attempt(f: string[], t: string[], fi: number, ti: number, s: TopicSyntax, steps: MatchStep[]): Attempt {
  const sep = s.separator
  if (fi === f.length) {
    if (ti === t.length) return { steps, match: true, reached: ti, summary: { en: 'Matches level by level.', pt: 'Corresponde nível a nível.' } }
    const rest = t.slice(ti).join(sep)
    const { one, many } = s
    return {
      steps: [...steps, { filter: '', topic: rest, ok: false, why: { en: `Extra topic ${s.level.en[1]}: only ${many} takes more.`, pt: `${s.level.pt[1].charAt(0).toUpperCase()}${s.level.pt[1].slice(1)} a mais no tópico: só ${many} aceita mais.` } }],
      match: false,
      reached: ti,
      summary: {
        en: `The topic has ${count(t.length, s).en}; the ${s.id === 'amqp' ? 'binding key' : 'filter'} only ${f.length} (${one} is exactly one ${s.level.en[0]}).`,
        pt: `O tópico tem ${count(t.length, s).pt}; ${s.id === 'amqp' ? 'a binding key' : 'o filtro'} só ${f.length} (${one} é exatamente ${s.id === 'amqp' ? 'uma palavra' : 'um nível'}).`
      }
    }
  }
  const level = f[fi]
  if (level === s.many) {
    if (!s.manyAnywhere && fi !== f.length - 1)
      return { steps, match: false, reached: ti, summary: { en: `${s.many} must be the last level of a filter.`, pt: `${s.many} tem de ser o último nível do filtro.` } }
    // Zero or more levels: try each split, longest first when it is last (it takes the rest).
    let best: Attempt | null = null
    for (let k = t.length - ti; k >= 0; k--) {
      const taken = t.slice(ti, ti + k).join(sep)
      const rest = k === t.length - ti
      const why: Localized = taken
        ? {
            en: `${s.many} matches ${rest ? 'the remaining ' : ''}${s.level.en[k === 1 && !rest ? 0 : 1]} "${taken}".`,
            pt: `${s.many} corresponde ${rest ? 'aos' : 'a'} ${s.level.pt[k === 1 && !rest ? 0 : 1]}${rest ? ' restantes' : ''} "${taken}".`
          }
        : fi === f.length - 1
          ? { en: `${s.many} also matches the parent level (no more levels).`, pt: `${s.many} também corresponde ao nível pai (sem mais níveis).` }
          : { en: `${s.many} matches zero ${s.level.en[1]} here.`, pt: `${s.many} corresponde a zero ${s.level.pt[1]} aqui.` }
      const a = attempt(f, t, fi + 1, ti + k, s, [...steps, { filter: s.many, topic: taken, ok: true, why }])
      if (a.match)
        return fi === f.length - 1 ? { ...a, summary: { en: `Matches: ${s.many} takes any number of ${s.level.en[1]}.`, pt: `Corresponde: ${s.many} aceita qualquer número de ${s.level.pt[1]}.` } } : a
      if (!best || a.reached > best.reached) best = a
    }
    return best!
  }
  if (ti >= t.length) {
    return {
      steps: [...steps, { filter: level, topic: '', ok: false, why: { en: `The topic has no ${s.level.en[0]} here.`, pt: `O tópico não tem ${s.level.pt[0]} aqui.` } }],
      match: false,
      reached: ti,
      summary: {
        en: `The topic has ${count(t.length, s).en}; the ${s.id === 'amqp' ? 'binding key' : 'filter'} needs ${f.filter((x) => x !== s.many).length}.`,
        pt: `O tópico tem ${count(t.length, s).pt}; ${s.id === 'amqp' ? 'a binding key' : 'o filtro'} precisa de ${f.filter((x) => x !== s.many).length}.`
      }
    }
  }
  if (level === s.one) {
    const why: Localized = { en: `${s.one} matches exactly one ${s.level.en[0]}: "${t[ti]}".`, pt: `${s.one} corresponde a exatamente ${s.id === 'amqp' ? 'uma palavra' : 'um nível'}: "${t[ti]}".` }
    return attempt(f, t, fi + 1, ti + 1, s, [...steps, { filter: s.one, topic: t[ti], ok: true, why }])
  }
  if (level !== t[ti]) {
    return {
      steps: [...steps, { filter: level, topic: t[ti], ok: false, why: { en: `"${level}" ≠ "${t[ti]}".`, pt: `"${level}" ≠ "${t[ti]}".` } }],
      match: false,
      reached: ti,
      summary: {
        en: `${s.id === 'amqp' ? 'Word' : 'Level'} ${ti + 1} differs: "${level}" ≠ "${t[ti]}".`,
        pt: `${s.id === 'amqp' ? 'A palavra' : 'O nível'} ${ti + 1} é diferente: "${level}" ≠ "${t[ti]}".`
      }
    }
  }
  return attempt(f, t, fi + 1, ti + 1, s, [...steps, { filter: level, topic: t[ti], ok: true, why: { en: 'Same text.', pt: 'Mesmo texto.' } }])
}

/** A topic or a pattern as its levels. AMQP: the empty key is zero words, not one empty word. */
function levels(text: string, s: TopicSyntax): string[] {
  return s.id === 'amqp' && text === '' ? [] : text.split(s.separator)
}

/** Topics starting with $ are not matched by a leading wildcard (where the syntax says so). */
function dollarExcluded(f: string[], topic: string, s: TopicSyntax): boolean {
  return s.dollarRule && topic.startsWith('$') && (f[0] === s.one || f[0] === s.many)
}

/** Does `pattern` match `topic`, and why (level by level)? */
export function explainMatch(pattern: string, topic: string, syntax: TopicSyntax = MQTT_TOPICS): MatchExplanation {
  const f = levels(pattern, syntax)
  if (dollarExcluded(f, topic, syntax))
    return { match: false, steps: [], summary: { en: `Topics starting with $ are not matched by a leading ${f[0]}.`, pt: `Tópicos que começam com $ não correspondem a um ${f[0]} inicial.` } }
  const a = attempt(f, levels(topic, syntax), 0, 0, syntax, [])
  return { match: a.match, steps: a.steps, summary: a.summary }
}

/** `attempt` without the explanation: whether the levels from `fi` and `ti` on can line up. */
function lineUp(f: string[], t: string[], fi: number, ti: number, s: TopicSyntax): boolean {
  for (; fi < f.length; fi++, ti++) {
    const level = f[fi]
    if (level === s.many) {
      if (!s.manyAnywhere && fi !== f.length - 1) return false
      for (let k = t.length - ti; k >= 0; k--) if (lineUp(f, t, fi + 1, ti + k, s)) return true
      return false
    }
    if (ti >= t.length || (level !== s.one && level !== t[ti])) return false
  }
  return ti === t.length
}

/**
 * Does `pattern` match `topic`? The same answer as `explainMatch`, without building its
 * explanation: brokers and lessons ask it for every message and subscriber.
 */
export function topicMatches(pattern: string, topic: string, syntax: TopicSyntax = MQTT_TOPICS): boolean {
  const f = levels(pattern, syntax)
  return !dollarExcluded(f, topic, syntax) && lineUp(f, levels(topic, syntax), 0, 0, syntax)
}
