// Applies the presenter state to the page: classes and CSS variables on <html> (presenter.css
// styles them) and the spotlight rule for the selected connection / stream.
import { useEffect } from 'react'
import { selectedPdu, useLab } from '../store'
import { usePresenter } from './presenter-store'

/** The CSS that dims everything tagged with another connection (`data-conn`) or stream (`data-stream`). */
export function spotlightCss(conn: string | null, stream: string | number | null): string {
  if (!conn) return ''
  const c = CSS.escape(conn)
  let css = `html.spotlight [data-conn]:not([data-conn="${c}"]) { opacity: 0.16; filter: grayscale(1); }\n`
  if (stream !== null && stream !== undefined) {
    const s = CSS.escape(String(stream))
    css += `html.spotlight [data-conn="${c}"][data-stream]:not([data-stream="${s}"]) { opacity: 0.16; filter: grayscale(1); }\n`
  }
  return css
}

function frameScale(w: number, h: number): number {
  return Math.min(window.innerWidth / w, window.innerHeight / h)
}

export function usePresenterDom(): void {
  const projector = usePresenter((s) => s.projector)
  const scale = usePresenter((s) => s.scale)
  const chromeHidden = usePresenter((s) => s.chromeHidden)
  const spotlight = usePresenter((s) => s.spotlight)
  const frame = usePresenter((s) => s.frame)
  const focus = useLab((s) => {
    const p = selectedPdu(s)
    return p ? `${p.conn}\u0000${p.keys?.streamId ?? ''}` : ''
  })

  useEffect(() => {
    const html = document.documentElement
    html.classList.toggle('projector', projector)
    html.classList.toggle('chrome-hidden', chromeHidden)
    html.classList.toggle('spotlight', spotlight)
    html.style.setProperty('--type-scale', String(scale))
  }, [projector, scale, chromeHidden, spotlight])

  useEffect(() => {
    const html = document.documentElement
    html.classList.toggle('rec-frame', !!frame)
    if (!frame) {
      html.style.removeProperty('--frame-w')
      html.style.removeProperty('--frame-h')
      html.style.removeProperty('--frame-k')
      return
    }
    const apply = (): void => {
      html.style.setProperty('--frame-w', `${frame.width}px`)
      html.style.setProperty('--frame-h', `${frame.height}px`)
      html.style.setProperty('--frame-k', String(frameScale(frame.width, frame.height)))
    }
    apply()
    window.addEventListener('resize', apply)
    return () => window.removeEventListener('resize', apply)
  }, [frame])

  useEffect(() => {
    let style = document.getElementById('wirelab-spotlight') as HTMLStyleElement | null
    if (!style) {
      style = document.createElement('style')
      style.id = 'wirelab-spotlight'
      document.head.appendChild(style)
    }
    const [conn, stream] = focus ? focus.split('\u0000') : [null, null]
    style.textContent = spotlight ? spotlightCss(conn, stream || null) : ''
  }, [spotlight, focus])
}
