// "Use your own client": the commands and files (the course's tcp_client.py, …) with the real
// host and port of the running lesson, each with a copy button.
import { useState, type JSX } from 'react'
import { Check, ChevronDown, ChevronRight } from 'lucide-react'
import type { ClientHint } from '@shared/scene'
import { useLocalized } from '../i18n'
import S from './strings.json'
import { useLesson } from './lesson-store'

export function ClientHints(): JSX.Element {
  const loc = useLocalized()
  const status = useLesson((s) => s.status)
  return (
    <section className="hints" data-testid="client-hints">
      <h2>{loc(S.hints.title)}</h2>
      {status ? (
        <>
          <p className="help">{loc(S.hints.explain)}</p>
          {status.hints.map((h, i) => (
            <Hint key={i} hint={h} />
          ))}
        </>
      ) : (
        <p className="help">{loc(S.hints.notStarted)}</p>
      )}
    </section>
  )
}

function Hint({ hint }: { hint: ClientHint }): JSX.Element {
  const loc = useLocalized()
  const [open, setOpen] = useState(false)
  return (
    <div className="hint" data-testid="client-hint">
      <div className="hint-title">{loc(hint.title)}</div>
      {hint.command ? (
        <div className="code-line">
          <code className="mono" data-testid="hint-command">
            {hint.command}
          </code>
          <CopyButton text={hint.command} />
        </div>
      ) : null}
      {hint.file ? (
        <div className="hint-file">
          <div className="code-line">
            <button className="link" onClick={() => setOpen(!open)}>
              {open ? <ChevronDown /> : <ChevronRight />} {hint.file.name}
            </button>
            <CopyButton text={hint.file.content} />
          </div>
          {open ? (
            <pre className="mono code" data-testid="hint-file">
              {hint.file.content}
            </pre>
          ) : null}
        </div>
      ) : null}
    </div>
  )
}

function CopyButton({ text }: { text: string }): JSX.Element {
  const loc = useLocalized()
  const [done, setDone] = useState(false)
  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(text)
    } catch {
      // Clipboard refused (insecure context): select a hidden textarea and copy from it.
      const ta = document.createElement('textarea')
      ta.value = text
      document.body.appendChild(ta)
      ta.select()
      document.execCommand('copy')
      ta.remove()
    }
    setDone(true)
    setTimeout(() => setDone(false), 1500)
  }
  return (
    <button className="btn small ghost" data-testid="copy" onClick={() => void copy()}>
      {done ? (
        <>
          <Check /> {loc(S.hints.copied)}
        </>
      ) : (
        loc(S.hints.copy)
      )}
    </button>
  )
}
