// Draws a part of the page as a standalone SVG document: SVG diagrams are copied with their
// computed styles inlined (so they look the same without the page's stylesheet, animations
// frozen where they are), HTML boxes become rects and lines, and HTML text becomes <text> at the
// exact place the browser laid it out. No <foreignObject>: the result can be drawn on a canvas
// without tainting it (PNG and video exports).
import { LocalizedError } from '../notify'
import S from '../strings.json'

const SVG_NS = 'http://www.w3.org/2000/svg'

/** Computed properties copied onto every SVG element. */
const SVG_PROPS = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-dasharray',
  'stroke-opacity',
  'stroke-linecap',
  'stroke-linejoin',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'font-style',
  'text-decoration',
  'text-anchor',
  'dominant-baseline',
  'letter-spacing',
  'visibility',
  'transform',
  'transform-origin',
  'transform-box'
]

interface Box {
  x: number
  y: number
  w: number
  h: number
}

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

function transparent(color: string): boolean {
  return !color || color === 'transparent' || /rgba\([^)]*,\s*0\)$/.test(color) || /\/\s*0\)$/.test(color)
}

function intersect(a: Box, b: Box): Box | null {
  const x = Math.max(a.x, b.x)
  const y = Math.max(a.y, b.y)
  const r = Math.min(a.x + a.w, b.x + b.w)
  const bo = Math.min(a.y + a.h, b.y + b.h)
  return r > x && bo > y ? { x, y, w: r - x, h: bo - y } : null
}

export interface DomSvgOptions {
  /** Background fill of the whole image (default: the page's computed background). */
  background?: string
}

/** Copies an SVG element (with its descendants) and inlines their computed styles. */
export function inlineSvg(src: SVGSVGElement): SVGSVGElement {
  const clone = src.cloneNode(true) as SVGSVGElement
  const a = [src, ...Array.from(src.querySelectorAll('*'))]
  const b = [clone, ...Array.from(clone.querySelectorAll('*'))]
  for (let i = 0; i < a.length && i < b.length; i++) {
    const el = a[i]
    if (!(el instanceof SVGElement)) continue
    const cs = getComputedStyle(el)
    const style: string[] = []
    for (const p of SVG_PROPS) {
      const v = cs.getPropertyValue(p)
      if (v && !(p === 'transform' && v === 'none')) style.push(`${p}:${v}`)
    }
    b[i].setAttribute('style', style.join(';'))
    b[i].removeAttribute('class')
  }
  return clone
}

/** The part of the page under `root` as an SVG document, in `root`'s own (untransformed) pixels. */
export function domToSvg(
  root: HTMLElement,
  options: DomSvgOptions = {}
): { svg: string; width: number; height: number } {
  const rootRect = root.getBoundingClientRect()
  const width = root.offsetWidth || Math.round(rootRect.width)
  const height = root.offsetHeight || Math.round(rootRect.height)
  // The root may be scaled on screen (the recording frame): map screen pixels back to layout pixels.
  const kx = rootRect.width ? width / rootRect.width : 1
  const ky = rootRect.height ? height / rootRect.height : 1
  const map = (r: DOMRect | Box): Box => {
    const x = 'left' in r ? r.left : r.x
    const y = 'top' in r ? r.top : r.y
    const w = 'width' in r ? r.width : r.w
    const h = 'height' in r ? r.height : r.h
    return { x: (x - rootRect.left) * kx, y: (y - rootRect.top) * ky, w: w * kx, h: h * ky }
  }
  const defs: string[] = []
  const out: string[] = []
  let clipId = 0
  const range = document.createRange()

  const textRuns = (node: Text, cs: CSSStyleDeclaration, clip: Box): void => {
    const raw = node.data
    if (!raw.trim()) return
    const pre = /^pre/.test(cs.whiteSpace) || cs.whiteSpace === 'break-spaces'
    range.selectNodeContents(node)
    const rects = Array.from(range.getClientRects()).filter((r) => r.width > 0 && r.height > 0)
    if (!rects.length) return
    // One line: one <text>. Wrapped text: split at the characters where the line changes.
    const lines: { text: string; rect: DOMRect }[] = []
    if (rects.length === 1) lines.push({ text: raw, rect: rects[0] })
    else {
      let start = 0
      let top = NaN
      for (let i = 0; i < raw.length; i++) {
        range.setStart(node, i)
        range.setEnd(node, i + 1)
        const r = range.getClientRects()[0]
        if (!r) continue
        if (!Number.isNaN(top) && Math.abs(r.top - top) > r.height / 2) {
          range.setStart(node, start)
          range.setEnd(node, i)
          const lr = range.getBoundingClientRect()
          lines.push({ text: raw.slice(start, i), rect: lr })
          start = i
        }
        top = r.top
      }
      range.setStart(node, start)
      range.setEnd(node, raw.length)
      lines.push({ text: raw.slice(start), rect: range.getBoundingClientRect() })
    }
    const fill = cs.color
    const font = `font-family:${cs.fontFamily};font-size:${cs.fontSize};font-weight:${cs.fontWeight};font-style:${cs.fontStyle}`
    for (const line of lines) {
      const text = pre ? line.text : line.text.replace(/\s+/g, ' ').trim()
      if (!text) continue
      const b = map(line.rect)
      if (!intersect(b, clip)) continue
      const shown = cs.textTransform === 'uppercase' ? text.toUpperCase() : text
      out.push(
        `<text x="${b.x.toFixed(2)}" y="${(b.y + b.h / 2).toFixed(2)}" dominant-baseline="central" xml:space="preserve" textLength="${b.w.toFixed(2)}" lengthAdjust="spacingAndGlyphs" style="${esc(`fill:${fill};${font}`)}">${esc(shown)}</text>`
      )
    }
  }

  const box = (el: HTMLElement, cs: CSSStyleDeclaration, b: Box): void => {
    const radius = parseFloat(cs.borderTopLeftRadius) || 0
    const bg = cs.backgroundColor
    const sides = [
      { w: parseFloat(cs.borderTopWidth), c: cs.borderTopColor, s: cs.borderTopStyle },
      { w: parseFloat(cs.borderRightWidth), c: cs.borderRightColor, s: cs.borderRightStyle },
      { w: parseFloat(cs.borderBottomWidth), c: cs.borderBottomColor, s: cs.borderBottomStyle },
      { w: parseFloat(cs.borderLeftWidth), c: cs.borderLeftColor, s: cs.borderLeftStyle }
    ].map((s) => ({ ...s, on: s.w > 0 && s.s !== 'none' && s.s !== 'hidden' && !transparent(s.c) }))
    const uniform = sides.every((s) => s.on && s.w === sides[0].w && s.c === sides[0].c && s.s === sides[0].s)
    const dash = (s: string, w: number): string =>
      s === 'dashed'
        ? `;stroke-dasharray:${w * 3} ${w * 2}`
        : s === 'dotted'
          ? `;stroke-dasharray:${w} ${w}`
          : ''
    if (!transparent(bg) || uniform) {
      const sw = uniform ? sides[0].w : 0
      const stroke = uniform ? `;stroke:${sides[0].c};stroke-width:${sw}${dash(sides[0].s, sw)}` : ''
      out.push(
        `<rect x="${(b.x + sw / 2).toFixed(2)}" y="${(b.y + sw / 2).toFixed(2)}" width="${Math.max(0, b.w - sw).toFixed(2)}" height="${Math.max(0, b.h - sw).toFixed(2)}" rx="${radius}" style="fill:${transparent(bg) ? 'none' : bg}${stroke}"/>`
      )
    }
    if (uniform) return
    const [t, r, bo, l] = sides
    const line = (x1: number, y1: number, x2: number, y2: number, s: (typeof sides)[number]): void => {
      if (s.on)
        out.push(
          `<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" style="stroke:${s.c};stroke-width:${s.w}${dash(s.s, s.w)}"/>`
        )
    }
    line(b.x, b.y + t.w / 2, b.x + b.w, b.y + t.w / 2, t)
    line(b.x + b.w - r.w / 2, b.y, b.x + b.w - r.w / 2, b.y + b.h, r)
    line(b.x, b.y + b.h - bo.w / 2, b.x + b.w, b.y + b.h - bo.w / 2, bo)
    line(b.x + l.w / 2, b.y, b.x + l.w / 2, b.y + b.h, l)
    void el
  }

  const control = (el: HTMLElement, cs: CSSStyleDeclaration, b: Box): void => {
    if (el instanceof HTMLInputElement && el.type === 'range') {
      const min = Number(el.min || 0)
      const max = Number(el.max || 100)
      const f = max > min ? (Number(el.value) - min) / (max - min) : 0
      const y = b.y + b.h / 2
      const accent = cs.accentColor && cs.accentColor !== 'auto' ? cs.accentColor : cs.color
      out.push(
        `<line x1="${b.x}" y1="${y}" x2="${b.x + b.w}" y2="${y}" style="stroke:${cs.color};stroke-opacity:0.35;stroke-width:4"/>`
      )
      out.push(
        `<line x1="${b.x}" y1="${y}" x2="${b.x + b.w * f}" y2="${y}" style="stroke:${accent};stroke-width:4"/>`
      )
      out.push(`<circle cx="${b.x + b.w * f}" cy="${y}" r="${Math.min(9, b.h / 2)}" style="fill:${accent}"/>`)
      return
    }
    const text =
      el instanceof HTMLSelectElement
        ? (el.selectedOptions[0]?.textContent ?? '')
        : el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement
          ? el.value
          : ''
    if (!text) return
    const pad = parseFloat(cs.paddingLeft) || 4
    out.push(
      `<text x="${(b.x + pad).toFixed(2)}" y="${(b.y + b.h / 2).toFixed(2)}" dominant-baseline="central" style="${esc(`fill:${cs.color};font-family:${cs.fontFamily};font-size:${cs.fontSize};font-weight:${cs.fontWeight}`)}">${esc(text.split('\n')[0])}</text>`
    )
  }

  const walk = (el: Element, clip: Box): void => {
    if (el instanceof SVGSVGElement) {
      const b = map(el.getBoundingClientRect())
      if (!intersect(b, clip) || !b.w || !b.h) return
      const copy = inlineSvg(el)
      const vb =
        el.getAttribute('viewBox') ??
        `0 0 ${el.width.baseVal.value || b.w / kx} ${el.height.baseVal.value || b.h / ky}`
      copy.setAttribute('x', String(b.x))
      copy.setAttribute('y', String(b.y))
      copy.setAttribute('width', String(b.w))
      copy.setAttribute('height', String(b.h))
      copy.setAttribute('viewBox', vb)
      copy.setAttribute('overflow', 'visible')
      copy.removeAttribute('role')
      out.push(new XMLSerializer().serializeToString(copy))
      return
    }
    if (!(el instanceof HTMLElement)) return
    const cs = getComputedStyle(el)
    if (cs.display === 'none' || cs.visibility === 'hidden' || cs.opacity === '0') return
    if (el.dataset.exportSkip !== undefined) return
    const b = map(el.getBoundingClientRect())
    let inner = clip
    const clips = cs.overflowX !== 'visible' || cs.overflowY !== 'visible'
    if (clips) {
      const c = intersect(clip, b)
      if (!c) return
      inner = c
    }
    const opacity = Number(cs.opacity)
    if (opacity < 1) out.push(`<g opacity="${opacity}">`)
    if (intersect(b, clip)) box(el, cs, b)
    if (
      el instanceof HTMLInputElement ||
      el instanceof HTMLSelectElement ||
      el instanceof HTMLTextAreaElement
    ) {
      if (intersect(b, clip)) control(el, cs, b)
    } else {
      let opened = false
      if (clips) {
        const id = `clip${clipId++}`
        defs.push(
          `<clipPath id="${id}"><rect x="${inner.x}" y="${inner.y}" width="${inner.w}" height="${inner.h}"/></clipPath>`
        )
        out.push(`<g clip-path="url(#${id})">`)
        opened = true
      }
      for (const child of Array.from(el.childNodes)) {
        if (child.nodeType === Node.TEXT_NODE) textRuns(child as Text, cs, inner)
        else if (child instanceof Element) walk(child, inner)
      }
      if (opened) out.push('</g>')
    }
    if (opacity < 1) out.push('</g>')
  }

  const all: Box = { x: 0, y: 0, w: width, h: height }
  const background = options.background ?? pageBackground(root)
  walk(root, all)
  const svg =
    `<svg xmlns="${SVG_NS}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<defs>${defs.join('')}</defs>` +
    `<rect x="0" y="0" width="${width}" height="${height}" style="fill:${background}"/>` +
    out.join('') +
    '</svg>'
  return { svg, width, height }
}

/** The first non-transparent background from `el` up to the document. */
export function pageBackground(el: Element | null): string {
  for (let e = el; e; e = e.parentElement) {
    const bg = getComputedStyle(e).backgroundColor
    if (!transparent(bg)) return bg
  }
  return '#ffffff'
}

/** Loads an SVG document as an image (for drawing on a canvas). */
export function svgImage(svg: string): Promise<HTMLImageElement> {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }))
  const img = new Image()
  return new Promise<HTMLImageElement>((resolve, reject) => {
    img.onload = () => resolve(img)
    img.onerror = () => reject(new LocalizedError(S.error.svg))
    img.src = url
  }).finally(() => URL.revokeObjectURL(url))
}
