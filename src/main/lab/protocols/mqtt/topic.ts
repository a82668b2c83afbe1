// MQTT topic filters (MQTT 3.1.1 §4.7): `+` matches exactly one level, `#` (last) matches the
// parent level and any number below it; topics starting with `$` are not matched by a leading
// wildcard.

export function validFilter(filter: string): boolean {
  if (filter.length === 0) return false
  const levels = filter.split('/')
  return levels.every((l, i) => (l.includes('#') ? l === '#' && i === levels.length - 1 : !l.includes('+') || l === '+'))
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
