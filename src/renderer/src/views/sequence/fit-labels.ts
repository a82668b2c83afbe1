// Keeps the sequence diagram's labels inside the diagram and clear of the time column, measuring
// them from their text and fonts rather than the laid-out page.

/** What each label was last fitted for (its anchor, the room, its text): unchanged labels are skipped. */
const fitted = new WeakMap<SVGTextElement, string>()

let pen: CanvasRenderingContext2D | null | undefined
let penFont = ''
/** Widths already measured, by font and text (labels repeat: "PUBLISH", "PUBACK", "↩ echo"). */
const widths = new Map<string, number>()

/** Computed fonts by class chain, for the page's current root classes and type scale. */
const fonts = new Map<string, string>()
let fontsFor = ''

/**
 * A label part's font. Fonts follow classes only (the row's, the label's, a tspan's, the root's:
 * projector mode and type scale), so each combination is computed once: `getComputedStyle` right
 * after a render recalculates style, and that was most of the measuring.
 */
function fontOf(node: Element, label: SVGTextElement): string {
  const html = document.documentElement
  const page = `${html.getAttribute('class')}|${html.getAttribute('style')}`
  if (page !== fontsFor) {
    fonts.clear()
    fontsFor = page
  }
  const key = `${label.parentElement?.getAttribute('class')}|${label.getAttribute('class')}|${node === label ? '' : node.getAttribute('class')}`
  let font = fonts.get(key)
  if (font === undefined) {
    const cs = getComputedStyle(node)
    font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`
    fonts.set(key, font)
  }
  return font
}

/**
 * A label's drawn width, from its text and computed fonts (a tspan may have its own) measured on a
 * canvas: no layout, where `getBBox` lays the page out. Whitespace collapses as SVG text does.
 */
function labelWidth(el: SVGTextElement): number {
  pen ??= document.createElement('canvas').getContext('2d')
  if (!pen) return el.getBBox().width
  const parts: { text: string; node: Element }[] = []
  let spaced = true // strips leading spaces, and collapses runs across segments
  for (const node of Array.from(el.childNodes)) {
    let text = (node.textContent ?? '').replace(/\s+/g, ' ')
    if (spaced && text.startsWith(' ')) text = text.slice(1)
    if (!text) continue
    spaced = text.endsWith(' ')
    parts.push({ text, node: node instanceof Element ? node : el })
  }
  const last = parts.at(-1)
  if (last && spaced) last.text = last.text.slice(0, -1) // nor is a trailing space drawn
  let width = 0
  for (const { text, node } of parts) {
    const font = fontOf(node, el)
    const key = `${font}|${text}`
    let w = widths.get(key)
    if (w === undefined) {
      if (penFont !== font) pen.font = penFont = font
      w = pen.measureText(text).width
      if (widths.size > 4000) widths.clear()
      widths.set(key, w)
    }
    width += w
  }
  return width
}

/**
 * Keeps every label marked `data-fit` inside [lo, hi]: shifted sideways when it would cross an edge,
 * condensed only when it is wider than the room itself (its full text stays in `aria-label`).
 * Only labels that are new or changed are measured, and from their text and fonts rather than the
 * laid-out page: under load a render adds dozens of labels, and `getBBox` on them cost a forced
 * layout per render (0.9 s in 6 s of the MQTT load action). Labels are centred on their anchor.
 */
export function fitLabels(svg: SVGSVGElement | null, lo: number, hi: number): void {
  if (!svg) return
  const todo: { el: SVGTextElement; key: string; width: number }[] = []
  svg.querySelectorAll<SVGTextElement>('text[data-fit]').forEach((el) => {
    const key = `${el.dataset.fit}|${lo}|${hi}|${el.textContent}`
    if (fitted.get(el) !== key) todo.push({ el, key, width: 0 })
  })
  // All reads first, then all writes: one style pass however many labels.
  for (const t of todo) t.width = labelWidth(t.el)
  for (const { el, key, width } of todo) {
    const at = Number(el.dataset.fit ?? 0)
    const left = at - width / 2
    el.removeAttribute('textLength')
    el.removeAttribute('lengthAdjust')
    if (width > hi - lo) {
      el.setAttribute('x', String((lo + hi) / 2))
      el.setAttribute('textLength', String(hi - lo))
      el.setAttribute('lengthAdjust', 'spacingAndGlyphs')
    } else if (left < lo) el.setAttribute('x', String(at + lo - left))
    else if (left + width > hi) el.setAttribute('x', String(at - (left + width - hi)))
    else el.setAttribute('x', String(at))
    fitted.set(el, key)
  }
}
