// The course map's search: a lesson matches when every word of the query names one of its
// protocols, one of its ports, or appears in its title, tagline or summary (either language, so a
// teacher may type "conexão" or "connection"; accents and case ignored).
import type { Localized } from '@shared/events'
import type { SceneInfo } from '@shared/scene'

const fold = (s: string): string =>
  s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()

const both = (l: Localized | undefined): string => (l ? `${l.en} ${l.pt}` : '')

/** The first sentence of a text: the card's line when a lesson declares no tagline. */
export function firstSentence(text: string): string {
  // A sentence ends at . ! or ? followed by a capital (not "vs. h2", not "2.5 s" mid-sentence).
  const m = /^(.+?[.!?])(?=\s+[\p{Lu}“"(]|\s*$)/su.exec(text)
  return m ? m[1] : text
}

export function taglineOf(info: SceneInfo): Localized {
  return info.tagline ?? { en: firstSentence(info.summary.en), pt: firstSentence(info.summary.pt) }
}

export function matchesQuery(info: SceneInfo, query: string): boolean {
  const words = fold(query).split(/\s+/).filter(Boolean)
  if (!words.length) return true
  const ports = info.ports.map((p) => String(p.preferred))
  const protocols = [...(info.protocols ?? []), ...info.ports.map((p) => p.name), ...info.ports.map((p) => p.transport)].map(fold)
  const text = fold([info.id, both(info.title), both(info.tagline), both(info.summary), ...(info.requires ?? []).map((r) => r.name)].join(' '))
  return words.every((w) =>
    /^\d+$/.test(w) ? ports.some((p) => p.startsWith(w)) : protocols.some((p) => p.startsWith(w)) || text.includes(w)
  )
}
