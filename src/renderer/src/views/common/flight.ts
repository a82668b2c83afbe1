// A message's flight across a diagram: when `key` changes (a new frame at the playback cursor),
// progress runs from 0 to 1 over one flight (flightMs at the current speed), drawn with animation
// frames; hidden windows, which get none, land it by a timer.
import { useEffect, useLayoutEffect, useState } from 'react'
import { useLab } from '../../store'
import { flightMs } from '../../playback/clock'

export function useFlight(key: string | number | null): number {
  const speed = useLab((s) => s.speed)
  const dur = flightMs(speed)
  const [progress, setProgress] = useState(1)
  useEffect(() => {
    if (key === null) return
    const start = performance.now()
    let raf = 0
    const tick = (): void => {
      const p = Math.min(1, (performance.now() - start) / dur)
      setProgress(p)
      if (p < 1) raf = requestAnimationFrame(tick)
    }
    raf = requestAnimationFrame(tick)
    const timer = setTimeout(() => setProgress(1), dur + 20)
    return () => {
      cancelAnimationFrame(raf)
      clearTimeout(timer)
    }
  }, [key, dur])
  return key === null ? 1 : progress
}

/**
 * Whether the flight of `key` is past `at` (0–1 of its way). It changes once per flight, so a view
 * can follow one moment of a flight (a queue lighting up as the message reaches its exchange)
 * without drawing every frame of it.
 */
export function useFlightPast(key: string | number | null, at: number): boolean {
  const speed = useLab((s) => s.speed)
  const dur = flightMs(speed)
  const [reached, setReached] = useState<string | number | null>(null)
  useEffect(() => {
    if (key === null) return
    const timer = setTimeout(() => setReached(key), dur * at)
    return () => clearTimeout(timer)
  }, [key, dur, at])
  return key === null || reached === key
}

/**
 * The element's size, kept up to date. The ref is a callback, so an element that appears later
 * (after an empty state) is measured too.
 */
export function useSize<T extends HTMLElement>(initial = { w: 900, h: 520 }): [(el: T | null) => void, { w: number; h: number }] {
  const [el, setEl] = useState<T | null>(null)
  const [size, setSize] = useState(initial)
  useLayoutEffect(() => {
    if (!el) return
    const measure = (): void => setSize((s) => (s.w === el.clientWidth && s.h === el.clientHeight ? s : { w: el.clientWidth, h: el.clientHeight }))
    const ro = new ResizeObserver(measure)
    ro.observe(el)
    measure()
    return () => ro.disconnect()
  }, [el])
  return [setEl, size]
}

/** A point `t` of the way from `a` to `b`. */
export const along = (a: { x: number; y: number }, b: { x: number; y: number }, t: number): { x: number; y: number } => ({ x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t })
