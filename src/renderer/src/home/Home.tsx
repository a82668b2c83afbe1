// The course map: every lesson the engine offers (`scene:list`), grouped as the course is
// (SCENE_GROUPS), each as a card with its title, what it shows, its ports, a picture of its main
// view and what it needs installed. A card starts its lesson; `M` comes back here from any lesson.
// Cards are built from SceneInfo alone, so a new lesson appears without touching this file.
import { useEffect, useRef, useState, type JSX } from 'react'
import { ArrowLeft, Package, Search } from 'lucide-react'
import { SCENE_GROUPS, type SceneInfo } from '@shared/scene'
import { useLocalized } from '../i18n'
import { openFromHome, toggleHome, useLesson } from '../lesson/lesson-store'
import { matchesQuery, taglineOf } from './search'
import { Thumb } from './Thumb'
import S from './strings.json'
import './home.css'

export function Home(): JSX.Element {
  const loc = useLocalized()
  const scenes = useLesson((s) => s.scenes)
  const chosen = useLesson((s) => (s.sceneId ? s.scenes.find((x) => x.id === s.sceneId) : undefined))
  const [query, setQuery] = useState('')
  const search = useRef<HTMLInputElement>(null)
  const shown = scenes.filter((s) => matchesQuery(s, query))

  useEffect(() => {
    // "/" jumps to the search box, as on most sites; Esc goes back to the lesson.
    const onKey = (e: KeyboardEvent): void => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return
      const typing = e.target instanceof HTMLElement && /^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName)
      if (e.key === '/' && !typing) {
        e.preventDefault()
        search.current?.focus()
      } else if (e.key === 'Escape' && chosen) {
        if (typing && query) return
        e.preventDefault()
        toggleHome(false)
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [chosen, query])

  return (
    <main className="home" data-testid="home">
      <div className="home-head">
        <div className="home-heading">
          <h1>{loc(S.title)}</h1>
          <p className="muted">{loc(S.intro, { count: scenes.length })}</p>
        </div>
        <label className="home-search">
          <Search />
          <input
            ref={search}
            type="search"
            value={query}
            placeholder={loc(S.search)}
            aria-label={loc(S.searchLabel)}
            data-testid="home-search"
            spellCheck={false}
            onChange={(e) => setQuery(e.target.value)}
          />
        </label>
        {chosen ? (
          <button className="btn" data-testid="home-back" onClick={() => toggleHome(false)}>
            <ArrowLeft /> {loc(S.back, { title: loc(chosen.title) })}
          </button>
        ) : null}
      </div>
      {query && !shown.length ? (
        <p className="home-none" data-testid="home-none">
          {loc(S.none, { query })}
        </p>
      ) : null}
      {SCENE_GROUPS.map((g) => {
        const all = scenes.filter((s) => s.group === g.id)
        const list = shown.filter((s) => s.group === g.id)
        if (query && !list.length) return null
        return (
          <section key={g.id} className="home-group" data-testid={`home-group-${g.id}`} aria-label={loc(g.label)}>
            <h2>
              {loc(g.label)} <span className="muted home-count">{all.length}</span>
            </h2>
            {list.length ? (
              <div className="home-cards">
                {list.map((info) => (
                  <Card key={info.id} info={info} />
                ))}
              </div>
            ) : (
              <p className="muted home-soon">{loc(S.soon)}</p>
            )}
          </section>
        )
      })}
    </main>
  )
}

function Card({ info }: { info: SceneInfo }): JSX.Element {
  const loc = useLocalized()
  const running = useLesson((s) => s.status?.scene === info.id)
  const tagline = loc(taglineOf(info))
  const ports = [...new Set(info.ports.map((p) => `${p.preferred}/${p.transport}`))]
  return (
    <button
      className={`home-card${running ? ' running' : ''}`}
      data-testid={`home-card-${info.id}`}
      data-scene={info.id}
      onClick={() => openFromHome(info.id)}
    >
      <Thumb view={info.thumbnail ?? info.views[0]} />
      <span className="home-card-body">
        <span className="home-card-title">
          {loc(info.title)}
          {running ? <span className="badge ok">{loc(S.running)}</span> : null}
        </span>
        <span className="home-card-line" title={tagline}>
          {tagline}
        </span>
        <span className="home-card-ports" aria-label={loc(S.ports)}>
          {ports.map((p) => (
            <span key={p} className="port-chip mono">
              {p}
            </span>
          ))}
        </span>
        {info.requires?.map((r) => (
          <span key={r.name} className="home-card-requires" data-testid="home-requires" title={r.without ? loc(r.without) : undefined}>
            <Package /> {loc(S.needs, { name: r.name })} <code className="mono">{loc(r.install)}</code>
          </span>
        ))}
      </span>
    </button>
  )
}
