// TCP segments as a table of numbers: flags, sequence and acknowledgement numbers and payload
// length, with the arithmetic spelled out ("Seq 1 + 10 bytes = 11", and the peer's ACK 11).
// Modeled segments (the kernel's, rebuilt by Wirelab) are dashed and say so.
import { useEffect, useMemo, useRef, useState, type JSX } from 'react'
import type { BytesEvent, Localized, PduEvent } from '@shared/events'
import { useLocalized } from '../../i18n'
import { useLab } from '../../store'
import type { ViewProps } from '../registry'
import { useRunEvents } from '../handshakes/common'
import '../handshakes/handshakes.css'

const S = {
  empty: {
    en: 'Run the lesson: each TCP segment appears here with its numbers.',
    pt: 'Execute a lição: cada segmento TCP aparece aqui com os seus números.'
  },
  conn: { en: 'Connection', pt: 'Conexão' },
  dir: { en: 'Dir.', pt: 'Sent.' },
  flags: { en: 'Flags', pt: 'Flags' },
  len: { en: 'Len', pt: 'Tam.' },
  why: { en: 'Why these numbers', pt: 'Porquê estes números' },
  modeled: { en: 'modeled', pt: 'modelado' },
  data: { en: 'data', pt: 'dados' },
  syn: { en: 'SYN takes one sequence number', pt: 'o SYN ocupa um número de sequência' },
  fin: { en: 'FIN takes one sequence number', pt: 'o FIN ocupa um número de sequência' },
  ackOf: { en: 'acknowledges everything before', pt: 'confirma tudo antes de' },
  rst: { en: 'abort: no goodbye', pt: 'aborta: sem despedida' },
  refused: { en: 'nobody listens: the kernel answers RST', pt: 'ninguém escuta: o kernel responde RST' },
  captured: { en: 'captured', pt: 'capturado' },
  showModeled: { en: 'Modeled', pt: 'Modelados' },
  showCaptured: { en: 'Captured (dumpcap)', pt: 'Capturados (dumpcap)' },
  showBoth: { en: 'Both', pt: 'Ambos' }
} satisfies Record<string, Localized>

interface Row {
  key: number
  seqNo: number
  conn: string
  dir: 'c2s' | 's2c'
  flags: string
  seq: number
  ack: number | null
  len: number
  modeled: boolean
  source: 'modeled' | 'data' | 'captured'
  why: Localized
  text?: string
}

function rows(events: ReturnType<typeof useRunEvents>['events']): Row[] {
  const out: Row[] = []
  for (const e of events) {
    if (e.kind === 'pdu' && e.protocol === 'tcp' && (e.modeled || e.keys?.captured === true)) {
      const p = e as PduEvent
      const captured = p.keys?.captured === true
      const flags = String(p.keys?.flags ?? '')
      const seq = Number(p.keys?.seq ?? 0)
      const ack = flags.includes('ACK') ? Number(p.keys?.ack ?? 0) : null
      let why: Localized
      if (flags === 'SYN')
        why = { en: `ISN ${seq} (relative); ${S.syn.en}`, pt: `ISN ${seq} (relativo); ${S.syn.pt}` }
      else if (flags === 'SYN, ACK')
        why = {
          en: `${S.syn.en}; ACK ${ack} = client's SYN + 1`,
          pt: `${S.syn.pt}; ACK ${ack} = SYN do cliente + 1`
        }
      else if (flags.includes('RST')) why = seq === 0 && ack === 1 ? S.refused : S.rst
      else if (flags.includes('FIN'))
        why = { en: `${S.fin.en}: next is ${seq + 1}`, pt: `${S.fin.pt}: o seguinte é ${seq + 1}` }
      else if (captured && Number(p.keys?.len) > 0) {
        const len = Number(p.keys?.len)
        why = {
          en: `Seq ${seq} + ${len} bytes = ${seq + len} (next Seq)`,
          pt: `Seq ${seq} + ${len} bytes = ${seq + len} (próximo Seq)`
        }
      } else why = { en: `${S.ackOf.en} byte ${ack}`, pt: `${S.ackOf.pt} byte ${ack}` }
      out.push({
        key: p.seq,
        seqNo: p.seq,
        conn: p.conn,
        dir: p.dir,
        flags,
        seq,
        ack,
        len: captured ? Number(p.keys?.len ?? 0) : 0,
        modeled: !captured,
        source: captured ? 'captured' : 'modeled',
        why
      })
    } else if (e.kind === 'bytes') {
      const b = e as BytesEvent
      const seq = typeof b.tcpSeq === 'number' ? b.tcpSeq : b.offset + 1
      const len = b.data.length
      out.push({
        key: b.seq,
        seqNo: b.seq,
        conn: b.conn,
        dir: b.dir,
        flags: 'PSH, ACK',
        seq,
        ack: typeof b.tcpAck === 'number' ? b.tcpAck : null,
        len,
        modeled: false,
        source: 'data',
        why: {
          en: `Seq ${seq} + ${len} bytes = ${seq + len} (next Seq)`,
          pt: `Seq ${seq} + ${len} bytes = ${seq + len} (próximo Seq)`
        },
        text: new TextDecoder().decode(b.data.subarray(0, 40))
      })
    }
  }
  return out
}

export function SegmentsView(_props: ViewProps): JSX.Element {
  const loc = useLocalized()
  const run = useRunEvents()
  const all = useMemo(() => rows(run.events), [run])
  const hasCaptured = all.some((r) => r.source === 'captured')
  const [show, setShow] = useState<'modeled' | 'captured' | 'both'>('both')
  const mode = hasCaptured ? show : 'modeled'
  const list =
    mode === 'both'
      ? all
      : all.filter((r) => (mode === 'captured' ? r.source === 'captured' : r.source !== 'captured'))
  const box = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const el = box.current
    if (el) el.scrollTop = el.scrollHeight
  }, [list.length])
  if (!list.length)
    return (
      <div className="hs-empty" data-testid="view-segments">
        {loc(S.empty)}
      </div>
    )
  return (
    <div className="hs-segments" data-testid="view-segments" ref={box}>
      {hasCaptured ? (
        <div className="hs-source" role="group">
          {(['modeled', 'captured', 'both'] as const).map((m) => (
            <button
              key={m}
              className={show === m ? 'on' : ''}
              aria-pressed={show === m}
              data-testid={`segments-show-${m}`}
              onClick={() => setShow(m)}
            >
              {loc(m === 'modeled' ? S.showModeled : m === 'captured' ? S.showCaptured : S.showBoth)}
            </button>
          ))}
        </div>
      ) : null}
      <table>
        <thead>
          <tr>
            <th>{loc(S.dir)}</th>
            <th>{loc(S.flags)}</th>
            <th>Seq</th>
            <th>Ack</th>
            <th>{loc(S.len)}</th>
            <th>{loc(S.why)}</th>
          </tr>
        </thead>
        <tbody>
          {list.map((r, i) => [
            i === 0 || list[i - 1].conn !== r.conn ? (
              <tr key={`h-${r.key}`} className="hs-connrow">
                <td colSpan={6}>
                  {loc(S.conn)} <span className="mono">{r.conn}</span>
                </td>
              </tr>
            ) : null,
            <tr
              key={r.key}
              className={`dir-${r.dir}${r.modeled ? ' modeled' : ''}`}
              data-testid="segment-row"
              data-flags={r.flags}
              data-seq={r.seq}
              data-ack={r.ack ?? ''}
              data-len={r.len}
              data-modeled={r.modeled}
              data-source={r.source}
              data-dir={r.dir}
              onClick={() => {
                if (r.source !== 'data') useLab.getState().select(r.seqNo, [0])
              }}
            >
              <td className={`hs-arrow dir-${r.dir}`}>{r.dir === 'c2s' ? '→' : '←'}</td>
              <td>
                {r.flags.split(', ').map((f) => (
                  <span key={f} className={`hs-flag flag-${f.toLowerCase()}`}>
                    {f}
                  </span>
                ))}
                {r.source === 'modeled' ? (
                  <span className="hs-modeled">{loc(S.modeled)}</span>
                ) : r.source === 'captured' ? (
                  <span className="hs-captured">{loc(S.captured)}</span>
                ) : (
                  <span className="hs-real">{loc(S.data)}</span>
                )}
              </td>
              <td className="mono num">{r.seq}</td>
              <td className="mono num">{r.ack ?? '—'}</td>
              <td className="mono num">{r.len}</td>
              <td className="hs-why">
                {loc(r.why)}
                {r.text !== undefined ? <span className="hs-text mono"> “{r.text}”</span> : null}
              </td>
            </tr>
          ])}
        </tbody>
      </table>
    </div>
  )
}
