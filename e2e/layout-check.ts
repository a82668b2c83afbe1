/// <reference lib="dom" />
// Finds text that does not fit, in the page: text cut by a box that hides its overflow (an
// ellipsis or a clipped word), text outside the SVG that draws it, and labels drawn over one
// another. Text cut on purpose carries its full text on hover (a `title` on it or an ancestor, or
// an SVG <title>): that is abbreviation by design, not overflow. Runs inside the page
// (`page.evaluate(findTextProblems, selectors)`), so it only uses the DOM.

export interface TextProblem {
  kind: 'clipped' | 'overlap' | 'outside-svg'
  region: string
  text: string
  other?: string
  detail: string
}

export function findTextProblems(regions: string[]): TextProblem[] {
  const problems: TextProblem[] = []
  const TOLERANCE = 2

  const visible = (el: Element): boolean => {
    // Content the browser skips (a closed <details>, whose contents sit in a slot the parent chain does not show).
    if (!el.checkVisibility()) return false
    for (let e: Element | null = el; e; e = e.parentElement) {
      const cs = getComputedStyle(e)
      if (cs.display === 'none' || cs.visibility === 'hidden' || Number(cs.opacity) === 0) return false
    }
    // Visually hidden text (1 px boxes that keep an accessible name) is not on screen.
    const r = el.getBoundingClientRect()
    return r.width > 1 && r.height > 1
  }
  const norm = (s: string | null | undefined): string => (s ?? '').replace(/\s+/g, ' ').trim()
  /** The element's whole text is available on hover (a title that contains it, here or just above). */
  const hasHoverText = (el: Element): boolean => {
    const text = norm(el.textContent)
    for (let e: Element | null = el, k = 0; e && k < 4; e = e.parentElement, k++) {
      if (norm(e.getAttribute('title')).includes(text)) return true
      const svgTitle = e instanceof SVGElement ? Array.from(e.children).find((c) => c.tagName.toLowerCase() === 'title') : undefined
      if (svgTitle && norm(svgTitle.textContent).includes(text)) return true
    }
    return false
  }
  const textOf = (el: Element): string => (el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 80)
  /** Leaf text boxes: HTML elements with their own text, and SVG <text> elements. */
  const leaves = (root: Element): Element[] => {
    const out: Element[] = []
    root.querySelectorAll('*').forEach((el) => {
      if (el.closest('[role=tooltip], [data-layout-skip], title, style, script')) return
      if (el instanceof SVGElement) {
        if (el.tagName.toLowerCase() === 'text') out.push(el)
        return
      }
      const own = Array.from(el.childNodes).some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim())
      if (own && !el.closest('svg')) out.push(el)
    })
    return out.filter(visible)
  }
  /** The line boxes of an element's own text (not its padding), for HTML; the box for SVG text. */
  const lineRects = (el: Element): DOMRect[] => {
    if (el instanceof SVGElement) return [el.getBoundingClientRect()]
    const range = document.createRange()
    const out: DOMRect[] = []
    for (const n of Array.from(el.childNodes)) {
      if (n.nodeType !== Node.TEXT_NODE || !(n.textContent ?? '').trim()) continue
      range.selectNodeContents(n)
      for (const r of Array.from(range.getClientRects())) if (r.width > 0.5 && r.height > 0.5) out.push(r)
    }
    return out.length ? out : [el.getBoundingClientRect()]
  }
  /** All of an element's own text, as one rectangle. */
  const textRect = (el: Element): DOMRect => {
    const rs = lineRects(el)
    const left = Math.min(...rs.map((r) => r.left))
    const top = Math.min(...rs.map((r) => r.top))
    return new DOMRect(left, top, Math.max(...rs.map((r) => r.right)) - left, Math.max(...rs.map((r) => r.bottom)) - top)
  }
  const clips = (cs: CSSStyleDeclaration): { x: boolean; y: boolean } => ({
    x: cs.overflowX === 'hidden' || cs.overflowX === 'clip',
    y: cs.overflowY === 'hidden' || cs.overflowY === 'clip'
  })
  const scrolls = (cs: CSSStyleDeclaration): boolean =>
    /auto|scroll/.test(cs.overflowX) || /auto|scroll/.test(cs.overflowY)
  /** The part of a rectangle left visible by every ancestor that clips or scrolls. */
  const visibleRect = (el: Element, r: DOMRect): DOMRect | null => {
    let { left, top, right, bottom } = r
    const start = el instanceof SVGElement ? el.parentElement : el
    for (let a = start; a && a !== document.documentElement; a = a.parentElement) {
      const cs = getComputedStyle(a)
      const c = clips(cs)
      if (!c.x && !c.y && !scrolls(cs)) continue
      const b = a.getBoundingClientRect()
      left = Math.max(left, b.left)
      right = Math.min(right, b.right)
      top = Math.max(top, b.top)
      bottom = Math.min(bottom, b.bottom)
    }
    return right - left > 1 && bottom - top > 1 ? new DOMRect(left, top, right - left, bottom - top) : null
  }

  for (const selector of regions) {
    document.querySelectorAll(selector).forEach((root) => {
      if (!visible(root)) return
      const region = selector
      const boxes = leaves(root)

      for (const el of boxes) {
        if (hasHoverText(el)) continue
        const text = textOf(el)
        if (!text) continue
        // 1. Cut by its own box (ellipsis, nowrap in a narrow box, a button too small for its label).
        if (!(el instanceof SVGElement)) {
          const he = el as HTMLElement
          const cs = getComputedStyle(he)
          const c = clips(cs)
          if ((c.x || cs.textOverflow === 'ellipsis') && he.scrollWidth > he.clientWidth + TOLERANCE) {
            problems.push({ kind: 'clipped', region, text, detail: `own box ${he.scrollWidth} > ${he.clientWidth} px wide` })
            continue
          }
          if (c.y && he.scrollHeight > he.clientHeight + TOLERANCE && cs.webkitLineClamp === 'none') {
            problems.push({ kind: 'clipped', region, text, detail: `own box ${he.scrollHeight} > ${he.clientHeight} px high` })
            continue
          }
        }
        // 2. Cut by an ancestor that hides overflow (a panel, a cell), or drawn outside its SVG.
        const r = textRect(el)
        if (el instanceof SVGElement) {
          const svg = (el as SVGElement).ownerSVGElement
          const s = svg?.getBoundingClientRect()
          if (s && (r.left < s.left - TOLERANCE || r.right > s.right + TOLERANCE || r.top < s.top - TOLERANCE || r.bottom > s.bottom + TOLERANCE)) {
            problems.push({ kind: 'outside-svg', region, text, detail: `text ${fmt(r)} outside svg ${fmt(s)}` })
            continue
          }
        }
        let scrolledY = false
        let scrolledX = false
        for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
          const cs = getComputedStyle(a)
          // Text partly scrolled out of a box that scrolls vertically is not cut: scrolling shows it
          // (and boxes around the scrolling one do not count for it either). Sideways it is: nobody
          // scrolls a projected lesson sideways to read a label.
          const c = clips(cs)
          if (scrolls(cs)) {
            // Sideways scrolling by design (a timeline, code): what is beyond its edge is not cut.
            if (/(pre|code)/i.test(a.tagName) || a.hasAttribute('data-scroll-x')) scrolledX = true
            c.x = !scrolledX
            c.y = false
            scrolledY = true
          } else {
            if (scrolledY) c.y = false
            if (scrolledX) c.x = false
          }
          if (!c.x && !c.y) continue
          const b = a.getBoundingClientRect()
          const cutX = c.x && (r.left < b.left - TOLERANCE || r.right > b.right + TOLERANCE)
          const cutY = c.y && (r.top < b.top - TOLERANCE || r.bottom > b.bottom + TOLERANCE)
          // Wholly out of view in a clipped box that scrolls is not cut text (virtual lists, hidden rows).
          const outside = r.right <= b.left || r.left >= b.right || r.bottom <= b.top || r.top >= b.bottom
          if ((cutX || cutY) && !outside) {
            problems.push({ kind: 'clipped', region, text, detail: `text ${fmt(r)} cut by ${describe(a)} ${fmt(b)}` })
            break
          }
        }
      }

      // 3. Labels over labels.
      const rects = boxes.flatMap((el) =>
        lineRects(el)
          .map((line) => visibleRect(el, line))
          .filter((r): r is DOMRect => r !== null)
          .map((r) => ({ el, r }))
      )
      const seen = new Set<string>()
      for (let i = 0; i < rects.length; i++) {
        for (let j = i + 1; j < rects.length; j++) {
          const a = rects[i]
          const b = rects[j]
          if (a.el === b.el || a.el.contains(b.el) || b.el.contains(a.el)) continue
          const w = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left)
          const h = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top)
          if (w > 3 && h > 3 && w * h > 0.15 * Math.min(area(a.r), area(b.r))) {
            const key = `${textOf(a.el)}\u0000${textOf(b.el)}`
            if (seen.has(key)) continue
            seen.add(key)
            problems.push({ kind: 'overlap', region, text: textOf(a.el), other: textOf(b.el), detail: `${fmt(a.r)} × ${fmt(b.r)}` })
          }
        }
      }
    })
  }
  return problems

  function area(r: DOMRect): number {
    return Math.max(1, r.width * r.height)
  }
  function fmt(r: DOMRect): string {
    return `[${Math.round(r.left)},${Math.round(r.top)} ${Math.round(r.width)}×${Math.round(r.height)}]`
  }
  function describe(e: Element): string {
    const id = e.getAttribute('data-testid')
    return `<${e.tagName.toLowerCase()}${id ? ` data-testid=${id}` : ''}${e.className && typeof e.className === 'string' ? ` class="${e.className}"` : ''}>`
  }
}
