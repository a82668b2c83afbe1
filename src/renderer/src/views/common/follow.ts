// A scroll box that follows its newest row (the bottom) until the person scrolls up, and draws
// only the rows in view (kept up to date through scrolls and resizes). Shared by the sequence diagram and the packet list.
import { useLayoutEffect, useRef, useState, type RefObject } from 'react'

export interface Follow {
  /** The part of the box in view, as of the last scroll or resize that needed a redraw. */
  view: { top: number; height: number }
  /** Following the newest row; a view that scrolls to a row of its own choosing sets it. */
  stickRef: RefObject<boolean>
  /** Where the rows to draw start, for content `total` pixels tall. */
  topOf(total: number): number
  onScroll(): void
}

/**
 * Following scrolls to the bottom in the frame that draws the new rows (`version` changing): the
 * rows are drawn at the bottom already (`topOf`), and a scroll left to the next frame would show
 * the box empty until then. The frame lays the page out anyway; the scroll only does it before
 * the paint. The scroll event that follows then has nothing to redraw.
 */
export function useFollow(
  boxRef: RefObject<HTMLElement | null>,
  version: unknown,
  initial: { top: number; height: number }
): Follow {
  const [view, setView] = useState(initial)
  const stickRef = useRef(true)
  useLayoutEffect(() => {
    const el = boxRef.current
    if (!el) return
    const ro = new ResizeObserver(() => setView({ top: el.scrollTop, height: el.clientHeight }))
    ro.observe(el)
    return () => ro.disconnect()
  }, []) // eslint-disable-line react-hooks/exhaustive-deps
  useLayoutEffect(() => {
    const el = boxRef.current
    if (el && stickRef.current) el.scrollTop = el.scrollHeight
  }, [version]) // eslint-disable-line react-hooks/exhaustive-deps
  const onScroll = (): void => {
    const el = boxRef.current
    if (!el) return
    const stuck = stickRef.current
    stickRef.current = el.scrollTop + el.clientHeight >= el.scrollHeight - 40
    if (stuck && stickRef.current && el.clientHeight === view.height) return
    setView({ top: el.scrollTop, height: el.clientHeight })
  }
  const topOf = (total: number): number => (stickRef.current ? Math.max(0, total - view.height) : view.top)
  return { view, stickRef, topOf, onScroll }
}
