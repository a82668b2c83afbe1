// MQTT topic filters (MQTT 3.1.1 §4.7): `+` matches exactly one level, `#` (last) matches the
// parent level and any number below it; topics starting with `$` are not matched by a leading
// wildcard. The broker's routing check (engine) and its explanation for people, level by level
// (fan-out view), in one place; a test keeps the two in agreement.
import type { Localized } from '../events'

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

export function topicMatches(filter: string, topic: string): boolean {
  if (!validFilter(filter) || !validTopic(topic)) return false
  const f = filter.split('/')
  const t = topic.split('/')
  if (topic.startsWith('$') && (f[0] === '+' || f[0] === '#')) return false
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true
    if (i >= t.length) return false
    if (f[i] !== '+' && f[i] !== t[i]) return false
  }
  return f.length === t.length
}

export interface MatchStep {
  filter: string
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

export function explainMatch(filter: string, topic: string): MatchExplanation {
  const f = filter.split('/')
  const t = topic.split('/')
  const steps: MatchStep[] = []
  const no = (summary: Localized): MatchExplanation => ({ match: false, steps, summary })
  if (topic.startsWith('$') && (f[0] === '+' || f[0] === '#'))
    return no({
      en: `Topics starting with $ are not matched by a leading ${f[0]}.`,
      pt: `Tópicos que começam por $ não correspondem a um ${f[0]} inicial.`
    })
  for (let i = 0; i < f.length; i++) {
    const level = f[i]
    if (level === '#') {
      if (i !== f.length - 1)
        return no({
          en: '# must be the last level of a filter.',
          pt: '# tem de ser o último nível do filtro.'
        })
      const rest = t.slice(i).join('/')
      steps.push({
        filter: '#',
        topic: rest,
        ok: true,
        why: rest
          ? {
              en: `# matches the remaining levels "${rest}".`,
              pt: `# corresponde aos níveis restantes "${rest}".`
            }
          : {
              en: '# also matches the parent level (no more levels).',
              pt: '# também corresponde ao nível pai (sem mais níveis).'
            }
      })
      return {
        match: true,
        steps,
        summary: {
          en: `Matches: # takes any number of levels.`,
          pt: `Corresponde: # aceita qualquer número de níveis.`
        }
      }
    }
    if (i >= t.length) {
      steps.push({
        filter: level,
        topic: '',
        ok: false,
        why: { en: 'The topic has no level here.', pt: 'O tópico não tem nível aqui.' }
      })
      return no({
        en: `The topic has ${t.length} level${t.length === 1 ? '' : 's'}; the filter needs ${f.length}.`,
        pt: `O tópico tem ${t.length} níve${t.length === 1 ? 'l' : 'is'}; o filtro precisa de ${f.length}.`
      })
    }
    if (level === '+') {
      steps.push({
        filter: '+',
        topic: t[i],
        ok: true,
        why: {
          en: `+ matches exactly one level: "${t[i]}".`,
          pt: `+ corresponde a exatamente um nível: "${t[i]}".`
        }
      })
      continue
    }
    if (level !== t[i]) {
      steps.push({
        filter: level,
        topic: t[i],
        ok: false,
        why: { en: `"${level}" ≠ "${t[i]}".`, pt: `"${level}" ≠ "${t[i]}".` }
      })
      return no({
        en: `Level ${i + 1} differs: "${level}" ≠ "${t[i]}".`,
        pt: `O nível ${i + 1} é diferente: "${level}" ≠ "${t[i]}".`
      })
    }
    steps.push({ filter: level, topic: t[i], ok: true, why: { en: 'Same text.', pt: 'Mesmo texto.' } })
  }
  if (t.length > f.length) {
    steps.push({
      filter: '',
      topic: t.slice(f.length).join('/'),
      ok: false,
      why: { en: 'Extra topic levels: only # takes more.', pt: 'Níveis a mais no tópico: só # aceita mais.' }
    })
    return no({
      en: `The topic has ${t.length} levels; the filter only ${f.length} (+ is exactly one level).`,
      pt: `O tópico tem ${t.length} níveis; o filtro só ${f.length} (+ é exatamente um nível).`
    })
  }
  return { match: true, steps, summary: { en: 'Matches level by level.', pt: 'Corresponde nível a nível.' } }
}
