// A lesson card's picture: a small drawing of the kind of view the lesson opens with (its
// `thumbnail`, else its first view), in the theme's colours. Drawn rather than screenshotted, so it
// stays true as views change and a new lesson gets one without anyone taking a picture; a view with
// no drawing yet gets the generic one.
import type { JSX } from 'react'
import type { ViewId } from '@shared/scene'

const W = 160
const H = 90

function Arrow({ x1, x2, y, dir, dashed }: { x1: number; x2: number; y: number; dir: 'c2s' | 's2c'; dashed?: boolean }): JSX.Element {
  const head = dir === 'c2s' ? x2 : x1
  const tail = dir === 'c2s' ? x1 : x2
  const s = Math.sign(head - tail) * 7
  return (
    <g className={`th-${dir}`}>
      <line x1={tail} y1={y} x2={head - s} y2={y} strokeDasharray={dashed ? '5 4' : undefined} />
      <path d={`M${head} ${y} L${head - s} ${y - 4} L${head - s} ${y + 4} Z`} />
    </g>
  )
}

const DRAW: Partial<Record<string, () => JSX.Element>> = {
  sequence: () => (
    <>
      <rect className="th-box" x={14} y={8} width={36} height={14} rx={3} />
      <rect className="th-box" x={110} y={8} width={36} height={14} rx={3} />
      <line className="th-life" x1={32} y1={22} x2={32} y2={84} />
      <line className="th-life" x1={128} y1={22} x2={128} y2={84} />
      <Arrow x1={32} x2={128} y={34} dir="c2s" dashed />
      <Arrow x1={32} x2={128} y={48} dir="c2s" />
      <Arrow x1={32} x2={128} y={62} dir="s2c" />
      <Arrow x1={32} x2={128} y={76} dir="c2s" dashed />
    </>
  ),
  segments: () => (
    <>
      <line className="th-life" x1={30} y1={8} x2={30} y2={84} />
      <line className="th-life" x1={130} y1={8} x2={130} y2={84} />
      {[
        [14, 'c2s'],
        [34, 's2c'],
        [54, 'c2s']
      ].map(([y, dir]) => (
        <g key={String(y)} className={`th-${dir}`}>
          <line x1={dir === 'c2s' ? 30 : 130} y1={Number(y)} x2={dir === 'c2s' ? 130 : 30} y2={Number(y) + 14} />
        </g>
      ))}
      <rect className="th-chip c2s" x={56} y={74} width={22} height={8} rx={2} />
      <rect className="th-chip s2c" x={82} y={74} width={22} height={8} rx={2} />
    </>
  ),
  bytes: () => (
    <>
      {[0, 1, 2, 3].map((r) => (
        <rect key={r} className="th-line" x={8} y={10 + r * 18} width={40 - (r % 2) * 10} height={6} rx={3} />
      ))}
      {Array.from({ length: 32 }, (_, i) => (
        <rect
          key={i}
          className={i >= 9 && i < 14 ? 'th-cell hot' : 'th-cell'}
          x={62 + (i % 8) * 12}
          y={8 + Math.floor(i / 8) * 20}
          width={9}
          height={14}
          rx={2}
        />
      ))}
    </>
  ),
  packets: () => (
    <>
      {[0, 1, 2, 3, 4, 5].map((r) => (
        <g key={r}>
          <rect className={`th-chip ${r % 2 ? 's2c' : 'c2s'}`} x={10} y={8 + r * 13} width={18} height={8} rx={2} />
          <rect className={r === 2 ? 'th-line hot' : 'th-line'} x={34} y={9 + r * 13} width={116 - ((r * 17) % 40)} height={6} rx={3} />
        </g>
      ))}
    </>
  ),
  streams: () => (
    <>
      {[0, 1, 2, 3].map((lane) => (
        <g key={lane}>
          <line className="th-life" x1={8} y1={16 + lane * 20} x2={152} y2={16 + lane * 20} />
          {[0, 1, 2, 3, 4].map((k) => (
            <rect
              key={k}
              className={`th-chip ${k === 0 ? 'c2s' : 's2c'}`}
              x={12 + k * 28 + lane * 6}
              y={10 + lane * 20}
              width={12}
              height={12}
              rx={2}
            />
          ))}
        </g>
      ))}
    </>
  ),
  race: () => (
    <>
      {[0, 1, 2, 3, 4, 5].map((i) => (
        <rect key={i} className="th-chip s2c" x={10 + Math.floor(i / 2) * 34} y={8 + (i % 2) * 10} width={32} height={7} rx={2} />
      ))}
      {[0, 1, 2, 3, 4, 5].map((i) => (
        <rect key={i} className="th-chip c2s" x={10} y={48 + i * 6} width={40} height={4} rx={2} />
      ))}
      <line className="th-life" x1={10} y1={40} x2={150} y2={40} />
    </>
  ),
  fanout: () => {
    const subs = [14, 34, 56, 76]
    return (
      <>
        {subs.map((y, i) => (
          <line key={y} className={i === 1 || i === 2 ? 'th-wire hot' : 'th-wire'} x1={80} y1={45} x2={136} y2={y} />
        ))}
        <line className="th-wire hot" x1={24} y1={45} x2={80} y2={45} />
        <circle className="th-node c2s" cx={20} cy={45} r={9} />
        <circle className="th-node broker" cx={80} cy={45} r={13} />
        {subs.map((y, i) => (
          <circle key={y} className={i === 1 || i === 2 ? 'th-node lit' : 'th-node'} cx={140} cy={y} r={7} />
        ))}
      </>
    )
  },
  topics: () => (
    <>
      <path className="th-wire" d="M20 14 V70 M20 30 H44 M20 50 H44 M20 70 H44 M56 30 V42 H80" />
      {[
        [14, 14],
        [48, 30],
        [48, 50],
        [48, 70],
        [84, 42]
      ].map(([x, y]) => (
        <rect key={`${x}-${y}`} className="th-line" x={x - 6} y={y - 4} width={x > 60 ? 60 : 44} height={8} rx={3} />
      ))}
    </>
  ),
  serialization: () => (
    <>
      {[136, 64, 76, 44].map((w, r) => (
        <g key={r}>
          {Array.from({ length: Math.round(w / 8) }, (_, i) => (
            <rect key={i} className={`th-cell ${i < 2 ? 'hot' : ''}`} x={10 + i * 8} y={10 + r * 20} width={7} height={13} rx={1.5} />
          ))}
        </g>
      ))}
    </>
  ),
  frames: () => (
    <>
      <rect className="th-box" x={10} y={8} width={140} height={18} rx={3} />
      <line className="th-s2c-line" x1={80} y1={26} x2={80} y2={36} />
      {[0, 1, 2, 3].map((i) => (
        <g key={i}>
          <rect className={`th-chip ${i % 2 ? 's2c' : 'c2s'}`} x={10 + i * 36} y={40 + (i % 2) * 22} width={8} height={16} rx={2} />
          <rect className="th-cell" x={19 + i * 36} y={40 + (i % 2) * 22} width={24} height={16} rx={2} />
        </g>
      ))}
    </>
  ),
  eventstream: () => (
    <>
      <Arrow x1={10} x2={150} y={20} dir="s2c" />
      {[0, 1, 2, 3, 4, 5, 6].map((i) => (
        <rect key={i} className="th-chip s2c" x={12 + i * 20} y={36} width={16} height={10} rx={3} />
      ))}
      {[0, 1, 2].map((i) => (
        <rect key={i} className="th-chip s2c" x={12 + i * 20} y={60} width={16} height={10} rx={3} />
      ))}
      <line className="th-cut" x1={74} y1={54} x2={74} y2={78} />
    </>
  ),
  tls: () => (
    <>
      <rect className="th-box" x={16} y={42} width={26} height={22} rx={3} />
      <path className="th-wire" d="M22 42 V34 A7 7 0 0 1 36 34 V42" />
      {[0, 1, 2].map((i) => (
        <rect key={i} className="th-cell" x={56 + i * 32} y={16} width={28} height={14} rx={2} />
      ))}
      {[0, 1, 2].map((i) => (
        <rect key={i} className="th-cell hot" x={56 + i * 32} y={58} width={28} height={14} rx={2} />
      ))}
    </>
  ),
  layers: () => (
    <>
      {[0, 1, 2, 3].map((i) => (
        <rect key={i} className={i === 3 ? 'th-cell hot' : 'th-box'} x={10 + i * 12} y={10 + i * 9} width={140 - i * 24} height={70 - i * 18} rx={4} />
      ))}
    </>
  ),
  stats: () => (
    <>
      {[40, 62, 30, 70, 52, 24].map((h, i) => (
        <rect key={i} className={`th-chip ${i % 2 ? 's2c' : 'c2s'}`} x={14 + i * 23} y={84 - h} width={16} height={h} rx={2} />
      ))}
    </>
  )
}

export function Thumb({ view }: { view: ViewId | undefined }): JSX.Element {
  const draw = (view && DRAW[view]) || DRAW.sequence!
  return (
    <svg className="thumb" viewBox={`0 0 ${W} ${H}`} aria-hidden data-view={view}>
      <rect className="th-bg" x={0} y={0} width={W} height={H} rx={6} />
      {draw()}
    </svg>
  )
}
